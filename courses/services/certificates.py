"""Issuing, revoking and reissuing completion certificates.

A certificate is issued when a trainee meets every requirement of a
course's completion rule: on the event that completes it (module completed,
attendance recorded, written exam passed, oral result released; each calls
``certificates_check_later``, which queues the check for after the commit),
by the ``issue_due_certificates`` sweep, or by an administrator. A database
constraint keeps it to one valid certificate per trainee and course, whatever
the timing of the events.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.models import User
from cms.services import certificate_settings

from ..models import Certificate, CoursePage
from ..selectors import (
    certificate_entries,
    certificates_due,
    course_completion,
    courses_awaiting_certificate,
    hours_by_topic,
    trainee_cohort,
)


class CompletionNotMet(ValidationError):
    """The trainee does not meet the course's completion rule; the message
    names each requirement still missing."""


def certificates_check_later(*, trainee_id: int) -> None:
    """After the current transaction commits, queue the check of whether
    this trainee now completes a course. Services call it on every event
    that may complete one; it never slows the request down."""
    from .. import tasks

    transaction.on_commit(lambda: tasks.issue_due_certificates_for.enqueue(trainee_id))


def _issuer_name() -> str:
    return certificate_settings().issuer_name_or_default()


def _completion_refusal(progress) -> CompletionNotMet:
    if not progress.requirements:
        return CompletionNotMet(
            _("%(course)s has no completion rule, so no certificate can be issued.")
            % {"course": progress.course.title}
        )
    missing = "; ".join(
        f"{item.description} ({item.progress.status})" for item in progress.missing
    )
    return CompletionNotMet(
        _("%(course)s is not complete yet. Missing: %(missing)s.")
        % {"course": progress.course.title, "missing": missing}
    )


def certificate_issue(
    *,
    trainee: User,
    course: CoursePage,
    by: User | None = None,
    reason: str = "",
    today: datetime.date | None = None,
) -> tuple[Certificate, bool]:
    """Issue the course's certificate to a trainee who meets its completion
    rule: ``(certificate, True)``, or ``(existing, False)`` when they
    already hold a valid one. Refuses (``CompletionNotMet``) with the
    requirements still missing. ``by`` and ``reason`` record a manual issue,
    which needs a reason."""
    reason = reason.strip()
    if by is not None and not reason:
        raise ValidationError(
            {"reason": _("Say why you issue this certificate by hand.")}
        )
    existing = _valid_certificate(trainee=trainee, course=course)
    if existing is not None:
        return existing, False
    (progress,) = course_completion(trainee=trainee, courses=[course], today=today)
    if not progress.is_met:
        raise _completion_refusal(progress)
    try:
        with transaction.atomic():
            certificate = _certificate_create(
                trainee=trainee,
                course=course,
                progress=progress,
                by=by,
                reason=reason,
                today=today,
            )
    except IntegrityError:
        # Another event completed the course at the same moment and won.
        existing = _valid_certificate(trainee=trainee, course=course)
        if existing is None:
            raise
        return existing, False
    _after_issue(certificate)
    return certificate, True


def _valid_certificate(*, trainee: User, course: CoursePage) -> Certificate | None:
    return Certificate.objects.filter(
        trainee=trainee, course=course, status=Certificate.Status.VALID
    ).first()


def _certificate_create(
    *,
    trainee: User,
    course: CoursePage,
    progress,
    by: User | None,
    reason: str,
    today: datetime.date | None,
    legal_name: str | None = None,
    completed_on: datetime.date | None = None,
) -> Certificate:
    entries = certificate_entries(trainee=trainee, course=course)
    topics = hours_by_topic(entries)
    cohort = trainee_cohort(trainee=trainee, course=course)
    trainers = sorted(t.legal_name for t in cohort.trainers.all()) if cohort else []
    certificate = Certificate.objects.create(
        trainee=trainee,
        legal_name=legal_name or trainee.legal_name,
        course=course,
        course_title=course.title,
        course_version=course.live_revision_id,
        completed_on=completed_on or today or timezone.localdate(),
        hours_by_topic=topics,
        total_hours=sum((Decimal(t["hours"]) for t in topics), Decimal(0)),
        cohort=cohort,
        cohort_name=cohort.name if cohort else "",
        trainer_names=trainers,
        issuer_name=_issuer_name(),
        requirements_met=[item.description for item in progress.requirements],
        issued_at=timezone.now(),
        issued_by=by,
        issue_reason=reason,
    )
    certificate.entries.set(entries)
    return certificate


def _after_issue(certificate: Certificate) -> None:
    from .. import tasks

    transaction.on_commit(lambda: tasks.certificate_pdf_render.enqueue(certificate.pk))
    _audit("certificate.issued", certificate=certificate, actor=certificate.issued_by)


def certificates_issue_due_for(*, trainee: User) -> list[Certificate]:
    """Issue every certificate the trainee is now due (the completing event's
    task); courses not complete yet are skipped quietly."""
    issued = []
    courses = courses_awaiting_certificate(trainee=trainee)
    if not courses:
        return issued
    for progress in course_completion(trainee=trainee, courses=courses):
        if not progress.is_met:
            continue
        certificate, created = certificate_issue(
            trainee=trainee, course=progress.course
        )
        if created:
            issued.append(certificate)
    return issued


def certificates_issue_due() -> list[Certificate]:
    """The sweep: issue every certificate due, for every trainee."""
    issued = []
    for due in certificates_due():
        try:
            certificate, created = certificate_issue(
                trainee=due.trainee, course=due.course
            )
        except CompletionNotMet:
            continue  # changed since the list was read
        if created:
            issued.append(certificate)
    return issued


@transaction.atomic
def certificate_revoke(
    *, certificate: Certificate, by: User, reason: str
) -> Certificate:
    """Revoke a valid certificate, with a reason the verify page shows; the
    trainee is emailed. Nothing is deleted."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {
                "reason": _(
                    "Give the reason for revoking; it is shown on the public "
                    "verification page."
                )
            }
        )
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status == Certificate.Status.REVOKED:
        raise ValidationError(
            _("This certificate was already revoked on %(date)s.")
            % {"date": timezone.localdate(certificate.revoked_at).isoformat()}
        )
    if certificate.status == Certificate.Status.SUPERSEDED:
        raise ValidationError(
            _(
                "This certificate was superseded by a reissue; revoke the "
                "certificate that replaced it instead."
            )
        )
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = by
    certificate.revocation_reason = reason
    certificate.save(
        update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"]
    )
    from .. import tasks

    transaction.on_commit(
        lambda: tasks.certificate_revoked_notify.enqueue(certificate.pk)
    )
    _audit("certificate.revoked", certificate=certificate, actor=by, reason=reason)
    return certificate


