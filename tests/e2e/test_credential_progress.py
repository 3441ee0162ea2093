"""A trainee reads where they stand on each credential and follows a next step."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from cms import roles
from cms.models import User
from tests.factories import WrittenExamFactory, kps_course, kps_credential_rules

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def kps_training():
    """The KPS course of five class days, under its credential's four rules:
    18 or older, every day completed, the written test passed and 30 hours."""
    course = kps_course(days=5)
    exam = WrittenExamFactory(course=course, title="KPS written test")
    kps_credential_rules(course=course, exam=exam)
    return course


def test_trainee_sees_met_and_missing_rules_and_follows_the_next_step(
    browser_page, live_server, kps_training
):
    trainee = User.objects.create_user(
        email="sam@example.org",
        password="steady-river-morning-4",
        first_name="Sam",
        legal_name="Samuel Ortiz",
        date_of_birth=datetime.date(1988, 4, 2),
    )
    trainee.groups.add(Group.objects.get(name=roles.TRAINEE))
    page = browser_page
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("sam@example.org")
    page.locator("#id_password").fill("steady-river-morning-4")
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="My learning").click()
    kps = page.locator(".credential-progress").filter(
        has=page.get_by_role("heading", name="Kentucky Peer Specialist (KPS)")
    )
    expect(kps).to_contain_text("1 of 4 requirements met")
    age = kps.get_by_role("listitem").filter(has_text="18 or older")
    expect(age).to_contain_text("Met")
    expect(kps.get_by_role("progressbar", name="18 or older")).to_have_attribute(
        "aria-valuenow", "100"
    )
    modules = kps.get_by_role("listitem").filter(has_text="0 of 5 modules completed")
    expect(modules).to_contain_text("Missing")

    modules.get_by_role("link", name=re.compile(r"^Next: Day 1")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Day 1"))
