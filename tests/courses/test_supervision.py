"""Supervisory agreements, signatures, sessions and experience logs: only
what both people signed, under an agreement both signed, reaches the ledger."""

import datetime
import hashlib
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum

from cms import roles
from courses.models import HourEntry, Signature
from courses.services import supervision as services
from courses.services.supervision import agreement_is_signed, signed_roles
from tests.factories import (
    adpss_credential,
    log_experience,
    log_session,
    make_agreement,
    signing_context,
    supervision_domains,
    supervisor_credential_type,
    user_with_role,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 15, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def supervision_hours(trainee) -> Decimal:
    return HourEntry.objects.filter(
        trainee=trainee, kind="supervision", status="verified"
    ).aggregate(total=Sum("hours"))["total"] or Decimal(0)


def test_a_signature_records_the_hash_of_the_exact_text_signed():
    agreement = make_agreement(signed=False)
    signature = Signature.objects.get(object_id=agreement.pk)
    text = agreement.signed_text()
    assert signature.signed_text == text
    assert signature.text_sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert signature.text_is_intact
    assert signature.ip_address == "203.0.113.7"
    assert signature.user_agent == "pytest browser"
    assert agreement.supervisor.legal_name in signature.intent
    assert signed_roles(agreement) == {"supervisor"}


def test_signatures_are_append_only():
    agreement = make_agreement()
    signature = Signature.objects.filter(object_id=agreement.pk).first()
    signature.typed_name = "Someone else"
    with pytest.raises(ValidationError):
        signature.save()
    with pytest.raises(ValidationError):
        signature.delete()


def test_changing_the_agreement_needs_new_signatures_and_a_new_approval():
    agreement = make_agreement(approved=True)
    assert agreement_is_signed(agreement)
    agreement.refresh_from_db()
    assert agreement.is_approved
    services.agreement_change(
        agreement=agreement,
        by=agreement.supervisor,
        start_date=agreement.start_date,
        end_date=datetime.date(2027, 6, 30),
        credential_type=agreement.supervisor_credential_type,
        credential_number="CADC-1234",
        typed_name=agreement.supervisor.legal_name,
        signing=signing_context(),
    )
    agreement.refresh_from_db()
    assert signed_roles(agreement) == {"supervisor"}
    assert not agreement.is_approved
    # The old signatures are kept.
    assert Signature.objects.filter(object_id=agreement.pk).count() == 3
    services.agreement_sign(
        agreement=agreement,
        by=agreement.trainee,
        typed_name=agreement.trainee.legal_name,
        signing=signing_context(),
    )
    assert agreement_is_signed(agreement)


def test_signing_twice_is_refused_and_changes_nothing():
    agreement = make_agreement()
    with pytest.raises(ValidationError, match="already been signed"):
        services.agreement_sign(
            agreement=agreement,
            by=agreement.trainee,
            typed_name=agreement.trainee.legal_name,
            signing=signing_context(),
        )
    assert Signature.objects.filter(object_id=agreement.pk).count() == 2


def test_a_typed_name_that_is_not_the_signers_is_refused():
    agreement = make_agreement(signed=False)
    with pytest.raises(ValidationError) as error:
        services.agreement_sign(
            agreement=agreement,
            by=agreement.trainee,
            typed_name="Mickey Mouse",
            signing=signing_context(),
        )
    assert "typed_name" in error.value.message_dict
    assert signed_roles(agreement) == {"supervisor"}


def test_someone_else_cannot_sign_an_agreement():
    agreement = make_agreement(signed=False)
    outsider = user_with_role(roles.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        services.agreement_sign(
            agreement=agreement,
            by=outsider,
            typed_name=outsider.legal_name,
            signing=signing_context(),
        )


def test_an_agreement_without_a_credential_number_is_refused():
    trainee = user_with_role(roles.TRAINEE)
    supervisor = user_with_role(roles.SUPERVISOR)
    with pytest.raises(ValidationError) as error:
        services.agreement_create(
            trainee=trainee,
            supervisor=supervisor,
            credential=adpss_credential(),
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2026, 12, 31),
            credential_type=supervisor_credential_type(),
            credential_number="   ",
            by=supervisor,
            typed_name=supervisor.legal_name,
            signing=signing_context(),
        )
    assert "supervisor_credential_number" in error.value.message_dict
    assert not trainee.supervision_agreements.exists()


def test_only_a_supervisor_can_be_named_supervisor():
    trainee = user_with_role(roles.TRAINEE)
    trainer = user_with_role(roles.TRAINER)
    with pytest.raises(ValidationError) as error:
        services.agreement_create(
            trainee=trainee,
            supervisor=trainer,
            credential=adpss_credential(),
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2026, 12, 31),
            credential_type=supervisor_credential_type(),
            credential_number="X1",
            by=trainer,
            typed_name=trainer.legal_name,
            signing=signing_context(),
        )
    assert "supervisor" in error.value.message_dict


