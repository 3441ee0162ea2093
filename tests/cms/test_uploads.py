"""The upload limits every file meets before a parser reads it (cms/uploads.py).

Each hostile workbook is built here, small on the wire; the assertions are
that it is refused with a message saying why, quickly, and without the
memory reading it would have cost.
"""

import time
import tracemalloc
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from cms.uploads import (
    UploadRefused,
    check_size,
    check_workbook_archive,
    open_workbook,
    rebuild_workbook,
    sheet_rows,
)
from tests.workbooks import (
    MB,
    bomb,
    bomb_workbook,
    forged_dimension_workbook,
    many_members_workbook,
    padded_part_workbook,
    replace_part,
    sheet_xml,
    small_workbook,
    understated_workbook,
)

NOT_A_WORKBOOK = "The file is not an Excel workbook (.xlsx)."


def refusal(function, *args, **kwargs) -> str:
    with pytest.raises(UploadRefused) as caught:
        function(*args, **kwargs)
    return str(caught.value)


def measured(function, *args, **kwargs):
    """(result or exception, CPU seconds, peak bytes traced)."""
    tracemalloc.start()
    started = time.process_time()
    try:
        outcome = function(*args, **kwargs)
    except UploadRefused as error:
        outcome = error
    finally:
        seconds = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return outcome, seconds, peak


# Size -----------------------------------------------------------------------


def test_a_file_over_the_limit_is_refused_with_both_sizes():
    upload = SimpleUploadedFile("bank.xlsx", b"x" * 3000)

    assert (
        refusal(check_size, upload, limit=2048)
        == "The file is 2.9\xa0KB; the limit is 2.0\xa0KB."
    )


def test_an_empty_file_is_refused():
    assert refusal(check_size, b"", limit=10) == "The file is empty."


def test_a_file_within_the_limit_passes():
    check_size(SimpleUploadedFile("a.txt", b"abc"), limit=3)


# The zip directory --------------------------------------------------------


@pytest.mark.parametrize(
    "data", [b"not a zip at all", b"PK\x03\x04truncated", b"\x00" * 100]
)
def test_a_file_that_is_not_a_zip_is_not_a_workbook(data):
    assert refusal(check_workbook_archive, data) == NOT_A_WORKBOOK


def test_an_archive_of_an_unknown_zip_version_is_not_a_workbook():
    """Found by the fuzz tests: zipfile raises NotImplementedError here."""
    data = bytearray(small_workbook())
    entry = data.find(b"PK\x01\x02")
    data[entry + 6] = 0xFA  # "version needed to extract": 25.0

    assert refusal(open_workbook, bytes(data)) == NOT_A_WORKBOOK


def test_the_bomb_is_refused_from_the_zip_directory_in_little_time_and_memory():
    data = bomb()
    assert len(data) < 1 * MB  # small on the wire: 200 MB unpacked

    outcome, seconds, peak = measured(open_workbook, data)

    assert isinstance(outcome, UploadRefused)
    assert str(outcome) == (
        "The workbook's part xl/sharedStrings.xml unpacks to 200.0\xa0MB; the "
        "limit is 20.0\xa0MB. Split the data into smaller workbooks."
    )
    assert seconds < 0.5
    assert peak < 1 * MB


def test_parts_together_over_the_total_are_refused(settings):
    settings.UPLOAD_XLSX_MAX_UNPACKED_SIZE = 8000

    message = refusal(check_workbook_archive, small_workbook())

    assert message == (
        "The workbook unpacks to more than 7.8\xa0KB. Split the data into "
        "smaller workbooks."
    )


def test_a_part_compressed_far_beyond_any_spreadsheet_is_refused(settings):
    settings.UPLOAD_XLSX_MAX_PART_SIZE = 100 * MB
    settings.UPLOAD_XLSX_MAX_UNPACKED_SIZE = 100 * MB
    data = bomb_workbook(small_workbook(), megabytes=5)

    message = refusal(check_workbook_archive, data)

    assert message.startswith("The workbook's part xl/sharedStrings.xml is compressed ")
    assert message.endswith(
        "to 1; workbooks saved by a spreadsheet program stay under 100 to 1, so "
        "this file is refused."
    )


def test_a_workbook_of_too_many_parts_is_refused(settings):
    settings.UPLOAD_XLSX_MAX_PARTS = 20

    message = refusal(
        check_workbook_archive, many_members_workbook(small_workbook(), count=20)
    )

    assert message == (
        "The workbook is made of 29 parts; an Excel workbook has at most 20. "
        "Copy the sheet into a new workbook and upload that."
    )


def test_a_part_understating_its_size_is_only_read_that_far():
    """The directory says 1 KB and the part holds 50 MB: Python's zip
    reader stops at the declared size and fails the checksum, so the lie
    buys nothing."""
    data = understated_workbook(small_workbook(), megabytes=50)
    check_workbook_archive(data)  # the directory itself looks harmless

    outcome, seconds, peak = measured(open_workbook, data)

    assert isinstance(outcome, UploadRefused)
    assert str(outcome) == NOT_A_WORKBOOK
    assert seconds < 0.5
    assert peak < 2 * MB


