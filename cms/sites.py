"""The name of the Wagtail site serving a request, without asking the
database on every page.

Every page shows the site's name in its title and header. Finding the site
is a query (Wagtail matches the host and port, then falls back to the
default site), and on an exam day the attempt pages, which show nothing else
of the CMS, were paying it on every load. The name is cached per host and
port; saving or deleting a site starts a new generation of keys, so with a
shared cache (Redis) every server sees a rename at once, and with each
process's own cache within ``SITE_NAME_CACHE_SECONDS``.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Site

SITE_NAME_CACHE_SECONDS = 300
_GENERATION = "cms:site-name:generation"


def site_name_for(request) -> str:
    """The name of the site serving ``request`` ("" when it has none)."""
    found = getattr(request, "_wagtail_site", None)  # already found (a CMS page)
    if found is not None:
        return found.site_name
    generation = cache.get_or_set(_GENERATION, 0, None)
    # The host and port are what Wagtail matches a site on.
    key = f"cms:site-name:{generation}:{request.get_host()}:{request.get_port()}"
    name = cache.get(key)
    if name is None:
        site = Site.find_for_request(request)
        name = site.site_name if site is not None else ""
        cache.set(key, name, SITE_NAME_CACHE_SECONDS)
    return name


@receiver(post_save, sender=Site, dispatch_uid="cms-site-name-saved")
@receiver(post_delete, sender=Site, dispatch_uid="cms-site-name-deleted")
def _forget_site_names(**kwargs) -> None:
    try:
        cache.incr(_GENERATION)
    except ValueError:  # not set yet, or evicted: no name was cached under it
        cache.set(_GENERATION, 1, None)
