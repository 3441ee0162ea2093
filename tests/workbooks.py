"""Hostile workbooks for the upload tests, built in the test run (nothing
large is kept in the repository)."""

from __future__ import annotations

import functools
import re
import struct
import zipfile
import zlib
from io import BytesIO

from openpyxl import Workbook

SHARED_STRINGS = "xl/sharedStrings.xml"
CONTENT_TYPES = "[Content_Types].xml"
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
MB = 1024 * 1024


def small_workbook(rows: list[list] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows or [["Key", "Type"], ["a", "b"]]:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _copy_members(source: bytes, archive: zipfile.ZipFile, *, skip: set[str]) -> None:
    with zipfile.ZipFile(BytesIO(source)) as original:
        for info in original.infolist():
            if info.filename not in skip:
                archive.writestr(info, original.read(info))


def _with_shared_strings(base: bytes) -> bytes:
    """The content types of ``base``, declaring a shared-strings part (which
    openpyxl then reads whole when the workbook is opened)."""
    with zipfile.ZipFile(BytesIO(base)) as archive:
        types = archive.read(CONTENT_TYPES).decode()
    if "/" + SHARED_STRINGS not in types:
        override = (
            f'<Override PartName="/{SHARED_STRINGS}" '
            f'ContentType="{SHARED_STRINGS_TYPE}" />'
        )
        types = types.replace("</Types>", override + "</Types>")
    return types.encode()


def bomb_workbook(base: bytes, *, megabytes: int = 300) -> bytes:
    """``base`` (a real .xlsx) with a shared-strings part that unpacks to
    ``megabytes`` MB of one repeated letter: a few hundred KB on the wire.

    The part is written in 1 MB pieces, so building it never holds more
    than that in memory.
    """
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _copy_members(base, archive, skip={SHARED_STRINGS, CONTENT_TYPES})
        archive.writestr(CONTENT_TYPES, _with_shared_strings(base))
        piece = b"A" * MB
        with archive.open(SHARED_STRINGS, "w") as part:
            part.write(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                b'2006/main" count="1" uniqueCount="1"><si><t>'
            )
            for _ in range(megabytes):
                part.write(piece)
            part.write(b"</t></si></sst>")
    return buffer.getvalue()


@functools.cache
def bomb() -> bytes:
    """A valid-looking workbook whose shared strings unpack to 200 MB."""
    return bomb_workbook(small_workbook(), megabytes=200)


def replace_part(base: bytes, name: str, content: bytes) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _copy_members(base, archive, skip={name})
        archive.writestr(name, content)
    return buffer.getvalue()


def sheet_xml(base: bytes) -> str:
    with zipfile.ZipFile(BytesIO(base)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def forged_dimension_workbook(base: bytes) -> bytes:
    """``base`` with a first sheet that claims to span A1:XFD1048576, the
    most Excel allows, and has a value in its last column and last row."""
    xml = sheet_xml(base)
    xml = re.sub(
        r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml
    )
    last = (
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far</t></is>'
        "</c></row></sheetData>"
    )
    xml = xml.replace("</sheetData>", last)
    return replace_part(base, "xl/worksheets/sheet1.xml", xml.encode())


def many_members_workbook(base: bytes, *, count: int) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _copy_members(base, archive, skip=set())
        for number in range(count):
            archive.writestr(f"xl/extra/part{number}.xml", b"<x/>")
    return buffer.getvalue()


def understated_workbook(base: bytes, *, megabytes: int = 50) -> bytes:
    """``base`` with a shared-strings part whose central directory entry
    claims 1 KB although it unpacks to ``megabytes`` MB: the sizes a guard
    reads are the attacker's to write."""
    data = bytearray(bomb_workbook(base, megabytes=megabytes))
    struct.pack_into("<I", data, _directory_entry(data, SHARED_STRINGS) + 24, 1024)
    return bytes(data)


def padded_part_workbook(base: bytes, *, name: str, megabytes: int) -> bytes:
    """``base`` with the part ``name`` followed by ``megabytes`` MB of
    spaces, while its directory entry declares the part's true size and
    checksum: a reader that stops at the declared size sees the real part,
    one that unpacks the whole stream first holds the padding too."""
    with zipfile.ZipFile(BytesIO(base)) as archive:
        original = archive.read(name)
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _copy_members(base, archive, skip={name})
        with archive.open(name, "w") as part:
            part.write(original)
            for _ in range(megabytes):
                part.write(b" " * MB)
    data = bytearray(buffer.getvalue())
    entry = _directory_entry(data, name)
    struct.pack_into("<I", data, entry + 16, zlib.crc32(original))
    struct.pack_into("<I", data, entry + 24, len(original))
    return bytes(data)


def _directory_entry(data: bytes, name: str) -> int:
    """The offset of ``name``'s central directory entry: its signature, the
    checksum at offset 16, the uncompressed size at 24, the name's length
    at 28 and the name at 46."""
    start = data.find(b"PK\x01\x02")
    while start != -1:
        name_length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46 : start + 46 + name_length] == name.encode():
            return start
        start = data.find(b"PK\x01\x02", start + 4)
    raise AssertionError(f"no {name} in the workbook")
