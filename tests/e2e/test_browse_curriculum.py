"""A visitor finds Day 1 of the KPS course by following links only."""

import re

import pytest

from tests.factories import (
    LessonPageFactory,
    course_index,
    home_page_fill,
    kps_course,
    lesson_body,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("kps_site"),
]


@pytest.fixture
def kps_site():
    """A home page that names the KPS program and leads to the catalogue, and
    the KPS course, whose Day 1 opens with a lesson on the four dimensions of
    recovery."""
    course = kps_course(days=2, lessons_per_day=0)
    home_page_fill(
        heading="Training for people who turn lived experience into support",
        text="<p>Train here for the Kentucky Peer Specialist credential.</p>",
        call_to_action=course_index(),
        label="Browse the courses",
    )
    day_one, day_two = course.get_children().specific()
    LessonPageFactory(
        parent=day_one,
        title="What recovery means",
        body=lesson_body(
            text="<p>SAMHSA describes four dimensions of recovery: health, "
            "home, purpose and community.</p>"
        ),
    )
    LessonPageFactory(parent=day_one, title="Ten guiding principles")
    LessonPageFactory(parent=day_two, title="What a peer specialist does")


def test_visitor_follows_links_from_home_to_a_kps_day_one_lesson(browser_page):
    page = browser_page
    page.goto("/")
    assert "Kentucky Peer Specialist" in page.content()

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Courses"
    ).click()
    page.get_by_role("link", name="Kentucky Peer Specialist Training").click()
    page.get_by_role("link", name=re.compile(r"^Day 1:")).first.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Day 1:")

    page.locator(".module-list").get_by_role("link").first.click()
    body = page.locator(".lesson-body").inner_text()
    assert "four dimensions of recovery" in body
    assert page.locator(".key-point").count() >= 1
    assert page.get_by_role("navigation", name="Breadcrumb").is_visible()


def test_site_is_usable_at_320_pixels_wide(browser_page):
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to main content" in focused
