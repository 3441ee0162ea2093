"""Supervision: agreements, electronic signatures, supervision sessions and
experience logs, and the hours they credit.

Only a log signed by both people, under an agreement both have signed in its
current version, and dated within it, becomes ledger rows. A correction makes
a new version of the log, reverses whatever the old one credited and needs
both signatures again.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import audit
from cms.models import User
from cms.security import client_ip

from ..models import Credential, HourEntry
from ..models.supervision import (
    MINUTES_IN_A_DAY,
    ExperienceLog,
    Signature,
    SignedLog,
    SupervisionDomain,
    SupervisionSession,
    SupervisorCredentialType,
    SupervisoryAgreement,
    text_hash,
)
from .ledger import entry_credit, entry_reverse

CENT = Decimal("0.01")
STUDY = "courses.add_enrollment"
SUPERVISE = "courses.sign_hourentry"


@dataclass(frozen=True)
class SigningContext:
    """Where a signature was made from: the request's address and browser."""

    ip_address: str | None = None
    user_agent: str = ""

    @classmethod
    def from_request(cls, request) -> SigningContext:
        return cls(
            # Behind trusted proxies, the address the outermost one saw, as
            # the audit log and sign-in lockouts record it.
            ip_address=client_ip(request) if request.META.get("REMOTE_ADDR") else None,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
        )


def intent_statement(typed_name: str) -> str:
    return _(
        "I, %(name)s, sign the text above electronically. I intend my typed "
        "name to be my signature, and I confirm that what it says is true."
    ) % {"name": typed_name}


def _normal_name(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def _check_typed_name(signer: User, typed_name: str) -> str:
    typed_name = re.sub(r"\s+", " ", typed_name or "").strip()
    if not typed_name:
        raise ValidationError({"typed_name": _("Type your full legal name to sign.")})
    if _normal_name(typed_name) != _normal_name(signer.legal_name):
        raise ValidationError(
            {
                "typed_name": _(
                    "Type your legal name exactly as your account shows it (%(name)s)."
                )
                % {"name": signer.legal_name}
            }
        )
    return typed_name


def signature_add(
    *,
    subject,
    signer: User | None,
    role: str,
    typed_name: str,
    signing: SigningContext,
    expected_name: str | None = None,
) -> Signature:
    """Sign ``subject`` as ``role``: the exact text it shows now, hashed.

    Signing the same text twice in the same role is refused, by the database
    as well. A signer without an account (a referee) gives ``expected_name``.
    """
    if signer is not None:
        typed_name = _check_typed_name(signer, typed_name)
    else:
        typed_name = re.sub(r"\s+", " ", typed_name or "").strip()
        if not typed_name or _normal_name(typed_name) != _normal_name(
            expected_name or ""
        ):
            raise ValidationError(
                {
                    "typed_name": _("Type your name as %(name)s to sign.")
                    % {"name": expected_name}
                }
            )
    text = subject.signed_text()
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                content_type=ContentType.objects.get_for_model(type(subject)),
                object_id=subject.pk,
                signer=signer,
                role=role,
                typed_name=typed_name,
                intent=intent_statement(typed_name),
                signed_text=text,
                text_sha256=text_hash(text),
                signed_at=timezone.now(),
                ip_address=signing.ip_address,
                user_agent=signing.user_agent[:500],
            )
    except IntegrityError as error:
        raise ValidationError(_("This has already been signed.")) from error
    audit.record(
        "supervision.signed",
        actor=signer,
        target=subject,
        role=role,
        text_sha256=signature.text_sha256,
    )
    return signature


def signed_roles(subject) -> set[str]:
    """The roles whose signature matches the text ``subject`` shows now."""
    return set(
        Signature.objects.filter(
            content_type=ContentType.objects.get_for_model(type(subject)),
            object_id=subject.pk,
            text_sha256=subject.signed_text_hash(),
        ).values_list("role", flat=True)
    )


