"""Reads for exams, one module per subject; import them from here.

- ``attempts``: what an attempt page and a result page may show
- ``bank``: the question bank, blueprint rules it cannot fill, and drawn
  questions whole (cached between draws)
- ``grading``: essays waiting for a person, attempts a regrade would touch
- ``reports``: item analysis
- ``oral_booking``: oral-exam eligibility, open slots, examiners' slots, roster
- ``oral_scoring``: the oral-exam pass rule, score sheets as each person may
  see them, trainees' released results, sittings waiting for an administrator
- ``oral_agreement``: the inter-rater agreement report of an oral exam
"""

from .attempts import (
    AttemptQuestionView,
    DomainScore,
    attempt_domain_scores,
    attempt_questions,
    attempt_review,
    attempt_running_for,
    review_allows_answers,
)
from .bank import (
    Shortfall,
    blueprint_shortfalls,
    forget_cached_question,
    questions_whole,
)
from .grading import question_graded_attempt_count, responses_to_grade
from .oral_agreement import (
    AgreementReport,
    CriterionAgreement,
    ExaminerSeverity,
    oral_agreement,
)
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
from .oral_scoring import (
    Agreed,
    CriterionOutcome,
    ScoreSheetPage,
    SittingOutcome,
    TraineeResult,
    oral_result_released,
    oral_results_released,
    score_sheet_page,
    sitting_for_scoring,
    sitting_outcome,
    sittings_releasable,
    sittings_waiting,
    trainee_result,
)
from .reports import ItemAnalysis, ItemRow, exam_item_analysis

__all__ = [
    "Agreed",
    "AgreementReport",
    "AttemptQuestionView",
    "CriterionAgreement",
    "CriterionOutcome",
    "DomainScore",
    "ExaminerSeverity",
    "ItemAnalysis",
    "ItemRow",
    "OralEligibility",
    "RosterRow",
    "ScoreSheetPage",
    "Shortfall",
    "SittingOutcome",
    "TraineeOralExam",
    "TraineeResult",
    "attempt_domain_scores",
    "attempt_questions",
    "attempt_review",
    "attempt_running_for",
    "blueprint_shortfalls",
    "booking_cancel_until",
    "exam_item_analysis",
    "examiner_day",
    "examiner_slots_between",
    "examiner_slots_upcoming",
    "forget_cached_question",
    "oral_agreement",
    "oral_eligibility",
    "oral_result_released",
    "oral_results_released",
    "question_graded_attempt_count",
    "questions_whole",
    "responses_to_grade",
    "review_allows_answers",
    "roster_rows",
    "score_sheet_page",
    "sitting_for_scoring",
    "sitting_outcome",
    "sittings_releasable",
    "sittings_waiting",
    "slot_roster",
    "slot_series_starts",
    "slots_open",
    "trainee_booking",
    "trainee_oral_exams",
    "trainee_result",
]
