"""Writes for the learning journey and the hour ledger, one module per
subject; import them from here.

Every function validates, runs in one transaction and is safe to call twice:
the database (unique source keys, unique progress rows, row locks on the
cohort and the attendance row) guarantees that nothing is credited twice,
whatever the timing of the calls.

- ``enrollment``: enrolling, cohort seats
- ``progress``: lesson progress and module credit
- ``attendance``: class days, attendance, sign-in sheets
- ``invitations``: a trainer's invitation to a seat, the trainee's answer
- ``ledger``: crediting, reversing, hours from elsewhere, verification
- ``certificates``: issuing on completion, revoking, reissuing, the PDF
"""

from .attendance import (
    attendance_record,
    attendance_upload_apply,
    split_minutes,
    validate_attendance,
)
from .certificates import (
    CompletionNotMet,
    certificate_issue,
    certificate_pdf_store,
    certificate_reissue,
    certificate_review_close,
    certificate_revoke,
    certificates_check_later,
    certificates_flag_for_review,
    certificates_issue_due,
    certificates_issue_due_for,
)
from .enrollment import (
    cohort_confirmed_count,
    course_offers_online_study,
    enrollment_create,
    enrollment_ensure,
    seat_add,
    seat_confirm,
    seat_decline,
    seat_request,
)
from .invitations import (
    invitation_accept,
    invitation_create,
    invitation_decline,
    invitation_for_token,
    invitation_send,
    invitations_open_for,
)
from .ledger import entry_credit, entry_decide, entry_reverse, external_hours_submit
from .progress import lesson_complete, module_credit_if_complete

__all__ = [
    "CompletionNotMet",
    "attendance_record",
    "attendance_upload_apply",
    "certificate_issue",
    "certificate_pdf_store",
    "certificate_reissue",
    "certificate_review_close",
    "certificate_revoke",
    "certificates_check_later",
    "certificates_flag_for_review",
    "certificates_issue_due",
    "certificates_issue_due_for",
    "cohort_confirmed_count",
    "course_offers_online_study",
    "enrollment_create",
    "enrollment_ensure",
    "entry_credit",
    "entry_decide",
    "entry_reverse",
    "external_hours_submit",
    "invitation_accept",
    "invitation_create",
    "invitation_decline",
    "invitation_for_token",
    "invitation_send",
    "invitations_open_for",
    "lesson_complete",
    "module_credit_if_complete",
    "seat_add",
    "seat_confirm",
    "seat_decline",
    "seat_request",
    "split_minutes",
    "validate_attendance",
]
