"""Short-answer questions (accepted answers with credits and feedback), and
what typed answers share with numerical and essay questions."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from ...blocks import AcceptedAnswersStreamBlock
from .base import Question, answer_shape_error
from .common import (
    HUNDRED,
    ONE,
    ZERO,
    cell_lines,
    credit_fraction,
    credits_cell,
    feedback_cell,
    feedback_lines,
    normalize_text,
    one_line,
    parse_credits,
    plain_number,
)

SHORT_ANSWER_LIMIT = 500


def _text_answer(answer, limit: int) -> dict:
    text = answer.get("text") or ""
    if not isinstance(text, str):
        raise answer_shape_error()
    if len(text) > limit:
        raise ValidationError(
            _("The answer is longer than %(limit)s characters.") % {"limit": limit}
        )
    return {"text": text}


def _best(entries: list[dict], matches) -> dict | None:
    """The matching entry worth the most credit (the first of equals)."""
    best = None
    for entry in entries:
        if matches(entry) and (
            best is None or Decimal(entry["fraction"]) > Decimal(best["fraction"])
        ):
            best = entry
    return best


def _credit_suffix(fraction) -> str:
    fraction = Decimal(fraction)
    return "" if fraction >= ONE else f" ({plain_number(fraction * HUNDRED)}%)"


def _weighted_rows(entries: list[dict], texts: list[str]) -> dict:
    weights = [Decimal(str(entry.get("weight", HUNDRED))) for entry in entries]
    return {
        "Answers": "\n".join(texts),
        # Every line at full credit is the common case: an empty cell says so.
        "Correct": "" if all(w >= HUNDRED for w in weights) else credits_cell(weights),
        "Answer feedback": feedback_cell([e.get("feedback", "") for e in entries]),
    }


def _row_credits(cells, count: int, problem) -> dict[int, Decimal] | None:
    """Credits per answer line; an empty Correct cell gives every line full
    credit, and at least one line must earn it."""
    credits = parse_credits(cells["Correct"], count, problem)
    if credits is None:
        return None
    if not credits:
        return dict.fromkeys(range(1, count + 1), HUNDRED)
    if not any(weight >= HUNDRED for weight in credits.values()):
        problem(
            "Correct",
            _("at least one answer must earn full credit; name its line alone."),
        )
    return credits


class ShortAnswerQuestion(Question):
    """Typed text, graded against accepted answers. Case and spacing never
    matter; each accepted answer has a credit (100% for a fully right one)
    and feedback, and the best matching one decides the grade."""

    type_code = "short_answer"
    type_label = gettext_lazy("Short answer")
    answer_keys = frozenset({"text"})

    answers = StreamField(
        AcceptedAnswersStreamBlock(),
        verbose_name=gettext_lazy("accepted answers"),
        help_text=gettext_lazy(
            "Case and spacing are ignored when grading. At least one answer "
            "earns full credit."
        ),
    )

    panels = [
        *Question.common_panels,
        FieldPanel("answers"),
        *Question.feedback_panels,
    ]

    class Meta:
        verbose_name = gettext_lazy("short-answer question")
        verbose_name_plural = gettext_lazy("short-answer questions")

    def accepted_list(self) -> list[dict]:
        return [
            {
                "text": block.value["text"].strip(),
                "weight": plain_number(
                    HUNDRED if block.value["weight"] is None else block.value["weight"]
                ),
                "feedback": block.value.get("feedback", ""),
            }
            for block in self.answers
            if block.value["text"].strip()
        ]

    def freeze(self, *, shuffle=False, rng=None):
        content, key = super().freeze()
        key["answers"] = [
            {
                "text": entry["text"],
                "fraction": str(credit_fraction(entry["weight"])),
                "feedback": entry["feedback"],
            }
            for entry in self.accepted_list()
        ]
        return content, key

    @staticmethod
    def _entries(key: dict) -> list[dict]:
        # Keys frozen before credits and feedback list the texts alone.
        if "answers" in key:
            return key["answers"]
        return [{"text": t, "fraction": "1", "feedback": ""} for t in key["accepted"]]

    @classmethod
    def _matching(cls, key, answer) -> dict | None:
        given = normalize_text((answer or {}).get("text") or "")
        if not given:
            return None
        return _best(cls._entries(key), lambda e: normalize_text(e["text"]) == given)

    @classmethod
    def grade_frozen(cls, key, answer):
        entry = cls._matching(key, answer)
        return ZERO if entry is None else Decimal(entry["fraction"])

    @classmethod
    def is_answered(cls, answer):
        return bool(normalize_text((answer or {}).get("text") or ""))

    @classmethod
    def clean_answer(cls, content, answer):
        if answer is None:
            return None
        return _text_answer(cls.check_answer_shape(answer), SHORT_ANSWER_LIMIT)

    @classmethod
    def answer_from_post(cls, content, data):
        return {"text": data.get("text", "")}

    @classmethod
    def right_answer(cls, content, key):
        best = max(cls._entries(key), key=lambda e: Decimal(e["fraction"]))
        return {"text": best["text"]}

    @classmethod
    def wrong_answer(cls, content, key):
        return {"text": "Something else entirely."}

    @classmethod
    def review_lines(cls, content, key, answer):
        entry = cls._matching(key, answer)
        accepted = "; ".join(
            e["text"] + _credit_suffix(e["fraction"])
            for e in cls._entries(key)
            if Decimal(e["fraction"]) > 0
        )
        return [
            {
                "text": _("Your answer: %(a)s") % {"a": (answer or {}).get("text", "")},
                "credit": _credit_suffix(entry["fraction"]).strip(" ()")
                if entry
                else "",
                "feedback": entry["feedback"] if entry else "",
            },
            {"text": _("Accepted: %(a)s") % {"a": accepted}, "correct": True},
        ]

    def answer_problems(self):
        accepted = self.accepted_list()
        if not accepted:
            return {"answers": _("Give at least one accepted answer.")}
        if not any(credit_fraction(entry["weight"]) >= ONE for entry in accepted):
            return {"answers": _("At least one accepted answer must earn 100%.")}
        return {}

    def as_dict(self):
        data = super().as_dict()
        data["accepted"] = self.accepted_list()
        return data

    def set_answers(self, data):
        self.answers = [
            (
                "answer",
                {"text": entry, "weight": HUNDRED, "feedback": ""}
                if isinstance(entry, str)
                else {
                    "text": entry["text"],
                    "weight": Decimal(str(entry.get("weight", HUNDRED))),
                    "feedback": entry.get("feedback", ""),
                },
            )
            for entry in data["accepted"]
        ]

    @classmethod
    def to_row(cls, data):
        entries = [{"text": e} if isinstance(e, str) else e for e in data["accepted"]]
        return _weighted_rows(entries, [one_line(e["text"]) for e in entries])

    @classmethod
    def from_row(cls, cells, problem):
        answers = cell_lines(cells["Answers"])
        if not answers:
            problem("Answers", _("give at least one accepted answer, one per line."))
            return {"accepted": []}
        credits = _row_credits(cells, len(answers), problem)
        if credits is None:
            return {}
        feedback = feedback_lines(cells["Answer feedback"], len(answers))
        return {
            "accepted": [
                {
                    "text": text,
                    "weight": plain_number(credits.get(number, ZERO)),
                    "feedback": feedback[number - 1],
                }
                for number, text in enumerate(answers, start=1)
            ]
        }