BOTH = {Signature.Role.TRAINEE, Signature.Role.SUPERVISOR}


def agreement_is_signed(agreement: SupervisoryAgreement) -> bool:
    return signed_roles(agreement) >= BOTH


def _role_in(agreement: SupervisoryAgreement, user: User) -> str:
    if user.pk == agreement.supervisor_id:
        return Signature.Role.SUPERVISOR
    if user.pk == agreement.trainee_id:
        return Signature.Role.TRAINEE
    raise PermissionDenied(
        _("Only the trainee and the supervisor of this agreement may do this.")
    )


# Agreements -------------------------------------------------------------------


def _validate_agreement(
    *,
    trainee: User,
    supervisor: User,
    start_date: datetime.date,
    end_date: datetime.date,
    credential_number: str,
) -> str:
    errors: dict[str, str] = {}
    if trainee.pk == supervisor.pk:
        errors["trainee"] = _("A supervisor cannot supervise themselves.")
    elif not trainee.has_perm(STUDY):
        errors["trainee"] = _("%(email)s is not a trainee on this site.") % {
            "email": trainee.email
        }
    if not supervisor.has_perm(SUPERVISE):
        errors["supervisor"] = _("%(email)s is not a supervisor on this site.") % {
            "email": supervisor.email
        }
    credential_number = (credential_number or "").strip()
    if not credential_number:
        errors["supervisor_credential_number"] = _(
            "Enter the supervisor's credential number."
        )
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = _("The end date is before the start date.")
    if errors:
        raise ValidationError(errors)
    return credential_number


@transaction.atomic
def agreement_create(
    *,
    trainee: User,
    supervisor: User,
    credential: Credential,
    start_date: datetime.date,
    end_date: datetime.date,
    credential_type: SupervisorCredentialType,
    credential_number: str,
    by: User,
    typed_name: str,
    signing: SigningContext,
) -> SupervisoryAgreement:
    """Draw up an agreement and sign it as whichever of the two ``by`` is;
    the other signs it next."""
    if by.pk not in (trainee.pk, supervisor.pk):
        raise PermissionDenied(_("Only the trainee or the supervisor may do this."))
    number = _validate_agreement(
        trainee=trainee,
        supervisor=supervisor,
        start_date=start_date,
        end_date=end_date,
        credential_number=credential_number,
    )
    _check_typed_name(by, typed_name)
    agreement = SupervisoryAgreement.objects.create(
        trainee=trainee,
        supervisor=supervisor,
        credential=credential,
        start_date=start_date,
        end_date=end_date,
        supervisor_credential_type=credential_type,
        supervisor_credential_number=number,
        created_by=by,
        created_at=timezone.now(),
    )
    signature_add(
        subject=agreement,
        signer=by,
        role=_role_in(agreement, by),
        typed_name=typed_name,
        signing=signing,
    )
    return agreement


@transaction.atomic
def agreement_change(
    *,
    agreement: SupervisoryAgreement,
    by: User,
    start_date: datetime.date,
    end_date: datetime.date,
    credential_type: SupervisorCredentialType,
    credential_number: str,
    typed_name: str,
    signing: SigningContext,
) -> SupervisoryAgreement:
    """A new version of the agreement, signed by ``by``; the other person's
    signature and any board approval were for the old version."""
    agreement = SupervisoryAgreement.objects.select_for_update().get(pk=agreement.pk)
    role = _role_in(agreement, by)
    number = _validate_agreement(
        trainee=agreement.trainee,
        supervisor=agreement.supervisor,
        start_date=start_date,
        end_date=end_date,
        credential_number=credential_number,
    )
    _check_typed_name(by, typed_name)
    agreement.start_date = start_date
    agreement.end_date = end_date
    agreement.supervisor_credential_type = credential_type
    agreement.supervisor_credential_number = number
    agreement.revision += 1
    agreement.save()
    signature_add(
        subject=agreement, signer=by, role=role, typed_name=typed_name, signing=signing
    )
    return agreement


