"""Starting, saving, expiring, submitting and reviewing attempts."""

import datetime
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from exams import services
from exams.models import Accommodation, Attempt, AttemptQuestion, Question, Response

from .conftest import answer_all_correctly, right_answer

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 12, 1, 14, 0, tzinfo=datetime.UTC)


def save(client, attempt, position, answer, revision):
    return client.post(
        reverse("exams:attempt_save", args=[attempt.pk]),
        data=json.dumps({"position": position, "answer": answer, "revision": revision}),
        content_type="application/json",
    )


def test_start_freezes_questions_and_sets_the_deadline(small_exam, enrolled_trainee):
    with time_machine.travel(START, tick=False):
        attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    assert attempt.deadline == START + datetime.timedelta(minutes=30)
    assert attempt.questions.count() == 4
    frozen = attempt.questions.first()
    question = Question.objects.get(pk=frozen.question_id)
    question.text = "Edited after the attempt started"
    question.save()
    frozen.refresh_from_db()
    assert frozen.content["text"] != "Edited after the attempt started"


def test_every_frozen_question_is_written_whole_with_an_empty_response(
    big_exam, enrolled_trainee
):
    """On PostgreSQL one statement writes the questions and their responses
    from a JSON document; elsewhere the ORM does. Either way each column holds
    what the question froze, in its own type."""
    big_exam.shuffle_choices = False
    big_exam.save()
    rule_points = {rule.category.name: rule.points for rule in big_exam.blueprint.all()}
    attempt = services.attempt_start(exam=big_exam, trainee=enrolled_trainee)

    rows = list(attempt.questions.select_related("response").order_by("position"))
    assert [row.position for row in rows] == list(range(1, len(rows) + 1))
    assert len(rows) == Question.objects.filter(status="active").count() > 20
    for row in rows:
        question = Question.objects.get(pk=row.question_id)
        content, key = question.freeze()
        if content["type"] in ("matching", "ordering"):  # always shown shuffled
            assert row.content["text"] == content["text"]
            assert row.key["type"] == key["type"]
        else:
            assert (row.content, row.key) == (content, key)
        assert row.category_name == question.category.name
        assert row.points == (rule_points[row.category_name] or question.points)
        assert isinstance(row.points, Decimal) and row.flagged is False
        assert (row.response.answer, row.response.revision) == (None, 0)
        assert row.response.comment == "" and row.response.saved_at is None
    assert attempt.max_score == sum(row.points for row in rows)


def test_starting_again_resumes_the_same_attempt(small_exam, enrolled_trainee):
    first = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    second = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    assert first.pk == second.pk
    assert Attempt.objects.count() == 1


def test_only_enrolled_trainees_may_start(small_exam, make_user):
    with pytest.raises(PermissionDenied, match="Enroll"):
        services.attempt_start(exam=small_exam, trainee=make_user("trainee"))


def test_attempt_limit_and_waiting_period(small_exam, enrolled_trainee):
    small_exam.wait_between_attempts_hours = 24
    small_exam.save()
    with time_machine.travel(START, tick=False):
        first = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
        services.attempt_submit(attempt=first)
        with pytest.raises(PermissionDenied, match="try again from"):
            services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    with time_machine.travel(START + datetime.timedelta(hours=25), tick=False):
        second = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
        services.attempt_submit(attempt=second)
    with time_machine.travel(START + datetime.timedelta(hours=50), tick=False):
        with pytest.raises(PermissionDenied, match="used all your attempts"):
            services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
        Accommodation.objects.create(trainee=enrolled_trainee, extra_attempts=1)
        third = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    assert third.number == 3


def test_correct_answers_pass_and_submit_twice_grades_once(
    small_exam, enrolled_trainee
):
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    answer_all_correctly(attempt)
    services.attempt_submit(attempt=attempt)
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.GRADED
    assert attempt.percent == Decimal("100.00")
    assert attempt.passed is True
    submitted_at = attempt.submitted_at
    again = services.attempt_submit(attempt=attempt)
    assert again.submitted_at == submitted_at
    assert again.score == attempt.score


