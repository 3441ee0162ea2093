"""Showing frozen questions: formatted text, review lines from the
question's own type, and the attempt page's question panel."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from ..models import formatted_html, question_type

register = template.Library()


@register.simple_tag
def review_lines(item: dict) -> list[dict]:
    content = item["content"]
    try:
        question_class = question_type(content["type"])
    except KeyError:
        return []
    return question_class.review_lines(content, item["key"], item["answer"] or {})


@register.filter
def formatted(text: str, text_format: str | None = None) -> SafeString:
    """Question text or feedback in its format, sanitised; plain text escaped."""
    return formatted_html(text, text_format)


@register.simple_tag
def question_nav(
    questions, current: int, answered: str, unanswered: str, flagged: str
) -> SafeString:
    """The attempt page's question panel: one button per question that saves
    the answer shown and moves to that question, marked answered, flagged
    and current (with the words for screen readers).

    Built here rather than in a template loop, which at some ten lookups a
    question took a fifth of the page's time; the page is loaded on every
    move between questions of every trainee in an exam.
    """
    answered, unanswered, flagged = (
        conditional_escape(label) for label in (answered, unanswered, flagged)
    )
    items = []
    for question in questions:
        number = int(question.position)
        classes = "".join(
            name
            for name, on in (
                (" is-answered", question.answered),
                (" is-flagged", question.flagged),
                (" is-current", number == current),
            )
            if on
        )
        state = answered if question.answered else unanswered
        items.append(
            _NAV_ITEM.format(
                number=number,
                classes=classes,
                current=' aria-current="step"' if number == current else "",
                state=f"{state}, {flagged}" if question.flagged else state,
            )
        )
    # Numbers, constant class names and the three labels, escaped above, are
    # all that vary.
    return mark_safe("".join(items))  # noqa: S308


_NAV_ITEM = (
    '<li><button form="question-form" type="submit" name="go" value="{number}" '
    'class="qnav__item{classes}" data-position="{number}"{current}>{number}'
    '<span class="visually-hidden"> {state}</span></button></li>'
)
