"""Course records, one module per subject; import them from here."""

from .certificates import (
    Certificate,
    certificate_code_grouped,
    certificate_code_new,
    certificate_code_normalise,
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

__all__ = [
    "HOURS_FIELD",
    "AgeRequirement",
    "Attendance",
    "AttendanceUpload",
    "AuditLine",
    "Certificate",
    "ClassSession",
    "Cohort",
    "CohortSeat",
    "CourseIndexPage",
    "CoursePage",
    "Credential",
    "Enrollment",
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
    "TotalHoursRequirement",
    "certificate_code_grouped",
    "certificate_code_new",
    "certificate_code_normalise",
    "private_storage",
    "requirements_prepare",
]