def test_unanswered_attempt_fails(small_exam, enrolled_trainee):
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    services.attempt_submit(attempt=attempt)
    attempt.refresh_from_db()
    assert attempt.score == 0
    assert attempt.passed is False


def test_stale_save_is_refused_and_overwrites_nothing(
    client, small_exam, enrolled_trainee
):
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    client.force_login(enrolled_trainee)
    row = attempt.questions.get(position=1)
    answer = right_answer(row.content, row.key)
    first_tab = save(client, attempt, 1, answer, 0)
    assert first_tab.json()["revision"] == 1
    second_tab = save(client, attempt, 1, None, 0)  # loaded before the first save
    assert second_tab.status_code == 409
    assert second_tab.json()["code"] == "stale"
    row.response.refresh_from_db()
    assert row.response.answer is not None
    assert row.response.revision == 1


def test_save_after_the_deadline_is_refused_and_said_so(
    client, small_exam, enrolled_trainee
):
    with time_machine.travel(START, tick=False):
        attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    client.force_login(enrolled_trainee)
    row = attempt.questions.get(position=1)
    with time_machine.travel(START + datetime.timedelta(minutes=10), tick=False):
        ok = save(client, attempt, 1, right_answer(row.content, row.key), 0)
        assert ok.status_code == 200
        assert ok.json()["seconds_left"] == 20 * 60
    with time_machine.travel(START + datetime.timedelta(minutes=31), tick=False):
        late = save(client, attempt, 2, None, 0)
        assert late.status_code == 409
        assert late.json()["code"] == "closed"
        assert "Time is up" in late.json()["error"]


def test_expired_attempt_is_closed_with_its_saved_answers_without_the_trainee(
    small_exam, enrolled_trainee
):
    with time_machine.travel(START, tick=False):
        attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
        answer_all_correctly(attempt)
    with time_machine.travel(START + datetime.timedelta(minutes=29), tick=False):
        assert services.attempts_close_expired() == 0
    with time_machine.travel(START + datetime.timedelta(minutes=45), tick=False):
        from django.core.management import call_command

        call_command("close_expired_attempts", verbosity=0)
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.GRADED
    assert attempt.closed_by_deadline
    assert attempt.submitted_at == attempt.deadline
    assert attempt.percent == Decimal("100.00")


