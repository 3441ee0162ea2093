"""The question bank in the admin: listing, preview, import, export, regrade."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from exams import bank_io, services
from exams.models import Question, SingleChoiceQuestion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("question_bank")]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("trainer", True),
        ("administrator", True),
        ("trainee", False),
        ("examiner", False),
        ("supervisor", False),
        (None, False),
    ],
)
def test_bank_pages_by_role(client_as, role, allowed):
    client = client_as(role)
    question = Question.objects.first()
    urls = [
        reverse("exams_bank"),
        reverse("exams_bank_results"),
        reverse("exams_bank_import"),
        reverse("exams_bank_export"),
        reverse("exams_bank_template"),
        reverse("exams_question_preview", args=[question.pk]),
        reverse("exams_question_regrade", args=[question.pk]),
        reverse("exams_reports"),
    ]
    for url in urls:
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, url
        else:
            assert response.status_code in (302, 403), url


def test_listing_links_each_question_to_its_own_editor_and_filters(client_as):
    client = client_as("trainer")
    html = client.get(reverse("exams_bank")).content.decode()
    single = SingleChoiceQuestion.objects.first()
    assert f"/admin/question-single_choice/edit/{single.pk}/" in html
    filtered = client.get(reverse("exams_bank"), {"type": "true_false"})
    assert "Single choice" not in filtered.content.decode().split("<tbody>")[1]
    editor = client.get(f"/admin/question-single_choice/edit/{single.pk}/")
    assert editor.status_code == 200


def test_preview_shows_the_question_as_a_trainee_sees_it(client_as):
    client = client_as("trainer")
    question = SingleChoiceQuestion.objects.first()
    html = client.get(
        reverse("exams_question_preview", args=[question.pk])
    ).content.decode()
    for block in question.choices:
        assert block.value["text"] in html
        if block.value["feedback"]:
            assert block.value["feedback"] not in html


def test_export_then_import_gives_back_the_same_bank(client_as):
    client = client_as("trainer")
    before = {q.key: q.as_dict() for q in Question.objects.all()}
    exported = client.get(reverse("exams_bank_export")).content
    for question in Question.objects.all():
        question.text = "Changed"
        question.save()
    response = client.post(
        reverse("exams_bank_import"),
        {"file": SimpleUploadedFile("bank.xlsx", exported)},
    )
    assert response.status_code == 302
    after = {q.key: q.as_dict() for q in Question.objects.all()}
    assert after == before


def workbook_with(rows):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Questions"
    sheet.append(list(bank_io.COLUMNS))
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD = [
    "new-1",
    "single_choice",
    "Advocacy",
    "active",
    "",
    "Which is advocacy?",
    1,
    "",
    "Speaking up\nStaying quiet",
    "1",
    "",
    "",
]


def test_import_reports_every_problem_by_row_and_column_and_imports_nothing(
    client_as,
):
    client = client_as("trainer")
    count = Question.objects.count()
    rows = [
        GOOD,
        ["", "essay_long", "Advocacy", "", "", "Text", 1, "", "", "", "", ""],
        ["", "single_choice", "", "active", "", "", "many", "", "A\nB", "3", "", ""],
        ["", "true_false", "Advocacy", "maybe", "", "True?", 1, "", "", "Yes", "", ""],
        ["new-1", "short_answer", "Advocacy", "", "", "Q", 1, "", "", "", "", ""],
    ]
    response = client.post(
        reverse("exams_bank_import"),
        {"file": SimpleUploadedFile("bank.xlsx", workbook_with(rows))},
    )
    html = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 400
    for expected in (
        "Row 3, Type: 'essay_long' is not a question type",
        "Row 4, Category: enter a category.",
        "Row 4, Question: enter the question text.",
        "Row 4, Points: 'many' is not a number of points above 0.",
        "Row 4, Correct: '3' is not the number of an answer line (1 to 2)",
        "Row 5, Status: 'maybe' is not a status",
        "Row 5, Correct: enter True or False.",
        "Row 6, Key: 'new-1' is used again (first on row 2).",
        "Row 6, Answers: give at least one accepted answer",
    ):
        assert expected in html, expected
    assert "Nothing was imported" in html
    assert Question.objects.count() == count


@pytest.mark.parametrize(
    "data", [b"", b"MZ\x90\x00 program", b"hello, world", b"%PDF-1.4"]
)
def test_import_of_a_non_workbook_explains(client_as, data):
    client = client_as("trainer")
    count = Question.objects.count()
    response = client.post(
        reverse("exams_bank_import"),
        {"file": SimpleUploadedFile("bank.xlsx", data)},
    )
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert "not an Excel workbook" in html or "empty" in html
    assert Question.objects.count() == count


def test_good_import_creates_questions(client_as):
    client = client_as("trainer")
    response = client.post(
        reverse("exams_bank_import"),
        {"file": SimpleUploadedFile("bank.xlsx", workbook_with([GOOD]))},
    )
    assert response.status_code == 302
    question = Question.objects.get(key="new-1")
    assert isinstance(question, SingleChoiceQuestion)
    assert question.as_dict()["choices"][0] == {
        "text": "Speaking up",
        "correct": True,
        "feedback": "",
    }


def test_template_download_is_a_documented_workbook(client_as):
    content = client_as("trainer").get(reverse("exams_bank_template")).content
    workbook = load_workbook(BytesIO(content))
    assert [c.value for c in workbook["Questions"][1]] == list(bank_io.COLUMNS)
    assert "How to fill this in" in workbook.sheetnames
    questions, problems = bank_io.bank_parse(content)
    assert problems == [] and len(questions) == len(bank_io.TEMPLATE_EXAMPLES)


@pytest.fixture
def miskeyed(small_exam, enrolled_trainee):
    """A graded attempt whose single-choice answer was right all along: the
    key is corrected after the trainee submitted."""
    # Only single-choice questions in the pool, so the attempt has some.
    category = small_exam.blueprint.get().category
    Question.objects.filter(category=category).exclude(
        polymorphic_ctype__model="singlechoicequestion"
    ).update(status="retired")
    small_exam.blueprint.update(count=2)
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    row = next(
        r for r in attempt.questions.all() if r.content["type"] == "single_choice"
    )
    wrong = next(
        c["id"] for c in row.content["choices"] if c["id"] not in row.key["correct"]
    )
    services.attempt_save_response(
        attempt=attempt, position=row.position, answer={"choice": wrong}, revision=None
    )
    services.attempt_submit(attempt=attempt)
    question = SingleChoiceQuestion.objects.get(pk=row.question_id)
    # The key was wrong: the trainee's answer is the right one.
    question.choices = [
        ("choice", {**block.value, "correct": block.id == wrong})
        for block in question.choices
    ]
    for new_block, old_block in zip(
        question.choices,
        SingleChoiceQuestion.objects.get(pk=question.pk).choices,
        strict=True,
    ):
        new_block.id = old_block.id
    question.save()
    attempt.refresh_from_db()
    return attempt, question, row


def test_regrade_dry_run_then_apply(client, miskeyed):
    from courses.models import Cohort

    attempt, question, row = miskeyed
    teacher = Cohort.objects.get(course=attempt.exam.course).trainers.get()
    client.force_login(teacher)
    url = reverse("exams_question_regrade", args=[question.pk])
    dry = client.get(url).content.decode()
    assert "1 attempt changes" in dry
    assert "Only the attempts of courses you teach" in dry
    attempt.refresh_from_db()
    before = attempt.score
    client.post(url, {"confirm": "yes"})
    attempt.refresh_from_db()
    assert attempt.score == before + row.points
    assert isinstance(before, Decimal)


def test_a_trainer_regrades_only_the_courses_they_teach(client_as, miskeyed):
    attempt, question, _row = miskeyed
    before = attempt.score
    client = client_as("trainer")  # teaches no cohort of the exam's course
    url = reverse("exams_question_regrade", args=[question.pk])
    dry = client.get(url).content.decode()
    assert "0 attempts checked" in dry
    assert "Nothing would change." in dry
    client.post(url, {"confirm": "yes"})
    attempt.refresh_from_db()
    assert attempt.score == before


def test_an_administrator_regrades_every_course(client_as, miskeyed):
    attempt, question, row = miskeyed
    before = attempt.score
    client = client_as("administrator")
    url = reverse("exams_question_regrade", args=[question.pk])
    dry = client.get(url).content.decode()
    assert "1 attempt changes" in dry
    assert "Only the attempts of courses you teach" not in dry
    client.post(url, {"confirm": "yes"})
    attempt.refresh_from_db()
    assert attempt.score == before + row.points


def test_editing_a_question_past_attempts_drew_offers_a_regrade(
    client_as, small_exam, enrolled_trainee
):
    from exams.models import TrueFalseQuestion
    from exams.wagtail_hooks import QUESTION_VIEWSETS

    category = small_exam.blueprint.get().category
    question = TrueFalseQuestion.objects.filter(category=category).first()
    Question.objects.filter(category=category).exclude(pk=question.pk).update(
        status="retired"
    )
    small_exam.blueprint.update(count=1)
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    services.attempt_submit(attempt=attempt)
    untouched = TrueFalseQuestion.objects.filter(status="retired").first()
    client = client_as("trainer")
    viewset = QUESTION_VIEWSETS["true_false"]

    def edit(target):
        url = reverse(viewset.get_url_name("edit"), args=[target.pk])
        return client.post(
            url,
            {
                "category": target.category_id,
                "title": target.title,
                "text": target.text,
                "text_format": "plain",
                "points": "1",
                "status": target.status,
                "correct_answer": "" if target.correct_answer else "on",
                "feedback_true": "",
                "feedback_false": "",
                "general_feedback": "",
                "key": target.key or "",
            },
            follow=True,
        )

    was_true = question.correct_answer
    response = edit(question)
    assert response.redirect_chain[-1][0] == reverse("exams_bank")
    html = response.content.decode()
    regrade = reverse("exams_question_regrade", args=[question.pk])
    assert "1 graded attempt drew it" in html
    assert re.search(rf'href="{regrade}"[^>]*>Regrade past attempts', html)
    question.refresh_from_db()
    assert question.correct_answer is not was_true  # the corrected key was saved
    # A question no attempt drew is saved without the offer.
    other = edit(untouched).content.decode()
    assert "updated" in other
    assert "graded attempt" not in other
    assert "Regrade past attempts" not in other
