"""Two-step verification for staff (django-otp): an authenticator app (TOTP)
and single-use backup codes.

Everyone who may reach the admin (``wagtailadmin.access_admin``) proves a
second factor once per session before any page but sign-in, sign-out and
these pages (``cms.middleware.StaffVerificationMiddleware``); trainees are
never asked. ``MFA_REQUIRED_FOR_STAFF`` turns the requirement off for local
development only (the deploy check warns when it is off).
"""

from __future__ import annotations

import secrets

import django_otp
import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit

BACKUP_CODE_COUNT = 10
# Lower-case letters and digits a person can read back without confusing
# 0/o or 1/l.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_CODE_LENGTH = 10
TOTP_NAME = "Authenticator app"
BACKUP_NAME = "Backup codes"


def user_needs_mfa(user) -> bool:
    """Staff must pass a second factor; trainees, examiners and supervisors,
    who never reach the admin, are not asked."""
    return bool(
        getattr(settings, "MFA_REQUIRED_FOR_STAFF", True)
        and user.is_authenticated
        and user.has_perm("wagtailadmin.access_admin")
    )


def mfa_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_device_pending(*, user) -> TOTPDevice:
    """The authenticator the person is setting up: the same secret on every
    visit until they confirm it, so a QR code already scanned keeps working."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def totp_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code for authenticator apps."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, title=str(_("QR code for your authenticator app"))
    )


def totp_secret_display(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise_code(code: str) -> str:
    return "".join(str(code or "").split()).replace("-", "").lower()


def format_backup_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def backup_codes_issue(*, user) -> list[str]:
    """Replace the person's backup codes with ten new ones, returned once to
    show; each works for one sign-in."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=BACKUP_NAME)
        codes = [
            "".join(secrets.choice(_ALPHABET) for _ in range(_CODE_LENGTH))
            for _ in range(BACKUP_CODE_COUNT)
        ]
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=code) for code in codes
        )
    return [format_backup_code(code) for code in codes]


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def mfa_enrol_confirm(*, request, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the authenticator with a code it shows, mark this session
    verified and issue backup codes (returned to show once).

    Raises ValidationError naming the code field when the code is wrong.
    """
    user = request.user
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError({"code": _("Start setting up your app again.")})
    # Checked outside the transaction below, so a wrong code's throttling
    # is kept when the error is raised.
    if not django_otp.verify_token(user, device.persistent_id, normalise_code(code)):
        raise ValidationError(
            {
                "code": _(
                    "That code is not right. Enter the 6-digit code the app shows now."
                )
            }
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.refresh_from_db()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = backup_codes_issue(user=user)
    django_otp.login(request, device)
    audit.record("auth.mfa_enrolled", actor=user, target=user, request=request)
    return codes


def mfa_verify(*, request, code: str, backup_only: bool = False):
    """Check a code from the person's authenticator app or one of their
    backup codes (used up by this); mark the session verified.

    Returns the device that accepted it. Raises ValidationError naming the
    code field otherwise.
    """
    user = request.user
    token = normalise_code(code)
    devices = []
    if not backup_only and token.isdigit():
        devices += list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if not token.isdigit() or backup_only:
        devices += list(StaticDevice.objects.filter(user=user, confirmed=True))
    for device in devices:
        verified = django_otp.verify_token(user, device.persistent_id, token)
        if verified is not None:
            django_otp.login(request, verified)
            return verified
    if backup_only:
        message = _("That backup code is not right, or has been used already.")
    else:
        message = _(
            "That code is not right. Enter the 6-digit code your app shows now, "
            "or one of your backup codes."
        )
    raise ValidationError({"code": message})


def mfa_reset(*, user, actor, request=None) -> None:
    """Remove a person's authenticator and backup codes: their sessions stop
    being verified at once, and they set up two-step verification again."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit.record("auth.mfa_reset", actor=actor, target=user, request=request)


def staff_mfa_status():
    """Everyone who may reach the admin, with whether they have set up
    two-step verification and how many backup codes they have left."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.backends import ModelBackend
    from django.db.models import Count, Exists, OuterRef, Q

    staff = ModelBackend().with_perm("wagtailadmin.access_admin", is_active=None)
    return (
        get_user_model()
        .objects.filter(pk__in=staff.values("pk"))
        .annotate(
            mfa_enrolled=Exists(
                TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
            ),
            backup_codes=Count(
                "staticdevice__token_set",
                filter=Q(staticdevice__confirmed=True),
                distinct=True,
            ),
        )
        .order_by("email")
    )
