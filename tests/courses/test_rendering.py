"""Every page type renders for a visitor within a fixed query budget."""

import pytest

from cms.models import ContentPage, HomePage
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from tests.factories import (
    AD_MODULE_SLUGS,
    ContentPageFactory,
    LessonPageFactory,
    alcohol_drug_course,
    kps_course,
)

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


@pytest.fixture
def site_pages():
    """A page of every type: a content page, and a course with a class day of
    one lesson under the catalogue."""
    ContentPageFactory()
    kps_course(days=1, lessons_per_day=1)


@pytest.fixture
def shipped_site_text():
    """The home page and catalogue text as shipped in fixtures/site.toml."""
    from cms.services import LoadReport, home_page_content_load, home_page_get
    from courses.loaders import course_index_ensure
    from courses.management.commands.load_fixtures import read_toml

    site = read_toml("site.toml")
    index = course_index_ensure(
        home=home_page_get(), spec=site["catalogue"], report=LoadReport()
    )
    home_page_content_load(data=site, report=LoadReport(), call_to_action=index)


@pytest.mark.usefixtures("site_pages")
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
    small = kps_course(days=1, lessons_per_day=1)  # 1 module, 1 lesson
    large = alcohol_drug_course(modules=AD_MODULE_SLUGS)  # 12 modules, 14 lessons
    client.get(small.get_url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small_queries:
        client.get(small.get_url())
    with CaptureQueriesContext(connection) as large_queries:
        client.get(large.get_url())
    assert len(small_queries) == len(large_queries)


@pytest.mark.usefixtures("shipped_site_text")
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
    course = kps_course(days=2, lessons_per_day=2, is_sample=True)
    html = client.get(course.url).content.decode()
    assert "Sample curriculum." in html
    for module in ModulePage.objects.child_of(course):
        assert module.url in html
    lesson = LessonPage.objects.descendant_of(course).first()
    assert lesson.url in html


def test_lesson_page_links_to_previous_and_next_lessons_across_modules(client):
    course = kps_course(days=2, lessons_per_day=4)
    lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
    day_one_last = lessons[3]
    html = client.get(day_one_last.url).content.decode()
    assert f'href="{lessons[2].url}" rel="prev"' in html
    assert f'href="{lessons[4].url}" rel="next"' in html
    first = client.get(lessons[0].url).content.decode()
    assert 'rel="prev"' not in first


def test_unpublished_lesson_is_not_served_or_linked(client):
    lesson = LessonPageFactory()
    lesson.unpublish()
    assert client.get(lesson.url_path.replace("/home", "", 1)).status_code == 404
    module = lesson.get_parent()
    assert lesson.title not in client.get(module.url).content.decode()
