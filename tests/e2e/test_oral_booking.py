"""An examiner publishes a series of oral-exam slots in the browser; a
trainee who passed the written test books one and downloads the invitation."""

import datetime
from pathlib import Path

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cms import roles
from exams.models import Booking, Slot
from tests.factories import (
    PASSWORD,
    OralExamFactory,
    UserFactory,
    WrittenExamFactory,
    oral_ready_trainee,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_examiner_publishes_a_series_and_a_trainee_books_and_downloads_the_invite(
    browser_page,
):
    page = browser_page
    written = WrittenExamFactory(title="KPS written test")
    exam = OralExamFactory(
        course=written.course, written_exam=written, title="KPS oral test"
    )
    lead = UserFactory(role=roles.EXAMINER, first_name="Rosa", last_name="Delgado")
    second = UserFactory(role=roles.EXAMINER, first_name="Walt", last_name="Brennan")
    trainee = oral_ready_trainee(exam)

    sign_in(page, lead.email)
    page.get_by_role("link", name="Oral exams").first.click()
    page.get_by_role("link", name="Publish a series").click()
    expect(page.get_by_text("Enter times in Eastern time")).to_be_visible()
    for day in (
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ):
        page.get_by_label(day).check()
    first = timezone.localdate() + datetime.timedelta(days=3)
    page.get_by_label("From").fill(first.isoformat())
    page.get_by_label("For how many weeks").fill("1")
    page.get_by_label("First slot starts").fill("09:00")
    page.get_by_label("Last slot ends by").fill("10:00")
    page.get_by_label("A slot starts every (minutes)").fill("30")
    page.get_by_label("Place", exact=True).fill("275 E. Main Street, Frankfort")
    page.get_by_label("Walt Brennan").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("14 slots published.")).to_be_visible()
    assert Slot.objects.filter(oral_exam=exam).count() == 14
    sign_out(page)

    sign_in(page, trainee.email)
    page.goto("/exams/")
    page.get_by_role("link", name="KPS oral test").first.click()
    page.get_by_role("link", name="Choose a time").click()
    expect(page.get_by_text("Times are in Eastern time")).to_be_visible()
    page.get_by_role("button", name="Book").first.click()
    expect(page.get_by_text("Booked. A confirmation")).to_be_visible()
    booking = Booking.objects.get(trainee=trainee, status=Booking.Status.BOOKED)
    expect(page.locator("#booking")).to_contain_text("275 E. Main Street, Frankfort")
    expect(page.locator("#booking")).to_contain_text("Walt Brennan")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar").click()
    calendar = icalendar.Calendar.from_ical(
        Path(download_info.value.path()).read_bytes()
    )
    (event,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]).startswith(str(booking.uid))
    assert event.decoded("DTSTART") == booking.slot.starts_at
    assert second.email in {str(a).removeprefix("mailto:") for a in event["ATTENDEE"]}
