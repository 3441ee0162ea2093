"""Checklist documents: a trainee uploads, an administrator verifies or
rejects (with a reason the trainee reads). Every decision, and every view of
a sensitive document, is written to the audit log."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import audit
from cms.models import User

from ..models.documents import DocumentKind, TraineeDocument
from ..permissions_supervision import (
    user_can_upload_documents,
    user_can_verify_documents,
    user_can_view_sensitive_documents,
)


@transaction.atomic
def document_upload(
    *,
    trainee: User,
    kind: DocumentKind,
    file,
    title: str = "",
    hours=None,
    completed_on=None,
    screening_referral_only: bool = False,
) -> TraineeDocument:
    """Store a checked file (see ``courses.validators``) as a pending
    document of the trainee's."""
    if not user_can_upload_documents(trainee):
        raise PermissionDenied
    if kind.records_training and (hours is None or completed_on is None):
        raise ValidationError(
            _("Enter the hours and the date completed shown on the certificate.")
        )
    document = TraineeDocument(
        trainee=trainee,
        kind=kind,
        title=title,
        hours=hours if kind.records_training else None,
        completed_on=completed_on if kind.records_training else None,
        screening_referral_only=kind.records_training and screening_referral_only,
    )
    document.file.save(file.name, file, save=False)
    document.save()
    audit.record(
        "document.uploaded",
        actor=trainee,
        target=document,
        kind=kind.slug,
    )
    return document


def _check_decider(by: User, document: TraineeDocument) -> None:
    if not user_can_verify_documents(by):
        raise PermissionDenied
    if document.is_sensitive and not user_can_view_sensitive_documents(by):
        raise PermissionDenied


@transaction.atomic
def document_decide(
    *, document: TraineeDocument, by: User, verified: bool, reason: str = ""
) -> TraineeDocument:
    """Verify a pending document, or reject it with a reason."""
    document = (
        TraineeDocument.objects.select_for_update()
        .select_related("kind")
        .get(pk=document.pk)
    )
    _check_decider(by, document)
    if document.status != TraineeDocument.Status.PENDING:
        raise ValidationError(_("This document has already been decided."))
    reason = reason.strip()
    if not verified and not reason:
        raise ValidationError({"reason": _("Say why the document is rejected.")})
    document.status = (
        TraineeDocument.Status.VERIFIED if verified else TraineeDocument.Status.REJECTED
    )
    document.rejection_reason = "" if verified else reason
    document.decided_by = by
    document.decided_at = timezone.now()
    document.save(
        update_fields=["status", "rejection_reason", "decided_by", "decided_at"]
    )
    audit.record(
        "document.verified" if verified else "document.rejected",
        actor=by,
        target=document,
        reason=reason,
        kind=document.kind.slug,
        trainee=document.trainee,
    )
    return document
