"""Property tests of the sign-in sheet upload: whatever the sheet's cells
hold, the parser answers with rows or problems naming a row and column,
never an exception, and a sheet with a problem changes nothing."""

import datetime
import random
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from courses.models import Attendance, AttendanceUpload, HourEntry
from courses.spreadsheets_attendance import (
    COLUMNS,
    HEADER_ROW,
    STATUS_LABELS,
    sign_in_sheet_build,
    sign_in_sheet_parse,
)
from tests.factories import seat

from .conftest import world_copies

pytestmark = pytest.mark.django_db

_ANY_CELL = st.one_of(
    st.none(),
    st.text(max_size=30).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s)),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=datetime.date(1900, 3, 1)),
    st.sampled_from([" ", "=1+1", "1e400", "12.0", "+3", "-0", "9" * 40]),
)
_STATUS = st.one_of(
    st.sampled_from([str(label) for label in STATUS_LABELS.values()]),
    st.sampled_from(list(STATUS_LABELS)),
    _ANY_CELL,
)
_MINUTES = st.one_of(st.integers(min_value=-5, max_value=400), _ANY_CELL)


@pytest.fixture
def world(world_records, db):
    return world_copies(world_records)


@pytest.fixture
def roster(world, make_user):
    extra = make_user("trainee", legal_name="Ada Byron")
    seat(world["cohort"], extra, world["trainer"])
    return [world["trainee"], extra]


@st.composite
def marks(draw, count: int = 2):
    """(trainee ID cell or None for the real one, status, minutes) per row."""
    return [
        (
            draw(st.one_of(st.none(), st.none(), _ANY_CELL)),
            draw(_STATUS),
            draw(_MINUTES),
        )
        for _ in range(count)
    ]


def filled(blank: bytes, rows) -> bytes:
    workbook = load_workbook(BytesIO(blank))
    sheet = workbook["Sign-in"]
    for offset, (trainee_id, status, minutes) in enumerate(rows, start=1):
        row = HEADER_ROW + offset
        if trainee_id is not None:
            sheet.cell(
                row=row, column=COLUMNS.index("Trainee ID") + 1
            ).value = trainee_id
        sheet.cell(row=row, column=COLUMNS.index("Status") + 1).value = status
        sheet.cell(row=row, column=COLUMNS.index("Minutes present") + 1).value = minutes
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _damaged(data: bytes, seed: int, flips: int) -> bytes:
    rng = random.Random(seed)
    damaged = bytearray(data)
    for _ in range(flips):
        damaged[rng.randrange(len(damaged))] = rng.randrange(256)
    return bytes(damaged)


@given(rows=marks())
def test_parse_answers_with_valid_rows_or_named_problems(world, roster, rows):
    session = world["session"]
    ids = {trainee.pk for trainee in roster}
    blank = sign_in_sheet_build(session=session, trainees=roster, attendance={})

    parsed, problems = sign_in_sheet_parse(
        data=filled(blank, rows), session=session, trainee_ids=ids
    )

    for problem in problems:
        assert problem.row is None or problem.row > HEADER_ROW
        assert problem.column is None or problem.column in COLUMNS
    for row in parsed:
        assert row.trainee_id in ids
        assert row.status in STATUS_LABELS
        assert 0 <= row.minutes <= session.duration_minutes


@given(data=st.one_of(st.binary(max_size=600), st.integers(), st.integers()))
def test_parse_of_any_bytes_never_raises(world, roster, data):
    session = world["session"]
    if isinstance(data, int):
        blank = sign_in_sheet_build(session=session, trainees=roster, attendance={})
        data = _damaged(blank, data, 1 + data % 20)

    parsed, problems = sign_in_sheet_parse(
        data=data, session=session, trainee_ids={t.pk for t in roster}
    )

    assert parsed or problems or data


def _attendance_state(session):
    return (
        list(Attendance.objects.filter(session=session).values_list("pk", "status")),
        AttendanceUpload.objects.count(),
        HourEntry.objects.count(),
    )


@given(rows=marks())
def test_the_upload_never_fails_and_a_bad_sheet_changes_nothing(
    client, world, roster, rows
):
    session = world["session"]
    client.force_login(world["trainer"])
    blank = sign_in_sheet_build(session=session, trainees=roster, attendance={})
    with transaction.atomic():
        before = _attendance_state(session)
        response = client.post(
            reverse("courses:sign_in_sheet_upload", args=[session.pk]),
            {"sheet": SimpleUploadedFile("sheet.xlsx", filled(blank, rows))},
        )
        assert response.status_code in (302, 400)
        if response.status_code == 400:
            assert _attendance_state(session) == before
        transaction.set_rollback(True)
