"""Showing frozen questions: formatted text, and review lines from the
question's own type."""

from django import template
from django.utils.safestring import SafeString

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
