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
    "Enrollment",
    "ExperienceLog",
    "HourCategory",
    "HourEntry",
    "HourRule",
    "HoursRequirement",
    "LessonPage",
    "LessonProgress",
    "ModuleCompletionRequirement",
    "ModulePage",
    "Requirement",
    "RequirementFacts",
    "RequirementProgress",
    "Signature",
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
    "certificate_code_grouped",
    "certificate_code_new",
    "certificate_code_normalise",
    "private_storage",
    "requirements_prepare",
]
