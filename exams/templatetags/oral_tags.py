"""Template helpers of the oral-exam pages."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse

from ..calendar import site_zone_name

register = template.Library()


@register.simple_tag
def site_zone() -> str:
    """The zone every time on the page is in, as people say it."""
    return site_zone_name()


@register.simple_tag
def oral_score_sheet_url(sitting) -> str:
    """The score sheet of an open sitting, where the scoring pages provide
    one (``exams:oral_score_sheet``); empty otherwise."""
    if not sitting:
        return ""
    try:
        return reverse("exams:oral_score_sheet", kwargs={"sitting_id": sitting.pk})
    except NoReverseMatch:
        return ""
