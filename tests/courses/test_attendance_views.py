"""Recording attendance by form and by sign-in sheet, through the views."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from courses.models import Attendance, AttendanceUpload, HourEntry
from tests.factories import seat

from .conftest import world_copies

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world_records, db):
    """Every test here uses the world, so it is built once for the module."""
    return world_copies(world_records)


def ledger_total(user):
    """Hours credited by attendance (the world's trainee also has a pending
    certificate, which is not attendance)."""
    entries = HourEntry.objects.filter(trainee=user, source="attendance")
    return entries.aggregate(t=Sum("hours"))["t"] or 0


@pytest.fixture
def roster(world, make_user):
    extra = make_user("trainee", legal_name="Ada Byron")
    seat(world["cohort"], extra, world["trainer"])
    return [world["trainee"], extra]


def download(client, session):
    response = client.get(reverse("courses:sign_in_sheet", args=[session.pk]))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    return load_workbook(BytesIO(response.content))


def fill(workbook, marks):
    """marks: {trainee_id: (status label, minutes)}"""
    sheet = workbook["Sign-in"]
    header_row = next(
        row[0].row for row in sheet.iter_rows() if row[0].value == "Trainee ID"
    )
    headers = {cell.value: cell.column for cell in sheet[header_row]}
    for row in sheet.iter_rows(min_row=header_row + 1):
        trainee_id = row[headers["Trainee ID"] - 1].value
        if trainee_id in marks:
            status, minutes = marks[trainee_id]
            sheet.cell(row=row[0].row, column=headers["Status"], value=status)
            sheet.cell(row=row[0].row, column=headers["Minutes present"], value=minutes)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, session, data, name="sheet.xlsx"):
    return client.post(
        reverse("courses:sign_in_sheet_upload", args=[session.pk]),
        {"sheet": SimpleUploadedFile(name, data)},
    )


def test_sheet_round_trip_credits_the_ledger_once(client, world, roster):
    client.force_login(world["trainer"])
    session = world["session"]
    data = fill(
        download(client, session),
        {roster[0].pk: ("Present", 360), roster[1].pk: ("Left early", 240)},
    )

    response = upload(client, session, data)
    assert response.status_code == 302
    assert ledger_total(roster[0]) == Decimal("6.00")
    assert ledger_total(roster[1]) == Decimal("4.00")
    first = HourEntry.objects.count()

    again = upload(client, session, data)  # the same workbook, submitted twice
    assert again.status_code == 302
    assert HourEntry.objects.count() == first
    assert AttendanceUpload.objects.filter(session=session).count() == 1
    messages = [str(m) for m in again.wsgi_request._messages]
    assert any("already applied" in m for m in messages)

    # The downloaded sheet now shows the recorded marks.
    sheet = download(client, session)["Sign-in"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any(row[0] == roster[1].pk and row[4] == 240 for row in values)


def test_corrected_sheet_reverses_and_recredits(client, world, roster):
    client.force_login(world["trainer"])
    session = world["session"]
    upload(
        client,
        session,
        fill(download(client, session), {roster[0].pk: ("Present", 360)}),
    )
    upload(
        client, session, fill(download(client, session), {roster[0].pk: ("Late", 300)})
    )
    assert ledger_total(roster[0]) == Decimal("5.00")
    assert HourEntry.objects.filter(trainee=roster[0], hours__lt=0).count() == 1


@pytest.mark.parametrize(
    ("mark", "message"),
    [
        (("Present", "ninety"), "Minutes present: 'ninety' is not a whole number"),
        (("Sleeping", 30), "Status:"),
        (("Absent", 30), "an absent trainee has 0 minutes"),
        (("Present", 999), "is more than the 360 minutes"),
    ],
)
def test_bad_sheet_is_rejected_whole_with_row_and_column(
    client, world, roster, mark, message
):
    client.force_login(world["trainer"])
    session = world["session"]
    workbook = download(client, session)
    good = {roster[1].pk: ("Present", 360)}
    bad = {roster[0].pk: mark}
    response = upload(client, session, fill(workbook, {**good, **bad}))
    html = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 400
    assert "Row " in html
    assert message in html
    assert "nothing changed" in html
    assert not HourEntry.objects.filter(trainee__in=roster, source="attendance")
    assert not Attendance.objects.filter(session=session).exists()
    assert not AttendanceUpload.objects.exists()


def test_unknown_trainee_row_is_named(client, world, roster, make_user):
    client.force_login(world["trainer"])
    session = world["session"]
    workbook = download(client, session)
    sheet = workbook["Sign-in"]
    stranger = make_user("trainee")
    sheet.append([stranger.pk, stranger.email, "Someone", "Present", 60])
    buffer = BytesIO()
    workbook.save(buffer)
    response = upload(client, session, buffer.getvalue())
    html = response.content.decode()
    assert response.status_code == 400
    assert f"Trainee ID: {stranger.pk} is not a trainee in this cohort" in html
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "data",
    [b"", b"MZ\x90\x00 this is a program", b"%PDF-1.4 not a workbook", b"a,b,c\n1,2,3"],
)
def test_not_a_workbook_is_rejected(client, world, roster, data):
    client.force_login(world["trainer"])
    response = upload(client, world["session"], data, name="sheet.xlsx")
    assert response.status_code == 400
    html = response.content.decode()
    assert "not an Excel workbook" in html or "The submitted file is empty" in html
    assert not Attendance.objects.exists()


def test_wrong_columns_are_named(client, world, roster):
    from openpyxl import Workbook

    client.force_login(world["trainer"])
    workbook = Workbook()
    workbook.active.append(["Name", "Attended"])
    workbook.active.append(["Ada", "yes"])
    buffer = BytesIO()
    workbook.save(buffer)
    response = upload(client, world["session"], buffer.getvalue())
    html = response.content.decode()
    assert response.status_code == 400
    assert "Trainee ID" in html and "Minutes present" in html
    assert not Attendance.objects.exists()


def test_attendance_form_records_and_corrects(client, world, roster):
    client.force_login(world["trainer"])
    url = reverse("courses:session_detail", args=[world["session"].pk])
    first, second = roster
    response = client.post(
        url,
        {
            f"status_{first.pk}": "present",
            f"minutes_{first.pk}": "",
            f"status_{second.pk}": "absent",
            f"minutes_{second.pk}": "",
        },
    )
    assert response.status_code == 302
    assert ledger_total(first) == Decimal("6.00")
    assert ledger_total(second) == 0
    client.post(url, {f"status_{first.pk}": "left_early", f"minutes_{first.pk}": "90"})
    assert ledger_total(first) == Decimal("1.50")


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"status": "late", "minutes": ""}, "minutes", "Enter the minutes"),
        ({"status": "absent", "minutes": "30"}, "minutes", "0 minutes"),
        ({"status": "present", "minutes": "ninety"}, "minutes", "whole number"),
        ({"status": "present", "minutes": "9999"}, "minutes", "less than or equal"),
        ({"status": "nonsense", "minutes": "60"}, "status", "valid choice"),
        ({"status": "", "minutes": "60"}, "status", "Choose a status"),
    ],
)
def test_attendance_form_errors_name_the_field_and_change_nothing(
    client, world, roster, values, field, message
):
    client.force_login(world["trainer"])
    trainee = roster[0]
    response = client.post(
        reverse("courses:session_detail", args=[world["session"].pk]),
        {
            f"status_{trainee.pk}": values["status"],
            f"minutes_{trainee.pk}": values["minutes"],
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[f"{field}_{trainee.pk}"])
    assert not Attendance.objects.exists()
