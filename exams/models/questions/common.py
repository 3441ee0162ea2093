"""What the question types share beyond the base model: credit arithmetic,
the text formats question text is written in (rendered and sanitised), and
the cells of the question-bank workbook."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import markdown
import nh3
from django.db import models
from django.template.defaultfilters import linebreaksbr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)


def normalize_text(value: str) -> str:
    """Case and spacing never decide a short answer."""
    return re.sub(r"\s+", " ", str(value)).strip().casefold()


def _fraction(numerator, denominator) -> Decimal:
    if not denominator:
        return ZERO
    value = Decimal(numerator) / Decimal(denominator)
    return min(max(value, ZERO), ONE).quantize(Decimal("0.0001"))


def credit_fraction(weight) -> Decimal:
    """A credit in percent (100, "50", None for none) as a fraction 0..1."""
    if weight in (None, ""):
        return ZERO
    return _fraction(Decimal(str(weight)), HUNDRED)


def plain_number(value) -> str:
    """A Decimal written plainly: 50, 0.5, 1800 (never 5E+1 or 50.00)."""
    value = Decimal(str(value)).normalize()
    return format(value, "f")


# --- text formats -------------------------------------------------------------


class TextFormat(models.TextChoices):
    PLAIN = "plain", gettext_lazy("Plain text")
    MARKDOWN = "markdown", gettext_lazy("Markdown")
    HTML = "html", gettext_lazy("HTML")


def formatted_html(text: str, text_format: str | None) -> SafeString:
    """Question text or feedback as HTML for a page.

    Plain text is escaped (line breaks kept); Markdown is rendered and HTML
    taken as written, and both are then sanitised, so whatever an author or
    an imported file wrote, no script, event handler or javascript: link
    reaches a trainee's page. Rendering happens here, on the way out, so
    even a stored text that was never checked is safe to show.
    """
    text = text or ""
    if text_format == TextFormat.MARKDOWN:
        return mark_safe(nh3.clean(markdown.markdown(text)))  # noqa: S308
    if text_format == TextFormat.HTML:
        return mark_safe(nh3.clean(text))  # noqa: S308
    return linebreaksbr(escape(text))


# --- spreadsheet cells (exams.bank_io) ---------------------------------------


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def cell_lines(value) -> list[str]:
    return [line.strip() for line in cell_text(value).splitlines() if line.strip()]


def one_line(value) -> str:
    """A text that must fit one line of a cell (one answer, one feedback)."""
    return " ".join(str(value or "").split())


def feedback_cell(feedback: list[str]) -> str:
    """One line per answer, "-" where an answer has none; empty if none has."""
    if not any(feedback):
        return ""
    return "\n".join(one_line(text) or "-" for text in feedback)


def feedback_lines(value, count: int) -> list[str]:
    lines = str(value or "").splitlines()
    found = []
    for index in range(count):
        line = lines[index].strip() if index < len(lines) else ""
        found.append("" if line == "-" else line)
    return found


_CREDIT_ENTRY = re.compile(r"(\d+)\s*(?:=\s*(-?[\d.]+)\s*%?)?")


def credits_cell(weights: list[Decimal]) -> str:
    """The Correct cell for answers with credits: "1, 3=50%" names line 1
    (full credit) and line 3 (half); lines not named earn nothing."""
    entries = []
    for number, weight in enumerate(weights, start=1):
        if weight >= HUNDRED:
            entries.append(str(number))
        elif weight > 0:
            entries.append(f"{number}={plain_number(weight)}%")
    return ", ".join(entries)


def parse_credits(value, count: int, problem) -> dict[int, Decimal] | None:
    """{line number: credit in percent} from a Correct cell such as
    "2" or "1, 3=50%"; None (after reporting) when it cannot be read."""
    credits: dict[int, Decimal] = {}
    for part in cell_text(value).replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        match = _CREDIT_ENTRY.fullmatch(part)
        try:
            number = int(match[1]) if match else 0
            weight = Decimal(match[2]) if match and match[2] else HUNDRED
        except InvalidOperation:
            number, weight = 0, ZERO
        if match is None or not 1 <= number <= count:
            problem(
                "Correct",
                _(
                    "'%(value)s' is not the number of an answer line (1 to %(n)s), "
                    "optionally with a credit such as 2=50%%."
                )
                % {"value": part, "n": count},
            )
            return None
        if not ZERO < weight <= HUNDRED:
            problem(
                "Correct",
                _("'%(value)s': a credit is more than 0%% and at most 100%%.")
                % {"value": part},
            )
            return None
        if number in credits:
            problem(
                "Correct",
                _("line %(n)s is named twice.") % {"n": number},
            )
            return None
        credits[number] = weight
    return credits
