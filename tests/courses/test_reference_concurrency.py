"""Races on letters of reference that only a real database can referee: run
on PostgreSQL (``on_postgres`` skips elsewhere)."""

import pytest
from django.core.exceptions import ValidationError

from cms import roles
from courses.models import ReferenceRequest, Signature
from courses.services import references as services
from courses.services.supervision import SigningContext
from tests.courses.test_concurrency import race
from tests.factories import adpss_credential, supervisor_credential_type, user_with_role

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _ask(trainee, email="rae@example.org"):
    return services.reference_request_create(
        trainee=trainee,
        credential=adpss_credential(),
        referee_name="Rae Referee",
        referee_email=email,
        credential_type=supervisor_credential_type("cadc"),
        credential_number="CADC-77",
    )


def test_one_link_submitted_twice_at_once_keeps_one_letter(on_postgres, private_media):
    trainee = user_with_role(roles.TRAINEE)
    reference = _ask(trainee)
    token = services.reference_token_issue(reference=reference)

    def submit(text):
        return lambda: services.reference_letter_submit(
            token=token,
            letter_text=text,
            typed_name="Rae Referee",
            signing=SigningContext(),
        )

    outcomes = race(submit("First letter"), submit("Second letter"))

    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, ValidationError)
    reference.refresh_from_db()
    assert reference.status == ReferenceRequest.Status.RECEIVED
    assert reference.letter_text in ("First letter", "Second letter")
    assert Signature.objects.count() == 1


def test_asking_the_same_referee_twice_at_once_makes_one_request(on_postgres):
    trainee = user_with_role(roles.TRAINEE)
    adpss_credential()
    supervisor_credential_type("cadc")

    outcomes = race(lambda: _ask(trainee), lambda: _ask(trainee, "RAE@example.org"))

    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
    error = next(value for kind, value in outcomes if kind == "error")
    assert "already asked" in " ".join(error.messages)
    assert ReferenceRequest.objects.count() == 1
