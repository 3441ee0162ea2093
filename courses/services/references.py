"""Letters of reference: the trainee names a referee, the worker emails the
referee a single-use link, the referee writes or uploads the letter and
signs it.

The link's token exists only in the email: the database keeps its SHA-256.
Sending again makes a new token at once unusable for the old one. Every
refused use of a link is written to the audit log.
"""

from __future__ import annotations

import datetime
import hashlib
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import audit
from cms.models import User
from cms.tokens import new_token, token_hash

from ..models import Credential
from ..models.references import ReferenceRequest
from ..models.supervision import Signature, SupervisorCredentialType
from ..permissions_supervision import (
    user_can_manage_reference,
    user_can_request_references,
)
from .supervision import SigningContext, signature_add

LETTER_MAX_CHARACTERS = 20_000


def link_lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.REFERENCE_LINK_DAYS)


def _open_requests(trainee: User):
    """Requests still waiting for an answer: sent, and their link not expired
    (an expired one waits for nothing until the trainee sends it again)."""
    return ReferenceRequest.objects.filter(
        trainee=trainee, status=ReferenceRequest.Status.SENT
    ).exclude(expires_at__lte=timezone.now())


def _enqueue_send(reference: ReferenceRequest) -> None:
    from ..tasks import reference_request_send

    transaction.on_commit(partial(reference_request_send.enqueue, reference.pk))


@transaction.atomic
def reference_request_create(
    *,
    trainee: User,
    credential: Credential,
    referee_name: str,
    referee_email: str,
    credential_type: SupervisorCredentialType,
    credential_number: str,
) -> ReferenceRequest:
    """Ask a referee for a letter; the worker emails them the link."""
    if not user_can_request_references(trainee):
        raise PermissionDenied
    referee_name = " ".join((referee_name or "").split())
    referee_email = (referee_email or "").strip().lower()
    credential_number = (credential_number or "").strip()
    errors = {}
    if not referee_name:
        errors["referee_name"] = _("Enter the referee's full name.")
    try:
        validate_email(referee_email)
    except ValidationError:
        errors["referee_email"] = _("Enter a valid email address.")
    if referee_email and referee_email == trainee.email.lower():
        errors["referee_email"] = _("A referee cannot be yourself.")
    if credential_type is None or not credential_type.may_give_reference:
        errors["credential_type"] = _(
            "A letter of reference must come from a credential that may give "
            "one (a CADC or LCADC)."
        )
    if not credential_number:
        errors["credential_number"] = _("Enter the referee's credential number.")
    if errors:
        raise ValidationError(errors)
    # The trainee's row, locked: two requests at once count each other.
    User.objects.select_for_update().filter(pk=trainee.pk).first()
    if _open_requests(trainee).count() >= settings.REFERENCE_MAX_OPEN_REQUESTS:
        raise ValidationError(
            _(
                "You already have %(count)s requests waiting for an answer; "
                "withdraw one before asking someone else."
            )
            % {"count": settings.REFERENCE_MAX_OPEN_REQUESTS}
        )
    duplicate = ValidationError(
        {"referee_email": _("You have already asked this referee for a letter.")}
    )
    if (
        ReferenceRequest.objects.filter(
            trainee=trainee, credential=credential, referee_email=referee_email
        )
        .exclude(status=ReferenceRequest.Status.WITHDRAWN)
        .exists()
    ):
        raise duplicate
    try:
        with transaction.atomic():
            reference = ReferenceRequest.objects.create(
                trainee=trainee,
                credential=credential,
                referee_name=referee_name,
                referee_email=referee_email,
                referee_credential_type=credential_type,
                referee_credential_number=credential_number,
            )
    except IntegrityError as error:
        raise duplicate from error
    audit.record(
        "reference.requested",
        actor=trainee,
        target=reference,
        referee_email=referee_email,
        credential=credential,
    )
    _enqueue_send(reference)
    return reference


def reference_token_issue(*, reference: ReferenceRequest) -> str:
    """A new link for an open request: its token (returned once, never
    stored), valid from now for ``REFERENCE_LINK_DAYS``. Any earlier link
    stops working. Call inside a transaction holding the row's lock."""
    token = new_token()
    now = timezone.now()
    reference.token_hash = token_hash(token)
    reference.expires_at = now + link_lifetime()
    reference.sent_at = now
    reference.save(update_fields=["token_hash", "expires_at", "sent_at"])
    return token


@transaction.atomic
def reference_request_send(*, reference_id: int) -> bool:
    """Email the referee of an open request a fresh link (run by the
    worker). Returns whether an email went out."""
    reference = (
        ReferenceRequest.objects.select_for_update(of=("self",))
        .select_related("trainee", "credential", "referee_credential_type")
        .filter(pk=reference_id)
        .first()
    )
    if reference is None or reference.status != ReferenceRequest.Status.SENT:
        return False
    token = reference_token_issue(reference=reference)
    body = render_to_string(
        "courses/email/reference_request.txt",
        {
            "reference": reference,
            "link": settings.WAGTAILADMIN_BASE_URL
            + reverse("courses:reference_letter_link", args=[token]),
        },
    )
    subject = _("%(trainee)s asks you for a letter of reference") % {
        "trainee": reference.trainee.legal_name
    }
    return bool(
        EmailMessage(subject=subject, body=body, to=[reference.referee_email]).send()
    )


