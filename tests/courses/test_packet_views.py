"""The "Ready to apply" page and the administrators' packet pages: who may
use each, what they show, bad input, downloads and query budgets."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms import roles
from cms.models import AuditEvent
from courses.models import (
    ApplicationPacket,
    DocumentKind,
    DocumentRequirement,
    HourEntry,
    SupervisionAgreementRequirement,
    SupervisionEvaluationRequirement,
    TotalHoursRequirement,
)
from courses.services import packets as services
from tests.courses.packet_world import CITATION, EFFECTIVE, Checklist, administrator
from tests.factories import log_session, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklist(private_media):
    return Checklist()


@pytest.fixture
def people(checklist):
    return {
        "trainee": checklist.trainee,
        "other_trainee": user_with_role(roles.TRAINEE),
        "supervisor": checklist.supervisor,
        "trainer": user_with_role(roles.TRAINER),
        "examiner": user_with_role(roles.EXAMINER),
        "administrator": administrator(),
        "sensitive_administrator": administrator(sensitive=True),
    }


@pytest.fixture
def built_packet(checklist, people, django_capture_on_commit_callbacks):
    """A packet with sensitive documents, prepared by the task."""
    checklist.meet_everything()
    with django_capture_on_commit_callbacks(execute=True):
        packet = services.packet_generate(
            trainee=checklist.trainee,
            credential=checklist.credential,
            by=people["sensitive_administrator"],
            include_sensitive=True,
        )
    packet.refresh_from_db()
    return packet


def _get(client, people, person, url):
    client.logout()
    if person != "anonymous":
        client.force_login(people[person])
    response = client.get(url)
    if response.status_code in (301, 302):
        return "login" if "/login/" in response["Location"] else "moved"
    return response.status_code


EVERYONE = [
    "anonymous",
    "trainee",
    "other_trainee",
    "supervisor",
    "trainer",
    "examiner",
    "administrator",
    "sensitive_administrator",
]


# Who may use each page --------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "expected"),
    list(zip(EVERYONE, ["login", 200, 200, 403, 403, 403, 403, 403], strict=True)),
)
def test_ready_to_apply_is_each_trainees_own_page(
    client, checklist, people, person, expected
):
    url = reverse("courses:ready_to_apply", args=[checklist.credential.slug])
    assert _get(client, people, person, url) == expected


STAFF_ONLY = ["login", 403, 403, 403, 403, 403, 200, 200]


@pytest.mark.parametrize(
    "name", ["courses:packets", "courses:packet_candidates", "courses:packet_trainee"]
)
@pytest.mark.parametrize(
    ("person", "expected"), list(zip(EVERYONE, STAFF_ONLY, strict=True))
)
def test_packet_pages_are_for_administrators_only(
    client, checklist, people, name, person, expected
):
    args = {
        "courses:packets": [],
        "courses:packet_candidates": [checklist.credential.slug],
        "courses:packet_trainee": [checklist.credential.slug, checklist.trainee.pk],
    }[name]
    assert _get(client, people, person, reverse(name, args=args)) == expected


@pytest.mark.parametrize(
    ("person", "expected"),
    # A packet with sensitive documents: not found for an administrator
    # without the permission to view them.
    list(zip(EVERYONE, ["login", 403, 403, 403, 403, 403, 404, 200], strict=True)),
)
def test_a_sensitive_packet_downloads_only_for_those_allowed(
    client, built_packet, people, person, expected
):
    url = reverse("courses:packet_download", args=[built_packet.pk, "pdf"])
    assert _get(client, people, person, url) == expected


def test_a_refused_sensitive_packet_is_audited(client, built_packet, people):
    client.force_login(people["administrator"])
    url = reverse("courses:packet_download", args=[built_packet.pk, "xlsx"])
    assert client.get(url).status_code == 404
    event = AuditEvent.objects.get(action="application_packet.refused")
    assert event.actor == people["administrator"]


def test_a_download_is_an_audited_attachment(client, built_packet, people):
    client.force_login(people["sensitive_administrator"])
    response = client.get(
        reverse("courses:packet_download", args=[built_packet.pk, "pdf"])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    event = AuditEvent.objects.get(action="application_packet.downloaded")
    assert event.actor == people["sensitive_administrator"]
    assert event.details["part"] == "pdf"


def test_an_unknown_part_is_not_found(client, built_packet, people):
    client.force_login(people["sensitive_administrator"])
    url = reverse("courses:packet_download", args=[built_packet.pk, "exe"])
    assert client.get(url).status_code == 404


# The trainee's page -------------------------------------------------------------------


def test_ready_to_apply_shows_each_item_with_its_status_and_next_step(
    client, checklist
):
    client.force_login(checklist.trainee)
    response = client.get(
        reverse("courses:ready_to_apply", args=[checklist.credential.slug])
    )
    page = response.content.decode()
    assert "0 of 4 items met" in page
    assert "1 of 2 hours" in page
    assert 'aria-valuenow="50"' in page
    assert "Upload your Attestation of Recovery." in page
    assert f'href="{reverse("courses:my_documents")}"' in page


def test_the_dashboard_links_to_ready_to_apply(client, checklist):
    client.force_login(checklist.trainee)
    page = client.get(reverse("courses:dashboard")).content.decode()
    assert reverse("courses:ready_to_apply", args=[checklist.credential.slug]) in page


def test_the_menu_offers_ready_to_apply_to_trainees_and_packets_to_administrators(
    client, people
):
    client.force_login(people["trainee"])
    page = client.get(reverse("account")).content.decode()
    assert reverse("courses:ready_to_apply_index") in page
    assert reverse("courses:packets") not in page
    client.force_login(people["administrator"])
    page = client.get(reverse("account")).content.decode()
    assert reverse("courses:packets") in page


def test_a_credential_without_a_checklist_is_not_found(client, checklist):
    from tests.factories import CredentialFactory

    empty = CredentialFactory(slug="empty-credential", name="No rules")
    client.force_login(checklist.trainee)
    url = reverse("courses:ready_to_apply", args=[empty.slug])
    assert client.get(url).status_code == 404


def _rules(credential, count: int) -> None:
    """``count`` more rules, of the requirement types the checklist has."""
    kinds = [
        lambda i: TotalHoursRequirement.objects.create(
            kind=HourEntry.Kind.EXPERIENCE, minimum_hours=Decimal(100 + i), **_owner()
        ),
        lambda i: SupervisionAgreementRequirement.objects.create(**_owner()),
        lambda i: SupervisionEvaluationRequirement.objects.create(**_owner()),
        lambda i: DocumentRequirement.objects.create(
            document_kind=DocumentKind.objects.get(slug="attestation-of-recovery"),
            **_owner(),
        ),
    ]
    for i in range(count):
        kinds[i % len(kinds)](i)


def _owner():
    from courses.models import Credential

    return {
        "credential": Credential.objects.get(slug="adpss-packet"),
        "source_citation": CITATION,
        "effective_date": EFFECTIVE,
    }


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_ready_to_apply_runs_a_fixed_number_of_queries(
    client, checklist, django_assert_max_num_queries
):
    for day in range(3, 13):
        log_session(checklist.agreement, date=datetime.date(2026, 3, day), signed=True)
    client.force_login(checklist.trainee)
    url = reverse("courses:ready_to_apply", args=[checklist.credential.slug])
    with django_assert_max_num_queries(25):
        client.get(url)


def test_the_query_count_does_not_grow_from_one_rule_of_each_type_to_twenty(
    client, checklist
):
    client.force_login(checklist.trainee)
    url = reverse("courses:ready_to_apply", args=[checklist.credential.slug])
    client.get(url)  # caches warmed (content types, site)
    few = _queries(client, url)
    _rules(checklist.credential, 16)
    for day in range(3, 13):
        log_session(checklist.agreement, date=datetime.date(2026, 3, day), signed=True)
    many = _queries(client, url)
    page = client.get(url).content.decode()
    # The hours rule is met now; the twenty rules are all there.
    assert "1 of 20 items met" in page
    assert many == few


# Generating and marking sent ------------------------------------------------------


def test_generating_while_items_are_missing_names_them_and_changes_nothing(
    client, checklist, people
):
    client.force_login(people["administrator"])
    response = client.post(
        reverse(
            "courses:packet_generate",
            args=[checklist.credential.slug, checklist.trainee.pk],
        ),
        {},
    )
    assert response.status_code == 400
    assert "Attestation of Recovery, verified" in response.content.decode()
    assert not ApplicationPacket.objects.exists()


def test_ticking_sensitive_without_the_permission_is_refused_in_words(
    client, checklist, people
):
    checklist.meet_everything()
    client.force_login(people["administrator"])
    response = client.post(
        reverse(
            "courses:packet_generate",
            args=[checklist.credential.slug, checklist.trainee.pk],
        ),
        {"include_sensitive": "on"},
    )
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("Include sensitive documents")
    assert "Nothing was generated" in message
    assert not ApplicationPacket.objects.exists()
    assert AuditEvent.objects.filter(
        action="application_packet.sensitive_refused", actor=people["administrator"]
    ).exists()


def test_a_generated_packet_shows_being_prepared_until_the_task_ran(
    client, checklist, people
):
    checklist.meet_everything()
    client.force_login(people["administrator"])
    url = reverse(
        "courses:packet_generate",
        args=[checklist.credential.slug, checklist.trainee.pk],
    )
    # The task is queued when the transaction commits, which the test's
    # own transaction never does: the packet stays "being prepared".
    response = client.post(url, {}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Being prepared" in page
    assert ApplicationPacket.objects.get().status == ApplicationPacket.Status.PREPARING


def test_marking_sent_with_a_bad_date_names_the_field_and_changes_nothing(
    client, built_packet, people
):
    client.force_login(people["sensitive_administrator"])
    url = reverse("courses:packet_mark_sent", args=[built_packet.pk])
    response = client.post(url, {"sent_on": "2026-02-30", "board_reference": "B"})
    assert response.status_code == 400
    assert "Sent to the board on" in response.content.decode()
    built_packet.refresh_from_db()
    assert built_packet.sent_on is None


def test_marking_sent_records_the_date_and_reference(client, built_packet, people):
    client.force_login(people["sensitive_administrator"])
    today = datetime.date.today().isoformat()
    response = client.post(
        reverse("courses:packet_mark_sent", args=[built_packet.pk]),
        {"sent_on": today, "board_reference": "KBADC-A-77"},
        follow=True,
    )
    assert response.status_code == 200
    assert "KBADC-A-77" in response.content.decode()
    built_packet.refresh_from_db()
    assert built_packet.board_reference == "KBADC-A-77"


def test_the_candidates_page_lists_trainees_with_their_readiness(
    client, checklist, people, django_assert_max_num_queries
):
    client.force_login(people["administrator"])
    url = reverse("courses:packet_candidates", args=[checklist.credential.slug])
    with django_assert_max_num_queries(30):
        response = client.get(url)
    page = response.content.decode()
    assert checklist.trainee.legal_name in page
    assert "0 / 4" in page


def test_the_trainee_page_runs_a_fixed_number_of_queries(
    client, built_packet, checklist, people, django_assert_max_num_queries
):
    client.force_login(people["sensitive_administrator"])
    url = reverse(
        "courses:packet_trainee",
        args=[checklist.credential.slug, checklist.trainee.pk],
    )
    with django_assert_max_num_queries(30):
        response = client.get(url)
    page = response.content.decode()
    assert reverse("courses:packet_download", args=[built_packet.pk, "pdf"]) in page
    assert "Mark sent" in page


def test_an_administrator_finds_any_trainee_by_email(client, checklist, people):
    client.force_login(people["administrator"])
    url = reverse("courses:packet_candidates", args=[checklist.credential.slug])
    other = people["other_trainee"]
    response = client.get(url, {"email": other.email.upper()})
    assert response["Location"] == reverse(
        "courses:packet_trainee", args=[checklist.credential.slug, other.pk]
    )


@pytest.mark.parametrize("email", ["nobody@example.org", "x" * 400, "not an email"])
def test_an_unknown_email_says_so_and_lists_the_trainees(
    client, checklist, people, email
):
    client.force_login(people["administrator"])
    url = reverse("courses:packet_candidates", args=[checklist.credential.slug])
    response = client.get(url, {"email": email})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Email address: no trainee has this email address." in page
    assert checklist.trainee.legal_name in page


def test_staff_are_not_found_by_email(client, checklist, people):
    client.force_login(people["administrator"])
    url = reverse("courses:packet_candidates", args=[checklist.credential.slug])
    response = client.get(url, {"email": people["supervisor"].email})
    assert response.status_code == 200
