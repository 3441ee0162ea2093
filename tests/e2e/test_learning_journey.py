"""A trainee signs up, enrolls, completes a module and sees its hours; a trainer
then records attendance and the trainee's hours change."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from cms.models import User
from courses.models import ModulePage
from tests.factories import (
    alcohol_drug_course,
    make_cohort,
    make_session,
    seat,
    user_with_role,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def ad_course():
    """A classroom ethics module and an online HIV module of two lessons,
    under a credential asking 16 hours of ethics and 2 of HIV."""
    return alcohol_drug_course()


def test_trainee_journey_from_sign_up_to_attendance(
    browser_page, live_server, ad_course
):
    page = browser_page
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email address").fill("jordan@example.org")
    page.get_by_label("First name you go by").fill("Jordan")
    page.get_by_label("Last name you go by").fill("Lee")
    page.get_by_label("Legal name").fill("Jordan Avery Lee")
    page.get_by_label("Date of birth").fill("1991-07-14")
    page.locator("#id_password1").fill("quiet-harbor-lantern-8")
    page.locator("#id_password2").fill("quiet-harbor-lantern-8")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    link = next(
        line.strip()
        for line in mail.outbox[-1].body.splitlines()
        if "/accounts/signup/confirm/" in line
    )
    parts = urlsplit(link)  # the email names the configured site, not the test's
    page.goto(f"{parts.path}?{parts.query}" if parts.query else parts.path)
    page.get_by_label("The password you chose").fill("quiet-harbor-lantern-8")
    page.get_by_role("button", name="Confirm and sign in").click()
    expect(page.get_by_text("Your trainee account is ready")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Courses"
    ).click()
    page.get_by_role(
        "link", name="Alcohol and Drug Peer Support Specialist Training"
    ).click()
    page.get_by_role("button", name="Enroll in the online modules").click()
    expect(page.get_by_text("You are enrolled")).to_be_visible()

    page.get_by_role("link", name=re.compile(r"^HIV:")).first.click()
    page.locator(".module-list a").first.click()
    page.get_by_role("button", name="Mark complete").click()
    expect(page.get_by_text("Lesson marked complete")).to_be_visible()
    page.get_by_role("button", name="Mark complete").click()
    expect(page.get_by_text("Module complete: 2 hours of HIV")).to_be_visible()

    page.get_by_role("link", name="My learning").click()
    hiv = page.get_by_role("progressbar", name="HIV")
    expect(hiv).to_have_attribute("aria-valuenow", "100")
    ethics = page.get_by_role("progressbar", name="Ethics")
    expect(ethics).to_have_attribute("aria-valuenow", "0")

    # A trainer runs a class day for the trainee's cohort.
    course = ad_course
    trainer = user_with_role("Trainers", email="coach@example.org")
    trainer.set_password("coach-password-123")
    trainer.save()
    trainee = User.objects.get(email="jordan@example.org")
    cohort = make_cohort(course, trainers=[trainer], name="Lexington cohort")
    module = ModulePage.objects.child_of(course).get(slug="ethics-foundations")
    make_session(cohort, [module])
    seat(cohort, trainee, trainer)

    context = page.context.browser.new_context(base_url=live_server.url)
    trainer_page = context.new_page()
    sign_in(trainer_page, "coach@example.org", "coach-password-123")
    trainer_page.get_by_role("link", name="Teaching").click()
    trainer_page.get_by_role("link", name="Lexington cohort").click()
    trainer_page.locator("a[href*='/teaching/days/']").first.click()
    trainer_page.get_by_label("Status for Jordan Avery Lee").select_option("late")
    trainer_page.get_by_label("Minutes present for Jordan Avery Lee").fill("240")
    trainer_page.get_by_role("button", name="Save attendance").click()
    expect(
        trainer_page.get_by_text("Attendance saved: 1 marks changed")
    ).to_be_visible()
    context.close()

    page.reload()
    ethics = page.get_by_role("progressbar", name="Ethics")
    expect(ethics).to_have_attribute("aria-valuenow", "25")  # 4 of 16 hours
    page.get_by_role("navigation", name="Account").get_by_role(
        "link", name="My hours"
    ).click()
    expect(page.locator("table.ledger")).to_contain_text("Class attendance")
