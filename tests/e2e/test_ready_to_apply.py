"""A trainee logs a supervision session, their supervisor signs it, and the
supervision item of the "Ready to apply" checklist moves towards met."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from cms import roles
from courses.models import HourEntry, TotalHoursRequirement
from tests.factories import (
    CredentialFactory,
    log_session,
    make_agreement,
    supervision_domains,
    user_with_role,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "supervised-hours-2026"


def person(role, email, legal_name):
    user = user_with_role(role, email=email, legal_name=legal_name)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(page, email):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_signed_session_moves_the_supervision_item_towards_met(browser_page):
    credential = CredentialFactory(
        slug="adpss", name="Alcohol and Drug Peer Support Specialist"
    )
    TotalHoursRequirement.objects.create(
        credential=credential,
        kind=HourEntry.Kind.SUPERVISION,
        minimum_hours=Decimal(25),
        source_citation="201 KAR 35:070",
        effective_date=datetime.date(2026, 1, 1),
    )
    supervision_domains()
    trainee = person(roles.TRAINEE, "riley@example.org", "Riley Jordan Hart")
    supervisor = person(roles.SUPERVISOR, "morgan@example.org", "Morgan Lee Stone")
    agreement = make_agreement(trainee, supervisor, credential=credential)
    log_session(agreement, signed=True)  # one hour already counts
    page = browser_page

    sign_in(page, trainee.email)
    page.get_by_role("link", name="Ready to apply").first.click()
    item = page.locator(".requirement").filter(has_text="25 hours of supervision")
    expect(item.locator(".status-line")).to_contain_text("1 of 25 hours")
    expect(item).to_contain_text("Missing")

    page.get_by_role("link", name="My supervision").first.click()
    page.get_by_role("link", name="Morgan Lee Stone").first.click()
    page.get_by_role("link", name="Log a supervision session").click()
    page.locator("#id_date").fill("2026-03-02")
    page.locator("#id_minutes").fill("60")
    page.get_by_label("Advocacy").check()
    page.get_by_label("Type your full legal name to sign").fill(trainee.legal_name)
    page.get_by_label("I intend my typed name").check()
    page.get_by_role("button", name="Sign and save").click()

    sign_in(page, supervisor.email)
    page.goto("/supervision/")
    page.get_by_role("link", name="Session, 60 minutes").first.click()
    page.get_by_label("Type your full legal name to sign").fill(supervisor.legal_name)
    page.get_by_label("I intend my typed name").check()
    page.get_by_role("button", name="Sign", exact=True).click()

    sign_in(page, trainee.email)
    page.goto(f"/learning/apply/{credential.slug}/")
    item = page.locator(".requirement").filter(has_text="25 hours of supervision")
    expect(item.locator(".status-line")).to_contain_text("2 of 25 hours")
    expect(item.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "8")
