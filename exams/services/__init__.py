"""Writes for exams, one module per subject; import them from here.

- ``eligibility``: whether a trainee may start an attempt, and its deadline
- ``attempts``: starting, saving answers, submitting, closing at the deadline
- ``grading``: totalling attempts, grading essays, regrading after a key fix
- ``bank``: importing the question bank from dicts (Excel, GIFT, fixtures)

- ``oral_scoring``: oral-exam sittings, score sheets, reconciliation, results

Oral-exam slots and bookings go in ``oral_booking``.
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
from .oral_scoring import sitting_open

__all__ = [
    "AttemptClosed",
    "Eligibility",
    "ImportReport",
    "RegradeReport",
    "SaveReceipt",
    "StaleSave",
    "accommodation_for",
    "attempt_close_if_expired",
    "attempt_eligibility",
    "attempt_save_response",
    "attempt_start",
    "attempt_submit",
    "attempts_close_expired",
    "deadline_for",
    "draw_questions",
    "finalize",
    "grade_automatically",
    "question_regrade",
    "questions_import",
    "response_grade",
    "sitting_open",
]
