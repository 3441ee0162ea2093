"""Read-only queries for courses, one module per subject; import them from
here. Each runs a fixed number of queries.

- ``curriculum``: course outlines, a lesson's place, the curriculum audit
- ``learning``: progress through courses, cohort offers, class days
- ``completion``: the one definition of a completed module
- ``certificates``: course completion rules, certificates due and issued
- ``credentials``: credential readiness, every requirement met or missing
- ``ledger``: hour totals, entries, verification, the verification of training
- ``hour_record``: the verification of training hours, per credential
- ``teaching``: the cohort progress grid
"""

from .certificates import (
    CompletionProgress,
    DueCertificate,
    certificate_by_code,
    certificate_entries,
    certificates_due,
    certificates_for_review,
    course_completion,
    courses_awaiting_certificate,
    courses_with_completion_rules,
    hours_by_topic,
    recent_certificates,
    trainee_certificates,
    trainee_cohort,
)
from .completion import modules_completed
from .credentials import CredentialProgress, RequirementStatus, credential_progress
from .curriculum import (
    CourseAudit,
    LessonPosition,
    ModuleOutline,
    catalogue_url,
    course_outline,
    curriculum_audits,
    lesson_position,
)
from .hour_record import (
    HourRecord,
    RecordRow,
    RecordTopic,
    hour_verification_record,
)
from .learning import (
    CohortOffer,
    CourseProgress,
    ModuleProgress,
    cohort_offers,
    courses_progress,
    enrollment_for,
    trainee_seats,
    upcoming_sessions,
)
from .ledger import (
    CategoryTotal,
    LedgerTopic,
    hour_entries,
    hour_totals,
    pending_entries_for,
    trainee_ledger_report,
)
from .teaching import GridCell, GridRow, ProgressGrid, cohort_progress_grid

__all__ = [
    "CategoryTotal",
    "CohortOffer",
    "CompletionProgress",
    "CourseAudit",
    "CourseProgress",
    "CredentialProgress",
    "DueCertificate",
    "GridCell",
    "GridRow",
    "HourRecord",
    "LedgerTopic",
    "LessonPosition",
    "ModuleOutline",
    "ModuleProgress",
    "ProgressGrid",
    "RecordRow",
    "RecordTopic",
    "RequirementStatus",
    "catalogue_url",
    "certificate_by_code",
    "certificate_entries",
    "certificates_due",
    "certificates_for_review",
    "cohort_offers",
    "cohort_progress_grid",
    "course_completion",
    "course_outline",
    "courses_awaiting_certificate",
    "courses_progress",
    "courses_with_completion_rules",
    "credential_progress",
    "curriculum_audits",
    "enrollment_for",
    "hour_entries",
    "hour_totals",
    "hour_verification_record",
    "hours_by_topic",
    "lesson_position",
    "modules_completed",
    "pending_entries_for",
    "recent_certificates",
    "trainee_certificates",
    "trainee_cohort",
    "trainee_ledger_report",
    "trainee_seats",
    "upcoming_sessions",
]