def test_a_session_signed_by_one_person_credits_nothing():
    agreement = make_agreement()
    log_session(agreement, minutes=90)
    assert supervision_hours(agreement.trainee) == 0


def test_a_session_signed_by_both_credits_its_hours_shared_among_domains():
    agreement = make_agreement()
    domains = supervision_domains()
    session = log_session(agreement, minutes=100, domains=domains[:3], signed=True)
    assert session.status == "signed"
    rows = HourEntry.objects.filter(trainee=agreement.trainee, kind="supervision")
    assert rows.count() == 3
    assert sum(row.hours for row in rows) == Decimal("1.67")
    assert {row.category_id for row in rows} == {
        d.hour_category_id for d in domains[:3]
    }
    assert all(row.verified_by == agreement.supervisor for row in rows)


def test_a_session_logged_by_the_supervisor_is_signed_by_the_trainee():
    agreement = make_agreement()
    session = log_session(agreement, by=agreement.supervisor, signed=True)
    assert session.status == "signed"
    assert supervision_hours(agreement.trainee) == Decimal(1)


def test_a_session_that_is_not_direct_counts_no_hours():
    agreement = make_agreement()
    log_session(agreement, is_direct=False, signed=True)
    assert supervision_hours(agreement.trainee) == 0


def test_signing_ones_own_log_again_is_refused():
    agreement = make_agreement()
    session = log_session(agreement)
    with pytest.raises(ValidationError, match="waits for the other person"):
        services.log_sign(
            log=session,
            by=agreement.trainee,
            typed_name=agreement.trainee.legal_name,
            signing=signing_context(),
        )
    assert supervision_hours(agreement.trainee) == 0


def test_signing_a_log_twice_is_refused_and_credits_once():
    agreement = make_agreement()
    session = log_session(agreement, signed=True)
    with pytest.raises(ValidationError, match="already signed"):
        services.log_sign(
            log=session,
            by=agreement.supervisor,
            typed_name=agreement.supervisor.legal_name,
            signing=signing_context(),
        )
    assert supervision_hours(agreement.trainee) == Decimal(1)


