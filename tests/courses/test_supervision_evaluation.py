"""The supervisor's signed evaluation, and supervisees' confidential feedback
shown to administrators only in aggregate, from three responses."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cms import roles
from courses.models import SupervisionEvaluation, SupervisionFeedback
from courses.services import supervision as services
from courses.services.supervision import signed_roles
from tests.factories import (
    make_agreement,
    signing_context,
    supervision_domains,
    supervisor_competencies,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(
        datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC), tick=False
    ):
        yield


def evaluate(agreement, by=None, rating=3):
    by = by or agreement.supervisor
    return services.evaluation_write(
        agreement=agreement,
        by=by,
        ratings={d.slug: rating for d in supervision_domains()},
        comments={"advocacy": "Speaks up for peers."},
        summary="Ready.",
        typed_name=by.legal_name,
        signing=signing_context(),
    )


def feedback(agreement, rating=4):
    return services.feedback_give(
        agreement=agreement,
        by=agreement.trainee,
        ratings={c.slug: rating for c in supervisor_competencies()},
        comment="Always on time.",
    )


def test_the_evaluation_is_signed_by_the_supervisor():
    evaluation = evaluate(make_agreement())
    assert signed_roles(evaluation) == {"supervisor"}
    assert "advocacy: 3 - Speaks up for peers." in evaluation.signed_text()


def test_only_the_supervisor_evaluates():
    agreement = make_agreement()
    with pytest.raises(PermissionDenied):
        evaluate(agreement, by=user_with_role(roles.SUPERVISOR))
    assert not SupervisionEvaluation.objects.exists()


def test_every_domain_needs_a_rating_from_1_to_4():
    agreement = make_agreement()
    with pytest.raises(ValidationError) as error:
        evaluate(agreement, rating=7)
    assert "rating_advocacy" in error.value.message_dict
    assert not SupervisionEvaluation.objects.exists()


def test_feedback_is_given_once_per_agreement():
    agreement = make_agreement()
    feedback(agreement)
    with pytest.raises(ValidationError, match="already given"):
        feedback(agreement)
    assert SupervisionFeedback.objects.count() == 1


def test_only_the_supervisee_gives_feedback():
    agreement = make_agreement()
    with pytest.raises(PermissionDenied):
        services.feedback_give(
            agreement=agreement, by=agreement.supervisor, ratings={}, comment=""
        )


def test_feedback_is_shown_in_aggregate_only_from_three_responses(client):
    supervisor = user_with_role(roles.SUPERVISOR)
    agreements = [make_agreement(supervisor=supervisor) for _ in range(3)]
    feedback(agreements[0], rating=5)
    feedback(agreements[1], rating=2)
    admin = user_with_role(roles.ADMINISTRATOR)
    client.force_login(admin)
    html = client.get(reverse("courses:feedback_report")).content.decode()
    assert "2 responses" in html
    assert "Not enough responses to show." in html
    assert "Always on time." not in html
    feedback(agreements[2], rating=2)
    html = client.get(reverse("courses:feedback_report")).content.decode()
    assert "3 responses" in html
    assert "3.0" in html  # (5 + 2 + 2) / 3
    assert "Always on time." not in html  # comments are never shown


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("trainee", 403),
        ("supervisor", 403),
        ("trainer", 403),
        ("examiner", 403),
        ("administrator", 200),
    ],
)
def test_the_feedback_report_is_for_administrators(client, role, status):
    client.force_login(
        user_with_role(
            roles.ROLES[
                ["trainee", "trainer", "examiner", "supervisor", "administrator"].index(
                    role
                )
            ]
        )
    )
    assert client.get(reverse("courses:feedback_report")).status_code == status


def test_evaluation_and_feedback_pages_by_role(client):
    supervision_domains()
    supervisor_competencies()
    agreement = make_agreement()
    others = {
        "other_supervisor": user_with_role(roles.SUPERVISOR),
        "trainer": user_with_role(roles.TRAINER),
        "examiner": user_with_role(roles.EXAMINER),
        "admin": user_with_role(roles.ADMINISTRATOR),
    }
    evaluation_url = reverse("courses:evaluation_create", args=[agreement.pk])
    feedback_url = reverse("courses:feedback_give", args=[agreement.pk])
    client.force_login(agreement.supervisor)
    assert client.get(evaluation_url).status_code == 200
    assert client.get(feedback_url).status_code == 404
    client.force_login(agreement.trainee)
    assert client.get(evaluation_url).status_code == 403
    assert client.get(feedback_url).status_code == 200
    for name, person in others.items():
        client.force_login(person)
        assert client.get(evaluation_url).status_code in (403, 404), name
        assert client.get(feedback_url).status_code in (403, 404), name


def test_the_evaluation_form_names_a_missing_rating(client):
    supervision_domains()
    agreement = make_agreement()
    client.force_login(agreement.supervisor)
    response = client.post(
        reverse("courses:evaluation_create", args=[agreement.pk]),
        {
            "rating_advocacy": "3",
            "typed_name": agreement.supervisor.legal_name,
            "confirm": "on",
        },
    )
    assert response.status_code == 200
    assert "Rate Ethical responsibility." in response.content.decode()
    assert not SupervisionEvaluation.objects.exists()
