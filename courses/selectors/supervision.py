"""Reads for supervision: an agreement's page, a log's page, a supervisor's
overview of their supervisees and a trainee's own supervision. Each runs a
fixed number of queries, whatever the number of logs."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Prefetch, Sum
from django.utils import timezone

from cms.models import User

from ..models import HourEntry, HoursRequirement, TotalHoursRequirement
from ..models.supervision import (
    ExperienceLog,
    Signature,
    SignedLog,
    SupervisionDomain,
    SupervisionGapRule,
    SupervisionSession,
    SupervisoryAgreement,
)

SUPERVISION = HourEntry.Kind.SUPERVISION
EXPERIENCE = HourEntry.Kind.EXPERIENCE
BOTH = {Signature.Role.TRAINEE, Signature.Role.SUPERVISOR}


def _signatures(subjects: list) -> dict[int, list[Signature]]:
    """Every signature of these records (all of one model), by record id."""
    by_id: dict[int, list[Signature]] = defaultdict(list)
    if not subjects:
        return by_id
    content_type = ContentType.objects.get_for_model(type(subjects[0]))
    for signature in Signature.objects.filter(
        content_type=content_type, object_id__in=[s.pk for s in subjects]
    ).select_related("signer"):
        by_id[signature.object_id].append(signature)
    return by_id


def _current_roles(subject, signatures: list[Signature]) -> set[str]:
    digest = subject.signed_text_hash()
    return {s.role for s in signatures if s.text_sha256 == digest}


@dataclass
class SignedView:
    """A record with its signatures, which of them match its text now."""

    subject: object
    signatures: list[Signature]
    current_roles: set[str]

    @property
    def is_signed(self) -> bool:
        return self.current_roles >= BOTH

    def signature_is_current(self, signature: Signature) -> bool:
        return signature.text_sha256 == self.subject.signed_text_hash()


def _role(agreement: SupervisoryAgreement, user: User) -> str | None:
    if user.pk == agreement.supervisor_id:
        return Signature.Role.SUPERVISOR
    if user.pk == agreement.trainee_id:
        return Signature.Role.TRAINEE
    return None


def _sessions(agreement_filter: dict, limit: int | None = None):
    sessions = (
        SupervisionSession.objects.filter(**agreement_filter)
        .select_related("agreement__trainee", "agreement__supervisor", "waiting_for")
        .prefetch_related(Prefetch("domains", SupervisionDomain.objects.all()))
        .order_by("-date", "-pk")
    )
    return list(sessions[:limit] if limit else sessions)


def _experience(agreement_filter: dict, limit: int | None = None):
    logs = (
        ExperienceLog.objects.filter(**agreement_filter)
        .select_related(
            "agreement__trainee", "agreement__supervisor", "waiting_for", "domain"
        )
        .order_by("-period_end", "-pk")
    )
    return list(logs[:limit] if limit else logs)


def agreement_page(*, agreement: SupervisoryAgreement, user: User) -> dict:
    signatures = _signatures([agreement])[agreement.pk]
    view = SignedView(agreement, signatures, _current_roles(agreement, signatures))
    role = _role(agreement, user)
    return {
        "agreement": agreement,
        "signed": view,
        "text": agreement.signed_text(),
        "my_role": role,
        "may_sign": role is not None and role not in view.current_roles,
        "may_log": role is not None and view.is_signed,
        "sessions": _sessions({"agreement": agreement}, limit=100),
        "experience": _experience({"agreement": agreement}, limit=100),
    }


def log_page(*, log: SignedLog, user: User) -> dict:
    from ..services.supervision import log_entries

    signatures = _signatures([log])[log.pk]
    view = SignedView(log, signatures, _current_roles(log, signatures))
    role = _role(log.agreement, user)
    waiting_on_me = (
        log.status == SignedLog.Status.AWAITING and log.waiting_for_id == user.pk
    )
    return {
        "log": log,
        "signed": view,
        "text": log.signed_text(),
        "my_role": role,
        "may_sign": waiting_on_me,
        "may_send_back": waiting_on_me,
        "may_correct": role is not None,
        "entries": log_entries(log),
    }


# The supervisor's overview ------------------------------------------------------


@dataclass
class HoursAgainst:
    """Hours of one kind (and domain) against the credential's minimum."""

    label: str
    done: Decimal
    minimum: Decimal | None

    @property
    def percent(self) -> int:
        if not self.minimum:
            return 0
        return max(0, min(100, int(self.done * 100 / self.minimum)))

    @property
    def is_met(self) -> bool:
        return self.minimum is not None and self.done >= self.minimum


@dataclass
class SuperviseeRow:
    trainee: User
    agreements: list[SignedView]
    totals: list[HoursAgainst]
    by_domain: list[HoursAgainst]
    last_session: datetime.date | None
    warnings: list[str] = field(default_factory=list)


