"""Site views for exams, one module per subject; the URLconf names them here.

- ``exams``: a trainee's exam list and exam page, starting an attempt
- ``attempts``: sitting an attempt, autosave, submit, the result
- ``grading``: the essay queue and grading one essay
- ``reports``: item analysis

Oral-exam booking and scoring go in ``oral``.
"""

from .attempts import (
    attempt_page,
    attempt_result,
    attempt_save,
    attempt_submit,
)
from .exams import attempt_start, exam_detail, exam_list
from .grading import grade_response, grading_queue
from .reports import item_analysis

__all__ = [
    "attempt_page",
    "attempt_result",
    "attempt_save",
    "attempt_start",
    "attempt_submit",
    "exam_detail",
    "exam_list",
    "grade_response",
    "grading_queue",
    "item_analysis",
]