@transaction.atomic
def agreement_sign(
    *,
    agreement: SupervisoryAgreement,
    by: User,
    typed_name: str,
    signing: SigningContext,
) -> Signature:
    agreement = SupervisoryAgreement.objects.select_for_update().get(pk=agreement.pk)
    return signature_add(
        subject=agreement,
        signer=by,
        role=_role_in(agreement, by),
        typed_name=typed_name,
        signing=signing,
    )


@transaction.atomic
def agreement_approve(
    *,
    agreement: SupervisoryAgreement,
    by: User,
    approved_on: datetime.date,
    reference: str,
) -> SupervisoryAgreement:
    """Record that the board approved this version of the agreement."""
    agreement = SupervisoryAgreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreement_is_signed(agreement):
        raise ValidationError(
            _("Both people must sign this version before its approval is recorded.")
        )
    if approved_on > timezone.localdate():
        raise ValidationError({"approved_on": _("The date is in the future.")})
    agreement.board_approved_on = approved_on
    agreement.board_reference = reference.strip()
    agreement.approved_revision = agreement.revision
    agreement.approval_recorded_by = by
    agreement.save()
    return agreement


# Logs -------------------------------------------------------------------------


def _other_party(agreement: SupervisoryAgreement, user: User) -> User:
    return (
        agreement.trainee
        if user.pk == agreement.supervisor_id
        else agreement.supervisor
    )


def _check_under_agreement(
    agreement: SupervisoryAgreement,
    first: datetime.date,
    last: datetime.date,
    field: str,
) -> None:
    if not agreement_is_signed(agreement):
        raise ValidationError(
            _(
                "The supervisory agreement is not signed by both people in its "
                "current version; sign it first."
            )
        )
    if not (agreement.covers(first) and agreement.covers(last)):
        raise ValidationError(
            {
                field: _(
                    "The agreement runs from %(start)s to %(end)s; this is outside it."
                )
                % {
                    "start": agreement.start_date.isoformat(),
                    "end": agreement.end_date.isoformat(),
                }
            }
        )
    if last > timezone.localdate():
        raise ValidationError({field: _("The date is in the future.")})


def _validate_session(*, agreement, date, minutes, domains) -> None:
    if minutes is None or minutes < 1 or minutes > MINUTES_IN_A_DAY:
        raise ValidationError(
            {
                "minutes": _("Enter between 1 and %(max)s minutes.")
                % {"max": MINUTES_IN_A_DAY}
            }
        )
    if not domains:
        raise ValidationError({"domains": _("Choose at least one domain.")})
    _check_under_agreement(agreement, date, date, "date")


def _validate_experience(*, agreement, period_start, period_end, hours) -> None:
    if period_end < period_start:
        raise ValidationError({"period_end": _("The end is before the start.")})
    days = (period_end - period_start).days + 1
    if hours is None or hours <= 0:
        raise ValidationError({"hours": _("Enter a number of hours above zero.")})
    if hours > days * 24:
        raise ValidationError(
            {
                "hours": _("%(days)s days hold at most %(max)s hours.")
                % {"days": days, "max": days * 24}
            }
        )
    _check_under_agreement(agreement, period_start, period_end, "period_start")


@transaction.atomic
def session_log(
    *,
    agreement: SupervisoryAgreement,
    by: User,
    date: datetime.date,
    minutes: int,
    format: str,
    is_direct: bool,
    domains: Iterable[SupervisionDomain],
    note: str,
    typed_name: str,
    signing: SigningContext,
) -> SupervisionSession:
    """Log a session and sign it; the other person signs it next."""
    role = _role_in(agreement, by)
    domains = list(domains)
    _validate_session(agreement=agreement, date=date, minutes=minutes, domains=domains)
    _check_typed_name(by, typed_name)
    session = SupervisionSession.objects.create(
        agreement=agreement,
        logged_by=by,
        logged_at=timezone.now(),
        waiting_for=_other_party(agreement, by),
        date=date,
        minutes=minutes,
        format=format,
        is_direct=is_direct,
        note=note.strip(),
    )
    session.domains.set(domains)
    signature_add(
        subject=session, signer=by, role=role, typed_name=typed_name, signing=signing
    )
    return session


