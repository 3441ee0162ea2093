"""Site views for exams, one module per subject; the URLconf names them here.

- ``exams``: a trainee's exam list and exam page, starting an attempt
- ``attempts``: sitting an attempt, autosave, submit, the result
- ``grading``: the essay queue and grading one essay
- ``reports``: item analysis
- ``oral_scoring``: oral-exam score sheets, reconciliation, reopening,
  releasing results, a trainee's result, the agreement report

Oral-exam booking goes in ``oral``.
"""

from .attempts import (
    attempt_page,
    attempt_result,
    attempt_save,
    attempt_submit,
)
from .exams import attempt_start, exam_detail, exam_list
from .grading import grade_response, grading_queue
from .oral_scoring import agreement as oral_agreement
from .oral_scoring import reconcile as oral_reconcile
from .oral_scoring import release_one as oral_release
from .oral_scoring import result as oral_result
from .oral_scoring import results as oral_results
from .oral_scoring import score_sheet as oral_score_sheet
from .oral_scoring import score_submit as oral_score_submit
from .oral_scoring import sheet_reopen as oral_sheet_reopen
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
    "oral_agreement",
    "oral_reconcile",
    "oral_release",
    "oral_result",
    "oral_results",
    "oral_score_sheet",
    "oral_score_submit",
    "oral_sheet_reopen",
]
