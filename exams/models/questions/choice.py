"""Questions answered by picking: single choice (with partial credit),
multiple response, and true or false."""

from __future__ import annotations

import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField

from ...blocks import ChoicesStreamBlock, WeightedChoicesStreamBlock
from .base import Question
from .common import (
    HUNDRED,
    ONE,
    ZERO,
    _fraction,
    cell_lines,
    credit_fraction,
    credits_cell,
    feedback_cell,
    feedback_lines,
    one_line,
    parse_credits,
    plain_number,
)


def _choice_items(stream) -> list[dict]:
    """The choices as plain dicts, read from the stream's stored data rather
    than through each block's Python value (a Decimal for a weight, only to
    be written out as text again): a fifth of the time per question, which
    a start of fifty questions spends on each of them."""
    items = []
    for index, item in enumerate(stream.raw_data):
        value = item.get("value") or {}
        weight = value.get("weight")
        items.append(
            {
                "id": item.get("id") or f"c{index}",
                "text": value.get("text") or "",
                "correct": bool(value.get("correct")),
                "weight": None if weight in (None, "") else plain_number(weight),
                "feedback": value.get("feedback") or "",
            }
        )
    return items


def _credit_label(fraction) -> str:
    return f"{plain_number(fraction * HUNDRED)}%"


class _ChoiceQuestion(Question):
    choices = StreamField(ChoicesStreamBlock(), verbose_name=gettext_lazy("choices"))
    shuffle_choices = models.BooleanField(
        gettext_lazy("shuffle choices"),
        default=True,
        help_text=gettext_lazy("Only when the exam also shuffles choices."),
    )

    panels = [
        *Question.common_panels,
        MultiFieldPanel(
            [FieldPanel("choices"), FieldPanel("shuffle_choices")],
            heading=gettext_lazy("Choices"),
        ),
        *Question.feedback_panels,
    ]

    class Meta:
        abstract = True

    def freeze(self, *, shuffle=False, rng=None):
        content, key = super().freeze()
        choices = _choice_items(self.choices)
        shown = list(choices)
        if shuffle and self.shuffle_choices:
            (rng or random).shuffle(shown)
        content["choices"] = [{"id": c["id"], "text": c["text"]} for c in shown]
        key["correct"] = [c["id"] for c in choices if c["correct"]]
        key["choices"] = {c["id"]: c["text"] for c in choices}
        key["feedback"] = {c["id"]: c["feedback"] for c in choices}
        return content, key

    @classmethod
    def _chosen(cls, answer: dict | None) -> set:
        raise NotImplementedError

    @classmethod
    def answer_widget(cls, content, answer):
        return {"chosen": cls._chosen(answer)}

    @classmethod
    def review_lines(cls, content, key, answer):
        chosen = cls._chosen(answer)
        weights = key.get("weights") or {}
        return [
            {
                "text": choice["text"],
                "chosen": choice["id"] in chosen,
                "correct": choice["id"] in key["correct"],
                "credit": _credit_label(Decimal(weights[choice["id"]]))
                if choice["id"] in weights
                else "",
                "feedback": key["feedback"].get(choice["id"], "")
                if choice["id"] in chosen
                else "",
            }
            for choice in content["choices"]
        ]

    def as_dict(self):
        data = super().as_dict()
        data["choices"] = [
            {k: c[k] for k in ("text", "correct", "feedback")}
            for c in _choice_items(self.choices)
        ]
        return data

    def set_answers(self, data):
        self.choices = [
            (
                "choice",
                {
                    "text": c["text"],
                    "correct": bool(c["correct"]),
                    "feedback": c.get("feedback", ""),
                },
            )
            for c in data["choices"]
        ]

    @classmethod
    def _row_choices(cls, cells, problem) -> tuple[list[str], list[str]] | None:
        answers = cell_lines(cells["Answers"])
        if len(answers) < 2:
            problem("Answers", _("give at least two choices, one per line."))
            return None
        return answers, feedback_lines(cells["Answer feedback"], len(answers))