def test_a_part_padded_past_its_declared_size_is_never_unpacked_past_it():
    """The directory declares the content types' true size and checksum, and
    50 MB of spaces follow in the stream. openpyxl reads that part whole,
    which unpacks everything before cutting it to size; the rebuilt
    workbook holds only what was declared."""
    data = padded_part_workbook(
        small_workbook(), name="[Content_Types].xml", megabytes=50
    )
    _workbook, _seconds, unguarded_peak = measured(
        load_workbook, BytesIO(data), read_only=True
    )
    assert unguarded_peak > 40 * MB

    workbook, seconds, peak = measured(open_workbook, data)

    try:
        assert rows_of_workbook(workbook) == [("Key", "Type"), ("a", "b")]
    finally:
        workbook.close()
    assert seconds < 1
    assert peak < 2 * MB


def rows_of_workbook(workbook) -> list[tuple]:
    return list(sheet_rows(workbook.active, max_rows=10, max_columns=2))


def test_an_ordinary_workbook_passes_every_check():
    workbook = open_workbook(small_workbook([["Key", "Type"], ["a", "b"]]))
    try:
        assert list(sheet_rows(workbook.active, max_rows=10, max_columns=3)) == [
            ("Key", "Type", None),
            ("a", "b", None),
        ]
    finally:
        workbook.close()


# Cells --------------------------------------------------------------------


def with_row_of_empty_cells(count: int) -> bytes:
    base = small_workbook()
    cells = '<c r="A3"/>' * count
    xml = sheet_xml(base).replace(
        "</sheetData>", f'<row r="3">{cells}</row></sheetData>'
    )
    return replace_part(base, "xl/worksheets/sheet1.xml", xml.encode())


def test_a_row_of_a_million_empty_cells_is_refused_before_openpyxl_builds_it(
    settings,
):
    # Loosened so that only the cell count can refuse it; read, this row
    # costs openpyxl minutes and a gigabyte.
    settings.UPLOAD_XLSX_MAX_COMPRESSION_RATIO = 10_000
    data = with_row_of_empty_cells(1_000_000)

    outcome, seconds, peak = measured(open_workbook, data)

    assert str(outcome) == (
        "Row 3 has more than 1000 cells; delete the columns you do not use and "
        "upload it again."
    )
    assert seconds < 2
    assert peak < 2 * MB


def test_a_sheet_of_too_many_cells_is_refused(settings):
    settings.UPLOAD_XLSX_MAX_CELLS = 100
    workbook = Workbook()
    for number in range(30):
        workbook.active.append([number, "a", "b", "c"])
    buffer = BytesIO()
    workbook.save(buffer)

    message = refusal(rebuild_workbook, buffer.getvalue())

    assert message == (
        "The workbook has a sheet of more than 100 cells; split the data into "
        "smaller workbooks."
    )


# Rows and columns -----------------------------------------------------------


def rows_of(data: bytes, **limits) -> list[tuple]:
    workbook = open_workbook(data)
    try:
        return list(sheet_rows(workbook.active, **limits))
    finally:
        workbook.close()


def test_a_value_in_the_row_after_the_limit_is_refused_naming_the_row():
    data = small_workbook([["Key"], ["a"], ["b"], ["c"]])

    message = refusal(rows_of, data, max_rows=3)

    assert message == (
        "The sheet has more than 3 rows (row 4 is filled in); upload at most 3 rows."
    )


def test_blank_rows_after_the_limit_are_not_read():
    data = small_workbook([["Key"], ["a"], [None], [None], ["far below"]])

    assert rows_of(data, max_rows=2, max_columns=1) == [("Key",), ("a",)]


def test_a_value_in_the_column_after_the_limit_is_refused_naming_it():
    data = small_workbook([["Key", "Type"], ["a", "b", "c", "d"]])

    message = refusal(rows_of, data, max_rows=10, max_columns=3)

    assert (
        message
        == "Row 2 has a value in column D; the sheet may use columns A to C only."
    )


def test_a_sheet_claiming_every_row_and_column_is_read_in_a_moment():
    """The dimension says A1:XFD1048576; openpyxl would build rows of 16,384
    cells and pad out a million rows."""
    data = forged_dimension_workbook(small_workbook())

    outcome, seconds, peak = measured(rows_of, data, max_rows=100, max_columns=5)

    assert outcome[:2] == [
        ("Key", "Type", None, None, None),
        ("a", "b", None, None, None),
    ]
    assert len(outcome) == 100
    assert seconds < 1
    assert peak < 2 * MB


def test_a_damaged_sheet_is_refused_when_its_rows_are_read():
    base = small_workbook()
    xml = sheet_xml(base).replace('<c r="A2"', '<c r="!!"')
    data = replace_part(base, "xl/worksheets/sheet1.xml", xml.encode())

    assert refusal(rows_of, data, max_rows=10) == "The workbook could not be read."
