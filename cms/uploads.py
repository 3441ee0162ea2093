"""Limits every uploaded file meets before anything reads it.

An .xlsx workbook is a zip archive of XML parts. A few hundred kilobytes of
zip can unpack to gigabytes (one shared-strings part of a repeated letter
compresses a thousandfold), and openpyxl reads every shared string into
memory before the first row. So the archive's own directory is checked
first (how many parts, how large each says it unpacks to, the total, how
tightly each is compressed); then every part is unpacked in small pieces,
never past its declared size, its cells counted, and packed again for
openpyxl; rows and columns are capped while the sheet is streamed
(``read_only=True``).

Views and forms call ``check_size``; importers call ``open_workbook`` and
``sheet_rows``. Every refusal is an ``UploadRefused`` (a ``ValidationError``)
whose message says what is wrong in words a trainer can act on. The limits
are settings (``UPLOAD_*``), documented in the README.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

__all__ = [
    "UploadRefused",
    "check_size",
    "check_workbook_archive",
    "open_workbook",
    "rebuild_workbook",
    "sheet_rows",
]


class UploadRefused(ValidationError):
    """An upload that breaks one of the limits, with a message saying which."""

    def __init__(self, message: str, *, row: int | None = None):
        super().__init__(message)
        self.row = row

    def __str__(self) -> str:
        return self.messages[0]


def _size_of(upload: Any) -> int:
    if isinstance(upload, bytes | bytearray):
        return len(upload)
    return upload.size


def check_size(upload: Any, *, limit: int) -> None:
    """Refuse an empty file, or one over ``limit`` bytes (an uploaded file or
    its bytes)."""
    size = _size_of(upload)
    if size == 0:
        raise UploadRefused(_("The file is empty."))
    if size > limit:
        raise UploadRefused(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )


def not_a_workbook() -> UploadRefused:
    return UploadRefused(_("The file is not an Excel workbook (.xlsx)."))


def check_workbook_archive(data: bytes) -> None:
    """Refuse a file that is not a zip archive, or whose parts would unpack
    to more than the limits allow. Reads only the archive's directory."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except Exception as error:
        # Damaged archives fail with BadZipFile, but also NotImplementedError
        # (an unknown zip version), ValueError, OSError and others.
        raise not_a_workbook() from error
    with archive:
        members = archive.infolist()
    max_members = settings.UPLOAD_XLSX_MAX_PARTS
    if len(members) > max_members:
        raise UploadRefused(
            _(
                "The workbook is made of %(count)s parts; an Excel workbook has "
                "at most %(limit)s. Copy the sheet into a new workbook and "
                "upload that."
            )
            % {"count": len(members), "limit": max_members}
        )
    part_limit = settings.UPLOAD_XLSX_MAX_PART_SIZE
    total_limit = settings.UPLOAD_XLSX_MAX_UNPACKED_SIZE
    max_ratio = settings.UPLOAD_XLSX_MAX_COMPRESSION_RATIO
    total = 0
    for member in members:
        if member.file_size > part_limit:
            raise UploadRefused(
                _(
                    "The workbook's part %(name)s unpacks to %(size)s; the limit "
                    "is %(limit)s. Split the data into smaller workbooks."
                )
                % {
                    "name": member.filename[:80],
                    "size": filesizeformat(member.file_size),
                    "limit": filesizeformat(part_limit),
                }
            )
        total += member.file_size
        if total > total_limit:
            raise UploadRefused(
                _(
                    "The workbook unpacks to more than %(limit)s. Split the data "
                    "into smaller workbooks."
                )
                % {"limit": filesizeformat(total_limit)}
            )
        # Small parts may compress tightly (a sheet of empty rows does), and
        # the size limits already bound them; ordinary workbooks compress
        # their large parts ten- to twentyfold.
        if member.file_size > settings.UPLOAD_XLSX_RATIO_CHECKED_ABOVE:
            ratio = member.file_size / max(member.compress_size, 1)
            if ratio > max_ratio:
                raise UploadRefused(
                    _(
                        "The workbook's part %(name)s is compressed %(ratio)s to 1; "
                        "workbooks saved by a spreadsheet program stay under "
                        "%(limit)s to 1, so this file is refused."
                    )
                    % {
                        "name": member.filename[:80],
                        "ratio": int(ratio),
                        "limit": max_ratio,
                    }
                )


# The start of a row or cell element, with any namespace prefix. Text in the
# XML escapes "<", so only elements match; "<col", "<cfRule" and "<rowBreaks"
# do not.
_ROW_OR_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_ROW_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d{1,10})["']""")
_CHUNK = 64 * 1024
# Where a tag is longer than this, the chunk is scanned as it is; a tag cut
# there can hide one element, for this many bytes of the attacker's budget.
_LONGEST_TAG = 4096


