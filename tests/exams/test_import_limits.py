"""The question-bank import refuses files that would tie up the server: a
decompression bomb, too many rows, too large a file, too many GIFT
questions. Each is refused whole with a message saying why; nothing is
saved."""

import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from exams import bank_io
from exams.models import Question, QuestionCategory
from tests.workbooks import MB, bomb

pytestmark = pytest.mark.django_db


def upload(client, content: bytes, name: str):
    return client.post(
        reverse("exams_bank_import"), {"file": SimpleUploadedFile(name, content)}
    )


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&nbsp;", " ")


@pytest.fixture
def trainer(client_as):
    return client_as("trainer")


def nothing_saved():
    return not Question.objects.exists() and not QuestionCategory.objects.exists()


def test_a_decompression_bomb_is_refused_quickly_and_nothing_is_saved(trainer):
    data = bomb()  # 300 KB that unpacks to 200 MB of shared strings

    tracemalloc.start()
    started = time.process_time()
    response = upload(trainer, data, "bank.xlsx")
    seconds = time.process_time() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    assert response.status_code == 400
    assert (
        "The workbook's part xl/sharedStrings.xml unpacks to 200.0\xa0MB; the "
        "limit is 20.0\xa0MB." in text_of(response)
    )
    assert nothing_saved()
    assert seconds < 2
    # The request as a whole (upload, page): reading the bomb would be
    # hundreds of MB.
    assert peak < 10 * MB


def test_a_workbook_named_otherwise_is_still_checked_as_a_workbook(trainer):
    response = upload(trainer, bomb(), "questions.txt")

    assert response.status_code == 400
    assert "unpacks to 200.0\xa0MB" in text_of(response)
    assert nothing_saved()


def test_rows_past_the_question_limit_are_refused_naming_the_row(trainer, settings):
    settings.QUESTION_IMPORT_MAX_QUESTIONS = 3
    rows = [dict(bank_io.TEMPLATE_EXAMPLES[1], key=f"q{n}") for n in range(4)]

    response = upload(trainer, bank_io.bank_workbook(rows), "bank.xlsx")

    assert response.status_code == 400
    assert (
        "The sheet has more than 4 rows (row 5 is filled in); upload at most 4 rows."
        in text_of(response)
    )
    assert nothing_saved()


def test_rows_up_to_the_question_limit_import(trainer, settings):
    settings.QUESTION_IMPORT_MAX_QUESTIONS = 3
    rows = [dict(bank_io.TEMPLATE_EXAMPLES[1], key=f"q{n}") for n in range(3)]

    response = upload(trainer, bank_io.bank_workbook(rows), "bank.xlsx")

    assert response.status_code == 302
    assert Question.objects.count() == 3


def test_a_value_past_the_last_column_read_is_named(trainer, settings):
    settings.UPLOAD_XLSX_MAX_COLUMNS = 13
    workbook = Workbook()
    workbook.active.append([*bank_io.COLUMNS, "Notes"])

    from io import BytesIO

    buffer = BytesIO()
    workbook.save(buffer)
    response = upload(trainer, buffer.getvalue(), "bank.xlsx")

    assert response.status_code == 400
    assert (
        "Row 1 has a value in column N; the sheet may use columns A to M only."
        in text_of(response)
    )


def test_a_file_over_the_size_limit_is_refused(trainer, settings):
    settings.QUESTION_IMPORT_MAX_SIZE = 1024

    response = upload(trainer, b"Recovery is person-driven. {T}\n" * 40, "bank.gift")

    assert response.status_code == 200  # the form shown again, with the error
    assert "The file is 1.2\xa0KB; the limit is 1.0\xa0KB." in text_of(response)
    assert nothing_saved()


def test_a_gift_file_of_too_many_questions_is_refused_at_the_first_too_many(
    trainer, settings
):
    settings.QUESTION_IMPORT_MAX_QUESTIONS = 2
    gift = b"$CATEGORY: Peer bank\n\nOne. {T}\n\nTwo. {F}\n\nThree. {T}\n\nFour. {T}\n"

    response = upload(trainer, gift, "bank.gift")

    assert response.status_code == 400
    assert (
        "Line 7: The file has more than 2 questions; split it into files of at "
        "most 2." in text_of(response)
    )
    assert nothing_saved()


def test_a_gift_file_at_the_question_limit_imports(trainer, settings):
    settings.QUESTION_IMPORT_MAX_QUESTIONS = 2
    gift = b"$CATEGORY: Peer bank\n\nOne. {T}\n\nTwo. {F}\n"

    response = upload(trainer, gift, "bank.gift")

    assert response.status_code == 302
    assert Question.objects.count() == 2
