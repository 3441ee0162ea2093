"""The sign-in sheet upload refuses files that would tie up the server,
with a message, changing nothing."""

import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.models import Attendance, AttendanceUpload, HourEntry
from tests.workbooks import MB, bomb, forged_dimension_workbook, small_workbook

from .conftest import world_copies

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world_records, db):
    return world_copies(world_records)


def upload(client, session, data: bytes):
    return client.post(
        reverse("courses:sign_in_sheet_upload", args=[session.pk]),
        {"sheet": SimpleUploadedFile("sheet.xlsx", data)},
    )


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def nothing_changed(session) -> bool:
    return (
        not Attendance.objects.filter(session=session).exists()
        and not AttendanceUpload.objects.exists()
        and not HourEntry.objects.filter(source="attendance").exists()
    )


def test_a_decompression_bomb_is_refused_quickly_and_nothing_changes(client, world):
    client.force_login(world["trainer"])

    tracemalloc.start()
    started = time.process_time()
    response = upload(client, world["session"], bomb())
    seconds = time.process_time() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    assert response.status_code == 400
    assert "The workbook's part xl/sharedStrings.xml unpacks to 200.0\xa0MB" in text_of(
        response
    )
    assert nothing_changed(world["session"])
    assert seconds < 2
    assert peak < 10 * MB


def test_a_sheet_claiming_a_million_rows_and_columns_is_read_in_a_moment(client, world):
    """Before the limits, the parser padded every one of the million rows
    the sheet claimed to 16,384 columns and looked at each cell."""
    client.force_login(world["trainer"])
    data = forged_dimension_workbook(small_workbook([["Trainee ID", "Status"]]))

    started = time.process_time()
    response = upload(client, world["session"], data)

    assert time.process_time() - started < 2
    assert response.status_code == 400
    assert "Missing columns: Email, Legal name, Minutes present." in text_of(response)
    assert nothing_changed(world["session"])


def test_a_file_over_the_size_limit_is_refused(client, world, settings):
    settings.SIGN_IN_SHEET_MAX_SIZE = 1024
    client.force_login(world["trainer"])

    response = upload(client, world["session"], small_workbook())

    assert response.status_code == 400
    assert "the limit is 1.0\xa0KB." in text_of(response)
    assert nothing_changed(world["session"])
