"""Moodle GIFT features the platform holds: imported through the admin,
graded as Moodle grades them, and shown safely to trainees."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exams import services
from exams.admin_views import _from_gift
from exams.gift import parse_gift
from exams.models import (
    BlueprintRule,
    NumericalQuestion,
    Question,
    QuestionCategory,
    ShortAnswerQuestion,
    SingleChoiceQuestion,
    TrueFalseQuestion,
    WrittenExam,
)

pytestmark = pytest.mark.django_db

# The examples of Moodle's GIFT documentation, in the order it gives them.
MOODLE_EXAMPLES = r"""// true/false
::Q1:: 1+1=2 {T}

// multiple choice with specified feedback for right and wrong answers
::Q2:: What's between orange and green in the spectrum?
{ =yellow # right; good! ~red # wrong, it's yellow ~blue # wrong, it's yellow }

// fill-in-the-blank
::Q3:: Two plus {=two =2} equals four.

// math range question
::Q5:: What is a number from 1 to 5? {#3:2}

// math range specified with interval end points
::Q6:: What is a number from 1 to 5? {#1..5}

// multiple numeric answers with partial credit and feedback
::Q7:: What is the value of pi (to 3 decimal places)? {#
    =%50%3.14 #close
    =3.142 #correct
    =%25%3.14:0.2 #about right
}

// essay
::Q8:: How are you? {}

Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}

Grant is {~buried =entombed ~living} in Grant's tomb.

The American holiday of Thanksgiving is celebrated on the {
    ~second
    ~third
    =fourth
} Thursday of November.

Japanese characters originally came from what country? {
    ~India
    =China
    ~Korea
    ~Egypt}

Who's buried in Grant's tomb?{=no one =nobody}

Two plus two equals {=four =4}.

Grant is buried in Grant's tomb.{F}

The sun rises in the east.{T}

Match the following countries with their corresponding capitals. {
    =Canada -> Ottawa
    =Italy  -> Rome
    =Japan  -> Tokyo
    =India  -> New Delhi
    ####It's good to know the capitals
    }

When was Ulysses S. Grant born? {#1822}

What is the value of pi (to 3 decimal places)? {#3.1415:0.0005}.

What is the value of pi (to 3 decimal places)? {#3.141..3.142}.

When was Ulysses S. Grant born? {#
    =1822:0      # Correct! you will get full credit.
    =%50%1822:2  # He was born in 1822. You get half credit for being close.
}

Write a short biography of Dag Hammarskjöld. {}

$CATEGORY: tom/dick/harry

::Kanji Origins::Japanese characters originally
came from what country? {=China}

What's the answer to this multiple-choice question? {
~wrong answer#feedback comment on the wrong answer
~another wrong answer#feedback comment on this wrong answer
=right answer#Very good!}

Who's buried in Grant's tomb?{
=no one#excellent answer!
=nobody#excellent answer!}

What's 2 plus 2? {=4 #right ####General feedback}

[markdown]Who's buried in **Grant's tomb**?{
=no one#excellent answer!
=nobody#excellent answer!}

Grant is buried in Grant's tomb.{FALSE#No one is buried in Grant's tomb.}

Difficult question.{~wrong answer ~%50%half credit answer =full credit answer}

::Jesus' hometown::Jesus Christ was from {
    ~Jerusalem#This was an important city, but the wrong answer.
    ~%25%Bethlehem#He was born here, but not raised here.
    ~%50%Galilee#You need to be more specific.
    =Nazareth#Yes! That's right!}.

::Jesus' hometown:: Jesus Christ was from {
    =Nazareth#Yes! That's right!
    =%75%Nazereth#Right, but misspelled.
    =%25%Bethlehem#He was born here, but not raised here.}

What two people are entombed in Grant's tomb? {
    ~%-100%No one
    ~%50%Grant
    ~%50%Grant's wife
    ~%-100%Grant's father
}

Which answer equals 5? {
    ~ \= 2 + 2
    = \= 2 + 3
    ~ \= 2 + 4
}

::GIFT Control Characters::
Which of the following is NOT a control character for the GIFT import format? {
   ~ \~     # \~ is a control character.
   ~ \=     # \= is a control character.
   ~ \#     # \# is a control character.
   ~ \{     # \{ is a control character.
   ~ \}     # \} is a control character.
   = \\     # Correct! \\ (backslash) is not a control character.
}
"""


def test_every_documentation_example_the_platform_can_hold_imports(client_as):
    result = parse_gift(MOODLE_EXAMPLES)
    assert result.problems == [], [str(p) for p in result.problems]
    kinds = [q["type"] for q in result.questions]
    assert kinds.count("numerical") == 7
    assert {"single_choice", "multiple_response", "true_false", "short_answer"} <= (
        set(kinds)
    )
    assert {"matching", "essay"} <= set(kinds)
    response = client_as("trainer").post(
        reverse("exams_bank_import"),
        {"file": SimpleUploadedFile("moodle.gift", MOODLE_EXAMPLES.encode())},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Question.objects.filter(category__name="harry").count() == 12
    assert NumericalQuestion.objects.count() == 7


def test_what_the_platform_cannot_hold_is_reported_with_its_line():
    result = parse_gift(
        """// matching needs three pairs here
::Q4:: Which animal eats which food? { =cat -> cat food =dog -> dog food }

// two equally right answers in one single choice
::Title
:: Question {
=Correct answer 1
=Correct answer 2
~Wrong answer 1
#Response to wrong answer 1
}

::Intro:: A description of the questions that follow.
"""
    )
    assert result.questions == []
    assert [p.line for p in result.problems] == [2, 8, 13]


def _import(text: str) -> Question:
    result = parse_gift(text)
    assert result.problems == [], [str(p) for p in result.problems]
    services.questions_import(questions=[_from_gift(q) for q in result.questions])
    return Question.objects.order_by("-pk").first()


def _grade(question: Question, answer) -> Decimal:
    content, key = question.freeze()
    return question.grade_frozen(key, question.clean_answer(content, answer))


def test_weighted_single_choice_earns_the_chosen_choices_weight():
    question = _import(
        "::Jesus' hometown::Jesus Christ was from {\n"
        "~Jerusalem#The wrong answer.\n"
        "~%25%Bethlehem#Born here, not raised here.\n"
        "~%50%Galilee#Be more specific.\n"
        "=Nazareth#Yes!}."
    )
    assert isinstance(question, SingleChoiceQuestion)
    content, _key = question.freeze()
    ids = {c["text"]: c["id"] for c in content["choices"]}
    assert _grade(question, {"choice": ids["Nazareth"]}) == 1
    assert _grade(question, {"choice": ids["Galilee"]}) == Decimal("0.5")
    assert _grade(question, {"choice": ids["Bethlehem"]}) == Decimal("0.25")
    assert _grade(question, {"choice": ids["Jerusalem"]}) == 0


def test_weighted_short_answer_earns_the_best_matching_answers_weight():
    question = _import(
        "Jesus Christ was from {\n=Nazareth#Yes!\n=%75%Nazereth#Right, but "
        "misspelled.\n=%25%Bethlehem#Born here.\n=%50%nazereth#Same answer, less.}."
    )
    assert isinstance(question, ShortAnswerQuestion)
    assert _grade(question, {"text": "NAZARETH"}) == 1
    assert _grade(question, {"text": "nazereth"}) == Decimal("0.75")
    assert _grade(question, {"text": "Bethlehem"}) == Decimal("0.25")
    assert _grade(question, {"text": "Jerusalem"}) == 0
    content, key = question.freeze()
    line = question.review_lines(content, key, {"text": "Nazereth"})[0]
    assert line["feedback"] == "Right, but misspelled."


def test_numerical_with_tolerance_range_and_several_graded_answers():
    tolerance = _import("When was Ulysses S. Grant born? {#1822:5}")
    assert isinstance(tolerance, NumericalQuestion)
    assert _grade(tolerance, {"text": "1817"}) == 1
    assert _grade(tolerance, {"text": "1,827"}) == 1
    assert _grade(tolerance, {"text": "1827.01"}) == 0

    ranged = _import("What is pi to 3 decimal places? {#3.141..3.142}.")
    assert _grade(ranged, {"text": "3.1415"}) == 1
    assert _grade(ranged, {"text": "3.14"}) == 0

    graded = _import(
        "When was Ulysses S. Grant born? {#\n=1822:0 #Correct!\n"
        "=%50%1822:2 #He was born in 1822.\n}"
    )
    assert _grade(graded, {"text": "1822"}) == 1
    assert _grade(graded, {"text": "1823"}) == Decimal("0.5")
    assert _grade(graded, {"text": "1830"}) == 0
    content, key = graded.freeze()
    lines = graded.review_lines(content, key, {"text": "1823", "value": "1823"})
    assert lines[0]["feedback"] == "He was born in 1822."


def test_true_false_keeps_the_feedback_for_each_answer():
    question = _import("Grant is buried in Grant's tomb.{F#No one is.#Right.}")
    assert isinstance(question, TrueFalseQuestion)
    assert (question.feedback_true, question.feedback_false) == ("No one is.", "Right.")


# --- formatted text on trainees' pages ----------------------------------------

HOSTILE = (
    "[markdown]Who's buried in **Grant's tomb**?\\n\\n"
    "<script>alert('x')</script><img src=x onerror=alert(1)> "
    "[a link](javascript:alert(2)) {=no one#<b onmouseover\\=alert(3)>excellent</b>"
    "####*See* <script>steal()</script> the tomb.}"
)


@pytest.fixture
def formatted_exam(kps):
    category = QuestionCategory.objects.create(name="Formatted")
    markdown = _import(HOSTILE)
    plain = _import("Is <b>this</b> & that plain text? {T}")
    Question.objects.filter(pk__in=[markdown.pk, plain.pk]).update(
        category=category, status="active"
    )
    exam = WrittenExam.objects.create(
        course=kps,
        title="Formatted text",
        pass_mark_percent=Decimal(50),
        attempts_allowed=1,
        review=WrittenExam.Review.AFTER_CLOSE,
        is_published=True,
        shuffle_questions=False,
    )
    BlueprintRule.objects.create(exam=exam, category=category, count=2)
    return exam


def _assert_safe(html: str) -> None:
    for unsafe in ("<script>", "alert(", "onerror", "onmouseover", "javascript:"):
        assert unsafe not in html, unsafe


def test_markdown_is_rendered_and_sanitised_on_every_page(
    client, formatted_exam, enrolled_trainee
):
    attempt = services.attempt_start(exam=formatted_exam, trainee=enrolled_trainee)
    client.force_login(enrolled_trainee)
    pages = []
    for row in attempt.questions.order_by("position"):
        page = client.get(
            reverse("exams:attempt", args=[attempt.pk]), {"q": row.position}
        ).content.decode()
        pages.append(page)
        if row.content["text_format"] == "markdown":
            assert "<strong>Grant&#x27;s tomb</strong>" in page or (
                "<strong>Grant's tomb</strong>" in page
            )
        else:
            assert "Is &lt;b&gt;this&lt;/b&gt; &amp; that plain text?" in page
        _assert_safe(page)
    from tests.exams.conftest import answer_all_correctly

    answer_all_correctly(attempt)
    services.attempt_submit(attempt=attempt)
    result = client.get(reverse("exams:attempt_result", args=[attempt.pk]))
    html = result.content.decode()
    assert "(correct)" in html  # the review shows answers and feedback here
    assert "<em>See</em>" in html
    assert "<b>excellent</b>" in html
    assert "&lt;b&gt;this&lt;/b&gt;" in html
    _assert_safe(html)


def test_the_admin_preview_is_sanitised_too(client_as, formatted_exam):
    question = Question.objects.get(text_format="markdown")
    html = (
        client_as("trainer")
        .get(reverse("exams_question_preview", args=[question.pk]))
        .content.decode()
    )
    assert "<strong>" in html
    _assert_safe(html.split("<main", 1)[1])