class SingleChoiceQuestion(_ChoiceQuestion):
    """One correct choice, which earns full credit; another choice may earn
    partial credit (a weight such as 50%), as in Moodle."""

    type_code = "single_choice"
    type_label = gettext_lazy("Single choice")
    answer_keys = frozenset({"choice"})

    choices = StreamField(
        WeightedChoicesStreamBlock(), verbose_name=gettext_lazy("choices")
    )

    class Meta:
        verbose_name = gettext_lazy("single-choice question")
        verbose_name_plural = gettext_lazy("single-choice questions")

    def freeze(self, *, shuffle=False, rng=None):
        content, key = super().freeze(shuffle=shuffle, rng=rng)
        key["weights"] = {
            c["id"]: str(credit_fraction(c["weight"]))
            for c in _choice_items(self.choices)
            if not c["correct"] and c["weight"] and credit_fraction(c["weight"]) > 0
        }
        return content, key

    @classmethod
    def grade_frozen(cls, key, answer):
        chosen = (answer or {}).get("choice")
        if not chosen:
            return ZERO
        if chosen in key["correct"]:
            return ONE
        # Keys frozen before partial credit have no weights: right or wrong.
        weight = (key.get("weights") or {}).get(chosen)
        return Decimal(weight) if weight else ZERO

    @classmethod
    def is_answered(cls, answer):
        return bool((answer or {}).get("choice"))

    @classmethod
    def _chosen(cls, answer):
        choice = (answer or {}).get("choice")
        return {choice} if choice else set()

    @classmethod
    def clean_answer(cls, content, answer):
        if answer is None:
            return None
        choice = cls.check_answer_shape(answer).get("choice")
        if choice is not None and choice not in {c["id"] for c in content["choices"]}:
            raise ValidationError(_("That choice is not part of this question."))
        return {"choice": choice} if choice else None

    @classmethod
    def answer_from_post(cls, content, data):
        choice = data.get("choice")
        return {"choice": choice} if choice else None

    @classmethod
    def frequency_options(cls, content, key):
        return [
            (c["id"], c["text"], c["id"] in key["correct"]) for c in content["choices"]
        ]

    @classmethod
    def frequency_pick(cls, answer):
        return (answer or {}).get("choice")

    @classmethod
    def right_answer(cls, content, key):
        return {"choice": key["correct"][0]}

    @classmethod
    def wrong_answer(cls, content, key):
        weights = key.get("weights") or {}
        wrong = [c["id"] for c in content["choices"] if c["id"] not in key["correct"]]
        return {"choice": next((c for c in wrong if c not in weights), wrong[0])}

    def answer_problems(self):
        choices = _choice_items(self.choices)
        if sum(1 for c in choices if c["correct"]) != 1:
            return {"choices": _("Mark exactly one choice as correct.")}
        for choice in choices:
            weight = choice["weight"]
            if weight is None:
                continue
            if choice["correct"] and credit_fraction(weight) < ONE:
                return {
                    "choices": _(
                        "The correct choice earns full credit; leave its partial "
                        "credit empty."
                    )
                }
            if not choice["correct"] and credit_fraction(weight) >= ONE:
                return {
                    "choices": _(
                        "Partial credit is less than 100%%; “%(choice)s” earns "
                        "full credit, so mark it as the correct choice."
                    )
                    % {"choice": choice["text"]}
                }
        return {}

    def as_dict(self):
        data = super().as_dict()
        items = _choice_items(self.choices)
        for choice, item in zip(data["choices"], items, strict=True):
            if not item["correct"] and item["weight"] and item["weight"] != "0":
                choice["weight"] = item["weight"]
        return data

    def set_answers(self, data):
        self.choices = [
            (
                "choice",
                {
                    "text": c["text"],
                    "correct": bool(c["correct"]),
                    "weight": None
                    if c.get("weight") in (None, "") or c["correct"]
                    else c["weight"],
                    "feedback": c.get("feedback", ""),
                },
            )
            for c in data["choices"]
        ]

    @classmethod
    def to_row(cls, data):
        choices = data["choices"]
        weights = [
            HUNDRED
            if c["correct"]
            else (ZERO if c.get("weight") in (None, "") else Decimal(str(c["weight"])))
            for c in choices
        ]
        return {
            "Answers": "\n".join(one_line(c["text"]) for c in choices),
            "Correct": credits_cell(weights),
            "Answer feedback": feedback_cell([c.get("feedback", "") for c in choices]),
        }

    @classmethod
    def from_row(cls, cells, problem):
        found = cls._row_choices(cells, problem)
        if found is None:
            return {}
        answers, feedback = found
        credits = parse_credits(cells["Correct"], len(answers), problem)
        if credits is None:
            return {}
        full = [n for n, weight in credits.items() if weight >= HUNDRED]
        if len(full) != 1:
            problem(
                "Correct",
                _(
                    "name exactly one correct choice by its line number; others "
                    "may earn partial credit, such as 3, 2=50%."
                ),
            )
        choices = []
        for number, text in enumerate(answers, start=1):
            choice = {
                "text": text,
                "correct": number in full,
                "feedback": feedback[number - 1],
            }
            if number in credits and number not in full:
                choice["weight"] = plain_number(credits[number])
            choices.append(choice)
        return {"choices": choices}


