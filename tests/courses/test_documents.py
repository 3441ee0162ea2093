"""Checklist documents: a trainee uploads, an administrator verifies; the
Attestation of Recovery is seen only by the trainee and administrators
allowed to view sensitive documents, and every view of it is audited."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cms import roles
from cms.models import AuditEvent
from courses.models import DocumentKind, DocumentRequirement, TraineeDocument
from courses.services import documents as services
from tests.factories import DOCUMENT_PDF as PDF
from tests.factories import adpss_credential, make_agreement, user_with_role
from tests.factories import document_kind as kind
from tests.factories import document_uploaded as upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock(private_media):
    with time_machine.travel(
        datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC), tick=False
    ):
        yield


def attestation_kind() -> DocumentKind:
    return kind(
        "attestation-of-recovery", name="Attestation of Recovery", is_sensitive=True
    )


def administrator(*, sensitive=False):
    person = user_with_role(roles.ADMINISTRATOR)
    if sensitive:
        person.user_permissions.add(
            Permission.objects.get(
                content_type__app_label="courses", codename="view_sensitive_document"
            )
        )
    return person


def rule(document_kind) -> DocumentRequirement:
    return DocumentRequirement.objects.create(
        credential=adpss_credential(),
        document_kind=document_kind,
        source_citation="201 KAR 35:050",
        effective_date=datetime.date(2026, 1, 1),
    )


# Requirement -----------------------------------------------------------------


def test_the_document_item_is_missing_until_an_administrator_verifies_it():
    requirement = rule(kind())
    trainee = user_with_role(roles.TRAINEE)
    progress = requirement.progress(trainee)
    assert not progress.met
    assert progress.status == "Not uploaded"
    assert progress.next_url == reverse("courses:my_documents")

    document = upload(trainee, kind())
    progress = requirement.progress(trainee)
    assert not progress.met
    assert progress.status == "Uploaded; waiting for verification"

    services.document_decide(
        document=document, by=administrator(), verified=False, reason="Unreadable"
    )
    progress = requirement.progress(trainee)
    assert not progress.met
    assert progress.status == "Rejected: Unreadable"
    assert "Upload a new" in progress.next_step

    services.document_decide(
        document=upload(trainee, kind()), by=administrator(), verified=True
    )
    assert requirement.progress(trainee).met


def test_a_document_of_another_kind_or_trainee_does_not_count():
    requirement = rule(kind())
    trainee = user_with_role(roles.TRAINEE)
    other = user_with_role(roles.TRAINEE)
    services.document_decide(
        document=upload(other, kind()), by=administrator(), verified=True
    )
    services.document_decide(
        document=upload(trainee, kind("affidavit")), by=administrator(), verified=True
    )
    assert not requirement.progress(trainee).met


def test_rejecting_needs_a_reason_and_a_decision_is_made_once():
    document = upload(user_with_role(roles.TRAINEE), kind())
    with pytest.raises(Exception, match="Say why"):
        services.document_decide(
            document=document, by=administrator(), verified=False, reason=" "
        )
    services.document_decide(document=document, by=administrator(), verified=True)
    with pytest.raises(Exception, match="already been decided"):
        services.document_decide(document=document, by=administrator(), verified=True)
    assert AuditEvent.objects.filter(action="document.verified").count() == 1


def test_only_administrators_allowed_to_view_sensitive_documents_verify_them():
    from django.core.exceptions import PermissionDenied

    document = upload(user_with_role(roles.TRAINEE), attestation_kind())
    with pytest.raises(PermissionDenied):
        services.document_decide(document=document, by=administrator(), verified=True)
    services.document_decide(
        document=document, by=administrator(sensitive=True), verified=True
    )


# Uploading -------------------------------------------------------------------


def test_a_trainee_uploads_a_document(client):
    trainee = user_with_role(roles.TRAINEE)
    client.force_login(trainee)
    response = client.post(
        reverse("courses:my_documents"),
        {"kind": kind().pk, "file": SimpleUploadedFile("my diploma.pdf", PDF)},
    )
    assert response.status_code == 302
    document = TraineeDocument.objects.get(trainee=trainee)
    assert document.status == TraineeDocument.Status.PENDING
    assert "my diploma" not in document.file.name
    page = client.get(reverse("courses:my_documents"))
    assert "Waiting for verification" in page.content.decode()


def test_an_upload_that_is_not_a_pdf_or_image_is_refused_and_nothing_stored(client):
    client.force_login(user_with_role(roles.TRAINEE))
    response = client.post(
        reverse("courses:my_documents"),
        {"kind": kind().pk, "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 program")},
    )
    assert response.status_code == 200
    assert "none of those" in response.content.decode()
    assert not TraineeDocument.objects.exists()


def test_an_empty_or_oversized_upload_is_refused(client, settings):
    settings.EVIDENCE_MAX_UPLOAD_SIZE = 100
    client.force_login(user_with_role(roles.TRAINEE))
    for data in (b"", PDF + b"x" * 200):
        response = client.post(
            reverse("courses:my_documents"),
            {"kind": kind().pk, "file": SimpleUploadedFile("x.pdf", data)},
        )
        assert response.status_code == 200
    assert not TraineeDocument.objects.exists()


def test_a_training_certificate_needs_its_hours_and_date(client):
    client.force_login(user_with_role(roles.TRAINEE))
    certificate = kind("training-certificate", records_training=True)
    response = client.post(
        reverse("courses:my_documents"),
        {"kind": certificate.pk, "file": SimpleUploadedFile("x.pdf", PDF)},
    )
    body = response.content.decode()
    assert "Enter the hours shown on the certificate." in body
    assert "Enter the date shown on the certificate." in body
    response = client.post(
        reverse("courses:my_documents"),
        {
            "kind": certificate.pk,
            "file": SimpleUploadedFile("x.pdf", PDF),
            "hours": "6",
            "completed_on": "2026-04-01",
        },
    )
    assert "The date cannot be in the future." in response.content.decode()
    assert not TraineeDocument.objects.exists()


@pytest.mark.parametrize("role", ["trainer", "examiner", "supervisor", "administrator"])
def test_only_trainees_reach_my_documents(client_as, role):
    assert client_as(role).get(reverse("courses:my_documents")).status_code == 403


# Who sees a document ---------------------------------------------------------


def _file(client, document):
    return client.get(reverse("courses:document_file", args=[document.pk]))


def _people(trainee):
    supervisor = make_agreement(trainee=trainee).supervisor
    return {
        "another trainee": user_with_role(roles.TRAINEE),
        "their supervisor": supervisor,
        "trainer": user_with_role(roles.TRAINER),
        "examiner": user_with_role(roles.EXAMINER),
        "administrator": administrator(),
        "administrator allowed sensitive documents": administrator(sensitive=True),
    }


def test_an_ordinary_document_is_seen_by_its_trainee_and_administrators(client):
    trainee = user_with_role(roles.TRAINEE)
    document = upload(trainee, kind())
    client.force_login(trainee)
    assert _file(client, document).status_code == 200
    allowed = {"administrator", "administrator allowed sensitive documents"}
    for name, person in _people(trainee).items():
        client.force_login(person)
        expected = 200 if name in allowed else 404
        assert _file(client, document).status_code == expected, name
    assert not AuditEvent.objects.filter(action__startswith="sensitive_document")


def test_the_attestation_is_seen_only_by_its_trainee_and_allowed_administrators(
    client,
):
    trainee = user_with_role(roles.TRAINEE)
    document = upload(trainee, attestation_kind())
    client.force_login(trainee)
    response = _file(client, document)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    people = _people(trainee)
    for name, person in people.items():
        client.force_login(person)
        expected = 200 if name == "administrator allowed sensitive documents" else 404
        assert _file(client, document).status_code == expected, name

    downloads = AuditEvent.objects.filter(action="sensitive_document.downloaded")
    assert sorted(e.actor_repr for e in downloads) == sorted(
        [trainee.email, people["administrator allowed sensitive documents"].email]
    )
    refused = AuditEvent.objects.filter(action="sensitive_document.refused")
    assert refused.count() == 5
    assert {e.target_repr for e in refused} == {str(document)}


def test_signed_out_visitors_are_sent_to_sign_in(client):
    document = upload(user_with_role(roles.TRAINEE), attestation_kind())
    response = _file(client, document)
    assert response.status_code == 302
    assert "login" in response["Location"]


# Verifying -------------------------------------------------------------------


@pytest.mark.parametrize("role", ["trainee", "trainer", "examiner", "supervisor"])
def test_only_administrators_reach_documents_to_verify(client_as, role):
    client = client_as(role)
    assert client.get(reverse("courses:documents_to_verify")).status_code == 403
    document = upload(user_with_role(roles.TRAINEE), kind())
    response = client.post(
        reverse("courses:document_decide", args=[document.pk]),
        {"decision": "verify"},
    )
    assert response.status_code == 403
    document.refresh_from_db()
    assert document.status == TraineeDocument.Status.PENDING


def test_an_administrator_verifies_and_rejects_from_the_list(
    client, django_assert_max_num_queries
):
    trainee = user_with_role(roles.TRAINEE)
    first, second = upload(trainee, kind()), upload(trainee, kind("affidavit"))
    sensitive = upload(trainee, attestation_kind())
    for _ in range(3):
        upload(user_with_role(roles.TRAINEE), kind())
    client.force_login(administrator())
    with django_assert_max_num_queries(12):
        page = client.get(reverse("courses:documents_to_verify"))
    body = page.content.decode()
    assert reverse("courses:document_file", args=[first.pk]) in body
    assert reverse("courses:document_file", args=[sensitive.pk]) not in body
    assert reverse("courses:document_decide", args=[sensitive.pk]) not in body

    decide = reverse("courses:document_decide", args=[second.pk])
    response = client.post(decide, {"decision": "reject", "reason": ""}, follow=True)
    assert "Say why the document is rejected." in response.content.decode()
    client.post(decide, {"decision": "reject", "reason": "Not signed"})
    client.post(
        reverse("courses:document_decide", args=[first.pk]), {"decision": "verify"}
    )
    response = client.post(
        reverse("courses:document_decide", args=[sensitive.pk]), {"decision": "verify"}
    )
    assert response.status_code == 404
    first.refresh_from_db()
    second.refresh_from_db()
    sensitive.refresh_from_db()
    assert first.status == TraineeDocument.Status.VERIFIED
    assert second.status == TraineeDocument.Status.REJECTED
    assert second.rejection_reason == "Not signed"
    assert sensitive.status == TraineeDocument.Status.PENDING
    event = AuditEvent.objects.get(action="document.rejected")
    assert event.reason == "Not signed"


def test_an_administrator_allowed_sensitive_documents_verifies_the_attestation(
    client,
):
    document = upload(user_with_role(roles.TRAINEE), attestation_kind())
    client.force_login(administrator(sensitive=True))
    body = client.get(reverse("courses:documents_to_verify")).content.decode()
    assert reverse("courses:document_decide", args=[document.pk]) in body
    client.post(
        reverse("courses:document_decide", args=[document.pk]), {"decision": "verify"}
    )
    document.refresh_from_db()
    assert document.status == TraineeDocument.Status.VERIFIED


def test_my_documents_costs_the_same_however_many_documents(
    client, django_assert_max_num_queries
):
    trainee = user_with_role(roles.TRAINEE)
    for slug in ("diploma", "affidavit", "kentucky-residence", "other", "more"):
        upload(trainee, kind(slug))
    client.force_login(trainee)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("courses:my_documents"))
    assert page.content.decode().count("Waiting for verification") == 5
