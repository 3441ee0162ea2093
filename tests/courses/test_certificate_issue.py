"""Completion certificates: issued exactly once when a course's completion
rule is met, on the completing event, by the sweep or by hand; refused with
what is missing; revoked and reissued without deleting anything."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from courses import selectors, services
from courses.models import (
    AgeRequirement,
    Certificate,
    HourEntry,
    Requirement,
    certificate_code_grouped,
    certificate_code_normalise,
)
from tests.factories import certificate_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, private_media):
    return certificate_world()


def test_a_trainee_short_of_the_rule_is_refused_with_what_is_missing(world):
    with pytest.raises(services.CompletionNotMet) as refused:
        services.certificate_issue(trainee=world.trainee, course=world.course)
    message = " ".join(refused.value.messages)
    assert "Complete every module of Kentucky Peer Specialist Training" in message
    assert "1 of 2 modules completed" in message
    assert "18 or older" not in message  # met, so not named
    assert not Certificate.objects.exists()


def test_a_course_without_a_completion_rule_issues_nothing(world):
    Requirement.objects.filter(completion_of=world.course).delete()
    world.finish()
    with pytest.raises(services.CompletionNotMet, match="no completion rule"):
        services.certificate_issue(trainee=world.trainee, course=world.course)


def test_the_completing_event_issues_the_certificate_once(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        world.finish()
    certificate = Certificate.objects.get()
    assert certificate.trainee == world.trainee
    assert certificate.status == Certificate.Status.VALID
    assert certificate.legal_name == "Alex Q. Trainee"
    assert certificate.course_title == "Kentucky Peer Specialist Training"
    assert certificate.course_version == world.course.live_revision_id
    assert certificate.cohort == world.cohort
    assert certificate.cohort_name == "Louisville KPS week"
    assert certificate.trainer_names == ["Terry Trainer"]
    assert certificate.hours_by_topic == [
        {
            "category": "kps-core",
            "name": "Kentucky Peer Specialist core training",
            "hours": "12.00",
        }
    ]
    assert certificate.total_hours == Decimal("12.00")
    assert certificate.entries.count() == 2
    assert certificate.issued_by is None
    assert len(certificate.requirements_met) == 2
    # The PDF was rendered by the task queued after the commit.
    assert certificate.pdf
    # Recording the same attendance again, or the sweep, issues nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        world.attend(1, minutes=300)
    call_command("issue_due_certificates", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Certificate.objects.count() == 1


def test_issuing_twice_returns_the_certificate_already_held(world):
    world.finish()
    first, created = services.certificate_issue(
        trainee=world.trainee, course=world.course
    )
    again, created_again = services.certificate_issue(
        trainee=world.trainee, course=world.course
    )
    assert created and not created_again
    assert again == first


def test_the_database_refuses_a_second_valid_certificate(world):
    world.finish()
    certificate, _ = services.certificate_issue(
        trainee=world.trainee, course=world.course
    )
    duplicate = Certificate(
        trainee=world.trainee,
        legal_name="x",
        course=world.course,
        course_title="x",
        completed_on=datetime.date(2026, 1, 1),
        issuer_name="x",
        issued_at=certificate.issued_at,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_the_code_has_160_bits_and_is_read_in_groups(world):
    world.finish()
    certificate, _ = services.certificate_issue(
        trainee=world.trainee, course=world.course
    )
    assert len(certificate.code) == 32  # 32 base32 characters = 160 bits
    assert set(certificate.code) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    grouped = certificate.grouped_code
    assert grouped.count("-") == 7 and grouped.replace("-", "") == certificate.code
    assert certificate_code_normalise(grouped.lower().replace("-", " ")) == (
        certificate.code
    )
    assert certificate_code_grouped("ABCDEFGH") == "ABCD-EFGH"


def test_the_sweep_issues_what_is_due_and_nothing_twice(world):
    world.finish()  # outside on_commit capture: no task ran
    assert [(d.trainee, d.course) for d in selectors.certificates_due()] == [
        (world.trainee, world.course)
    ]
    call_command("issue_due_certificates", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Certificate.objects.filter(trainee=world.trainee).count() == 1
    assert selectors.certificates_due() == []
    call_command("issue_due_certificates", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Certificate.objects.count() == 1


def test_an_underage_trainee_is_not_due(world):
    world.trainee.date_of_birth = datetime.date.today() - datetime.timedelta(days=365)
    world.trainee.save()
    world.finish()
    assert selectors.certificates_due() == []
    with pytest.raises(services.CompletionNotMet, match="18 or older"):
        services.certificate_issue(trainee=world.trainee, course=world.course)


def test_a_manual_issue_needs_a_reason_and_records_who(world, make_user):
    admin = make_user("administrator")
    world.finish()
    with pytest.raises(ValidationError) as refused:
        services.certificate_issue(
            trainee=world.trainee, course=world.course, by=admin, reason="  "
        )
    assert "reason" in refused.value.message_dict
    certificate, created = services.certificate_issue(
        trainee=world.trainee,
        course=world.course,
        by=admin,
        reason="Attendance sheet arrived late",
    )
    assert created and certificate.issued_by == admin
    assert certificate.issue_reason == "Attendance sheet arrived late"


def test_revoking_records_who_when_why_emails_the_trainee_and_deletes_nothing(
    world, make_user, django_capture_on_commit_callbacks
):
    admin = make_user("administrator")
    world.finish()
    certificate, _ = services.certificate_issue(
        trainee=world.trainee, course=world.course
    )
    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=certificate, by=admin, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(
            certificate=certificate, by=admin, reason="Issued in error"
        )
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revoked_by == admin and certificate.revoked_at is not None
    assert certificate.revocation_reason == "Issued in error"
    assert [m.to for m in mail.outbox] == [[world.trainee.email]]
    assert "Issued in error" in mail.outbox[0].body
    assert reverse("courses:verify_code", args=[certificate.code]) in (
        mail.outbox[0].body
    )
    with pytest.raises(ValidationError, match="already revoked"):
        services.certificate_revoke(certificate=certificate, by=admin, reason="Again")
    assert Certificate.objects.count() == 1


def test_a_revoked_certificate_lets_the_trainee_be_issued_a_new_one(world, make_user):
    admin = make_user("administrator")
    world.finish()
    old, _ = services.certificate_issue(trainee=world.trainee, course=world.course)
    services.certificate_revoke(certificate=old, by=admin, reason="Wrong course")
    new, created = services.certificate_issue(
        trainee=world.trainee, course=world.course
    )
    assert created and new.code != old.code


def test_reissue_after_a_change_of_legal_name_supersedes_the_old(world, make_user):
    admin = make_user("administrator")
    world.finish()
    old, _ = services.certificate_issue(trainee=world.trainee, course=world.course)
    with pytest.raises(ValidationError, match=r"still Alex Q\. Trainee"):
        services.certificate_reissue(certificate=old, by=admin, reason="Name")
    world.trainee.legal_name = "Alex Q. Newname"
    world.trainee.save()
    new = services.certificate_reissue(
        certificate=old, by=admin, reason="Legal name changed"
    )
    old.refresh_from_db()
    assert old.status == Certificate.Status.SUPERSEDED
    assert old.superseded_by == new
    assert new.legal_name == "Alex Q. Newname"
    assert new.hours_by_topic == old.hours_by_topic
    assert new.completed_on == old.completed_on
    assert set(new.entries.all()) == set(old.entries.all())
    with pytest.raises(ValidationError, match="Only a valid certificate"):
        services.certificate_reissue(certificate=old, by=admin, reason="Again")
    with pytest.raises(ValidationError, match="superseded"):
        services.certificate_revoke(certificate=old, by=admin, reason="x")


def test_reversing_a_covered_row_flags_the_certificate_for_review(world, make_user):
    admin = make_user("administrator")
    world.finish()
    certificate, _ = services.certificate_issue(
        trainee=world.trainee, course=world.course
    )
    world.attend(1, minutes=120)  # a correction reverses the covered row
    certificate.refresh_from_db()
    assert certificate.needs_review
    assert "Attendance corrected" in certificate.review_note
    assert certificate.total_hours == Decimal("12.00")  # unchanged
    assert selectors.certificates_for_review() == [certificate]
    services.certificate_review_close(
        certificate=certificate, by=admin, note="Kept: the day was taught"
    )
    assert selectors.certificates_for_review() == []


def test_certificate_rows_are_marked_in_the_ledger(world):
    world.finish()
    certificate, _ = services.certificate_issue(
        trainee=world.trainee, course=world.course
    )
    covered = HourEntry.objects.filter(certificates=certificate)
    assert covered.count() == 2


def test_a_rule_needs_a_credential_or_a_course_but_not_both(world):
    rule = AgeRequirement(
        minimum_age=18,
        source_citation="x",
        effective_date=datetime.date(2026, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert "credential" in refused.value.message_dict
    rule.completion_of = world.course
    rule.credential = world.course.credential
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert "completion_of" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        rule.save()
