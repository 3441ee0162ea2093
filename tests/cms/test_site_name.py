"""The site's name in every page's title and header comes from a cache, so a
page outside the CMS (an exam attempt) does not look the site up on every
load, and a renamed site shows its new name at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import RequestContext, Template
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def site_queries(captured) -> list[str]:
    return [
        q["sql"] for q in captured.captured_queries if "wagtailcore_site" in q["sql"]
    ]


def rename_default_site(name: str) -> Site:
    site = Site.objects.get(is_default_site=True)
    site.site_name = name
    site.save()
    return site


def test_the_name_is_looked_up_once_per_host(rf):
    rename_default_site("Kentucky Peer Training")
    template = Template("{% load cms_tags %}{% site_name %}")
    assert template.render(RequestContext(rf.get("/"))) == "Kentucky Peer Training"
    with CaptureQueriesContext(connection) as captured:
        again = template.render(RequestContext(rf.get("/exams/")))
    assert again == "Kentucky Peer Training"
    assert site_queries(captured) == []
    other_host = rf.get("/", HTTP_HOST="other.example")
    with CaptureQueriesContext(connection) as captured:
        assert template.render(RequestContext(other_host)) == "Kentucky Peer Training"
    assert len(site_queries(captured)) == 1  # another host may be another site


def test_a_renamed_site_shows_its_new_name_at_once(client):
    rename_default_site("Old name")
    assert "Old name" in client.get(LOGIN).content.decode()
    rename_default_site("New name")
    page = client.get(LOGIN).content.decode()
    assert "New name" in page
    assert "Old name" not in page


def test_a_deleted_site_is_not_named_any_more(client):
    site = rename_default_site("Going away")
    assert "Going away" in client.get(LOGIN).content.decode()
    Site.objects.filter(pk=site.pk).first().delete()
    page = client.get(LOGIN).content.decode()
    assert "Going away" not in page
    assert "Peer Specialist Training" in page  # the name when no site serves