class _CellCounter:
    """Counts the cells of one part, and of each of its rows, as its bytes
    stream past; refuses the part when a count passes its limit."""

    def __init__(self) -> None:
        self.max_cells = settings.UPLOAD_XLSX_MAX_CELLS
        self.max_row_cells = settings.UPLOAD_XLSX_MAX_CELLS_PER_ROW
        self.pending = b""
        self.total = self.row_cells = self.row = 0

    def feed(self, chunk: bytes) -> None:
        text = self.pending + chunk
        # Hold back the last tag, which may be cut in two.
        cut = text.rfind(b"<")
        if cut == -1:
            cut = len(text)
        self.pending = text[cut:]
        self._scan(text[:cut])
        if len(self.pending) > _LONGEST_TAG:
            self.close()

    def close(self) -> None:
        self._scan(self.pending)
        self.pending = b""

    def _scan(self, text: bytes) -> None:
        for match in _ROW_OR_CELL.finditer(text):
            if match[1] == b"row":
                number = _ROW_NUMBER.search(match[2])
                self.row = int(number[1]) if number else self.row + 1
                self.row_cells = 0
                continue
            self.total += 1
            self.row_cells += 1
            if self.row_cells > self.max_row_cells:
                raise UploadRefused(
                    _(
                        "Row %(row)s has more than %(limit)s cells; delete the "
                        "columns you do not use and upload it again."
                    )
                    % {"row": self.row, "limit": self.max_row_cells},
                    row=self.row,
                )
            if self.total > self.max_cells:
                raise UploadRefused(
                    _(
                        "The workbook has a sheet of more than %(limit)s cells; "
                        "split the data into smaller workbooks."
                    )
                    % {"limit": self.max_cells}
                )


def rebuild_workbook(data: bytes) -> bytes:
    """The workbook's parts, unpacked within the limits and packed again.

    Each part is read in small pieces, so no part unpacks past the size its
    directory entry declares (nor fails its checksum) and memory stays
    bounded: parts openpyxl reads whole could otherwise be made to unpack
    far past a declared size before being cut to it. openpyxl then only
    ever sees parts read here. Meanwhile the cells of each part are
    counted: openpyxl builds every cell of a row before handing the row
    over, and spends tens of microseconds on each, so a sheet of a million
    empty cells in one row costs minutes and a gigabyte however few rows and
    columns are then read. Every part is counted, so a sheet cannot hide
    under another name. Call ``check_workbook_archive`` first.
    """
    rebuilt = BytesIO()
    try:
        with (
            zipfile.ZipFile(BytesIO(data)) as archive,
            zipfile.ZipFile(
                rebuilt, "w", zipfile.ZIP_DEFLATED, compresslevel=1
            ) as copy,
        ):
            names = [member.filename for member in archive.infolist()]
            if len(set(names)) != len(names):
                raise not_a_workbook()
            for member in archive.infolist():
                if member.is_dir():
                    continue
                counter = _CellCounter()
                with (
                    archive.open(member) as part,
                    copy.open(member.filename, "w") as out,
                ):
                    while chunk := part.read(_CHUNK):
                        counter.feed(chunk)
                        out.write(chunk)
                counter.close()
    except UploadRefused:
        raise
    except Exception as error:
        # A part that fails its checksum, is encrypted or cannot be unpacked.
        raise not_a_workbook() from error
    return rebuilt.getvalue()


def open_workbook(data: bytes):
    """The workbook in ``data``, opened read-only (rows are streamed), after
    the archive checks and rebuilt within the limits; ``UploadRefused`` if
    it is refused or unreadable. The caller closes it."""
    check_workbook_archive(data)
    data = rebuild_workbook(data)
    try:
        return load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        # openpyxl fails on damaged files with whatever its zip and XML
        # readers raise (BadZipFile, KeyError, InvalidFileException, ...).
        raise not_a_workbook() from error


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def sheet_rows(
    sheet, *, max_rows: int, max_columns: int | None = None
) -> Iterator[tuple]:
    """The sheet's rows as tuples of values, streamed, from row 1.

    Only ``max_rows`` rows and ``max_columns`` columns are read: a value in
    the row or column after them is refused, naming it; what lies further
    out is never parsed into cells (a sheet may claim a million rows or
    put one value in its last column). Rows are cut to ``max_columns``.
    A damaged sheet raises ``UploadRefused`` too.
    """
    if max_columns is None:
        max_columns = settings.UPLOAD_XLSX_MAX_COLUMNS
    try:
        rows = sheet.iter_rows(
            min_row=1,
            max_row=max_rows + 1,
            min_col=1,
            max_col=max_columns + 1,
            values_only=True,
        )
        for number, values in enumerate(rows, start=1):
            if number > max_rows:
                if any(not _blank(value) for value in values):
                    raise UploadRefused(
                        _(
                            "The sheet has more than %(limit)s rows (row %(row)s "
                            "is filled in); upload at most %(limit)s rows."
                        )
                        % {"limit": max_rows, "row": number},
                        row=number,
                    )
                return
            if len(values) > max_columns and not _blank(values[max_columns]):
                raise UploadRefused(
                    _(
                        "Row %(row)s has a value in column %(column)s; the sheet "
                        "may use columns A to %(last)s only."
                    )
                    % {
                        "row": number,
                        "column": get_column_letter(max_columns + 1),
                        "last": get_column_letter(max_columns),
                    },
                    row=number,
                )
            yield tuple(values[:max_columns])
    except UploadRefused:
        raise
    except Exception as error:
        # Cells are parsed lazily in read-only mode, so a damaged sheet only
        # fails here.
        raise UploadRefused(_("The workbook could not be read.")) from error
