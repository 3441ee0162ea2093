import datetime
import random
import zipfile
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from courses.models import Attendance, ClassSession, Cohort, ModulePage
from courses.spreadsheets_attendance import (
    COLUMNS,
    STATUS_LABELS,
    SheetProblem,
    SheetRow,
    sign_in_sheet_build,
    sign_in_sheet_parse,
)
from tests.factories import kps_course
from tests.shared import fresh, module_transaction

pytestmark = pytest.mark.django_db

NOT_A_WORKBOOK = "The file is not an Excel workbook (.xlsx)."
ENTER_STATUS = "enter Present, Late, Left early or Absent"


@pytest.fixture(scope="module")
def kps_record(request, django_db_setup, django_db_blocker):
    """The KPS course with its Day 1, built once for the module."""
    with module_transaction(request, django_db_blocker):
        yield kps_course(lessons_per_day=0)


@pytest.fixture
def session(kps_record, db):
    course = fresh(kps_record)
    cohort = Cohort.objects.create(
        course=course,
        name="KPS spring cohort",
        start_date=datetime.date(2025, 3, 3),
        end_date=datetime.date(2025, 3, 7),
        capacity=10,
    )
    session = ClassSession.objects.create(
        cohort=cohort,
        date=datetime.date(2025, 3, 3),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(15, 0),
    )
    session.modules.add(ModulePage.objects.child_of(course).get(slug="day-1"))
    return session


@pytest.fixture
def trainees(make_user):
    return [
        make_user("trainee", legal_name="Ada Alvarez", email="ada@example.org"),
        make_user("trainee", legal_name="Ben Brown", email="ben@example.org"),
        make_user("trainee", legal_name="Cy Chen", email="cy@example.org"),
    ]


@pytest.fixture
def ids(trainees):
    return {trainee.pk for trainee in trainees}


@pytest.fixture
def blank_sheet(session, trainees):
    return sign_in_sheet_build(session=session, trainees=trainees, attendance={})


def fill(data: bytes, cells: dict[str, object]) -> bytes:
    """The workbook with the given cells (e.g. {"D7": "Present"}) set."""
    workbook = load_workbook(BytesIO(data))
    sheet = workbook["Sign-in"]
    for coordinate, value in cells.items():
        sheet[coordinate] = value
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_bytes(rows: list[list], title: str = "Sheet") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parse(data, session, ids):
    return sign_in_sheet_parse(data=data, session=session, trainee_ids=ids)


# Building -----------------------------------------------------------------


def test_sheet_has_class_day_header_columns_and_one_row_per_trainee(
    session, trainees, blank_sheet
):
    workbook = load_workbook(BytesIO(blank_sheet))
    assert workbook.sheetnames == ["Sign-in"]
    sheet = workbook["Sign-in"]

    assert sheet["B1"].value == "KPS spring cohort"
    assert sheet["B2"].value == session.cohort.course.title
    assert sheet["B3"].value.date() == datetime.date(2025, 3, 3)
    # Times in the active language's format (en-us: "9 a.m.").
    assert sheet["B4"].value == "9 a.m. to 3 p.m. (360 minutes)"
    assert [cell.value for cell in sheet[6]] == list(COLUMNS)
    assert all(cell.font.bold for cell in sheet[6])

    body = list(sheet.iter_rows(min_row=7, values_only=True))
    assert body == [
        (trainee.pk, trainee.email, trainee.legal_name, None, None)
        for trainee in trainees
    ]
    assert sheet.freeze_panes == "A7"
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width


def test_sheet_validates_status_list_and_minutes_up_to_the_class_day(blank_sheet):
    sheet = load_workbook(BytesIO(blank_sheet))["Sign-in"]
    validations = {dv.type: dv for dv in sheet.data_validations.dataValidation}

    status = validations["list"]
    assert str(status.sqref) == "D7:D9"
    assert status.formula1 == '"Present,Late,Left early,Absent"'

    minutes = validations["whole"]
    assert str(minutes.sqref) == "E7:E9"
    assert (minutes.operator, minutes.formula1, minutes.formula2) == (
        "between",
        "0",
        "360",
    )


def test_existing_attendance_is_prefilled(session, trainees, make_user):
    ben = trainees[1]
    mark = Attendance.objects.create(
        session=session,
        trainee=ben,
        status=Attendance.Status.LEFT_EARLY,
        minutes_present=240,
        recorded_by=make_user("trainer"),
        recorded_at=timezone.now(),
    )

    data = sign_in_sheet_build(
        session=session, trainees=trainees, attendance={ben.pk: mark}
    )

    sheet = load_workbook(BytesIO(data))["Sign-in"]
    assert [
        (row[0], row[3], row[4]) for row in sheet.iter_rows(min_row=7, values_only=True)
    ] == [
        (trainees[0].pk, None, None),
        (ben.pk, "Left early", 240),
        (trainees[2].pk, None, None),
    ]
    # The prefilled mark reads back as the same mark.
    assert parse(data, session, {t.pk for t in trainees}) == (
        [SheetRow(8, ben.pk, "left_early", 240)],
        [],
    )


