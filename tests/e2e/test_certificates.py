"""A trainee completes the last requirement of a course, sees the
certificate appear, downloads its PDF, and an anonymous visitor verifies
the code."""

import datetime
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect
from pypdf import PdfReader

from cms import roles
from cms.models import User
from courses import services
from courses.models import Certificate
from tests.factories import (
    AgeRequirementFactory,
    ModuleCompletionRequirementFactory,
    course_with_modules,
    lessons_complete,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def nearly_done(settings, tmp_path):
    """An online course of two modules whose completion rule is every module
    and 18 or older; the trainee has done all but the last lesson."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    built = course_with_modules(
        ("online", 1), ("online", 2), title="Peer Ethics Online", slug="ethics"
    )
    owner = {"credential": None, "completion_of": built.course}
    AgeRequirementFactory(**owner)
    ModuleCompletionRequirementFactory(**owner, course=built.course)
    trainee = User.objects.create_user(
        email="sam@example.org",
        password="steady-river-morning-4",
        legal_name="Samuel Ortiz",
        date_of_birth=datetime.date(1988, 4, 2),
    )
    trainee.groups.add(Group.objects.get(name=roles.TRAINEE))
    services.enrollment_create(trainee=trainee, course=built.course)
    first, second = built.modules
    lessons_complete(trainee, built.lessons[first.pk])
    lessons_complete(trainee, built.lessons[second.pk][:1])
    return built.lessons[second.pk][1]


def test_completing_the_last_lesson_issues_a_certificate_anyone_can_verify(
    browser_page, live_server, nearly_done
):
    assert not Certificate.objects.exists()
    page = browser_page
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("sam@example.org")
    page.locator("#id_password").fill("steady-river-morning-4")
    page.get_by_role("button", name="Sign in").click()

    page.goto(nearly_done.url)
    page.get_by_role("button", name="Mark complete").click()
    expect(page.get_by_text("Module complete")).to_be_visible()

    page.get_by_role("link", name="My learning").click()
    new = page.get_by_role("region", name="New certificates")
    expect(new).to_contain_text("Peer Ethics Online")

    page.get_by_role("link", name="My certificates").first.click()
    card = page.get_by_role("article").filter(has_text="Peer Ethics Online")
    expect(card).to_contain_text("Valid")
    code = card.locator(".certificate-code").inner_text().strip()
    assert len(code.replace("-", "")) == 32

    with page.expect_download() as download_info:
        card.get_by_role("link", name="Download the PDF").click()
    data = Path(download_info.value.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Samuel Ortiz" in text and code in text

    # Anyone, signed in or not, checks the code on the public page.
    visitor = page.context.browser.new_context(base_url=live_server.url)
    try:
        anonymous = visitor.new_page()
        anonymous.goto("/verify/")
        anonymous.get_by_label("Verification code").fill(code.lower())
        anonymous.get_by_role("button", name="Verify").click()
        expect(anonymous.get_by_role("status")).to_contain_text(
            "This certificate is valid."
        )
        expect(anonymous.get_by_role("main")).to_contain_text("Samuel Ortiz")
        expect(anonymous.get_by_role("main")).to_contain_text("Peer Ethics Online")
        assert "sam@example.org" not in anonymous.content()
    finally:
        visitor.close()