class MultipleResponseQuestion(_ChoiceQuestion):
    """Several correct choices. Each right choice earns its share; each wrong
    one costs its share of the wrong ones; the total never goes below zero."""

    type_code = "multiple_response"
    type_label = gettext_lazy("Multiple response")
    answer_keys = frozenset({"choices"})

    class Meta:
        verbose_name = gettext_lazy("multiple-response question")
        verbose_name_plural = gettext_lazy("multiple-response questions")

    @classmethod
    def grade_frozen(cls, key, answer):
        chosen = set((answer or {}).get("choices") or [])
        correct = set(key["correct"])
        wrong = set(key["choices"]) - correct
        earned = _fraction(len(chosen & correct), len(correct))
        lost = _fraction(len(chosen & wrong), len(wrong)) if wrong else ZERO
        return max(earned - lost, ZERO)

    @classmethod
    def is_answered(cls, answer):
        return bool((answer or {}).get("choices"))

    @classmethod
    def _chosen(cls, answer):
        return set((answer or {}).get("choices") or [])

    @classmethod
    def clean_answer(cls, content, answer):
        if answer is None:
            return None
        chosen = cls.check_answer_shape(answer).get("choices") or []
        ids = {choice["id"] for choice in content["choices"]}
        if not isinstance(chosen, list) or not all(
            isinstance(c, str) and c in ids for c in chosen
        ):
            raise ValidationError(_("That choice is not part of this question."))
        return {"choices": sorted(set(chosen))}

    @classmethod
    def answer_from_post(cls, content, data):
        return {"choices": data.getlist("choices")}

    @classmethod
    def right_answer(cls, content, key):
        return {"choices": list(key["correct"])}

    @classmethod
    def wrong_answer(cls, content, key):
        ids = [choice["id"] for choice in content["choices"]]
        return {"choices": [next(c for c in ids if c not in key["correct"])]}

    def answer_problems(self):
        choices = _choice_items(self.choices)
        if sum(1 for c in choices if c["correct"]) < 1:
            return {"choices": _("Mark at least one choice as correct.")}
        return {}

    @classmethod
    def to_row(cls, data):
        choices = data["choices"]
        return {
            "Answers": "\n".join(one_line(c["text"]) for c in choices),
            "Correct": ", ".join(
                str(i) for i, c in enumerate(choices, 1) if c["correct"]
            ),
            "Answer feedback": feedback_cell([c.get("feedback", "") for c in choices]),
        }

    @classmethod
    def from_row(cls, cells, problem):
        found = cls._row_choices(cells, problem)
        if found is None:
            return {}
        answers, feedback = found
        credits = parse_credits(cells["Correct"], len(answers), problem)
        if credits is None:
            return {}
        if any(weight < HUNDRED for weight in credits.values()):
            problem(
                "Correct",
                _(
                    "partial credit (=50%) is for single-choice questions; name "
                    "the correct choices by line number, such as 1, 3."
                ),
            )
        if not credits:
            problem(
                "Correct", _("name the correct choices by line number, such as 1, 3.")
            )
        return {
            "choices": [
                {
                    "text": text,
                    "correct": number in credits,
                    "feedback": feedback[number - 1],
                }
                for number, text in enumerate(answers, start=1)
            ]
        }
