"""Property tests of the question-bank imports: whatever the file holds, the
import answers with its own validation (questions or problems), never an
exception, and a file with a problem saves nothing."""

import datetime
import random
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from exams import bank_io
from exams.gift import parse_gift
from exams.models import Question, QuestionCategory

pytestmark = pytest.mark.django_db

QUESTION_TYPES = set(bank_io.types())

# --- GIFT --------------------------------------------------------------------

_GIFT_WORDS = st.sampled_from(
    [
        "Recovery",
        "is",
        "person-driven",
        "Home",
        "Health",
        "1822",
        "3.14",
        "->",
        "\\=",
        "\\{",
        "\\#",
        "_____",
        "[html]",
        "[markdown]",
        "[moodle]",
        "<b>bold</b>",
        "é",
        "💬",
    ]
)
_GIFT_MARKS = st.sampled_from(
    ["=", "~", "=%50%", "~%-25%", "%100%", "#", "####", "T", "F", "TRUE", ":", ".."]
)


@st.composite
def gift_answers(draw) -> str:
    parts = draw(
        st.lists(
            st.tuples(_GIFT_MARKS, st.lists(_GIFT_WORDS, max_size=3)),
            max_size=6,
        )
    )
    body = " ".join(mark + " ".join(words) for mark, words in parts)
    numeric = draw(st.booleans())
    return ("#" if numeric else "") + body


@st.composite
def gift_question(draw) -> str:
    title = draw(st.one_of(st.just(""), _GIFT_WORDS.map(lambda w: f"::{w}::")))
    text = " ".join(draw(st.lists(_GIFT_WORDS, min_size=0, max_size=6)))
    answers = draw(gift_answers())
    close = draw(st.sampled_from(["}", "}", "", "}}"]))
    after = " ".join(draw(st.lists(_GIFT_WORDS, max_size=2)))
    newline = draw(st.sampled_from([" ", "\n"]))
    return f"{title}{text} {{{newline}{answers}{newline}{close} {after}".strip()


@st.composite
def gift_files(draw) -> str:
    blocks = draw(
        st.lists(
            st.one_of(
                gift_question(),
                gift_question(),
                _GIFT_WORDS.map(lambda w: f"$CATEGORY: $course$/top/{w}"),
                st.just("// a comment"),
            ),
            max_size=8,
        )
    )
    separator = draw(st.sampled_from(["\n\n", "\r\n\r\n", "\n \n", "\n"]))
    return separator.join(blocks)


def _lines(text: str) -> int:
    return max(1, len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")))


@given(st.one_of(gift_files(), st.text(max_size=300)))
def test_gift_parser_answers_with_questions_or_problems_whatever_the_text(text):
    result = parse_gift(text)

    assert result.questions or result.problems
    lines = _lines(text)
    for problem in result.problems:
        assert 1 <= problem.line <= lines
        assert str(problem).startswith(f"Line {problem.line}: ")
    for question in result.questions:
        assert question["type"] in QUESTION_TYPES
        assert 1 <= question["line"] <= lines


@given(gift_files(), st.integers(min_value=0, max_value=4))
def test_gift_question_limit_refuses_the_whole_file_or_nothing(text, limit):
    result = parse_gift(text, max_questions=limit)
    unlimited = parse_gift(text)

    refused = [p for p in result.problems if "questions; split it" in p.message]
    if refused:
        assert result.questions == []
        assert len(result.problems) == 1
    else:
        assert result == unlimited


# --- Excel -------------------------------------------------------------------

_SAFE_TEXT = st.text(max_size=40).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s))
_ANY_CELL = st.one_of(
    st.none(),
    _SAFE_TEXT,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=datetime.date(1900, 3, 1)),
    st.sampled_from(["=1+1", "=A1", "-", " ", "1e400", "NaN", "0"]),
)
# Cells biased to the values each column takes, so rows get past the first
# checks into each question type's own parsing.
_COLUMN_CELLS = {
    "Type": st.one_of(st.sampled_from(sorted(QUESTION_TYPES)), _ANY_CELL),
    "Category": st.one_of(st.just("Fuzzed"), _ANY_CELL),
    "Status": st.one_of(st.sampled_from(bank_io.STATUSES), _ANY_CELL),
    "Question": st.one_of(st.just("Which one?"), _ANY_CELL),
    "Points": st.one_of(st.sampled_from(["1", "2.5", "0", "-1", "1001"]), _ANY_CELL),
    "Answers": st.one_of(
        st.lists(
            st.sampled_from(
                ["Home", "Health", "a = b", "c = d", "1822", "1822 ± 2", "1820..1829"]
            ),
            max_size=5,
        ).map("\n".join),
        _ANY_CELL,
    ),
    "Correct": st.one_of(
        st.sampled_from(["1", "2", "1, 3", "3, 2=50%", "True", "False", "9", "x"]),
        _ANY_CELL,
    ),
    "Text format": st.one_of(st.sampled_from(["plain", "markdown", "html"]), _ANY_CELL),
}


@st.composite
def bank_rows(draw) -> list[list]:
    header = list(bank_io.COLUMNS)
    if draw(st.booleans()):
        header = draw(st.permutations(header))
    rows = [header]
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        rows.append([draw(_COLUMN_CELLS.get(column, _ANY_CELL)) for column in header])
    return rows


def workbook(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Questions"
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _damaged(data: bytes, seed: int, flips: int) -> bytes:
    rng = random.Random(seed)
    damaged = bytearray(data)
    for _ in range(flips):
        damaged[rng.randrange(len(damaged))] = rng.randrange(256)
    return bytes(damaged)


@given(bank_rows())
def test_bank_parse_answers_with_questions_or_problems_whatever_the_cells(rows):
    questions, problems = bank_io.bank_parse(workbook(rows))

    assert questions or problems
    for question in questions:
        assert question["type"] in QUESTION_TYPES


@given(
    st.one_of(
        st.binary(max_size=600),
        st.builds(
            _damaged,
            st.just(workbook([list(bank_io.COLUMNS)])),
            st.integers(),
            st.integers(min_value=1, max_value=20),
        ),
    )
)
def test_bank_parse_of_any_bytes_is_one_problem_or_questions(data):
    questions, problems = bank_io.bank_parse(data)

    assert questions or problems


def _bank_state() -> tuple[int, int]:
    return Question.objects.count(), QuestionCategory.objects.count()


@given(
    st.one_of(
        bank_rows().map(lambda rows: ("bank.xlsx", workbook(rows))),
        gift_files().map(lambda text: ("bank.gift", text.encode())),
    )
)
def test_the_import_page_never_fails_and_saves_nothing_from_a_bad_file(
    client_as, upload
):
    client = client_as("trainer")
    name, content = upload
    with transaction.atomic():
        before = _bank_state()
        response = client.post(
            reverse("exams_bank_import"),
            {"file": SimpleUploadedFile(name, content)},
        )
        assert response.status_code in (200, 302, 400)
        if response.status_code != 302:
            assert _bank_state() == before
        transaction.set_rollback(True)
