import pytest
from wagtail.models import Page

from cms.models import ContentPage, HomePage
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from tests.factories import ContentPageFactory, course_index, kps_course

pytestmark = pytest.mark.django_db


def test_course_tree_allows_only_index_course_module_lesson():
    assert CourseIndexPage.allowed_subpage_models() == [CoursePage]
    assert CoursePage.allowed_subpage_models() == [ModulePage]
    assert ModulePage.allowed_subpage_models() == [LessonPage]
    assert LessonPage.allowed_subpage_models() == []


def test_curriculum_pages_cannot_be_placed_out_of_order():
    home = HomePage.objects.get()
    course = kps_course()
    module = ModulePage.objects.child_of(course).first()
    index = CourseIndexPage.objects.get()

    assert not CoursePage.can_create_at(home)
    assert not ModulePage.can_create_at(index)
    assert not ModulePage.can_create_at(home)
    assert not LessonPage.can_create_at(course)
    assert not LessonPage.can_create_at(home)
    assert ModulePage.can_create_at(course)
    assert LessonPage.can_create_at(module)


def test_only_one_catalogue_and_one_home_page():
    course_index()
    home = HomePage.objects.get()
    root = Page.objects.get(depth=1)
    assert not CourseIndexPage.can_create_at(home)  # max_count reached
    assert not HomePage.can_create_at(root)


def test_content_pages_nest_only_content_pages():
    assert ContentPage.allowed_subpage_models() == [ContentPage]
    about = ContentPageFactory(slug="about")
    assert not ModulePage.can_create_at(about)