def test_a_name_starting_with_equals_stays_text_not_a_formula(session, make_user):
    trainee = make_user("trainee", legal_name='=HYPERLINK("http://x.test","y")')

    data = sign_in_sheet_build(session=session, trainees=[trainee], attendance={})

    cell = load_workbook(BytesIO(data))["Sign-in"]["C7"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://x.test","y")'


def test_status_labels_map_every_attendance_status():
    assert dict(STATUS_LABELS) == {
        "present": "Present",
        "late": "Late",
        "left_early": "Left early",
        "absent": "Absent",
    }


# Parsing ------------------------------------------------------------------


def test_filled_sheet_round_trips_to_sheet_rows(session, trainees, ids, blank_sheet):
    data = fill(
        blank_sheet,
        {"D7": "Present", "E7": 360, "D8": "Late", "E8": 300, "D9": "Absent"},
    )

    rows, problems = parse(data, session, ids)

    assert problems == []
    assert rows == [
        SheetRow(row=7, trainee_id=trainees[0].pk, status="present", minutes=360),
        SheetRow(row=8, trainee_id=trainees[1].pk, status="late", minutes=300),
        SheetRow(row=9, trainee_id=trainees[2].pk, status="absent", minutes=0),
    ]


@pytest.mark.parametrize(
    "typed", ["Left early", "left_early", "LEFT-EARLY", "  left   Early ", "Left_Early"]
)
def test_status_matches_labels_and_values_in_any_case_and_spelling(
    session, trainees, ids, blank_sheet, typed
):
    data = fill(blank_sheet, {"D7": typed, "E7": 200})

    assert parse(data, session, ids) == (
        [SheetRow(7, trainees[0].pk, "left_early", 200)],
        [],
    )


def test_whole_numbers_may_be_floats_or_digit_text(session, trainees, ids):
    ada = trainees[0]
    data = workbook_bytes([list(COLUMNS), [f" {ada.pk} ", "", "", "Present", 90.0]])

    assert parse(data, session, ids) == ([SheetRow(2, ada.pk, "present", 90)], [])


def test_reordered_columns_on_another_sheet_still_parse(session, trainees, ids):
    ada, ben, _cy = trainees
    data = workbook_bytes(
        [
            ["Attendance for March 3"],
            [],
            ["minutes present", "Notes", "STATUS", "Legal name", "Email", "trainee id"],
            [120, "came back", "late", "Ada", "ada@example.org", ada.pk],
            [0, "", "absent", "Ben", "ben@example.org", ben.pk],
        ],
        title="Sheet1",
    )

    assert parse(data, session, ids) == (
        [SheetRow(4, ada.pk, "late", 120), SheetRow(5, ben.pk, "absent", 0)],
        [],
    )


def test_blank_rows_are_skipped_and_row_numbers_stay_real(session, trainees, ids):
    ada, ben, _cy = trainees
    data = workbook_bytes(
        [
            list(COLUMNS),
            [],
            [ada.pk, "", "", "Present", 360],
            ["", "  ", None, "", " "],
            [],
            [ben.pk, "", "", "Absent", 0],
        ]
    )

    assert parse(data, session, ids) == (
        [SheetRow(3, ada.pk, "present", 360), SheetRow(6, ben.pk, "absent", 0)],
        [],
    )


def test_trainees_not_yet_marked_are_skipped(session, trainees, ids, blank_sheet):
    data = fill(blank_sheet, {"D8": "late", "E8": 45})

    assert parse(data, session, ids) == (
        [SheetRow(8, trainees[1].pk, "late", 45)],
        [],
    )


def test_absent_with_blank_minutes_means_zero(session, trainees, ids, blank_sheet):
    data = fill(blank_sheet, {"D9": "Absent"})

    assert parse(data, session, ids) == (
        [SheetRow(9, trainees[2].pk, "absent", 0)],
        [],
    )


UNKNOWN_ID = 987654321


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (
            {"D7": "Present", "E7": "ninety"},
            "Minutes present",
            "'ninety' is not a whole number",
        ),
        (
            {"D7": "Present", "E7": 90.5},
            "Minutes present",
            "90.5 is not a whole number",
        ),
        (
            {"D7": "Present", "E7": 500},
            "Minutes present",
            "500 is more than the 360 minutes of the class day",
        ),
        ({"D7": "Late", "E7": -5}, "Minutes present", "must be 0 or more"),
        ({"D7": "Late", "E7": "-5"}, "Minutes present", "must be 0 or more"),
        (
            {"D7": "Absent", "E7": 30},
            "Minutes present",
            "an absent trainee has 0 minutes",
        ),
        (
            {"D7": "Present", "E7": 0},
            "Minutes present",
            "a trainee marked Present needs more than 0 minutes",
        ),
        (
            {"D7": "Left early"},
            "Minutes present",
            "enter the minutes the trainee was present",
        ),
        ({"E7": 60}, "Status", ENTER_STATUS),
        (
            {"D7": "Here", "E7": 60},
            "Status",
            f"'Here' is not a status; {ENTER_STATUS}",
        ),
        (
            {"A7": UNKNOWN_ID, "D7": "Present", "E7": 60},
            "Trainee ID",
            f"{UNKNOWN_ID} is not a trainee in this cohort",
        ),
        (
            {"A7": "abc", "D7": "Present", "E7": 60},
            "Trainee ID",
            "'abc' is not a whole number",
        ),
        (
            {"A7": None, "D7": "Present", "E7": 60},
            "Trainee ID",
            "enter the trainee's ID",
        ),
    ],
)
def test_a_bad_value_is_reported_with_its_row_and_column(
    session, ids, blank_sheet, cells, column, message
):
    assert UNKNOWN_ID not in ids
    data = fill(blank_sheet, cells)

    rows, problems = parse(data, session, ids)

    assert rows == []
    assert problems == [SheetProblem(row=7, column=column, message=message)]
    assert str(problems[0]) == f"Row 7, {column}: {message}"


