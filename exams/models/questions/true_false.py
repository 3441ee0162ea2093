"""True-or-false questions, with feedback for each answer."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from .base import Question
from .common import ONE, ZERO, cell_text, feedback_cell, feedback_lines


class TrueFalseQuestion(Question):
    type_code = "true_false"
    type_label = gettext_lazy("True or false")
    answer_keys = frozenset({"answer"})

    correct_answer = models.BooleanField(
        gettext_lazy("the statement is true"), default=True
    )
    feedback_true = models.TextField(gettext_lazy("feedback for 'True'"), blank=True)
    feedback_false = models.TextField(gettext_lazy("feedback for 'False'"), blank=True)

    panels = [
        *Question.common_panels,
        MultiFieldPanel(
            [
                FieldPanel("correct_answer"),
                FieldPanel("feedback_true"),
                FieldPanel("feedback_false"),
            ],
            heading=gettext_lazy("Answer"),
        ),
        *Question.feedback_panels,
    ]

    class Meta:
        verbose_name = gettext_lazy("true/false question")
        verbose_name_plural = gettext_lazy("true/false questions")

    def freeze(self, *, shuffle=False, rng=None):
        content, key = super().freeze()
        key["answer"] = self.correct_answer
        key["feedback"] = {"true": self.feedback_true, "false": self.feedback_false}
        return content, key

    def as_dict(self):
        data = super().as_dict()
        data["answer"] = self.correct_answer
        data["feedback_true"] = self.feedback_true
        data["feedback_false"] = self.feedback_false
        return data

    def set_answers(self, data):
        self.correct_answer = bool(data["answer"])
        self.feedback_true = data.get("feedback_true", "")
        self.feedback_false = data.get("feedback_false", "")

    @classmethod
    def grade_frozen(cls, key, answer):
        given = (answer or {}).get("answer")
        return ONE if given is not None and given == key["answer"] else ZERO

    @classmethod
    def is_answered(cls, answer):
        return (answer or {}).get("answer") is not None

    @classmethod
    def clean_answer(cls, content, answer):
        if answer is None:
            return None
        value = cls.check_answer_shape(answer).get("answer")
        if value not in (True, False, None):
            raise ValidationError(_("Answer true or false."))
        return {"answer": value} if value is not None else None

    @classmethod
    def answer_from_post(cls, content, data):
        value = data.get("answer")
        return {"answer": value == "true"} if value in ("true", "false") else None

    @classmethod
    def right_answer(cls, content, key):
        return {"answer": key["answer"]}

    @classmethod
    def wrong_answer(cls, content, key):
        return {"answer": not key["answer"]}

    @classmethod
    def review_lines(cls, content, key, answer):
        given = (answer or {}).get("answer")
        return [
            {
                "text": _("True") if value else _("False"),
                "chosen": given is value,
                "correct": key["answer"] is value,
                "feedback": key["feedback"]["true" if value else "false"]
                if given is value
                else "",
            }
            for value in (True, False)
        ]

    @classmethod
    def frequency_options(cls, content, key):
        return [
            ("true", _("True"), key["answer"] is True),
            ("false", _("False"), key["answer"] is False),
        ]

    @classmethod
    def frequency_pick(cls, answer):
        value = (answer or {}).get("answer")
        return None if value is None else str(value).lower()

    @classmethod
    def to_row(cls, data):
        return {
            "Correct": "True" if data["answer"] else "False",
            "Answer feedback": feedback_cell(
                [data.get("feedback_true", ""), data.get("feedback_false", "")]
            ),
        }

    @classmethod
    def from_row(cls, cells, problem):
        value = cell_text(cells["Correct"]).casefold()
        if value not in ("true", "false"):
            problem("Correct", _("enter True or False."))
        feedback = feedback_lines(cells["Answer feedback"], 2)
        return {
            "answer": value == "true",
            "feedback_true": feedback[0],
            "feedback_false": feedback[1],
        }
