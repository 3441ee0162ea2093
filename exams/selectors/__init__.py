"""Reads for exams, one module per subject; import them from here.

- ``attempts``: what an attempt page and a result page may show
- ``bank``: the question bank, and blueprint rules it cannot fill
- ``grading``: essays waiting for a person, attempts a regrade would touch
- ``reports``: item analysis
- ``oral_booking``: oral-exam eligibility, open slots, examiners' slots, roster
"""

from .attempts import (
    AttemptQuestionView,
    DomainScore,
    attempt_domain_scores,
    attempt_questions,
    attempt_review,
    review_allows_answers,
)
from .bank import Shortfall, blueprint_shortfalls
from .grading import question_graded_attempt_count, responses_to_grade
from .oral_booking import (
    OralEligibility,
    RosterRow,
    TraineeOralExam,
    booking_cancel_until,
    examiner_day,
    examiner_slots_between,
    examiner_slots_upcoming,
    oral_eligibility,
    roster_rows,
    slot_roster,
    slot_series_starts,
    slots_open,
    trainee_booking,
    trainee_oral_exams,
)
from .reports import ItemAnalysis, ItemRow, exam_item_analysis

__all__ = [
    "AttemptQuestionView",
    "DomainScore",
    "ItemAnalysis",
    "ItemRow",
    "OralEligibility",
    "RosterRow",
    "Shortfall",
    "TraineeOralExam",
    "attempt_domain_scores",
    "attempt_questions",
    "attempt_review",
    "blueprint_shortfalls",
    "booking_cancel_until",
    "exam_item_analysis",
    "examiner_day",
    "examiner_slots_between",
    "examiner_slots_upcoming",
    "oral_eligibility",
    "question_graded_attempt_count",
    "responses_to_grade",
    "review_allows_answers",
    "roster_rows",
    "slot_roster",
    "slot_series_starts",
    "slots_open",
    "trainee_booking",
    "trainee_oral_exams",
]
