"""Completion certificates: what a trainee earned by completing a course."""

from __future__ import annotations

import base64
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .curriculum import CoursePage
from .learning import Cohort
from .ledger import HourEntry, private_storage

# 20 random bytes: 160 bits, 32 base32 characters with no padding.
CODE_BYTES = 20
CODE_GROUP = 4


def certificate_code_new() -> str:
    """A fresh verification code: 160 random bits in base32 (A to Z, 2 to 7), so
    it is unguessable and can be read aloud without 0/O or 1/I confusion."""
    return base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii")


def certificate_code_normalise(text: str) -> str:
    """A code as typed or read aloud (any case, spaces, dashes) in its stored
    form; the result is not checked for being a real code."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def certificate_code_grouped(code: str) -> str:
    return "-".join(
        code[start : start + CODE_GROUP] for start in range(0, len(code), CODE_GROUP)
    )


def certificate_pdf_path(instance, filename: str) -> str:
    return f"certificates/{instance.trainee_id}/{instance.code}.pdf"


class Certificate(models.Model):
    """A completion certificate, as it was issued.

    Everything it certifies is copied onto it when it is issued (the legal
    name, the course title and version, the hours by topic, the cohort and
    its trainers, the issuer), so later edits to any of them never change a
    certificate already issued; the ledger rows it covers are linked.

    A trainee holds at most one valid certificate per course: a database
    constraint, so two events completing a course at the same moment issue
    one. Certificates are never deleted: revoking or superseding one changes
    its status and records who, when and why.
    """

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Superseded")

    code = models.CharField(
        _("verification code"),
        max_length=64,
        unique=True,
        default=certificate_code_new,
        editable=False,
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("trainee"),
    )
    legal_name = models.CharField(_("legal name as issued"), max_length=200)
    course = models.ForeignKey(
        CoursePage,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("course"),
    )
    course_title = models.CharField(_("course title as issued"), max_length=255)
    course_version = models.PositiveIntegerField(
        _("course version"),
        null=True,
        blank=True,
        help_text=_("The revision of the course page that was live when issued."),
    )
    completed_on = models.DateField(_("completion date"))
    hours_by_topic = models.JSONField(
        _("hours by topic"),
        default=list,
        help_text=_('A list of {"category": slug, "name": ..., "hours": "6.00"}.'),
    )
    total_hours = models.DecimalField(
        _("total hours"), max_digits=7, decimal_places=2, default=0
    )
    entries = models.ManyToManyField(
        HourEntry,
        blank=True,
        related_name="certificates",
        verbose_name=_("ledger rows covered"),
    )
    cohort = models.ForeignKey(
        Cohort,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
        verbose_name=_("cohort"),
    )
    cohort_name = models.CharField(_("cohort as issued"), max_length=200, blank=True)
    trainer_names = models.JSONField(_("trainers as issued"), default=list)
    issuer_name = models.CharField(_("issuer"), max_length=200)
    requirements_met = models.JSONField(
        _("requirements met"),
        default=list,
        help_text=_("The completion rule's requirements, as described when issued."),
    )
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
        help_text=_("Empty when issued automatically on completion."),
    )
    issue_reason = models.TextField(_("reason for a manual issue"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.VALID
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.TextField(
        _("reason for revocation (public)"),
        blank=True,
        help_text=_("Shown on the public verification page."),
    )
    superseded_by = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    pdf = models.FileField(
        _("PDF"),
        storage=private_storage,
        upload_to=certificate_pdf_path,
        blank=True,
    )
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    subject_salt = models.CharField(
        max_length=64,
        default=secrets.token_hex,
        editable=False,
        help_text=_("Salt of the hashed email that identifies the badge's holder."),
    )
    needs_review = models.BooleanField(
        _("needs review"),
        default=False,
        help_text=_("A ledger row it covers was reversed after it was issued."),
    )
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        permissions = [
            ("view_any_certificate", _("Can view and download any certificate")),
            ("revoke_certificate", _("Can revoke, reissue and review certificates")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "course"],
                condition=Q(status="valid"),
                name="courses_certificate_one_valid_per_course",
            ),
            models.CheckConstraint(
                condition=Q(status="revoked", revoked_at__isnull=False)
                | ~Q(status="revoked"),
                name="courses_certificate_revoked_has_time",
            ),
        ]
        indexes = [models.Index(fields=["trainee", "status"])]

    def __str__(self):
        return f"{self.course_title}: {self.legal_name} ({self.grouped_code})"

    @property
    def grouped_code(self) -> str:
        return certificate_code_grouped(self.code)

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID
