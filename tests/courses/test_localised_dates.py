"""Dates and times in the active language's formats, not one fixed style."""

import datetime
from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import load_workbook

from courses.spreadsheets_attendance import sign_in_sheet_build
from tests.factories import kps_course, make_cohort, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def class_day():
    cohort = make_cohort(
        kps_course(),
        name="KPS spring cohort",
        start_date=datetime.date(2025, 3, 3),
        end_date=datetime.date(2025, 3, 7),
    )
    return make_session(cohort, [], start="09:00", end="15:30")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en-us", "KPS spring cohort, March 3, 2025"),
        ("en-gb", "KPS spring cohort, 3 Mar 2025"),
        ("de", "KPS spring cohort, 3. März 2025"),
    ],
)
def test_a_class_day_is_named_by_its_date_in_the_active_language(
    class_day, language, expected
):
    with translation.override(language):
        assert str(class_day) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en-us", "9 a.m. to 3:30 p.m."), ("de", "09:00 to 15:30")],
)
def test_the_sign_in_sheet_gives_times_in_the_active_language(
    class_day, language, expected
):
    with translation.override(language):
        data = sign_in_sheet_build(session=class_day, trainees=[], attendance={})
    cell = load_workbook(BytesIO(data))["Sign-in"]["B4"].value
    assert cell.startswith(expected), cell
