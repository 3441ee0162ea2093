"""Essay questions, graded by a person."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel

from .base import Question
from .common import cell_text
from .typed import _text_answer

ESSAY_LIMIT = 20000


class EssayQuestion(Question):
    type_code = "essay"
    type_label = gettext_lazy("Essay")
    graded_by_person = True
    answer_keys = frozenset({"text"})

    grading_guidance = models.TextField(
        gettext_lazy("grading guidance"),
        blank=True,
        help_text=gettext_lazy("What a full-credit answer includes; graders see this."),
    )

    panels = [
        *Question.common_panels,
        FieldPanel("grading_guidance"),
        *Question.feedback_panels,
    ]

    class Meta:
        verbose_name = gettext_lazy("essay question")
        verbose_name_plural = gettext_lazy("essay questions")

    def freeze(self, *, shuffle=False, rng=None):
        content, key = super().freeze()
        key["guidance"] = self.grading_guidance
        return content, key

    def as_dict(self):
        data = super().as_dict()
        data["grading_guidance"] = self.grading_guidance
        return data

    def set_answers(self, data):
        self.grading_guidance = data.get("grading_guidance", "")

    @classmethod
    def grade_frozen(cls, key, answer):
        return None

    @classmethod
    def is_answered(cls, answer):
        return bool(((answer or {}).get("text") or "").strip())

    @classmethod
    def clean_answer(cls, content, answer):
        if answer is None:
            return None
        return _text_answer(cls.check_answer_shape(answer), ESSAY_LIMIT)

    @classmethod
    def answer_from_post(cls, content, data):
        return {"text": data.get("text", "")}

    @classmethod
    def right_answer(cls, content, key):
        return {"text": "A thoughtful answer."}

    @classmethod
    def wrong_answer(cls, content, key):
        return {"text": "Something else entirely."}

    @classmethod
    def review_lines(cls, content, key, answer):
        return [{"text": (answer or {}).get("text", "")}]

    @classmethod
    def to_row(cls, data):
        return {"Grading guidance": data.get("grading_guidance", "")}

    @classmethod
    def from_row(cls, cells, problem):
        return {"grading_guidance": cell_text(cells["Grading guidance"])}