def test_the_same_trainee_twice_is_reported_on_the_second_row(
    session, trainees, ids, blank_sheet
):
    ada = trainees[0]
    data = fill(
        blank_sheet,
        {"D7": "Present", "E7": 360, "A9": ada.pk, "D9": "Late", "E9": 100},
    )

    rows, problems = parse(data, session, ids)

    assert [str(problem) for problem in problems] == [
        f"Row 9, Trainee ID: {ada.pk} appears more than once (first on row 7)"
    ]
    assert rows == [SheetRow(7, ada.pk, "present", 360)]


def test_every_problem_is_reported_at_once(session, ids, blank_sheet):
    data = fill(
        blank_sheet,
        {
            "D7": "Present",
            "E7": "ninety",
            "D8": "Absent",
            "E8": 10,
            "D9": "Maybe",
            "E9": 60,
        },
    )

    rows, problems = parse(data, session, ids)

    assert rows == []
    assert [str(problem) for problem in problems] == [
        "Row 7, Minutes present: 'ninety' is not a whole number",
        "Row 8, Minutes present: an absent trainee has 0 minutes",
        f"Row 9, Status: 'Maybe' is not a status; {ENTER_STATUS}",
    ]


def test_one_row_can_have_a_problem_in_each_column(session, ids, blank_sheet):
    data = fill(blank_sheet, {"A7": "x1", "D7": "Here", "E7": 999})

    _rows, problems = parse(data, session, ids)

    assert [(problem.row, problem.column) for problem in problems] == [
        (7, "Trainee ID"),
        (7, "Status"),
        (7, "Minutes present"),
    ]


def test_a_missing_column_is_named(session, trainees, ids):
    data = workbook_bytes(
        [
            ["Trainee ID", "Email", "Legal name", "Status", "Minutes"],
            [trainees[0].pk, "", "", "Present", 60],
        ]
    )

    rows, problems = parse(data, session, ids)

    assert rows == []
    assert [str(problem) for problem in problems] == [
        "Missing column: Minutes present."
    ]
    assert problems[0].row is None


def test_a_sheet_without_any_of_the_columns_lists_them_all(session, ids):
    data = workbook_bytes([["Name", "Signature"], ["Ada", "A.A."]])

    assert parse(data, session, ids) == (
        [],
        [
            SheetProblem(
                None,
                None,
                "The header row must have the columns: Trainee ID, Email, "
                "Legal name, Status, Minutes present.",
            )
        ],
    )


def test_the_header_is_looked_for_only_in_the_first_twenty_rows(session, ids):
    data = workbook_bytes([["filler"]] * 20 + [list(COLUMNS)])

    _rows, problems = parse(data, session, ids)

    assert [problem.message for problem in problems] == [
        "The header row must have the columns: Trainee ID, Email, "
        "Legal name, Status, Minutes present."
    ]


def _zip_of_text() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        random.Random(7).randbytes(4096),
        b"MZ\x90\x00\x03\x00\x00\x00" + random.Random(8).randbytes(2048),
        b"",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        _zip_of_text(),
    ],
    ids=["random", "renamed-exe", "empty", "pdf", "zip-of-text"],
)
def test_a_file_that_is_not_a_workbook_is_one_problem(session, ids, data):
    rows, problems = parse(data, session, ids)

    assert rows == []
    assert problems == [SheetProblem(None, None, NOT_A_WORKBOOK)]
    assert str(problems[0]) == NOT_A_WORKBOOK


def test_a_huge_sheet_is_refused_naming_the_first_row_past_the_limit(
    session, trainees, ids, settings
):
    settings.SIGN_IN_SHEET_MAX_ROWS = 50
    data = workbook_bytes([list(COLUMNS)] + [[trainees[0].pk, "", "", "", ""]] * 50)

    rows, problems = parse(data, session, ids)

    assert rows == []
    assert [problem.message for problem in problems] == [
        "The sheet has more than 50 rows (row 51 is filled in); upload at most 50 rows."
    ]