@transaction.atomic
def certificate_reissue(
    *, certificate: Certificate, by: User, reason: str
) -> Certificate:
    """Reissue a valid certificate under the trainee's current legal name (after
    a change of name): the new one certifies the same course, completion
    date and hours, and the old one is marked superseded and points to it."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is reissued.")})
    old = (
        Certificate.objects.select_for_update()
        .select_related("trainee", "course")
        .get(pk=certificate.pk)
    )
    if old.status != Certificate.Status.VALID:
        raise ValidationError(
            _("Only a valid certificate can be reissued; this one is %(status)s.")
            % {"status": old.get_status_display().lower()}
        )
    trainee = old.trainee
    if trainee.legal_name == old.legal_name:
        raise ValidationError(
            _(
                "The trainee's legal name is still %(name)s, as on the "
                "certificate. Change the legal name on their account first."
            )
            % {"name": old.legal_name}
        )
    now = timezone.now()
    old.status = Certificate.Status.SUPERSEDED
    old.superseded_at = now
    old.save(update_fields=["status", "superseded_at"])
    new = Certificate.objects.create(
        trainee=trainee,
        legal_name=trainee.legal_name,
        course=old.course,
        course_title=old.course_title,
        course_version=old.course_version,
        completed_on=old.completed_on,
        hours_by_topic=old.hours_by_topic,
        total_hours=old.total_hours,
        cohort=old.cohort,
        cohort_name=old.cohort_name,
        trainer_names=old.trainer_names,
        issuer_name=old.issuer_name,
        requirements_met=old.requirements_met,
        issued_at=now,
        issued_by=by,
        issue_reason=reason,
        subject_salt=old.subject_salt,
    )
    new.entries.set(old.entries.all())
    old.superseded_by = new
    old.save(update_fields=["superseded_by"])
    from .. import tasks

    transaction.on_commit(lambda: tasks.certificate_pdf_render.enqueue(new.pk))
    _audit("certificate.reissued", certificate=new, actor=by, reason=reason)
    return new


def certificate_pdf_store(*, certificate: Certificate) -> Certificate:
    """Render the certificate's PDF and keep it in private storage; the same
    certificate always renders the same bytes, so rendering again replaces
    the file with an identical one."""
    from ..certificate_pdf import certificate_pdf_build

    data = certificate_pdf_build(certificate=certificate)
    digest = hashlib.sha256(data).hexdigest()
    if certificate.pdf and certificate.pdf_sha256 == digest:
        try:
            if certificate.pdf.storage.exists(certificate.pdf.name):
                return certificate
        except OSError:
            pass
    name = f"{certificate.code}.pdf"
    if certificate.pdf:
        certificate.pdf.storage.delete(certificate.pdf.name)
    certificate.pdf.save(name, ContentFile(data), save=False)
    certificate.pdf_sha256 = digest
    Certificate.objects.filter(pk=certificate.pk).update(
        pdf=certificate.pdf.name, pdf_sha256=digest
    )
    return certificate


@transaction.atomic
def certificates_flag_for_review(*, entry_ids: list[int], reason: str) -> int:
    """Flag the valid certificates covering these ledger rows for review (a
    covered row was reversed after issue); the certificate is not changed."""
    ids = set(
        Certificate.objects.filter(
            entries__in=entry_ids, status=Certificate.Status.VALID, needs_review=False
        ).values_list("pk", flat=True)
    )
    flagged = 0
    for certificate in Certificate.objects.filter(pk__in=ids).select_for_update():
        certificate.needs_review = True
        certificate.review_note = reason[:500]
        certificate.save(update_fields=["needs_review", "review_note"])
        flagged += 1
    return flagged


@transaction.atomic
def certificate_review_close(*, certificate: Certificate, by: User, note: str) -> None:
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say what the review found.")})
    Certificate.objects.filter(pk=certificate.pk).update(
        needs_review=False,
        review_note=_("Reviewed by %(name)s: %(note)s")
        % {"name": by.legal_name, "note": note},
    )


def _audit(action: str, *, certificate: Certificate, actor=None, reason: str = ""):
    """Record the action in the site's audit log, where the site has one."""
    try:
        from cms import audit
    except ImportError:
        return
    audit.record(action, actor=actor, target=certificate, reason=reason)
