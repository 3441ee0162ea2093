"""Invitations to a cohort's seats: a trainer invites, the trainee decides.

What a trainer learns from inviting is the same whether or not the address
belongs to an account: the request does the same work either way (it never
looks the address up); the emailing task, run by the worker, looks it up
and emails only a trainee.
"""

from __future__ import annotations

import datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import audit
from cms.models import User
from cms.tokens import new_token, token_hash

from ..models import Cohort, CohortInvitation, CohortSeat
from ..permissions import user_can_manage_cohort, user_can_study
from .enrollment import seat_confirm


def invitation_lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.COHORT_INVITATION_DAYS)


@transaction.atomic
def invitation_create(*, cohort: Cohort, email: str, by: User) -> CohortInvitation:
    """Invite whoever uses ``email`` to a seat in the cohort. A newer
    invitation to the same address replaces a pending one."""
    if not user_can_manage_cohort(by, cohort):
        raise PermissionDenied(_("You do not run this cohort."))
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Enter a valid email address.")}) from error
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    CohortInvitation.objects.filter(
        cohort=cohort, email=email, status=CohortInvitation.Status.PENDING
    ).update(status=CohortInvitation.Status.WITHDRAWN)
    now = timezone.now()
    invitation = CohortInvitation.objects.create(
        cohort=cohort,
        email=email,
        invited_by=by,
        created_at=now,
        expires_at=now + invitation_lifetime(),
    )
    audit.record("seat.invited", actor=by, target=cohort, email=email)
    from ..tasks import invitation_send

    transaction.on_commit(partial(invitation_send.enqueue, invitation.pk))
    return invitation


@transaction.atomic
def invitation_send(*, invitation_id: int) -> bool:
    """Email a pending invitation with a fresh single-use link, if its
    address belongs to someone who may study; otherwise send nothing.
    Returns whether an email went out."""
    invitation = (
        CohortInvitation.objects.select_for_update(of=("self",))
        .select_related("cohort", "cohort__course", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_open:
        return False
    trainee = User.objects.filter(
        email__iexact=invitation.email, is_active=True
    ).first()
    if trainee is None or not user_can_study(trainee):
        return False
    token = new_token()
    invitation.token_hash = token_hash(token)
    invitation.save(update_fields=["token_hash"])
    body = render_to_string(
        "courses/email/invitation.txt",
        {
            "invitation": invitation,
            "trainee": trainee,
            "link": settings.WAGTAILADMIN_BASE_URL
            + reverse("courses:invitation_link", args=[token]),
            "list_link": settings.WAGTAILADMIN_BASE_URL
            + reverse("courses:invitations"),
        },
    )
    subject = _("Invitation to %(cohort)s") % {"cohort": invitation.cohort.name}
    return bool(EmailMessage(subject=subject, body=body, to=[trainee.email]).send())


def invitation_for_token(token: str) -> CohortInvitation | None:
    """The invitation an emailed link names, whatever its state."""
    if not token:
        return None
    return (
        CohortInvitation.objects.select_related("cohort", "cohort__course")
        .filter(token_hash=token_hash(token))
        .first()
    )


def invitations_open_for(user: User):
    """The pending, unexpired invitations to the user's address."""
    return (
        CohortInvitation.objects.filter(
            email__iexact=user.email,
            status=CohortInvitation.Status.PENDING,
            expires_at__gt=timezone.now(),
        )
        .select_related("cohort", "cohort__course", "invited_by")
        .order_by("created_at", "pk")
    )


def _locked_open_invitation(invitation, trainee: User) -> CohortInvitation:
    invitation = CohortInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.email.lower() != trainee.email.lower():
        raise PermissionDenied(_("This invitation was sent to another address."))
    if invitation.status != CohortInvitation.Status.PENDING:
        raise ValidationError(_("This invitation has already been answered."))
    if invitation.is_expired:
        raise ValidationError(
            _("This invitation has expired; ask your trainer for a new one.")
        )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: CohortInvitation, trainee: User) -> CohortSeat:
    """The invited trainee takes the seat (within the cohort's capacity)."""
    invitation = _locked_open_invitation(invitation, trainee)
    if not user_can_study(trainee):
        raise ValidationError(_("Only a trainee account can take a seat."))
    seat, _created = CohortSeat.objects.get_or_create(
        cohort_id=invitation.cohort_id, trainee=trainee
    )
    seat = seat_confirm(seat=seat, by=trainee)
    invitation.status = CohortInvitation.Status.ACCEPTED
    invitation.responded_at = timezone.now()
    invitation.trainee = trainee
    invitation.save(update_fields=["status", "responded_at", "trainee"])
    audit.record(
        "seat.invitation_accepted",
        actor=trainee,
        target=seat,
        invitation=invitation.pk,
        invited_by=invitation.invited_by_id,
    )
    return seat


@transaction.atomic
def invitation_decline(*, invitation: CohortInvitation, trainee: User) -> None:
    invitation = _locked_open_invitation(invitation, trainee)
    invitation.status = CohortInvitation.Status.DECLINED
    invitation.responded_at = timezone.now()
    invitation.trainee = trainee
    invitation.save(update_fields=["status", "responded_at", "trainee"])
    audit.record(
        "seat.invitation_declined",
        actor=trainee,
        target=invitation.cohort,
        invitation=invitation.pk,
        invited_by=invitation.invited_by_id,
    )
