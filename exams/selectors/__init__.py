"""Reads for exams, one module per subject; import them from here.

- ``attempts``: what an attempt page and a result page may show
- ``bank``: the question bank, and blueprint rules it cannot fill
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
from .bank import Shortfall, blueprint_shortfalls
from .grading import question_graded_attempt_count, responses_to_grade
from .reports import ItemAnalysis, ItemRow, exam_item_analysis

__all__ = [
    "AttemptQuestionView",
    "DomainScore",
    "ItemAnalysis",
    "ItemRow",
    "Shortfall",
    "attempt_domain_scores",
    "attempt_questions",
    "attempt_review",
    "blueprint_shortfalls",
    "exam_item_analysis",
    "question_graded_attempt_count",
    "responses_to_grade",
    "review_allows_answers",
]
