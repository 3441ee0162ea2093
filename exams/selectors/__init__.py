"""Reads for exams, one module per subject; import them from here.

- ``attempts``: what an attempt page and a result page may show
- ``grading``: essays waiting for a person, attempts a regrade would touch
- ``reports``: item analysis
"""

from .attempts import (
    AttemptQuestionView,
    DomainScore,
    attempt_domain_scores,
    attempt_questions,
    attempt_review,
    review_allows_answers,
)
from .grading import question_graded_attempt_count, responses_to_grade
from .reports import ItemAnalysis, ItemRow, exam_item_analysis

__all__ = [
    "AttemptQuestionView",
    "DomainScore",
    "ItemAnalysis",
    "ItemRow",
    "attempt_domain_scores",
    "attempt_questions",
    "attempt_review",
    "exam_item_analysis",
    "question_graded_attempt_count",
    "responses_to_grade",
    "review_allows_answers",
]