@dataclass
class SupervisorOverview:
    rows: list[SuperviseeRow]
    sessions_waiting: list[SupervisionSession]
    experience_waiting: list[ExperienceLog]
    agreements_waiting: list[SignedView]
    sent_back: list[SignedLog]

    @property
    def waiting_count(self) -> int:
        return len(self.sessions_waiting) + len(self.experience_waiting)


def _hours_by_trainee(trainee_ids) -> dict[int, dict[tuple[str, int], Decimal]]:
    hours: dict[int, dict[tuple[str, int], Decimal]] = defaultdict(dict)
    rows = (
        HourEntry.objects.filter(
            trainee_id__in=trainee_ids,
            kind__in=[SUPERVISION, EXPERIENCE],
            status=HourEntry.Status.VERIFIED,
        )
        .values("trainee_id", "kind", "category_id")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    for row in rows:
        hours[row["trainee_id"]][(row["kind"], row["category_id"])] = row["total"]
    return hours


def _minimums(credential_ids) -> tuple[dict, dict]:
    """The credentials' minimums: in all, by (credential, kind); per domain
    category, by (credential, kind, category)."""
    totals = {
        (rule.credential_id, rule.kind): rule.minimum_hours
        for rule in TotalHoursRequirement.objects.filter(
            credential_id__in=credential_ids, kind__in=[SUPERVISION, EXPERIENCE]
        ).non_polymorphic()
    }
    per_category = {
        (rule.credential_id, rule.kind, rule.category_id): rule.minimum_hours
        for rule in HoursRequirement.objects.filter(
            credential_id__in=credential_ids, kind__in=[SUPERVISION, EXPERIENCE]
        ).non_polymorphic()
    }
    return totals, per_category


def _kind_label(kind: str) -> str:
    return str(HourEntry.Kind(kind).label)


def supervisor_overview(
    *, supervisor: User, today: datetime.date | None = None
) -> SupervisorOverview:
    """Everything the "Supervision" page shows, in a fixed number of queries."""
    today = today or timezone.localdate()
    agreements = list(
        SupervisoryAgreement.objects.filter(supervisor=supervisor)
        .select_related(
            "trainee", "supervisor", "credential", "supervisor_credential_type"
        )
        .order_by("trainee__legal_name", "-start_date", "pk")
    )
    signatures = _signatures(agreements)
    views = [
        SignedView(a, signatures[a.pk], _current_roles(a, signatures[a.pk]))
        for a in agreements
    ]
    trainee_ids = {a.trainee_id for a in agreements}
    hours = _hours_by_trainee(trainee_ids)
    domains = list(SupervisionDomain.objects.select_related("hour_category"))
    totals_min, category_min = _minimums({a.credential_id for a in agreements})
    last_sessions = dict(
        SupervisionSession.objects.filter(agreement__supervisor=supervisor)
        .exclude(status=SignedLog.Status.SENT_BACK)
        .values_list("agreement__trainee_id")
        .annotate(last=Max("date"))
        .order_by()
    )
    rules_by_credential = defaultdict(list)
    for rule in SupervisionGapRule.objects.filter(
        credential_id__in={a.credential_id for a in agreements}
    ):
        rules_by_credential[rule.credential_id].append(rule)

    by_trainee: dict[int, list[SignedView]] = defaultdict(list)
    for view in views:
        by_trainee[view.subject.trainee_id].append(view)
    rows = []
    for trainee_id, trainee_views in by_trainee.items():
        current = next(
            (v for v in trainee_views if v.subject.covers(today)), trainee_views[0]
        )
        credential_id = current.subject.credential_id
        trainee_hours = hours.get(trainee_id, {})
        totals = [
            HoursAgainst(
                label=_kind_label(kind),
                done=sum(
                    (h for (k, _c), h in trainee_hours.items() if k == kind),
                    Decimal(0),
                ),
                minimum=totals_min.get((credential_id, kind)),
            )
            for kind in (SUPERVISION, EXPERIENCE)
        ]
        by_domain = [
            HoursAgainst(
                label=domain.name,
                done=trainee_hours.get(
                    (SUPERVISION, domain.hour_category_id), Decimal(0)
                ),
                minimum=category_min.get(
                    (credential_id, SUPERVISION, domain.hour_category_id)
                ),
            )
            for domain in domains
        ]
        last = last_sessions.get(trainee_id)
        warnings = []
        if current.subject.covers(today):
            for rule in rules_by_credential.get(credential_id, []):
                if last is None or (today - last).days > rule.max_days:
                    warnings.append(_gap_warning(rule=rule, last=last))
        rows.append(
            SuperviseeRow(
                trainee=current.subject.trainee,
                agreements=trainee_views,
                totals=totals,
                by_domain=by_domain,
                last_session=last,
                warnings=warnings,
            )
        )
    mine = {"waiting_for": supervisor, "status": SignedLog.Status.AWAITING}
    sent_back = {
        "agreement__supervisor": supervisor,
        "status": SignedLog.Status.SENT_BACK,
        "logged_by": supervisor,
    }
    return SupervisorOverview(
        rows=rows,
        sessions_waiting=_sessions(mine),
        experience_waiting=_experience(mine),
        agreements_waiting=[
            v for v in views if Signature.Role.SUPERVISOR not in v.current_roles
        ],
        sent_back=_sessions(sent_back) + _experience(sent_back),
    )


def _gap_warning(*, rule: SupervisionGapRule, last: datetime.date | None) -> str:
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    if last is None:
        return _("%(rule)s: no session logged yet (%(citation)s)") % {
            "rule": rule.description,
            "citation": rule.source_citation,
        }
    return _("%(rule)s: no session since %(date)s (%(citation)s)") % {
        "rule": rule.description,
        "date": date_format(last, "DATE_FORMAT"),
        "citation": rule.source_citation,
    }


# The trainee's own supervision ----------------------------------------------------


@dataclass
class TraineeSupervision:
    agreements: list[SignedView]
    sessions: list[SupervisionSession]
    experience: list[ExperienceLog]
    totals: list[HoursAgainst]
    waiting_on_me: int


def trainee_supervision(*, trainee: User) -> TraineeSupervision:
    agreements = list(
        SupervisoryAgreement.objects.filter(trainee=trainee)
        .select_related(
            "trainee", "supervisor", "credential", "supervisor_credential_type"
        )
        .order_by("-start_date", "pk")
    )
    signatures = _signatures(agreements)
    views = [
        SignedView(a, signatures[a.pk], _current_roles(a, signatures[a.pk]))
        for a in agreements
    ]
    hours = _hours_by_trainee([trainee.pk]).get(trainee.pk, {})
    totals_min, _category = _minimums({a.credential_id for a in agreements})
    credential_id = agreements[0].credential_id if agreements else None
    totals = [
        HoursAgainst(
            label=_kind_label(kind),
            done=sum((h for (k, _c), h in hours.items() if k == kind), Decimal(0)),
            minimum=totals_min.get((credential_id, kind)),
        )
        for kind in (SUPERVISION, EXPERIENCE)
    ]
    mine = {"agreement__trainee": trainee}
    sessions = _sessions(mine, limit=200)
    experience = _experience(mine, limit=200)
    waiting = sum(
        1 for log in [*sessions, *experience] if log.waiting_for_id == trainee.pk
    )
    return TraineeSupervision(
        agreements=views,
        sessions=sessions,
        experience=experience,
        totals=totals,
        waiting_on_me=waiting,
    )


# Feedback in aggregate --------------------------------------------------------------

FEEDBACK_MINIMUM = 3


@dataclass
class CompetencyAverage:
    name: str
    average: float | None


@dataclass
class SupervisorFeedback:
    supervisor: User
    responses: int
    averages: list[CompetencyAverage]

    @property
    def is_shown(self) -> bool:
        return self.responses >= FEEDBACK_MINIMUM


def feedback_by_supervisor() -> list[SupervisorFeedback]:
    """Supervisees' feedback averaged per supervisor and competency; below
    ``FEEDBACK_MINIMUM`` responses nothing but the count is given, so no
    single supervisee can be recognised. Comments are never shown."""
    from ..models.supervision import SupervisionFeedback, SupervisorCompetency

    competencies = list(SupervisorCompetency.objects.all())
    by_supervisor: dict[int, list[dict]] = defaultdict(list)
    supervisors: dict[int, User] = {}
    for feedback in SupervisionFeedback.objects.select_related(
        "agreement__supervisor"
    ).only("ratings", "agreement__supervisor"):
        supervisor = feedback.agreement.supervisor
        supervisors[supervisor.pk] = supervisor
        by_supervisor[supervisor.pk].append(feedback.ratings)
    rows = []
    for pk, all_ratings in by_supervisor.items():
        shown = len(all_ratings) >= FEEDBACK_MINIMUM
        averages = []
        for competency in competencies:
            values = [r[competency.slug] for r in all_ratings if competency.slug in r]
            averages.append(
                CompetencyAverage(
                    competency.name,
                    round(sum(values) / len(values), 1) if shown and values else None,
                )
            )
        rows.append(
            SupervisorFeedback(
                supervisor=supervisors[pk],
                responses=len(all_ratings),
                averages=averages if shown else [],
            )
        )
    return sorted(rows, key=lambda row: row.supervisor.legal_name)
