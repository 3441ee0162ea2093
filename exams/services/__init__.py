"""Writes for exams, one module per subject; import them from here.

- ``eligibility``: whether a trainee may start an attempt, and its deadline
- ``attempts``: starting, saving answers, submitting, closing at the deadline
- ``grading``: totalling attempts, grading essays, regrading after a key fix
- ``bank``: importing the question bank from dicts (Excel, GIFT, fixtures)

- ``oral_scoring``: oral-exam sittings, score sheets, reconciliation, results
- ``oral_booking``: oral-exam slots, bookings, attendance, emails and reminders
"""

from .attempts import (
    AttemptClosed,
    SaveReceipt,
    StaleSave,
    attempt_close_if_expired,
    attempt_save_response,
    attempt_start,
    attempt_submit,
    attempts_close_expired,
    draw_questions,
)
from .bank import ImportReport, questions_import
from .eligibility import (
    Eligibility,
    accommodation_for,
    attempt_eligibility,
    deadline_for,
)
from .grading import (
    RegradeReport,
    finalize,
    grade_automatically,
    question_regrade,
    response_grade,
)
from .oral_booking import (
    Overlap,
    SeriesReport,
    SlotsOverlap,
    booking_cancel,
    booking_create,
    booking_excuse,
    booking_mark_attended,
    booking_mark_no_show,
    booking_move,
    booking_notice_send,
    booking_reminder_send,
    booking_reminders_due,
    booking_reminders_send_due,
    roster_workbook_build,
    slot_overlaps,
    slot_publish,
    slot_series_publish,
    slot_withdraw,
)
from .oral_scoring import (
    comment_field,
    level_field,
    note_field,
    score_sheet_reopen,
    score_sheet_save,
    score_sheet_submit,
    sitting_open,
    sitting_reconcile,
    sittings_release,
)

__all__ = [
    "AttemptClosed",
    "Eligibility",
    "ImportReport",
    "Overlap",
    "RegradeReport",
    "SaveReceipt",
    "SeriesReport",
    "SlotsOverlap",
    "StaleSave",
    "accommodation_for",
    "attempt_close_if_expired",
    "attempt_eligibility",
    "attempt_save_response",
    "attempt_start",
    "attempt_submit",
    "attempts_close_expired",
    "booking_cancel",
    "booking_create",
    "booking_excuse",
    "booking_mark_attended",
    "booking_mark_no_show",
    "booking_move",
    "booking_notice_send",
    "booking_reminder_send",
    "booking_reminders_due",
    "booking_reminders_send_due",
    "comment_field",
    "deadline_for",
    "draw_questions",
    "finalize",
    "grade_automatically",
    "level_field",
    "note_field",
    "question_regrade",
    "questions_import",
    "response_grade",
    "roster_workbook_build",
    "score_sheet_reopen",
    "score_sheet_save",
    "score_sheet_submit",
    "sitting_open",
    "sitting_reconcile",
    "sittings_release",
    "slot_overlaps",
    "slot_publish",
    "slot_series_publish",
    "slot_withdraw",
]
