"""The hour ledger: every credited quantity, append-only."""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .credentials import HOURS_FIELD, HourCategory
from .curriculum import ModulePage
from .learning import Attendance, ClassSession


class PrivateFileSystemStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, with no URL at all:
    a view checks permissions and streams them."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL.")


private_storage = PrivateFileSystemStorage()


def evidence_path(instance, filename: str) -> str:
    # The stored name never reuses the uploader's file name.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{instance.trainee_id}/{uuid.uuid4().hex}.{extension}"


class HourEntry(models.Model):
    """One credited quantity of hours.

    Rows are never edited except for the one-time verification of a pending
    entry; a correction is a reversing row (negative hours, pointing at the
    row it reverses) plus a new row. ``source_key`` names what the hours are
    for, and is unique, so the same thing can never be credited twice.
    """

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        SUPERVISION = "supervision", _("Supervision")
        EXPERIENCE = "experience", _("Experience")
        CONTINUING_EDUCATION = "continuing_education", _("Continuing education")

    class Source(models.TextChoices):
        MODULE_COMPLETION = "module_completion", _("Module completion")
        ATTENDANCE = "attendance", _("Class attendance")
        CERTIFICATE = "certificate", _("Certificate")
        SUPERVISOR_LOG = "supervisor_log", _("Supervisor log")
        EXTERNAL_UPLOAD = "external_upload", _("Training elsewhere")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="hour_entries",
        verbose_name=_("trainee"),
    )
    kind = models.CharField(
        _("kind"), max_length=30, choices=Kind.choices, default=Kind.TRAINING
    )
    category = models.ForeignKey(
        HourCategory,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("hour category"),
    )
    hours = models.DecimalField(_("hours"), **HOURS_FIELD)
    earned_on = models.DateField(_("date earned"))
    source = models.CharField(_("source"), max_length=30, choices=Source.choices)
    source_key = models.CharField(_("source key"), max_length=200, unique=True)
    module = models.ForeignKey(
        ModulePage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("module"),
    )
    session = models.ForeignKey(
        ClassSession,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hour_entries",
        verbose_name=_("class day"),
    )
    attendance = models.ForeignKey(
        Attendance,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hour_entries",
        verbose_name=_("attendance"),
    )
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    provider = models.CharField(_("training provider"), max_length=200, blank=True)
    evidence = models.FileField(
        _("evidence"),
        storage=private_storage,
        upload_to=evidence_path,
        blank=True,
    )
    evidence_name = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.VERIFIED
    )
    status_reason = models.TextField(_("reason"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"))

    # Fields the one-time verification of a pending entry may set.
    VERIFICATION_FIELDS = frozenset(
        {"status", "status_reason", "verified_by", "verified_at"}
    )

    class Meta:
        ordering = ["earned_on", "created_at", "pk"]
        verbose_name = _("hour entry")
        verbose_name_plural = _("hour entries")
        # view_hourentry sees one's own hours and those of the trainees one
        # teaches (or, later, supervises); the "any" permissions lift that
        # rule for whoever acts for the whole program.
        permissions = [
            ("view_any_ledger", _("Can view and export any trainee's hours")),
            ("verify_hourentry", _("Can verify hours of trainees they teach")),
            ("verify_any_hourentry", _("Can verify any trainee's hours")),
            (
                "sign_hourentry",
                _("Can sign supervision and experience hours of their supervisees"),
            ),
        ]
        indexes = [
            models.Index(fields=["trainee", "category"]),
            models.Index(fields=["trainee", "earned_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(hours=0), name="courses_hourentry_nonzero"
            ),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, hours__gt=0)
                | Q(reverses__isnull=False, hours__lt=0),
                name="courses_hourentry_only_reversals_negative",
            ),
        ]

    def __str__(self):
        return f"{self.trainee}: {self.hours} h {self.category} ({self.source})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            update_fields = kwargs.get("update_fields")
            if not update_fields or not set(update_fields) <= self.VERIFICATION_FIELDS:
                raise ValidationError(
                    "Hour entries are append-only: record a reversal instead."
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Hour entries are append-only and are never deleted.")

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None
