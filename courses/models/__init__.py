"""Course records, one module per subject; import them from here."""

from .assignments import CohortInvitation, CourseTrainer
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
    "ClassSession",
    "Cohort",
    "CohortInvitation",
    "CohortSeat",
    "CourseIndexPage",
    "CoursePage",
    "CourseTrainer",
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
    "private_storage",
    "requirements_prepare",
]
