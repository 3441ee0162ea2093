"""Numerical questions: values with a tolerance, or ranges, each with a
credit and feedback, as Moodle has them."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from ...blocks import NumericalAnswersStreamBlock
from .base import Question
from .common import (
    HUNDRED,
    ONE,
    ZERO,
    cell_lines,
    credit_fraction,
    feedback_lines,
    plain_number,
)
from .typed import _best, _credit_suffix, _row_credits, _text_answer, _weighted_rows

NUMBER_LIMIT = 100

# --- numbers --------------------------------------------------------------------

_SPACES = "\u0020\u00a0\u2009\u202f"
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:[eE][+-]?\d+)?")
_PLAIN = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_LARGEST = Decimal("1e15")


def parse_number(text: str) -> Decimal:
    """A trainee's number, read leniently but never guessed at.

    Spaces around it, a leading + and the Unicode minus sign are fine, and so
    are "1,822", "12,345.6" and "1 822": a comma (or a space) may only
    separate thousands, in groups of three. The decimal separator is the
    point; "3,14" is refused with a message rather than read as 314 or 3.14,
    since either guess could grade a right answer wrong. Exponents (1.5e3)
    are read as written.
    """
    cleaned = text.strip().replace("\u2212", "-")
    cleaned = re.sub(rf"(?<=\d)[{_SPACES}](?=\d{{3}}(?!\d))", ",", cleaned)
    if "," in cleaned:
        if not _GROUPED.fullmatch(cleaned):
            raise ValueError(
                _(
                    "“%(text)s” is not a number here: use a point for decimals "
                    "(3.14); a comma only separates thousands (1,822)."
                )
                % {"text": text.strip()}
            )
        cleaned = cleaned.replace(",", "")
    if not _PLAIN.fullmatch(cleaned):
        raise ValueError(
            _("“%(text)s” is not a number. Use digits, and a point for decimals.")
            % {"text": text.strip()}
        )
    try:
        value = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(_("“%(text)s” is not a number.") % {"text": text}) from None
    if abs(value) >= _LARGEST:
        raise ValueError(_("“%(text)s” is too large.") % {"text": text.strip()})
    return value


def _bounds(entry: dict) -> tuple[Decimal, Decimal]:
    if "minimum" in entry:
        return Decimal(str(entry["minimum"])), Decimal(str(entry["maximum"]))
    value = Decimal(str(entry["value"]))
    tolerance = Decimal(str(entry.get("tolerance") or 0))
    return value - tolerance, value + tolerance


def _label(entry: dict) -> str:
    if "minimum" in entry:
        return _("%(min)s to %(max)s") % {
            "min": plain_number(entry["minimum"]),
            "max": plain_number(entry["maximum"]),
        }
    tolerance = Decimal(str(entry.get("tolerance") or 0))
    value = plain_number(entry["value"])
    return value if not tolerance else f"{value} ± {plain_number(tolerance)}"


def _cell(entry: dict) -> str:
    """An answer line of the workbook: 1822, 1822 ± 2 or 3.141..3.142."""
    if "minimum" in entry:
        return f"{plain_number(entry['minimum'])}..{plain_number(entry['maximum'])}"
    return _label(entry)


_RANGE = re.compile(r"(.+?)\s*\.\.\s*(.+)")
_TOLERANCE = re.compile(r"(.+?)\s*(?:±|\+/-|:)\s*(.+)")


def _strict_number(text: str) -> Decimal:
    """A number in a workbook or import: digits and a point, no grouping."""
    if not _PLAIN.fullmatch(text.strip()):
        raise ValueError(text)
    return Decimal(text.strip())


def parse_numerical_line(line: str) -> dict:
    """ "1822", "1822 ± 2" (or "1822:2", Moodle's form) or "1820..1829" as an
    answer dict; ValueError when it is none of them."""
    ranged = _RANGE.fullmatch(line.strip())
    if ranged:
        low, high = _strict_number(ranged[1]), _strict_number(ranged[2])
        if low > high:
            raise ValueError(line)
        return {"minimum": plain_number(low), "maximum": plain_number(high)}
    toleranced = _TOLERANCE.fullmatch(line.strip())
    if toleranced:
        value, tolerance = _strict_number(toleranced[1]), _strict_number(toleranced[2])
        if tolerance < 0:
            raise ValueError(line)
        return {"value": plain_number(value), "tolerance": plain_number(tolerance)}
    return {"value": plain_number(_strict_number(line)), "tolerance": "0"}


class NumericalQuestion(Question):
    """A number, as in Moodle: several graded answers, each an exact value
    with a tolerance (±) or a range (minimum to maximum), each with a credit
    (100%, 50% …) and feedback. The best matching answer decides the grade.
    The trainee's input is read by ``parse_number``."""

    type_code = "numerical"
    type_label = gettext_lazy("Numerical")
    answer_keys = frozenset({"text"})

    answers = StreamField(
        NumericalAnswersStreamBlock(),
        verbose_name=gettext_lazy("answers"),
        help_text=gettext_lazy(
            "The best matching answer decides the grade; at least one earns 100%."
        ),
    )

    panels = [
        *Question.common_panels,
        FieldPanel("answers"),
        *Question.feedback_panels,
    ]

    class Meta:
        verbose_name = gettext_lazy("numerical question")
        verbose_name_plural = gettext_lazy("numerical questions")

    def answer_list(self) -> list[dict]:
        entries = []
        for block in self.answers:
            value = block.value
            if block.block_type == "range":
                entry = {
                    "minimum": plain_number(value["minimum"]),
                    "maximum": plain_number(value["maximum"]),
                }
            else:
                entry = {
                    "value": plain_number(value["value"]),
                    "tolerance": plain_number(value["tolerance"] or 0),
                }
            entry["weight"] = plain_number(
                HUNDRED if value["weight"] is None else value["weight"]
            )
            entry["feedback"] = value.get("feedback", "")
            entries.append(entry)
        return entries

    def freeze(self, *, shuffle=False, rng=None):
        content, key = super().freeze()
        key["answers"] = []
        for entry in self.answer_list():
            low, high = _bounds(entry)
            key["answers"].append(
                {
                    "min": plain_number(low),
                    "max": plain_number(high),
                    "label": _label(entry),
                    "fraction": str(credit_fraction(entry["weight"])),
                    "feedback": entry["feedback"],
                }
            )
        return content, key

    @classmethod
    def _matching(cls, key, answer) -> dict | None:
        value = (answer or {}).get("value")
        if value is None:
            return None
        number = Decimal(value)
        return _best(
            key["answers"],
            lambda e: Decimal(e["min"]) <= number <= Decimal(e["max"]),
        )

    @classmethod
    def grade_frozen(cls, key, answer):
        entry = cls._matching(key, answer)
        return ZERO if entry is None else Decimal(entry["fraction"])

    @classmethod
    def is_answered(cls, answer):
        return (answer or {}).get("value") is not None

    @classmethod
    def clean_answer(cls, content, answer):
        if answer is None:
            return None
        text = _text_answer(cls.check_answer_shape(answer), NUMBER_LIMIT)["text"]
        if not text.strip():
            return None
        try:
            value = parse_number(text)
        except ValueError as error:
            raise ValidationError(str(error)) from None
        return {"text": text.strip(), "value": plain_number(value)}

    @classmethod
    def answer_from_post(cls, content, data):
        return {"text": data.get("text", "")}

    @classmethod
    def right_answer(cls, content, key):
        best = max(key["answers"], key=lambda e: Decimal(e["fraction"]))
        return {"text": best["min"]}

    @classmethod
    def wrong_answer(cls, content, key):
        highest = max(Decimal(e["max"]) for e in key["answers"])
        return {"text": plain_number(highest + abs(highest) + 1000)}

    @classmethod
    def review_lines(cls, content, key, answer):
        entry = cls._matching(key, answer)
        accepted = "; ".join(
            e["label"] + _credit_suffix(e["fraction"])
            for e in key["answers"]
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
        entries = self.answer_list()
        if not entries:
            return {"answers": _("Give at least one answer.")}
        for entry in entries:
            low, high = _bounds(entry)
            if low > high:
                return {
                    "answers": _("The range %(range)s ends below where it starts.")
                    % {"range": _label(entry)}
                }
        if not any(credit_fraction(entry["weight"]) >= ONE for entry in entries):
            return {"answers": _("At least one answer must earn 100%.")}
        return {}

    def as_dict(self):
        data = super().as_dict()
        data["answers"] = self.answer_list()
        return data

    def set_answers(self, data):
        stream = []
        for entry in data["answers"]:
            common = {
                "weight": Decimal(str(entry.get("weight", HUNDRED))),
                "feedback": entry.get("feedback", ""),
            }
            if "minimum" in entry:
                stream.append(
                    (
                        "range",
                        {
                            "minimum": Decimal(str(entry["minimum"])),
                            "maximum": Decimal(str(entry["maximum"])),
                            **common,
                        },
                    )
                )
            else:
                stream.append(
                    (
                        "exact",
                        {
                            "value": Decimal(str(entry["value"])),
                            "tolerance": Decimal(str(entry.get("tolerance") or 0)),
                            **common,
                        },
                    )
                )
        self.answers = stream

    @classmethod
    def to_row(cls, data):
        return _weighted_rows(data["answers"], [_cell(e) for e in data["answers"]])

    @classmethod
    def from_row(cls, cells, problem):
        lines = cell_lines(cells["Answers"])
        if not lines:
            problem(
                "Answers",
                _("give at least one answer, such as 1822, 1822 ± 2 or 1820..1829."),
            )
            return {"answers": []}
        entries = []
        for line in lines:
            try:
                entries.append(parse_numerical_line(line))
            except (ValueError, InvalidOperation):
                problem(
                    "Answers",
                    _(
                        "'%(line)s' is not a number, a number ± a tolerance, or a "
                        "range such as 1820..1829 (use a point for decimals)."
                    )
                    % {"line": line},
                )
        if len(entries) != len(lines):
            return {"answers": entries}
        credits = _row_credits(cells, len(entries), problem)
        if credits is None:
            return {}
        feedback = feedback_lines(cells["Answer feedback"], len(entries))
        for number, entry in enumerate(entries, start=1):
            entry["weight"] = plain_number(credits.get(number, ZERO))
            entry["feedback"] = feedback[number - 1]
        return {"answers": entries}
