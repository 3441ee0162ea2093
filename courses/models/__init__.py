"""Course records, one module per subject; import them from here."""

from .credentials import (
    HOURS_FIELD,
    AuditLine,
    Credential,
    HourCategory,
    HoursRequirement,
    Requirement,
    TotalHoursRequirement,
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

__all__ = [
    "HOURS_FIELD",
    "Attendance",
    "AttendanceUpload",
    "AuditLine",
    "ClassSession",
    "Cohort",
    "CohortSeat",
    "CourseIndexPage",
    "CoursePage",
    "Credential",
    "Enrollment",
    "HourCategory",
    "HourEntry",
    "HoursRequirement",
    "LessonPage",
    "LessonProgress",
    "ModulePage",
    "Requirement",
    "TotalHoursRequirement",
    "private_storage",
]