def _locked_own(reference: ReferenceRequest, by: User) -> ReferenceRequest:
    if not user_can_manage_reference(by, reference):
        raise PermissionDenied
    return ReferenceRequest.objects.select_for_update().get(pk=reference.pk)


@transaction.atomic
def reference_request_resend(*, reference: ReferenceRequest, by: User) -> None:
    """Email the referee a new link; the old one stops working now, before
    the new one is sent."""
    reference = _locked_own(reference, by)
    if reference.status != ReferenceRequest.Status.SENT:
        raise ValidationError(
            _("This request is %(status)s; it cannot be sent again.")
            % {"status": reference.status_label.lower()}
        )
    reference.token_hash = ""
    reference.save(update_fields=["token_hash"])
    audit.record("reference.resent", actor=by, target=reference)
    _enqueue_send(reference)


@transaction.atomic
def reference_request_withdraw(*, reference: ReferenceRequest, by: User) -> None:
    """Withdraw a request not yet answered: its link stops working."""
    reference = _locked_own(reference, by)
    if reference.status != ReferenceRequest.Status.SENT:
        raise ValidationError(
            _("This request is %(status)s; it cannot be withdrawn.")
            % {"status": reference.status_label.lower()}
        )
    # The token's hash stays, so the referee's link says it was withdrawn.
    reference.status = ReferenceRequest.Status.WITHDRAWN
    reference.withdrawn_at = timezone.now()
    reference.save(update_fields=["status", "withdrawn_at"])
    audit.record("reference.withdrawn", actor=by, target=reference)


def reference_for_token(token: str) -> ReferenceRequest | None:
    """The request an emailed link names, whatever its state; None for a
    link that names none (mistyped, tampered with, or replaced)."""
    if not token or len(token) > 200:
        return None
    return (
        ReferenceRequest.objects.select_related(
            "trainee", "credential", "referee_credential_type"
        )
        .filter(token_hash=token_hash(token))
        .first()
    )


def link_problem(reference: ReferenceRequest | None) -> str | None:
    """Why a link cannot be used (a short code), or None if it can."""
    if reference is None:
        return "unknown"
    if reference.status == ReferenceRequest.Status.RECEIVED:
        return "used"
    if reference.status == ReferenceRequest.Status.WITHDRAWN:
        return "withdrawn"
    if reference.is_expired:
        return "expired"
    if not reference.is_open:
        return "unknown"
    return None


def link_refused_record(
    *, reference: ReferenceRequest | None, problem: str, request
) -> None:
    """Write a refused use of a referee's link to the audit log."""
    audit.record(
        "reference.link_refused",
        target=reference,
        request=request,
        problem=problem,
        method=request.method,
    )


@transaction.atomic
def reference_letter_submit(
    *,
    token: str,
    letter_text: str,
    letter_file=None,
    typed_name: str,
    signing: SigningContext,
) -> ReferenceRequest:
    """The referee's letter, written or uploaded, and their signature on
    it. The link then stops working; the letter is never changed."""
    reference = reference_for_token(token)
    if link_problem(reference) is not None:
        raise ValidationError(_("This link can no longer be used."))
    reference = (
        ReferenceRequest.objects.select_for_update(of=("self",))
        .select_related("trainee", "credential", "referee_credential_type")
        .get(pk=reference.pk)
    )
    if link_problem(reference) is not None or reference.token_hash != token_hash(token):
        raise ValidationError(_("This link can no longer be used."))
    letter_text = (letter_text or "").strip()
    if not letter_text and letter_file is None:
        raise ValidationError(
            {"letter_text": _("Write the letter here, or upload it as a file.")}
        )
    if len(letter_text) > LETTER_MAX_CHARACTERS:
        raise ValidationError(
            {
                "letter_text": _("The letter is longer than %(limit)s characters.")
                % {"limit": LETTER_MAX_CHARACTERS}
            }
        )
    typed = " ".join((typed_name or "").split())
    if typed.casefold() != reference.referee_name.casefold():
        raise ValidationError(
            {
                "typed_name": _("Type your name as %(name)s to sign.")
                % {"name": reference.referee_name}
            }
        )
    reference.letter_text = letter_text
    if letter_file is not None:
        digest = hashlib.sha256()
        letter_file.seek(0)
        for chunk in letter_file.chunks():
            digest.update(chunk)
        letter_file.seek(0)
        reference.letter_file_sha256 = digest.hexdigest()
        reference.letter_file.save(letter_file.name, letter_file, save=False)
    reference.status = ReferenceRequest.Status.RECEIVED
    reference.received_at = timezone.now()
    reference.save()
    signature_add(
        subject=reference,
        signer=None,
        role=Signature.Role.REFEREE,
        typed_name=typed,
        signing=signing,
        expected_name=reference.referee_name,
    )
    audit.record(
        "reference.received",
        target=reference,
        trainee=reference.trainee,
        referee_email=reference.referee_email,
        uploaded=bool(letter_file),
    )
    return reference
