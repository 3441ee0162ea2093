"""A trainee takes an exam in the browser, reloads mid-attempt, finds every
answer still there, submits and sees the result."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from courses import services as course_services
from exams.models import BlueprintRule, Question, QuestionCategory, WrittenExam
from tests.factories import (
    QuestionCategoryFactory,
    alcohol_drug_course,
    questions_in,
    user_with_role,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("bank"),
]


@pytest.fixture
def bank():
    """Questions of the kinds the browser answers, oldest first: single
    choice, true/false, short answer, multiple response, short answer."""
    questions_in(
        QuestionCategoryFactory(name="Peer support bank"),
        "single_choice",
        "true_false",
        "short_answer",
        "multiple_response",
        "short_answer",
    )


PASSWORD = "exam-password-123"


def sign_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def exam_of(questions, title, **options):
    """A published exam of exactly these bank questions, in the alcohol and
    drug course, and a trainee enrolled there who can sign in."""
    course = alcohol_drug_course(modules=["hiv"])
    category = QuestionCategory.objects.create(name=f"{title} questions")
    Question.objects.filter(pk__in=[q.pk for q in questions]).update(category=category)
    exam = WrittenExam.objects.create(
        course=course,
        title=title,
        time_limit_minutes=20,
        pass_mark_percent=Decimal(50),
        is_published=True,
        **options,
    )
    BlueprintRule.objects.create(exam=exam, category=category, count=len(questions))
    email = f"{title.split()[0].lower()}@example.org"
    trainee = user_with_role("Trainees", email=email)
    trainee.set_password(PASSWORD)
    trainee.save()
    course_services.enrollment_create(trainee=trainee, course=course)
    return exam, trainee


def test_trainee_takes_an_exam_reloads_and_submits(browser_page):
    chosen = Question.objects.filter(
        polymorphic_ctype__model__in=[
            "singlechoicequestion",
            "truefalsequestion",
            "shortanswerquestion",
            "multipleresponsequestion",
        ]
    ).order_by("pk")[:4]
    _exam, trainee = exam_of(list(chosen), "Browser exam", shuffle_questions=False)

    page = browser_page
    sign_in(page, trainee.email, PASSWORD)
    page.get_by_role("link", name="My exams").click()
    page.get_by_role("link", name="Browser exam").click()
    page.get_by_role("button", name="Start the exam").click()
    expect(page.locator("#timer-value")).to_contain_text(":")

    answers = {}
    for position in range(1, 5):
        form = page.locator("#question-form")
        if form.locator("input[type=radio]").count():
            form.locator("input[type=radio]").first.check()
            answers[position] = ("radio", 0)
        elif form.locator("input[type=checkbox][name=choices]").count():
            form.locator("input[type=checkbox][name=choices]").first.check()
            answers[position] = ("checkbox", 0)
        else:
            form.locator("input[name=text]").fill("person driven")
            form.locator("input[name=text]").blur()
            answers[position] = ("text", "person driven")
        expect(page.locator("#save-status")).to_contain_text("Saved at")
        expect(page.locator(f'.qnav__item[data-position="{position}"]')).to_have_class(
            re.compile("is-answered")
        )
        if position < 4:
            page.get_by_role("button", name="Save and next").click()

    page.reload()
    for position, (kind, value) in answers.items():
        page.locator(f'.qnav__item[data-position="{position}"]').click()
        form = page.locator("#question-form")
        if kind == "radio":
            expect(form.locator("input[type=radio]").first).to_be_checked()
        elif kind == "checkbox":
            expect(
                form.locator("input[type=checkbox][name=choices]").first
            ).to_be_checked()
        else:
            expect(form.locator("input[name=text]")).to_have_value(value)

    page.get_by_role("button", name="Save and finish…").click()
    expect(page.get_by_text("Every question has an answer.")).to_be_visible()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("heading", name="Attempt 1: result")).to_be_visible()
    expect(page.locator(".result")).to_contain_text("%")


def test_a_failed_save_is_shown_and_retried(browser_page):
    question = Question.objects.filter(
        polymorphic_ctype__model="truefalsequestion"
    ).first()
    exam, trainee = exam_of([question], "Retry exam")

    page = browser_page
    sign_in(page, trainee.email, PASSWORD)
    page.goto(f"/exams/{exam.pk}/")
    page.get_by_role("button", name="Start the exam").click()
    expect(page.locator("legend")).to_contain_text("Question 1 of 1")
    # Answers are saved by the deferred script: answer once it is running.
    page.wait_for_load_state()
    failures = {"left": 1}

    def flaky(route):
        if route.request.method == "POST" and failures["left"]:
            failures["left"] -= 1
            route.abort()
        else:
            route.continue_()

    page.route("**/exams/attempts/*/save/", flaky)
    page.get_by_label("True").check()
    expect(page.locator("#save-status")).to_contain_text("Not saved")
    expect(page.locator("#save-status")).to_contain_text("Saved at", timeout=10_000)
    from exams.models import Response

    saved = Response.objects.get(attempt_question__attempt__trainee=trainee)
    assert saved.answer == {"answer": True}


def test_typing_then_moving_on_at_once_saves_the_answer_first(browser_page):
    questions = Question.objects.filter(
        polymorphic_ctype__model="shortanswerquestion"
    ).order_by("pk")[:2]
    exam, trainee = exam_of(list(questions), "Typing exam")

    page = browser_page
    sign_in(page, trainee.email, PASSWORD)
    page.goto(f"/exams/{exam.pk}/")
    page.get_by_role("button", name="Start the exam").click()
    expect(page.locator("legend")).to_contain_text("Question 1 of 2")
    page.wait_for_load_state()
    posts = []
    page.on(
        "request",
        lambda request: posts.append(request.url) if request.method == "POST" else None,
    )
    page.locator("input[name=text]").press_sequentially("peer support")
    page.get_by_role("button", name="Save and next").click()

    expect(page).to_have_url(re.compile(r"\?q=2$"))
    expect(page.locator("legend")).to_contain_text("Question 2 of 2")
    from exams.models import Response

    saved = Response.objects.get(
        attempt_question__attempt__trainee=trainee, attempt_question__position=1
    )
    assert saved.answer == {"text": "peer support"}
    # Saved through the save endpoint, then the next question was simply loaded.
    assert posts and all(url.endswith("/save/") for url in posts)


def test_a_numerical_answer_is_checked_corrected_and_graded(browser_page):
    from exams import services as exam_services
    from exams.models import NumericalQuestion, Response

    category = QuestionCategory.objects.create(name="Numbers")
    exam_services.questions_import(
        questions=[
            {
                "type": "numerical",
                "category": category.name,
                "status": "active",
                "text": "How many hours of **direct supervision** does the "
                "application need?",
                "text_format": "markdown",
                "answers": [
                    {"value": "25", "tolerance": "0", "weight": "100"},
                    {"minimum": "20", "maximum": "30", "weight": "50"},
                ],
            }
        ]
    )
    exam, trainee = exam_of(
        list(NumericalQuestion.objects.all()), "Numbers exam", attempts_allowed=1
    )

    page = browser_page
    sign_in(page, trainee.email, PASSWORD)
    page.goto(f"/exams/{exam.pk}/")
    page.get_by_role("button", name="Start the exam").click()
    expect(page.locator("legend strong")).to_have_text("direct supervision")
    page.wait_for_load_state()
    field = page.get_by_label("Your answer (a number)")
    field.fill("2,5")
    expect(page.locator("#save-status")).to_contain_text("use a point for decimals")
    field.fill("25.0")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    expect(page.locator('.qnav__item[data-position="1"]')).to_have_class(
        re.compile("is-answered")
    )
    saved = Response.objects.get(attempt_question__attempt__trainee=trainee)
    assert saved.answer == {"text": "25.0", "value": "25"}

    page.get_by_role("button", name="Save and finish…").click()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.locator(".result")).to_contain_text("100%")
    expect(page.locator(".domain-scores")).to_contain_text("Numbers exam questions")
