"""Reads for the application packet: a trainee's readiness for a credential
("Ready to apply"), the administrators' list of trainees and their readiness,
and everything the packet's PDF and workbook show.

Each runs a fixed number of queries, whatever the number of rules, logs and
signatures.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Sum
from django.utils import timezone

from cms.models import User

from ..models import (
    ApplicationPacket,
    Credential,
    HourEntry,
    Requirement,
    SupervisionDomain,
    TraineeDocument,
)
from ..models.supervision import (
    ExperienceLog,
    Signature,
    SignedLog,
    SupervisionEvaluation,
    SupervisionSession,
    SupervisoryAgreement,
)
from .credentials import CredentialProgress, credential_progress
from .hour_record import HourRecord, hour_verification_record
from .supervision import BOTH, _current_roles, _signatures


def checklist_credentials() -> list[Credential]:
    """The credentials that have any requirement, by name: those a trainee can
    get ready to apply for."""
    return list(
        Credential.objects.filter(
            pk__in=Requirement.objects.filter(credential__isnull=False).values(
                "credential_id"
            )
        ).order_by("name")
    )


def readiness(
    *, trainee: User, credential: Credential, today: datetime.date | None = None
) -> CredentialProgress:
    """Every requirement of the credential, met or missing, for the trainee."""
    (progress,) = credential_progress(
        trainee=trainee, credentials=[credential], today=today
    )
    return progress


# The administrators' list ---------------------------------------------------------


@dataclass
class CandidateRow:
    trainee: User
    progress: CredentialProgress
    latest_packet: ApplicationPacket | None


def packet_candidates(
    *, credential: Credential, limit: int = 50
) -> tuple[list[CandidateRow], int]:
    """Trainees working towards the credential (a supervisory agreement for
    it, a fee paid for it, or a packet already), by name, with their
    readiness; at most ``limit`` of them, and how many there are in all.

    Readiness is measured per trainee, so the queries grow with the page
    size (bounded by ``limit``), never with the number of records a trainee
    has.
    """
    from ..models.fees import FeePayment

    ids = (
        set(
            SupervisoryAgreement.objects.filter(credential=credential).values_list(
                "trainee_id", flat=True
            )
        )
        | set(
            FeePayment.objects.filter(credential=credential).values_list(
                "trainee_id", flat=True
            )
        )
        | set(
            ApplicationPacket.objects.filter(credential=credential).values_list(
                "trainee_id", flat=True
            )
        )
    )
    trainees = list(User.objects.filter(pk__in=ids).order_by("legal_name", "pk"))
    shown = trainees[:limit]
    latest: dict[int, ApplicationPacket] = {}
    for packet in ApplicationPacket.objects.filter(
        credential=credential, trainee__in=shown
    ).order_by("generated_at", "pk"):
        latest[packet.trainee_id] = packet
    rows = [
        CandidateRow(
            trainee=trainee,
            progress=readiness(trainee=trainee, credential=credential),
            latest_packet=latest.get(trainee.pk),
        )
        for trainee in shown
    ]
    return rows, len(trainees)


def packets_of(*, trainee: User, credential: Credential) -> list[ApplicationPacket]:
    """Every packet generated for the trainee and credential, newest first."""
    return list(
        ApplicationPacket.objects.filter(trainee=trainee, credential=credential)
        .select_related("generated_by", "sent_by", "sensitive_ticked_by")
        .order_by("-generated_at", "-pk")
    )


# What the packet shows ---------------------------------------------------------------


@dataclass
class SignedRecord:
    """A log or agreement with the signatures that match its text now."""

    subject: object
    signatures: list[Signature]

    def signature_of(self, role: str) -> Signature | None:
        return next((s for s in self.signatures if s.role == role), None)

    @property
    def trainee_signature(self) -> Signature | None:
        return self.signature_of(Signature.Role.TRAINEE)

    @property
    def supervisor_signature(self) -> Signature | None:
        return self.signature_of(Signature.Role.SUPERVISOR)


@dataclass
class DomainHours:
    domain: SupervisionDomain
    hours: Decimal
    minimum: Decimal | None = None


@dataclass
class EvaluationSummary:
    evaluation: SupervisionEvaluation
    ratings: list[tuple[str, int | None, str]]
    signature: Signature | None


@dataclass
class PacketContents:
    trainee: User
    credential: Credential
    generated_on: datetime.date
    checklist: CredentialProgress
    hour_record: HourRecord
    agreements: list[SignedRecord]
    sessions: list[SignedRecord]
    experience: list[SignedRecord]
    supervision_by_domain: list[DomainHours]
    evaluations: list[EvaluationSummary]
    include_sensitive: bool
    sensitive_documents: list[TraineeDocument] = field(default_factory=list)
    reference_letters: list = field(default_factory=list)

    @property
    def supervision_total(self) -> Decimal:
        return sum((row.hours for row in self.supervision_by_domain), Decimal(0))

    def _session_hours(self, test) -> Decimal:
        return sum(
            (r.subject.hours for r in self.sessions if test(r.subject)), Decimal(0)
        )

    @property
    def individual_hours(self) -> Decimal:
        return self._session_hours(
            lambda s: s.format == SupervisionSession.Format.INDIVIDUAL
        )

    @property
    def group_hours(self) -> Decimal:
        return self._session_hours(
            lambda s: s.format == SupervisionSession.Format.GROUP
        )

    @property
    def direct_hours(self) -> Decimal:
        return self._session_hours(lambda s: s.is_direct)

    @property
    def experience_total(self) -> Decimal:
        return sum((r.subject.hours for r in self.experience), Decimal(0))


def trainee_by_email(email: str) -> User | None:
    """The trainee with this email address (any case), or None when no one
    who may study has it."""
    from ..permissions import user_can_study

    trainee = User.objects.filter(email__iexact=email.strip()[:254]).first()
    return trainee if trainee is not None and user_can_study(trainee) else None


def packet_reference_letters(
    *, trainee: User, credential: Credential, include_sensitive: bool
) -> list:
    """The letters of reference the packet includes: the trainee's received
    letters for the credential, each with the referee's signature
    (``letter.signature``), and none unless the administrator ticked
    "include sensitive documents" for this packet."""
    from .references import letters_for_packet

    return letters_for_packet(trainee, include_sensitive, credential=credential)


def _signed(subjects: list) -> list[SignedRecord]:
    signatures = _signatures(subjects)
    records = []
    for subject in subjects:
        digest = subject.signed_text_hash()
        current = [s for s in signatures[subject.pk] if s.text_sha256 == digest]
        records.append(SignedRecord(subject, current))
    return records


def packet_contents(
    *,
    trainee: User,
    credential: Credential,
    include_sensitive: bool,
    today: datetime.date | None = None,
) -> PacketContents:
    """Everything the packet shows, read in a fixed number of queries."""
    today = today or timezone.localdate()
    agreements = list(
        SupervisoryAgreement.objects.filter(trainee=trainee, credential=credential)
        .select_related(
            "trainee", "supervisor", "credential", "supervisor_credential_type"
        )
        .order_by("start_date", "pk")
    )
    signed_agreements = _signed(agreements)
    sessions = list(
        SupervisionSession.objects.filter(
            agreement__in=agreements, status=SignedLog.Status.SIGNED
        )
        .select_related(
            "agreement__trainee",
            "agreement__supervisor",
            "agreement__supervisor_credential_type",
        )
        .prefetch_related(Prefetch("domains", SupervisionDomain.objects.all()))
        .order_by("date", "pk")
    )
    experience = list(
        ExperienceLog.objects.filter(
            agreement__in=agreements, status=SignedLog.Status.SIGNED
        )
        .select_related(
            "agreement__trainee",
            "agreement__supervisor",
            "agreement__supervisor_credential_type",
            "domain",
        )
        .order_by("period_start", "pk")
    )
    # Only what both people signed, as it reads now, goes to the board.
    signed_sessions = [
        r for r in _signed(sessions) if _current_roles(r.subject, r.signatures) >= BOTH
    ]
    signed_experience = [
        r
        for r in _signed(experience)
        if Signature.Role.SUPERVISOR in _current_roles(r.subject, r.signatures)
    ]
    domains = list(SupervisionDomain.objects.order_by("sort_order", "name"))
    totals = dict(
        HourEntry.objects.filter(
            trainee=trainee,
            kind=HourEntry.Kind.SUPERVISION,
            status=HourEntry.Status.VERIFIED,
        )
        .values_list("category_id")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    minimums = _supervision_minimums(credential)
    by_domain = [
        DomainHours(
            domain=domain,
            hours=totals.get(domain.hour_category_id, Decimal(0)),
            minimum=minimums.get(domain.hour_category_id),
        )
        for domain in domains
    ]
    evaluations = list(
        SupervisionEvaluation.objects.filter(agreement__in=agreements)
        .select_related("agreement__trainee", "agreement__supervisor")
        .order_by("created_at", "pk")
    )
    names = {domain.slug: domain.name for domain in domains}
    summaries = []
    for record in _signed(evaluations):
        signature = record.supervisor_signature
        if signature is None:
            continue
        evaluation = record.subject
        summaries.append(
            EvaluationSummary(
                evaluation=evaluation,
                ratings=[
                    (
                        names.get(slug, slug),
                        evaluation.ratings.get(slug),
                        evaluation.comments.get(slug, ""),
                    )
                    for slug in sorted(
                        evaluation.ratings,
                        key=lambda slug: (
                            list(names).index(slug) if slug in names else len(names)
                        ),
                    )
                ],
                signature=signature,
            )
        )
    sensitive = []
    if include_sensitive:
        sensitive = list(
            TraineeDocument.objects.filter(trainee=trainee, kind__is_sensitive=True)
            .select_related("kind", "decided_by")
            .order_by("kind__sort_order", "uploaded_at", "pk")
        )
    return PacketContents(
        trainee=trainee,
        credential=credential,
        generated_on=today,
        checklist=readiness(trainee=trainee, credential=credential, today=today),
        hour_record=hour_verification_record(trainee=trainee, credential=credential),
        agreements=signed_agreements,
        sessions=signed_sessions,
        experience=signed_experience,
        supervision_by_domain=by_domain,
        evaluations=summaries,
        include_sensitive=include_sensitive,
        sensitive_documents=sensitive,
        reference_letters=packet_reference_letters(
            trainee=trainee, credential=credential, include_sensitive=include_sensitive
        ),
    )


def _supervision_minimums(credential: Credential) -> dict[int, Decimal]:
    """The credential's minimum supervision hours per domain category."""
    from ..models import HoursRequirement

    return {
        rule.category_id: rule.minimum_hours
        for rule in HoursRequirement.objects.filter(
            credential=credential, kind=HourEntry.Kind.SUPERVISION
        ).non_polymorphic()
    }