def test_someone_elses_log_cannot_be_signed():
    session = log_session(make_agreement())
    other = user_with_role(roles.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        services.log_sign(
            log=session,
            by=other,
            typed_name=other.legal_name,
            signing=signing_context(),
        )


def test_a_session_under_an_unsigned_agreement_is_refused():
    agreement = make_agreement(signed=False)
    with pytest.raises(ValidationError, match="not signed by both"):
        log_session(agreement)


@pytest.mark.parametrize(
    "date", [datetime.date(2025, 12, 31), datetime.date(2026, 3, 16)]
)
def test_a_session_outside_the_agreement_or_in_the_future_is_refused(date):
    agreement = make_agreement(end_date=datetime.date(2026, 12, 31))
    with pytest.raises(ValidationError) as error:
        log_session(agreement, date=date)
    assert "date" in error.value.message_dict


@pytest.mark.parametrize("minutes", [0, -5, 1441, 5000])
def test_absurd_minutes_are_refused(minutes):
    agreement = make_agreement()
    with pytest.raises(ValidationError) as error:
        log_session(agreement, minutes=minutes)
    assert "minutes" in error.value.message_dict


def test_a_changed_agreement_stops_logs_being_signed_until_signed_again():
    agreement = make_agreement()
    session = log_session(agreement)
    services.agreement_change(
        agreement=agreement,
        by=agreement.supervisor,
        start_date=agreement.start_date,
        end_date=agreement.end_date,
        credential_type=agreement.supervisor_credential_type,
        credential_number="CADC-9999",
        typed_name=agreement.supervisor.legal_name,
        signing=signing_context(),
    )
    with pytest.raises(ValidationError, match="not signed by both"):
        services.log_sign(
            log=session,
            by=agreement.supervisor,
            typed_name=agreement.supervisor.legal_name,
            signing=signing_context(),
        )
    assert supervision_hours(agreement.trainee) == 0


def test_sending_back_needs_a_reason_and_then_waits_for_a_correction():
    agreement = make_agreement()
    session = log_session(agreement)
    with pytest.raises(ValidationError) as error:
        services.log_send_back(log=session, by=agreement.supervisor, reason=" ")
    assert "reason" in error.value.message_dict
    services.log_send_back(
        log=session, by=agreement.supervisor, reason="It was 45 minutes."
    )
    session.refresh_from_db()
    assert session.status == "sent_back"
    assert session.waiting_for == agreement.trainee
    with pytest.raises(ValidationError):
        services.log_sign(
            log=session,
            by=agreement.supervisor,
            typed_name=agreement.supervisor.legal_name,
            signing=signing_context(),
        )


def test_a_correction_reverses_the_hours_and_needs_both_signatures_again():
    agreement = make_agreement()
    domains = supervision_domains()
    session = log_session(agreement, minutes=60, signed=True)
    assert supervision_hours(agreement.trainee) == Decimal(1)
    services.session_correct(
        session=session,
        by=agreement.trainee,
        date=session.date,
        minutes=45,
        format="individual",
        is_direct=True,
        domains=domains[:1],
        note=session.note,
        reason="It was 45 minutes.",
        typed_name=agreement.trainee.legal_name,
        signing=signing_context(),
    )
    session.refresh_from_db()
    assert session.revision == 2
    assert session.status == "awaiting"
    assert supervision_hours(agreement.trainee) == 0
    reversal = HourEntry.objects.get(trainee=agreement.trainee, hours__lt=0)
    assert reversal.description == "It was 45 minutes."
    services.log_sign(
        log=session,
        by=agreement.supervisor,
        typed_name=agreement.supervisor.legal_name,
        signing=signing_context(),
    )
    assert supervision_hours(agreement.trainee) == Decimal("0.75")
    # Nothing was edited or deleted: credit, reversal, new credit.
    assert HourEntry.objects.filter(trainee=agreement.trainee).count() == 3


def test_experience_signed_by_the_supervisor_becomes_experience_hours():
    agreement = make_agreement()
    log = log_experience(agreement, hours=Decimal(40))
    services.log_sign(
        log=log,
        by=agreement.supervisor,
        typed_name=agreement.supervisor.legal_name,
        signing=signing_context(),
    )
    entry = HourEntry.objects.get(trainee=agreement.trainee)
    assert entry.kind == "experience"
    assert entry.hours == 40


def test_more_experience_hours_than_the_period_holds_are_refused():
    agreement = make_agreement()
    with pytest.raises(ValidationError) as error:
        log_experience(
            agreement,
            hours=Decimal(200),
            period=(datetime.date(2026, 2, 1), datetime.date(2026, 2, 3)),
        )
    assert "hours" in error.value.message_dict


def test_past_logs_stay_with_the_agreement_they_were_made_under():
    first = make_agreement(end_date=datetime.date(2026, 2, 28))
    session = log_session(first, signed=True)
    second = make_agreement(
        first.trainee,
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    log_session(second, date=datetime.date(2026, 3, 10), signed=True)
    session.refresh_from_db()
    assert session.agreement == first
    assert supervision_hours(first.trainee) == Decimal(2)
