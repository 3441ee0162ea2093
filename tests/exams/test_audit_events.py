"""Each exam action a state board may ask about leaves one audit event with
who did it, to what, and the numbers before and after."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cms.models import AuditEvent
from exams import services
from exams.models import (
    Accommodation,
    AttemptQuestion,
    OralExam,
    Question,
    Response,
    SingleChoiceQuestion,
)
from tests.factories import (
    SittingFactory,
    oral_exam_scored_with,
    panel_of,
    sitting_scored,
)

pytestmark = pytest.mark.django_db


def last_pk() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def new_events(since, action=None):
    found = AuditEvent.objects.filter(pk__gt=since).order_by("pk")
    return list(found.filter(action=action) if action else found)


def only_event(since, action):
    found = new_events(since, action)
    assert len(found) == 1, [(e.action, e.target_repr) for e in new_events(since)]
    return found[0]


def _essay_waiting(exam, trainee) -> Response:
    attempt = services.attempt_start(exam=exam, trainee=trainee)
    essay = AttemptQuestion.objects.filter(
        attempt=attempt, content__type="essay"
    ).first()
    services.attempt_save_response(
        attempt=attempt,
        position=essay.position,
        answer={"text": "I would listen first."},
        revision=0,
    )
    services.attempt_submit(attempt=attempt)
    return Response.objects.get(attempt_question=essay)


def test_grading_an_essay_records_the_old_and_new_score(big_exam, enrolled_trainee):
    response = _essay_waiting(big_exam, enrolled_trainee)
    trainer = enrolled_trainee.cohort_seats.get().cohort.trainers.get()
    since = last_pk()
    services.response_grade(
        response=response, score=Decimal("3"), comment="Clear.", by=trainer
    )
    services.response_grade(
        response=response, score=Decimal("2.5"), comment="On review.", by=trainer
    )
    first, second = new_events(since, "exam.grade_changed")
    attempt = response.attempt_question.attempt
    assert (first.actor, first.target_object_id) == (trainer, str(attempt.pk))
    assert (first.details["old_score"], first.details["new_score"]) == (None, "3.00")
    assert (second.details["old_score"], second.details["new_score"]) == (
        "3.00",
        "2.50",
    )
    assert second.details["comment"] == "On review."


def test_a_regrade_records_each_changed_score(small_exam, enrolled_trainee, make_user):
    category = small_exam.blueprint.get().category
    Question.objects.filter(category=category).exclude(
        polymorphic_ctype__model="singlechoicequestion"
    ).update(status="retired")
    small_exam.blueprint.update(count=2)
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    row = attempt.questions.all()[0]
    wrong = next(
        c["id"] for c in row.content["choices"] if c["id"] not in row.key["correct"]
    )
    services.attempt_save_response(
        attempt=attempt, position=row.position, answer={"choice": wrong}, revision=None
    )
    services.attempt_submit(attempt=attempt)
    question = SingleChoiceQuestion.objects.get(pk=row.question_id)
    # The key was wrong: the trainee's answer is the right one.
    old_ids = [block.id for block in question.choices]
    question.choices = [
        ("choice", {**block.value, "correct": block.id == wrong})
        for block in question.choices
    ]
    for block, old_id in zip(question.choices, old_ids, strict=True):
        block.id = old_id
    question.save()
    admin = make_user("administrator")
    since = last_pk()
    report = services.question_regrade(question=question, apply=True, by=admin)
    assert report.attempts_changed == 1
    event = only_event(since, "exam.regraded")
    assert (event.actor, event.target_object_id) == (admin, str(attempt.pk))
    assert Decimal(event.details["old_score"]) == 0
    assert Decimal(event.details["new_score"]) == row.points


def test_a_dry_run_regrade_records_nothing(big_exam, make_user):
    question = big_exam.blueprint.first().category.questions.first()
    trainer = make_user("trainer")
    since = last_pk()
    services.question_regrade(question=question, apply=False, by=trainer)
    assert new_events(since) == []


def test_an_import_is_recorded_with_its_counts(make_user):
    admin = make_user("administrator")
    since = last_pk()
    services.questions_import(
        questions=[
            {
                "key": "imp-1",
                "type": "true_false",
                "category": "Imported",
                "text": "Recovery is possible.",
                "answer": True,
            }
        ],
        by=admin,
        source="bank.xlsx",
    )
    event = only_event(since, "questions.imported")
    assert event.actor == admin
    assert event.details == {
        "source": "bank.xlsx",
        "created": 1,
        "updated": 0,
        "questions": ["imp-1"],
    }


def test_granting_changing_and_removing_an_accommodation_is_recorded(client, make_user):
    admin = make_user("administrator")
    trainee = make_user("trainee")
    client.force_login(admin)
    since = last_pk()
    response = client.post(
        reverse("accommodation:add"),
        {
            "trainee": trainee.pk,
            "time_multiplier": "1.50",
            "extra_minutes": "0",
            "extra_attempts": "1",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    accommodation = Accommodation.objects.get(trainee=trainee)
    granted = only_event(since, "accommodation.granted")
    assert (granted.actor, granted.target_object_id) == (admin, str(trainee.pk))
    assert granted.details["time_multiplier"] == "1.50"

    client.post(
        reverse("accommodation:edit", args=[accommodation.pk]),
        {
            "trainee": trainee.pk,
            "time_multiplier": "2.00",
            "extra_minutes": "15",
            "extra_attempts": "1",
            "note": "",
        },
    )
    changed = only_event(since, "accommodation.changed")
    assert changed.details["old"]["time_multiplier"] == "1.50"
    assert changed.details["new"] == {
        "time_multiplier": "2.00",
        "extra_minutes": 15,
        "extra_attempts": 1,
    }

    client.post(reverse("accommodation:delete", args=[accommodation.pk]))
    assert not Accommodation.objects.filter(pk=accommodation.pk).exists()
    assert only_event(since, "accommodation.removed").actor == admin


# Oral exams -------------------------------------------------------------------------


def test_submitting_a_score_sheet_records_the_levels_and_the_decision():
    sitting = SittingFactory()
    since = last_pk()
    sitting = sitting_scored(sitting, [3, 3, 3], [3, 4, 3])
    first, second = new_events(since, "oral.sheet_submitted")
    examiners = panel_of(sitting)
    assert [first.actor, second.actor] == examiners
    assert sorted(second.details["scores"].values()) == [3, 3, 4]
    decided = only_event(since, "oral.decided")
    assert decided.target_object_id == str(sitting.pk)
    assert decided.details["passed"] is True
    assert decided.details["released"] is True  # released at once


def test_a_reconciliation_a_reopening_and_a_release_are_recorded(make_user):
    exam = oral_exam_scored_with(release=OralExam.Release.BY_ADMINISTRATOR)
    sitting = sitting_scored(SittingFactory(oral_exam=exam), [1, 3, 3], [3, 3, 3])
    lead = sitting.booking.slot.lead_examiner
    first = sitting.criteria[0]["key"]
    since = last_pk()
    services.sitting_reconcile(
        sitting=sitting, by=lead, agreed={first: 3}, notes={first: "Both heard it."}
    )
    reconciled = only_event(since, "oral.reconciled")
    assert reconciled.actor == lead
    assert reconciled.details == {
        "agreed": {first: 3},
        "notes": {first: "Both heard it."},
    }
    assert only_event(since, "oral.decided").details["released"] is False

    admin = make_user("administrator")
    services.sittings_release(sitting_ids=[sitting.pk], by=admin)
    released = only_event(since, "oral.released")
    assert (released.actor, released.target_object_id) == (admin, str(sitting.pk))

    sheet = sitting.sheets.get(examiner=lead)
    services.score_sheet_reopen(sheet=sheet, by=admin, reason="Wrong trainee.")
    reopened = only_event(since, "oral.sheet_reopened")
    assert (reopened.actor, reopened.reason) == (admin, "Wrong trainee.")
    assert reopened.details["examiner"] == lead.pk
