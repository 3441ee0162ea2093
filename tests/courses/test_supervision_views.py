"""Supervision pages for every role: the trainee, their supervisor, another
supervisor, a trainer, an examiner, an administrator and a visitor."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from cms import roles
from courses.models import HourEntry, SupervisionGapRule
from tests.factories import (
    kps_credential,
    log_experience,
    log_session,
    make_agreement,
    supervision_domains,
    user_with_role,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 15, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world():
    supervision_domains()
    agreement = make_agreement()
    session = log_session(agreement)
    experience = log_experience(agreement)
    return {
        "agreement": agreement,
        "session": session,
        "experience": experience,
        "trainee": agreement.trainee,
        "supervisor": agreement.supervisor,
        "other_supervisor": user_with_role(roles.SUPERVISOR),
        "other_trainee": user_with_role(roles.TRAINEE),
        "trainer": user_with_role(roles.TRAINER),
        "examiner": user_with_role(roles.EXAMINER),
        "admin": user_with_role(roles.ADMINISTRATOR),
    }


ROLES = [
    "trainee",
    "supervisor",
    "other_supervisor",
    "other_trainee",
    "trainer",
    "examiner",
    "admin",
    "anonymous",
]


def pages(world):
    agreement, session, experience = (
        world["agreement"],
        world["session"],
        world["experience"],
    )
    parties = {"trainee", "supervisor"}
    # Everyone else gets a 404 for records of others; pages that need a
    # role refuse with 403.
    return {
        "supervision": (
            reverse("courses:supervision"),
            {"supervisor", "other_supervisor"},
            403,
        ),
        "my_supervision": (
            reverse("courses:my_supervision"),
            {"trainee", "other_trainee"},
            403,
        ),
        "agreement_create": (
            reverse("courses:agreement_create"),
            {"supervisor", "other_supervisor"},
            403,
        ),
        "agreement_detail": (
            reverse("courses:agreement_detail", args=[agreement.pk]),
            parties | {"admin"},
            404,
        ),
        "agreement_edit": (
            reverse("courses:agreement_edit", args=[agreement.pk]),
            {"supervisor"},
            None,
        ),
        "session_new": (
            reverse("courses:log_create", args=[agreement.pk, "session"]),
            parties,
            404,
        ),
        "experience_new": (
            reverse("courses:log_create", args=[agreement.pk, "experience"]),
            parties,
            404,
        ),
        "session_detail": (
            reverse("courses:log_detail", args=["session", session.pk]),
            parties,
            404,
        ),
        "experience_detail": (
            reverse("courses:log_detail", args=["experience", experience.pk]),
            parties,
            404,
        ),
        "session_correct": (
            reverse("courses:log_correct", args=["session", session.pk]),
            parties,
            404,
        ),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "page",
    [
        "supervision",
        "my_supervision",
        "agreement_create",
        "agreement_detail",
        "agreement_edit",
        "session_new",
        "experience_new",
        "session_detail",
        "experience_detail",
        "session_correct",
    ],
)
def test_each_page_answers_only_the_people_it_is_for(client, world, page, role):
    url, allowed, refusal = pages(world)[page]
    if role != "anonymous":
        client.force_login(world[role])
    response = client.get(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
    elif role in allowed:
        assert response.status_code == 200
    elif refusal is None:
        assert response.status_code in (403, 404)
    else:
        assert response.status_code == refusal


@pytest.mark.parametrize("role", ["other_supervisor", "trainer", "examiner", "admin"])
def test_others_cannot_sign_or_send_back_a_log(client, world, role):
    session = world["session"]
    person = world[role]
    client.force_login(person)
    response = client.post(
        reverse("courses:log_sign", args=["session", session.pk]),
        {"typed_name": person.legal_name, "confirm": "on"},
    )
    assert response.status_code == 404
    response = client.post(
        reverse("courses:log_send_back", args=["session", session.pk]),
        {"reason": "No"},
    )
    assert response.status_code == 404
    session.refresh_from_db()
    assert session.status == "awaiting"


def test_the_supervisor_signs_a_session_and_the_hours_count(client, world):
    supervisor, session = world["supervisor"], world["session"]
    client.force_login(supervisor)
    response = client.post(
        reverse("courses:log_sign", args=["session", session.pk]),
        {"typed_name": supervisor.legal_name, "confirm": "on"},
    )
    assert response.status_code == 302
    assert HourEntry.objects.filter(
        trainee=world["trainee"], kind="supervision"
    ).exists()


@pytest.mark.parametrize(
    ("proxies", "recorded"), [(0, "198.51.100.2"), (1, "203.0.113.50")]
)
def test_a_signature_records_the_address_the_audit_log_would(
    client, world, settings, proxies, recorded
):
    """Behind a trusted proxy, the address it saw; with none, the connection's,
    whatever a client writes in X-Forwarded-For."""
    from courses.models import Signature

    settings.TRUSTED_PROXY_COUNT = proxies
    supervisor, session = world["supervisor"], world["session"]
    client.force_login(supervisor)
    client.post(
        reverse("courses:log_sign", args=["session", session.pk]),
        {"typed_name": supervisor.legal_name, "confirm": "on"},
        REMOTE_ADDR="198.51.100.2",
        HTTP_X_FORWARDED_FOR="203.0.113.50",
    )
    signature = Signature.objects.filter(signer=supervisor).latest("pk")
    assert signature.ip_address == recorded


def test_signing_without_ticking_the_intent_names_the_field(client, world):
    supervisor, session = world["supervisor"], world["session"]
    client.force_login(supervisor)
    response = client.post(
        reverse("courses:log_sign", args=["session", session.pk]),
        {"typed_name": supervisor.legal_name},
    )
    assert response.status_code == 400
    assert "Tick the box to sign." in response.content.decode()
    assert not HourEntry.objects.exists()


def test_logging_a_session_with_too_many_minutes_names_the_field(client, world):
    trainee, agreement = world["trainee"], world["agreement"]
    client.force_login(trainee)
    response = client.post(
        reverse("courses:log_create", args=[agreement.pk, "session"]),
        {
            "date": "2026-03-01",
            "minutes": "2000",
            "format": "individual",
            "is_direct": "on",
            "domains": [supervision_domains()[0].pk],
            "typed_name": trainee.legal_name,
            "confirm": "on",
        },
    )
    assert response.status_code == 200
    assert "A day has 1440 minutes" in response.content.decode()


def test_logging_a_session_outside_the_agreement_names_the_date(client, world):
    trainee, agreement = world["trainee"], world["agreement"]
    client.force_login(trainee)
    response = client.post(
        reverse("courses:log_create", args=[agreement.pk, "session"]),
        {
            "date": "2025-06-01",
            "minutes": "60",
            "format": "individual",
            "is_direct": "on",
            "domains": [supervision_domains()[0].pk],
            "typed_name": trainee.legal_name,
            "confirm": "on",
        },
    )
    assert response.status_code == 200
    assert "outside it" in response.content.decode()


def test_an_agreement_without_a_credential_number_is_refused_by_field(client, world):
    supervisor = world["supervisor"]
    client.force_login(supervisor)
    response = client.post(
        reverse("courses:agreement_create"),
        {
            "trainee_email": world["other_trainee"].email,
            "credential": world["agreement"].credential_id,
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "supervisor_credential_type": world[
                "agreement"
            ].supervisor_credential_type_id,
            "supervisor_credential_number": "",
            "typed_name": supervisor.legal_name,
            "confirm": "on",
        },
    )
    assert response.status_code == 200
    assert "supervisor_credential_number_error" in response.content.decode()
    assert not world["other_trainee"].supervision_agreements.exists()


def test_bulk_signing_signs_only_ones_own_supervisees_logs(client, world):
    supervisor = world["supervisor"]
    foreign = log_session(make_agreement())
    client.force_login(supervisor)
    response = client.post(
        reverse("courses:supervision_decide"),
        {
            "log": [
                f"session:{world['session'].pk}",
                f"experience:{world['experience'].pk}",
                f"session:{foreign.pk}",
            ],
            "action": "sign",
            "typed_name": supervisor.legal_name,
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    world["session"].refresh_from_db()
    world["experience"].refresh_from_db()
    foreign.refresh_from_db()
    assert world["session"].status == "signed"
    assert world["experience"].status == "signed"
    assert foreign.status == "awaiting"


def test_bulk_send_back_needs_a_reason(client, world):
    client.force_login(world["supervisor"])
    client.post(
        reverse("courses:supervision_decide"),
        {"log": [f"session:{world['session'].pk}"], "action": "send_back"},
    )
    world["session"].refresh_from_db()
    assert world["session"].status == "awaiting"
    client.post(
        reverse("courses:supervision_decide"),
        {
            "log": [f"session:{world['session'].pk}"],
            "action": "send_back",
            "reason": "Wrong date",
        },
    )
    world["session"].refresh_from_db()
    assert world["session"].status == "sent_back"


def test_the_supervision_page_shows_hours_by_domain_and_kind(client, world):
    supervisor = world["supervisor"]
    log_session(world["agreement"], minutes=120, signed=True)
    client.force_login(supervisor)
    html = client.get(reverse("courses:supervision")).content.decode()
    assert world["trainee"].legal_name in html
    assert "Advocacy" in html
    assert "2 of 25" in html  # supervision hours against the minimum
    assert 'value="session:' in html  # the waiting session can be ticked


def test_the_supervision_page_warns_of_a_gap_by_the_rule(client, world, clock):
    agreement = make_agreement(
        credential=kps_credential(), supervisor=world["supervisor"]
    )
    SupervisionGapRule.objects.create(
        credential=agreement.credential,
        description="Supervision at least twice a month",
        max_days=15,
        source_citation="908 KAR 2:220",
    )
    log_session(agreement, date=datetime.date(2026, 3, 10), signed=True)
    client.force_login(world["supervisor"])
    html = client.get(reverse("courses:supervision")).content.decode()
    assert "no session since" not in html
    clock.move_to(datetime.datetime(2026, 3, 30, 12, 0, tzinfo=datetime.UTC))
    client.force_login(world["supervisor"])
    html = client.get(reverse("courses:supervision")).content.decode()
    assert "Supervision at least twice a month: no session since" in html


def test_the_supervision_page_query_count_does_not_grow_with_logs(
    client, world, django_assert_max_num_queries
):
    supervisor = world["supervisor"]
    client.force_login(supervisor)
    with django_assert_max_num_queries(25):
        client.get(reverse("courses:supervision"))
    for day in range(1, 8):
        log_session(
            world["agreement"], date=datetime.date(2026, 3, day), signed=day % 2 == 0
        )
        log_experience(
            world["agreement"],
            hours=Decimal(5),
            period=(datetime.date(2026, 3, day), None),
        )
        log_session(make_agreement(supervisor=supervisor), signed=True)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("courses:supervision"))
    assert response.status_code == 200


def test_the_trainees_page_query_count_does_not_grow_with_logs(
    client, world, django_assert_max_num_queries
):
    client.force_login(world["trainee"])
    for day in range(1, 8):
        log_session(world["agreement"], date=datetime.date(2026, 3, day), signed=True)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("courses:my_supervision"))
    assert response.status_code == 200
    assert "7 of 25" in response.content.decode()


def test_the_menu_shows_supervision_to_supervisors_only(client, world):
    client.force_login(world["supervisor"])
    assert (
        reverse("courses:supervision")
        in client.get(reverse("account")).content.decode()
    )
    client.force_login(world["trainer"])
    assert (
        reverse("courses:supervision")
        not in client.get(reverse("account")).content.decode()
    )


def test_an_administrator_records_the_boards_approval(client, world):
    client.force_login(world["admin"])
    response = client.post(
        reverse("courses:agreement_approve", args=[world["agreement"].pk]),
        {"approved_on": "2026-01-15", "reference": "KBADC-17"},
    )
    assert response.status_code == 302
    world["agreement"].refresh_from_db()
    assert world["agreement"].is_approved


@pytest.mark.parametrize(
    "role", ["trainee", "supervisor", "other_supervisor", "trainer"]
)
def test_only_administrators_record_approval(client, world, role):
    client.force_login(world[role])
    response = client.post(
        reverse("courses:agreement_approve", args=[world["agreement"].pk]),
        {"approved_on": "2026-01-15", "reference": "KBADC-17"},
    )
    assert response.status_code == 403
    world["agreement"].refresh_from_db()
    assert not world["agreement"].is_approved
