"""A credential whose application checklist a trainee can meet in a few
steps, for the packet's tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from cms import roles
from courses.models import (
    DocumentKind,
    DocumentRequirement,
    HourEntry,
    SupervisionAgreementRequirement,
    SupervisionEvaluationRequirement,
    TotalHoursRequirement,
)
from courses.services import documents as document_services
from courses.services import supervision as supervision_services
from tests.factories import (
    CredentialFactory,
    log_experience,
    log_session,
    make_agreement,
    signing_context,
    supervision_domains,
    user_with_role,
)

PDF = b"%PDF-1.4\n%%EOF\n"
CITATION = "201 KAR 35:050"
EFFECTIVE = datetime.date(2026, 1, 1)


def administrator(*, sensitive: bool = False):
    person = user_with_role(roles.ADMINISTRATOR)
    if sensitive:
        person.user_permissions.add(
            Permission.objects.get(
                content_type__app_label="courses", codename="view_sensitive_document"
            )
        )
        person = type(person).objects.get(pk=person.pk)  # fresh permission cache
    return person


class Checklist:
    """A credential whose checklist is 2 hours of supervision, an approved
    agreement, a signed evaluation and a verified Attestation of Recovery;
    a trainee with a supervisor, one signed session of 60 minutes and
    signed experience hours, and everything else still missing."""

    def __init__(self):
        self.credential = CredentialFactory(
            slug="adpss-packet", name="Alcohol and Drug Peer Support Specialist"
        )
        owner = {
            "credential": self.credential,
            "source_citation": CITATION,
            "effective_date": EFFECTIVE,
        }
        self.domains = supervision_domains()
        TotalHoursRequirement.objects.create(
            kind=HourEntry.Kind.SUPERVISION,
            minimum_hours=Decimal(2),
            sort_order=10,
            **owner,
        )
        SupervisionAgreementRequirement.objects.create(sort_order=20, **owner)
        SupervisionEvaluationRequirement.objects.create(sort_order=30, **owner)
        self.attestation = DocumentKind.objects.create(
            slug="attestation-of-recovery",
            name="Attestation of Recovery",
            is_sensitive=True,
            source_citation=CITATION,
        )
        DocumentRequirement.objects.create(
            document_kind=self.attestation, sort_order=40, **owner
        )
        self.trainee = user_with_role(roles.TRAINEE, legal_name="Jordan Avery Miles")
        self.supervisor = user_with_role(
            roles.SUPERVISOR, legal_name="Casey Supervisor"
        )
        self.agreement = make_agreement(
            self.trainee, self.supervisor, credential=self.credential
        )
        self.first = log_session(self.agreement, domains=self.domains[:2], signed=True)

    def meet_everything(self):
        log_session(
            self.agreement,
            date=datetime.date(2026, 2, 9),
            domains=self.domains[2:],
            signed=True,
        )
        supervision_services.agreement_approve(
            agreement=self.agreement,
            by=administrator(),
            approved_on=datetime.date(2026, 1, 5),
            reference="KBADC-2026-17",
        )
        supervision_services.evaluation_write(
            agreement=self.agreement,
            by=self.supervisor,
            ratings={domain.slug: 3 for domain in self.domains},
            comments={self.domains[0].slug: "Speaks up for peers well."},
            summary="Ready for the credential.",
            typed_name=self.supervisor.legal_name,
            signing=signing_context(),
        )
        experience = log_experience(self.agreement, hours=Decimal(40))
        supervision_services.log_sign(
            log=experience,
            by=self.supervisor,
            typed_name=self.supervisor.legal_name,
            signing=signing_context(),
        )
        document = document_services.document_upload(
            trainee=self.trainee,
            kind=self.attestation,
            file=SimpleUploadedFile("attestation.pdf", PDF),
            title="Attestation of Recovery, signed",
        )
        document_services.document_decide(
            document=document, by=administrator(sensitive=True), verified=True
        )
        return self