def test_expired_attempt_is_closed_when_the_trainee_comes_back(
    client, small_exam, enrolled_trainee
):
    with time_machine.travel(START, tick=False):
        attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    client.force_login(enrolled_trainee)
    with time_machine.travel(START + datetime.timedelta(hours=2), tick=False):
        response = client.get(reverse("exams:attempt", args=[attempt.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("exams:attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.closed_by_deadline


def test_accommodation_extends_the_deadline_past_the_closing_time(
    small_exam, enrolled_trainee
):
    small_exam.closes_at = START + datetime.timedelta(minutes=20)
    small_exam.save()
    with time_machine.travel(START, tick=False):
        plain = services.deadline_for(
            exam=small_exam, trainee=enrolled_trainee, started_at=START
        )
        assert plain == small_exam.closes_at  # the close cuts the 30 minutes short
        Accommodation.objects.create(
            trainee=enrolled_trainee, time_multiplier=Decimal("1.5")
        )
        attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    # 30 min x 1.5 = 45 min; the close moves by the same 15 extra minutes.
    assert attempt.deadline == small_exam.closes_at + datetime.timedelta(minutes=15)
    assert attempt.deadline > small_exam.closes_at
    with time_machine.travel(START + datetime.timedelta(minutes=30), tick=False):
        row = attempt.questions.get(position=1)
        receipt = services.attempt_save_response(
            attempt=attempt,
            position=1,
            answer=right_answer(row.content, row.key),
            revision=0,
        )
        assert receipt.seconds_left == 5 * 60


def test_trainee_sees_their_allowance_before_starting(
    client, small_exam, enrolled_trainee
):
    Accommodation.objects.create(
        trainee=enrolled_trainee, time_multiplier=Decimal("1.5"), extra_attempts=1
    )
    client.force_login(enrolled_trainee)
    html = client.get(reverse("exams:exam_detail", args=[small_exam.pk])).content
    html = html.decode()
    assert "You have 45 minutes for each attempt." in html
    assert "1 extra attempt." in html
    assert "2 of 3 used" not in html and "0 of 3 used" in html


def test_essays_wait_in_the_grading_queue_then_the_result_is_final(
    client, kps, make_user, enrolled_trainee, question_bank
):
    from exams.models import BlueprintRule, QuestionCategory, WrittenExam

    exam = WrittenExam.objects.create(
        course=kps,
        title="Essay exam",
        pass_mark_percent=Decimal("50"),
        is_published=True,
    )
    essays = Question.objects.filter(polymorphic_ctype__model="essayquestion")
    category = QuestionCategory.objects.create(name="Essays only")
    essays.update(category=category, status="active")
    BlueprintRule.objects.create(exam=exam, category=category, count=1)
    attempt = services.attempt_start(exam=exam, trainee=enrolled_trainee)
    services.attempt_save_response(
        attempt=attempt,
        position=1,
        answer={"text": "I would say no kindly."},
        revision=0,
    )
    services.attempt_submit(attempt=attempt)
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.NEEDS_GRADING

    # A trainer of the course grades its essays.
    trainer = enrolled_trainee.cohort_seats.get().cohort.trainers.get()
    client.force_login(trainer)
    queue = client.get(reverse("exams:grading_queue")).content.decode()
    response = AttemptQuestion.objects.get(attempt=attempt).response
    url = reverse("exams:grade_response", args=[response.pk])
    assert url in queue
    too_high = client.post(url, {"score": "99", "comment": ""})
    assert "The most this question can earn" in too_high.content.decode()
    client.post(url, {"score": "3", "comment": "Clear boundary, kindly said."})
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.GRADED
    assert attempt.score == Decimal("3.00")
    client.force_login(enrolled_trainee)
    assert client.get(reverse("exams:grading_queue")).status_code == 403


def test_no_javascript_save_and_next(client, small_exam, enrolled_trainee):
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    client.force_login(enrolled_trainee)
    row = attempt.questions.get(position=1)
    data = {"position": 1, "revision": 0, "go": "next", "flagged": "on"}
    if row.content["type"] == "single_choice":
        data["choice"] = row.content["choices"][0]["id"]
    elif row.content["type"] == "true_false":
        data["answer"] = "true"
    elif row.content["type"] == "multiple_response":
        data["choices"] = [row.content["choices"][0]["id"]]
    else:
        data["text"] = "an answer"
    response = client.post(reverse("exams:attempt", args=[attempt.pk]), data)
    assert response.status_code == 302
    assert response["Location"].endswith("?q=2")
    row.refresh_from_db()
    row.response.refresh_from_db()
    assert row.flagged
    assert row.response.revision == 1
    page = client.get(response["Location"]).content.decode()
    assert "is-flagged" in page


def test_the_question_panel_marks_each_question_answered_flagged_or_current(
    client, small_exam, enrolled_trainee
):
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    client.force_login(enrolled_trainee)
    first = attempt.questions.get(position=1)
    save(client, attempt, 1, right_answer(first.content, first.key), 0)
    services.attempt_save_response(
        attempt=attempt, position=3, answer=None, revision=0, flagged=True
    )

    page = client.get(reverse("exams:attempt", args=[attempt.pk]), {"q": 3})

    html = page.content.decode()
    button = (
        '<li><button form="question-form" type="submit" name="go" value="{n}" '
        'class="qnav__item{classes}" data-position="{n}"{current}>{n}'
        '<span class="visually-hidden"> {state}</span></button></li>'
    )
    assert (
        button.format(n=1, classes=" is-answered", current="", state="answered") in html
    )
    assert button.format(n=2, classes="", current="", state="not answered") in html
    assert (
        button.format(
            n=3,
            classes=" is-flagged is-current",
            current=' aria-current="step"',
            state="not answered, flagged",
        )
        in html
    )
    assert html.count('class="qnav__item') == 4


def test_the_question_panel_escapes_its_words():
    from types import SimpleNamespace

    from exams.templatetags.exams_tags import question_nav

    questions = [SimpleNamespace(position=1, answered=True, flagged=True)]
    html = question_nav(questions, 1, "<b>done</b>", "open", 'flag"ged')

    assert "&lt;b&gt;done&lt;/b&gt;, flag&quot;ged</span>" in html
    assert "<b>" not in html


def test_the_page_reads_only_the_shown_question_whole(small_exam, enrolled_trainee):
    from exams import selectors

    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    rows = list(attempt.questions.order_by("position"))
    services.attempt_save_response(
        attempt=attempt,
        position=2,
        answer=right_answer(rows[1].content, rows[1].key),
        revision=0,
    )

    views = selectors.attempt_questions(attempt=attempt, content_at=2)

    assert [view.content for view in views] == [
        row.content if row.position == 2 else {"type": row.content["type"]}
        for row in rows
    ]
    assert [view.answered for view in views] == [False, True, False, False]
    whole = selectors.attempt_questions(attempt=attempt)
    assert [view.content for view in whole] == [row.content for row in rows]
    assert [view.answered for view in whole] == [False, True, False, False]


@pytest.mark.parametrize(
    ("asked", "shown"), [("3", 3), ("0", 1), ("-4", 1), ("x", 1), (str(10**30), 4)]
)
def test_the_page_shows_the_question_asked_or_the_nearest(
    client, small_exam, enrolled_trainee, asked, shown
):
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    client.force_login(enrolled_trainee)
    row = attempt.questions.get(position=shown)

    page = client.get(reverse("exams:attempt", args=[attempt.pk]), {"q": asked})

    assert page.status_code == 200
    assert page.context["current"].content == row.content
    assert f"Question {shown} of 4" in page.content.decode()


def test_submit_page_counts_unanswered(client, small_exam, enrolled_trainee):
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    client.force_login(enrolled_trainee)
    html = client.get(reverse("exams:attempt_submit", args=[attempt.pk])).content
    assert "4 questions are not answered" in html.decode()
    client.post(reverse("exams:attempt_submit", args=[attempt.pk]))
    client.post(reverse("exams:attempt_submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.GRADED


def _form_fields(row, *, revision):
    """What the question form posts for its first choice (or some text)."""
    data = {"position": row.position, "revision": revision}
    kind = row.content["type"]
    if kind == "single_choice":
        data["choice"] = row.content["choices"][0]["id"]
    elif kind == "multiple_response":
        data["choices"] = [row.content["choices"][0]["id"]]
    elif kind == "true_false":
        data["answer"] = "false"
    elif kind == "matching":
        option = row.content["options"][0]["id"]
        data.update({f"match-{p['id']}": option for p in row.content["prompts"]})
    elif kind == "ordering":
        data.update(
            {f"rank-{item['id']}": n for n, item in enumerate(row.content["items"])}
        )
    else:
        data["text"] = "an answer"
    return data


def test_autosave_of_the_question_form_saves_and_acknowledges(
    client, small_exam, enrolled_trainee
):
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    client.force_login(enrolled_trainee)
    row = attempt.questions.get(position=2)
    data = {**_form_fields(row, revision=0), "flagged": "on"}

    response = client.post(
        reverse("exams:attempt_save", args=[attempt.pk]),
        data,
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["ok"] and body["position"] == 2 and body["revision"] == 1
    assert body["answered"] is True and body["flagged"] is True
    row.refresh_from_db()
    row.response.refresh_from_db()
    assert row.flagged
    assert row.response.revision == 1
    assert row.question_class.is_answered(row.response.answer)
    # The same form again, from the page that has not seen revision 1: refused.
    again = client.post(reverse("exams:attempt_save", args=[attempt.pk]), data)
    assert again.status_code == 409 and again.json()["code"] == "stale"


@pytest.mark.parametrize(
    "change",
    [
        {"position": ""},
        {"position": "0"},
        {"position": "99"},
        {"revision": "latest"},
        {"choice": "forged-id", "choices": "forged-id", "answer": "maybe"},
    ],
)
def test_tampered_form_saves_get_a_clear_400_and_change_nothing(
    client, small_exam, enrolled_trainee, change
):
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    client.force_login(enrolled_trainee)
    rows = list(attempt.questions.all())
    if "choice" in change:  # forge a choice on a question that has choices
        rows = [row for row in rows if "choices" in row.content]
    row = rows[0]
    data = {**_form_fields(row, revision=0), **change}

    response = client.post(reverse("exams:attempt_save", args=[attempt.pk]), data)

    assert response.status_code == 400
    assert response.json()["error"]
    assert not Response.objects.filter(
        attempt_question__attempt=attempt, revision__gt=0
    ).exists()


def test_form_save_to_another_trainees_attempt_is_not_found(
    client, small_exam, enrolled_trainee, make_user, kps
):
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    other = make_user("trainee")
    client.force_login(other)
    row = attempt.questions.get(position=1)

    response = client.post(
        reverse("exams:attempt_save", args=[attempt.pk]),
        _form_fields(row, revision=0),
    )

    assert response.status_code == 404
    row.response.refresh_from_db()
    assert row.response.revision == 0


@pytest.mark.parametrize("attempt_id", [2**63, 10**30])
def test_a_save_to_an_attempt_number_no_database_holds_is_not_found(
    client, enrolled_trainee, attempt_id
):
    client.force_login(enrolled_trainee)
    url = reverse("exams:attempt_save", args=[1]).replace("/1/", f"/{attempt_id}/")

    response = client.post(
        url,
        json.dumps({"position": 1, "answer": None, "revision": None}),
        content_type="application/json",
    )

    assert response.status_code == 404


def test_the_attempt_page_leaves_out_the_site_menus(
    client, small_exam, enrolled_trainee
):
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    client.force_login(enrolled_trainee)
    exam_page = client.get(reverse("exams:exam_detail", args=[small_exam.pk]))
    attempt_page = client.get(reverse("exams:attempt", args=[attempt.pk]))
    assert 'class="site-nav"' in exam_page.content.decode()
    html = attempt_page.content.decode()
    assert 'class="site-nav"' not in html and "site-footer" not in html
    assert "Sign out" in html and 'id="question-form"' in html


def test_the_finish_page_is_focused_and_says_how_long_is_left(
    client, small_exam, enrolled_trainee, time_machine
):
    time_machine.move_to("2026-03-02 10:00:00+00:00", tick=False)
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    client.force_login(enrolled_trainee)
    time_machine.move_to(attempt.deadline - datetime.timedelta(seconds=90), tick=False)
    html = client.get(reverse("exams:attempt_submit", args=[attempt.pk])).content
    html = html.decode()
    assert 'class="site-nav"' not in html and "site-footer" not in html
    assert "Less than 2 minutes are left" in html


@pytest.mark.parametrize("mfa_required", [False, True])
def test_a_save_asks_only_what_it_must_with_two_step_verification_on_or_off(
    client, small_exam, enrolled_trainee, settings, mfa_required
):
    """The busiest request of an exam: the session, the user, the attempt's
    lock, the question with its answer, the write. The staff second-factor
    check must not add a permission lookup to it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.MFA_REQUIRED_FOR_STAFF = mfa_required
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    client.force_login(enrolled_trainee)
    row = attempt.questions.get(position=1)
    save(client, attempt, 1, right_answer(row.content, row.key), 0)  # activity noted

    with CaptureQueriesContext(connection) as queries:
        response = save(client, attempt, 1, None, 1)

    assert response.status_code == 200 and response.json()["revision"] == 2
    statements = [q["sql"] for q in queries.captured_queries]
    assert not any("auth_permission" in sql for sql in statements), statements
    writes = [s for s in statements if s.startswith(("UPDATE", "INSERT"))]
    assert len(writes) == 1, statements  # the answer; the session is not rewritten
