"""Two examiners score an oral exam in the browser, each blind to the other
until they submit, and the trainee sees the panel's result."""

import pytest
from playwright.sync_api import expect

from exams.models import Sitting
from tests.factories import SittingFactory, panel_of, user_with_role

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "oral-password-123"


def person(group, email):
    user = user_with_role(group, email=email)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(page, email):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def score(page, sitting, points, comment):
    for criterion, value in zip(sitting.criteria, points, strict=True):
        page.locator(f"input[name=level_{criterion['key']}][value='{value}']").check()
    page.locator(f"#id_comment_{sitting.criteria[0]['key']}").fill(comment)


def test_two_examiners_score_and_the_trainee_sees_the_result(browser_page):
    lead = person("Examiners", "lead@example.org")
    second = person("Examiners", "second@example.org")
    trainee = person("Trainees", "sitter@example.org")
    sitting = SittingFactory(panel=[lead, second], lead=lead, trainee=trainee)
    assert panel_of(sitting)[0] == lead
    url = f"/exams/oral/sittings/{sitting.pk}/"
    page = browser_page

    sign_in(page, lead.email)
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(trainee.legal_name)
    score(page, sitting, [3, 3, 4], "LEAD: named all four dimensions.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved. Nobody else can see it.")).to_be_visible()
    page.get_by_role("button", name="Review and submit").click()
    expect(page.get_by_role("cell", name="Exemplary (4)")).to_be_visible()
    page.get_by_role("button", name="Submit my scores").click()
    expect(page.get_by_text("Scores submitted.")).to_be_visible()
    expect(page.get_by_text("Waiting for 1 more examiner to submit.")).to_be_visible()

    sign_in(page, second.email)
    page.goto(url)
    expect(page.get_by_role("heading", name="Your scores")).to_be_visible()
    expect(page.get_by_text("LEAD: named all four dimensions.")).to_have_count(0)
    score(page, sitting, [3, 3, 3], "SECOND: warm and clear.")
    page.get_by_role("button", name="Review and submit").click()
    page.get_by_role("button", name="Submit my scores").click()
    expect(page.get_by_text("LEAD: named all four dimensions.")).to_be_visible()
    expect(page.get_by_text("Passed", exact=True)).to_be_visible()

    sitting.refresh_from_db()
    assert sitting.state == Sitting.State.DECIDED

    sign_in(page, trainee.email)
    page.goto(f"/exams/oral/sittings/{sitting.pk}/result/")
    result = page.locator(".result")
    expect(result).to_contain_text("Passed")
    expect(result).to_contain_text("LEAD: named all four dimensions.")
    expect(result).to_contain_text("SECOND: warm and clear.")
    expect(result).not_to_contain_text("Exemplary")
