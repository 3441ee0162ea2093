"""Navigation helpers for the site templates."""

import datetime
from importlib import import_module

from django import template
from django.apps import apps
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.models import Page, Site

from ..sites import site_name_for

register = template.Library()


@register.simple_tag(takes_context=True)
def site_name(context) -> str:
    """The name of the site serving this page, from the cache when it can
    be (``cms.sites``)."""
    request = context.get("request")
    return site_name_for(request) if request is not None else ""


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The live pages directly under the home page that are marked for menus.

    One query, cached on the request so the header and footer share it.
    """
    request = context.get("request")
    if request is None:
        return []
    cached = getattr(request, "_main_menu", None)
    if cached is not None:
        return cached
    site = Site.find_for_request(request)
    items = []
    if site is not None:
        items = list(
            Page.objects.live()
            .public()
            .in_menu()
            .child_of(site.root_page)
            .only("id", "title", "url_path", "path", "depth")
        )
    request._main_menu = items
    return items


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page):
    """Ancestors of the page below the site root, in one query."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return []
    return list(
        Page.objects.ancestor_of(page)
        .filter(depth__gte=site.root_page.depth)
        .only("id", "title", "url_path", "path", "depth")
    )


@register.filter
def is_active_for(menu_page, page):
    """True when ``page`` is ``menu_page`` or below it."""
    if page is None or not hasattr(page, "path"):
        return False
    return page.path.startswith(menu_page.path)


@register.simple_tag(takes_context=True)
def account_menu(context):
    """Links other apps register for the signed-in user (see cms.menus)."""
    from cms.menus import account_menu_links

    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return account_menu_links(request)


@register.simple_tag(takes_context=True)
def user_can(context, check: str, obj=None) -> bool:
    """``{% user_can "courses.verify_hours" as may_verify %}``, or with an
    object, ``{% user_can "courses.manage_cohort" cohort as may_run %}``.

    Calls the named app's ``permissions.user_can_<verb>`` for the signed-in
    person, so a template asks exactly what the views ask. The site knows no
    app: the template names it.
    """
    app_label, _dot, verb = check.partition(".")
    try:
        module = import_module(f"{apps.get_app_config(app_label).name}.permissions")
        predicate = getattr(module, f"user_can_{verb}")
    except (LookupError, ImportError, AttributeError) as error:
        raise template.TemplateSyntaxError(
            f"user_can: no check named {check!r}"
        ) from error
    request = context.get("request")
    if request is None:
        return False
    if obj is None:
        return predicate(request.user)
    return predicate(request.user, obj)


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def weekday_date(value) -> str:
    """ "Thursday, Dec. 10, 2026": the weekday's name, then the date in the
    active language's DATE_FORMAT."""
    if not value:
        return ""
    value = _local(value)
    return f"{date_format(value, 'l')}, {date_format(value, 'DATE_FORMAT')}"


@register.filter
def weekday_datetime(value) -> str:
    """ "Thursday, Dec. 10, 2026, 9 a.m.": the weekday's name, then the date and
    time in the active language's DATETIME_FORMAT, in the site's time zone."""
    if not value:
        return ""
    value = _local(value)
    return f"{date_format(value, 'l')}, {date_format(value, 'DATETIME_FORMAT')}"
