"""Admin views for exams beyond Wagtail's generic editors, one module per
subject; the admin URLs name them here.

- ``bank``: the question bank listing and its export
- ``questions``: adding by type, preview, import, template, regrade
- ``reports``: the exam reports list
"""

from .bank import (
    BANK_PAGE_SIZE,
    QuestionBankExportView,
    QuestionBankView,
    QuestionFilterSet,
    question_url,
    question_viewset_name,
)
from .questions import (
    ImportForm,
    _from_gift,
    bank_add,
    bank_import,
    bank_template,
    preview,
    regrade,
)
from .reports import reports

__all__ = [
    "BANK_PAGE_SIZE",
    "ImportForm",
    "QuestionBankExportView",
    "QuestionBankView",
    "QuestionFilterSet",
    "_from_gift",
    "bank_add",
    "bank_import",
    "bank_template",
    "preview",
    "question_url",
    "question_viewset_name",
    "regrade",
    "reports",
]
