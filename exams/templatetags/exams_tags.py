"""Showing frozen questions: formatted text, review lines from the
question's own type, and the attempt page's question panel."""

from django import template
from django.utils.html import format_html_join
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
    current_mark = mark_safe(' aria-current="step"')
    return format_html_join(
        "",
        '<li><button form="question-form" type="submit" name="go" value="{0}" '
        'class="qnav__item{1}{2}{3}" data-position="{0}"{4}>{0}'
        '<span class="visually-hidden"> {5}{6}</span></button></li>',
        (
            (
                question.position,
                " is-answered" if question.answered else "",
                " is-flagged" if question.flagged else "",
                " is-current" if question.position == current else "",
                current_mark if question.position == current else "",
                answered if question.answered else unanswered,
                f", {flagged}" if question.flagged else "",
            )
            for question in questions
        ),
    )