@transaction.atomic
def experience_log(
    *,
    agreement: SupervisoryAgreement,
    by: User,
    period_start: datetime.date,
    period_end: datetime.date,
    site: str,
    hours: Decimal,
    domain: SupervisionDomain,
    description: str,
    typed_name: str,
    signing: SigningContext,
) -> ExperienceLog:
    role = _role_in(agreement, by)
    _validate_experience(
        agreement=agreement,
        period_start=period_start,
        period_end=period_end,
        hours=hours,
    )
    _check_typed_name(by, typed_name)
    log = ExperienceLog.objects.create(
        agreement=agreement,
        logged_by=by,
        logged_at=timezone.now(),
        waiting_for=_other_party(agreement, by),
        period_start=period_start,
        period_end=period_end,
        site=site.strip(),
        hours=hours,
        domain=domain,
        description=description.strip(),
    )
    signature_add(
        subject=log, signer=by, role=role, typed_name=typed_name, signing=signing
    )
    return log


def _locked(log: SignedLog) -> SignedLog:
    return (
        type(log)
        .objects.select_for_update()
        .select_related("agreement__trainee", "agreement__supervisor")
        .get(pk=log.pk)
    )


def _waiting_on(log: SignedLog, by: User) -> str:
    role = _role_in(log.agreement, by)
    if log.status == SignedLog.Status.SIGNED:
        raise ValidationError(_("This log is already signed by both people."))
    if log.waiting_for_id != by.pk:
        if log.status == SignedLog.Status.SENT_BACK:
            raise ValidationError(
                _("This log was sent back; it waits for a correction, not a signature.")
            )
        raise ValidationError(
            _("You have signed this log; it waits for the other person.")
        )
    return role


@transaction.atomic
def log_sign(
    *, log: SignedLog, by: User, typed_name: str, signing: SigningContext
) -> SignedLog:
    """The second signature: the log is signed by both, and credited."""
    log = _locked(log)
    role = _waiting_on(log, by)
    if log.status == SignedLog.Status.SENT_BACK:
        raise ValidationError(_("This log was sent back; it waits for a correction."))
    if isinstance(log, SupervisionSession):
        _check_under_agreement(log.agreement, log.date, log.date, "date")
    else:
        _check_under_agreement(
            log.agreement, log.period_start, log.period_end, "period_start"
        )
    signature_add(
        subject=log, signer=by, role=role, typed_name=typed_name, signing=signing
    )
    if not signed_roles(log) >= BOTH:
        # The other signature is for an older version (it should not be).
        raise ValidationError(_("The other person's signature is missing."))
    log.status = SignedLog.Status.SIGNED
    log.waiting_for = None
    log.sent_back_reason = ""
    log.save(update_fields=["status", "waiting_for", "sent_back_reason"])
    _credit(log, by)
    return log


