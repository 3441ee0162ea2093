"""Course records, one module per subject; import them from here."""

from .assignments import CohortInvitation, CourseTrainer
from .certificates import (
    Certificate,
    certificate_code_grouped,
    certificate_code_new,
    certificate_code_normalise,
)
from .checklist import (
    SupervisionAgreementRequirement,
    SupervisionEvaluationRequirement,
)
from .credentials import (
    HOURS_FIELD,
    AuditLine,
    Credential,
    HourCategory,
    HourRule,
    HoursRequirement,
    Requirement,
    RequirementFacts,
    RequirementProgress,
    TotalHoursRequirement,
    requirements_prepare,
)
from .curriculum import CourseIndexPage, CoursePage, LessonPage, ModulePage
from .documents import (
    DocumentKind,
    DocumentRequirement,
    SuicidePreventionRequirement,
    TraineeDocument,
)
from .fees import FeePayment, FeeRequirement
from .learning import (
    Attendance,
    AttendanceUpload,
    ClassSession,
    Cohort,
    CohortSeat,
    Enrollment,
    LessonProgress,
)
from .ledger import HourEntry, private_storage
from .packets import ApplicationPacket
from .references import ReferenceRequest, ReferenceRequirement
from .requirements import AgeRequirement, ModuleCompletionRequirement
from .supervision import (
    ExperienceLog,
    Signature,
    SupervisionDomain,
    SupervisionEvaluation,
    SupervisionFeedback,
    SupervisionGapRule,
    SupervisionSession,
    SupervisorCompetency,
    SupervisorCredentialType,
    SupervisoryAgreement,
)

__all__ = [
    "HOURS_FIELD",
    "AgeRequirement",
    "ApplicationPacket",
    "Attendance",
    "AttendanceUpload",
    "AuditLine",
    "Certificate",
    "ClassSession",
    "Cohort",
    "CohortInvitation",
    "CohortSeat",
    "CourseIndexPage",
    "CoursePage",
    "CourseTrainer",
    "Credential",
    "DocumentKind",
    "DocumentRequirement",
    "Enrollment",
    "ExperienceLog",
    "FeePayment",
    "FeeRequirement",
    "HourCategory",
    "HourEntry",
    "HourRule",
    "HoursRequirement",
    "LessonPage",
    "LessonProgress",
    "ModuleCompletionRequirement",
    "ModulePage",
    "ReferenceRequest",
    "ReferenceRequirement",
    "Requirement",
    "RequirementFacts",
    "RequirementProgress",
    "Signature",
    "SuicidePreventionRequirement",
    "SupervisionAgreementRequirement",
    "SupervisionDomain",
    "SupervisionEvaluation",
    "SupervisionEvaluationRequirement",
    "SupervisionFeedback",
    "SupervisionGapRule",
    "SupervisionSession",
    "SupervisorCompetency",
    "SupervisorCredentialType",
    "SupervisoryAgreement",
    "TotalHoursRequirement",
    "TraineeDocument",
    "certificate_code_grouped",
    "certificate_code_new",
    "certificate_code_normalise",
    "private_storage",
    "requirements_prepare",
]
