"""Navigation helpers for the site templates."""

from django import template
from wagtail.models import Page, Site

register = template.Library()


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