@transaction.atomic
def log_send_back(*, log: SignedLog, by: User, reason: str) -> SignedLog:
    """Refuse to sign, with a reason the person who logged it reads."""
    log = _locked(log)
    _waiting_on(log, by)
    if log.status == SignedLog.Status.SENT_BACK:
        raise ValidationError(_("This log has already been sent back."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why you send it back; the other person reads it.")}
        )
    log.status = SignedLog.Status.SENT_BACK
    log.sent_back_reason = reason[:2000]
    log.waiting_for = log.logged_by
    log.save(update_fields=["status", "sent_back_reason", "waiting_for"])
    audit.record("supervision.sent_back", actor=by, target=log, reason=reason)
    return log


@transaction.atomic
def session_correct(
    *,
    session: SupervisionSession,
    by: User,
    date: datetime.date,
    minutes: int,
    format: str,
    is_direct: bool,
    domains: Iterable[SupervisionDomain],
    note: str,
    reason: str,
    typed_name: str,
    signing: SigningContext,
) -> SupervisionSession:
    """A new version of a session: whatever the old one credited is reversed,
    and both people sign again (``by`` now, the other next)."""
    session = _locked(session)
    role = _role_in(session.agreement, by)
    domains = list(domains)
    _validate_session(
        agreement=session.agreement, date=date, minutes=minutes, domains=domains
    )
    _check_typed_name(by, typed_name)
    _reverse_credit(session, by, reason or _("Corrected"))
    session.date = date
    session.minutes = minutes
    session.format = format
    session.is_direct = is_direct
    session.note = note.strip()
    _new_version(session, by)
    session.domains.set(domains)
    signature_add(
        subject=session, signer=by, role=role, typed_name=typed_name, signing=signing
    )
    return session


@transaction.atomic
def experience_correct(
    *,
    log: ExperienceLog,
    by: User,
    period_start: datetime.date,
    period_end: datetime.date,
    site: str,
    hours: Decimal,
    domain: SupervisionDomain,
    description: str,
    reason: str,
    typed_name: str,
    signing: SigningContext,
) -> ExperienceLog:
    log = _locked(log)
    role = _role_in(log.agreement, by)
    _validate_experience(
        agreement=log.agreement,
        period_start=period_start,
        period_end=period_end,
        hours=hours,
    )
    _check_typed_name(by, typed_name)
    _reverse_credit(log, by, reason or _("Corrected"))
    log.period_start = period_start
    log.period_end = period_end
    log.site = site.strip()
    log.hours = hours
    log.domain = domain
    log.description = description.strip()
    _new_version(log, by)
    signature_add(
        subject=log, signer=by, role=role, typed_name=typed_name, signing=signing
    )
    return log


def _new_version(log: SignedLog, by: User) -> None:
    log.revision += 1
    log.status = SignedLog.Status.AWAITING
    log.waiting_for = _other_party(log.agreement, by)
    log.sent_back_reason = ""
    log.save()


# The ledger -------------------------------------------------------------------


def source_prefix(log: SignedLog) -> str:
    kind = "supervision" if isinstance(log, SupervisionSession) else "experience"
    return f"{kind}:{log.pk}:"


def _split(hours: Decimal, category_ids: list[int]) -> dict[int, Decimal]:
    """Hours shared equally among categories, to the cent, losing none."""
    shares: dict[int, Decimal] = {}
    remaining = hours
    ordered = sorted(set(category_ids))
    for index, category_id in enumerate(ordered):
        if index == len(ordered) - 1:
            share = remaining
        else:
            share = (hours / len(ordered)).quantize(CENT, ROUND_HALF_UP)
        remaining -= share
        if share > 0:
            shares[category_id] = share
    return shares


def _credit(log: SignedLog, by: User) -> list[HourEntry]:
    prefix = f"{source_prefix(log)}r{log.revision}:"
    if isinstance(log, SupervisionSession):
        if not log.is_direct:
            # Only direct supervision counts towards the credential's hours;
            # other sessions stay in the log.
            return []
        kind = HourEntry.Kind.SUPERVISION
        shares = _split(
            log.hours, [domain.hour_category_id for domain in log.domains.all()]
        )
        earned_on = log.date
        description = _("Supervision session, %(minutes)s minutes") % {
            "minutes": log.minutes
        }
    else:
        kind = HourEntry.Kind.EXPERIENCE
        shares = {log.domain.hour_category_id: log.hours}
        earned_on = log.period_end
        description = _("Experience at %(site)s") % {"site": log.site}
    now = timezone.now()
    entries = []
    for category_id, hours in shares.items():
        entry = entry_credit(
            trainee_id=log.agreement.trainee_id,
            kind=kind,
            category_id=category_id,
            hours=hours,
            earned_on=earned_on,
            source=HourEntry.Source.SUPERVISOR_LOG,
            source_key=f"{prefix}{category_id}",
            description=description[:300],
            status=HourEntry.Status.VERIFIED,
            verified_by_id=log.agreement.supervisor_id,
            verified_at=now,
            created_by=by,
        )
        if entry is not None:
            entries.append(entry)
    return entries


def _reverse_credit(log: SignedLog, by: User, reason: str) -> None:
    for entry in HourEntry.objects.filter(
        source_key__startswith=source_prefix(log), reverses__isnull=True
    ).exclude(reversed_by__isnull=False):
        entry_reverse(entry=entry, by=by, reason=str(reason))


def log_entries(log: SignedLog) -> list[HourEntry]:
    """The ledger rows a log credited, and their reversals."""
    rows = list(
        HourEntry.objects.filter(
            source_key__startswith=source_prefix(log)
        ).select_related("category")
    )
    reversals = list(
        HourEntry.objects.filter(reverses__in=rows).select_related("category")
    )
    return rows + reversals


# Evaluations and feedback ----------------------------------------------------------


@transaction.atomic
def evaluation_write(
    *,
    agreement: SupervisoryAgreement,
    by: User,
    ratings: dict[str, int],
    comments: dict[str, str],
    summary: str,
    typed_name: str,
    signing: SigningContext,
):
    """The supervisor's signed evaluation of the peer on every domain."""
    from ..models.supervision import RATING_CHOICES, SupervisionEvaluation

    if by.pk != agreement.supervisor_id:
        raise PermissionDenied(_("Only the supervisor evaluates their supervisee."))
    if not agreement_is_signed(agreement):
        raise ValidationError(
            _("The supervisory agreement must be signed by both people first.")
        )
    allowed = {value for value, _label in RATING_CHOICES}
    errors = {}
    for domain in SupervisionDomain.objects.all():
        if ratings.get(domain.slug) not in allowed:
            errors[f"rating_{domain.slug}"] = _("Rate %(domain)s from 1 to 4.") % {
                "domain": domain.name
            }
    if errors:
        raise ValidationError(errors)
    _check_typed_name(by, typed_name)
    evaluation = SupervisionEvaluation.objects.create(
        agreement=agreement,
        ratings=ratings,
        comments={k: v.strip() for k, v in comments.items() if v.strip()},
        summary=summary.strip(),
        created_at=timezone.now(),
    )
    signature_add(
        subject=evaluation,
        signer=by,
        role=Signature.Role.SUPERVISOR,
        typed_name=typed_name,
        signing=signing,
    )
    return evaluation


FEEDBACK_SCALE = range(1, 6)


@transaction.atomic
def feedback_give(
    *,
    agreement: SupervisoryAgreement,
    by: User,
    ratings: dict[str, int],
    comment: str,
):
    """A supervisee's confidential feedback on their supervision, once per
    agreement."""
    from ..models.supervision import SupervisionFeedback, SupervisorCompetency

    if by.pk != agreement.trainee_id:
        raise PermissionDenied(_("Only the supervisee gives this feedback."))
    errors = {}
    for competency in SupervisorCompetency.objects.all():
        if ratings.get(competency.slug) not in FEEDBACK_SCALE:
            errors[f"rating_{competency.slug}"] = _(
                "Rate %(competency)s from 1 to 5."
            ) % {"competency": competency.name}
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return SupervisionFeedback.objects.create(
                agreement=agreement,
                ratings=ratings,
                comment=comment.strip(),
                submitted_at=timezone.now(),
            )
    except IntegrityError as error:
        raise ValidationError(
            _("You have already given feedback on this supervision.")
        ) from error
