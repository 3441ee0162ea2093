"""Every page type renders for a visitor within a fixed query budget."""

import pytest

from cms.models import ContentPage, HomePage
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage

pytestmark = pytest.mark.django_db

# Wagtail routes a URL one tree level at a time, so deeper pages cost a few
# more queries; none of these grows with the number of courses or lessons.
BUDGETS = {
    HomePage: 12,
    ContentPage: 14,
    CourseIndexPage: 14,
    CoursePage: 18,
    ModulePage: 18,
    LessonPage: 20,
}


@pytest.mark.parametrize("model", list(BUDGETS), ids=lambda m: m.__name__)
def test_page_type_renders_within_query_budget(
    client, model, django_assert_max_num_queries
):
    page = model.objects.live().first()
    url = page.get_url()
    client.get(url)  # warm the site-root cache as a running server would
    with django_assert_max_num_queries(BUDGETS[model]):
        response = client.get(url)
    assert response.status_code == 200
    assert page.title in response.content.decode()


def test_course_page_query_count_does_not_depend_on_module_count(
    client, django_assert_num_queries
):
    small = CoursePage.objects.get(slug="kps")  # 5 modules, 20 lessons
    large = CoursePage.objects.get(slug="alcohol-drug-peer-support")
    client.get(small.get_url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small_queries:
        client.get(small.get_url())
    with CaptureQueriesContext(connection) as large_queries:
        client.get(large.get_url())
    assert len(small_queries) == len(large_queries)


def test_home_page_explains_the_programs_and_links_to_the_catalogue(client):
    response = client.get("/")
    html = response.content.decode()
    assert "Kentucky Peer Specialist" in html
    assert "Alcohol and Drug Peer Support Specialist" in html
    catalogue = CourseIndexPage.objects.get()
    assert f'href="{catalogue.url}"' in html
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html


def test_course_page_shows_modules_lessons_and_the_sample_notice(client):
    course = CoursePage.objects.get(slug="kps")
    html = client.get(course.url).content.decode()
    assert "Sample curriculum." in html
    for module in ModulePage.objects.child_of(course):
        assert module.url in html
    lesson = LessonPage.objects.descendant_of(course).first()
    assert lesson.url in html


def test_lesson_page_links_to_previous_and_next_lessons_across_modules(client):
    course = CoursePage.objects.get(slug="kps")
    lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
    day_one_last = lessons[3]
    html = client.get(day_one_last.url).content.decode()
    assert f'href="{lessons[2].url}" rel="prev"' in html
    assert f'href="{lessons[4].url}" rel="next"' in html
    first = client.get(lessons[0].url).content.decode()
    assert 'rel="prev"' not in first


def test_unpublished_lesson_is_not_served_or_linked(client):
    lesson = LessonPage.objects.live().first()
    lesson.unpublish()
    assert client.get(lesson.url_path.replace("/home", "", 1)).status_code == 404
    module = lesson.get_parent()
    assert lesson.title not in client.get(module.url).content.decode()
