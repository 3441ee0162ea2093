"""Documents a trainee uploads for the alcohol and drug application checklist
(a diploma, signed forms, proof of residence, certificates of training taken
elsewhere), an administrator's verification of each, and the checklist items
they meet.

The kinds of document are data (``DocumentKind``): what each is called, the
citation that asks for it and whether it is sensitive. A sensitive document
(the Attestation of Recovery) is seen only by the trainee who uploaded it
and administrators holding ``courses.view_sensitive_document``.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from .credentials import Requirement, RequirementProgress
from .ledger import private_storage


def document_path(instance, filename: str) -> str:
    # The stored name never reuses the uploader's file name.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"documents/{instance.trainee_id}/{uuid.uuid4().hex}.{extension}"


class DocumentKind(models.Model):
    """A kind of document the checklist asks for."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(
        _("what to upload"),
        blank=True,
        help_text=_("Shown to trainees next to the upload form."),
    )
    is_sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_(
            "Seen only by the trainee and administrators allowed to view "
            "sensitive documents; every view is written to the audit log."
        ),
    )
    records_training = models.BooleanField(
        _("a training certificate"),
        default=False,
        help_text=_("Asks for the hours and the date the training was completed."),
    )
    source_citation = models.CharField(_("source citation"), max_length=300)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("document kind")
        verbose_name_plural = _("document kinds")

    def __str__(self):
        return self.name


class TraineeDocument(models.Model):
    """One uploaded document and its verification. The file is never
    replaced: a rejected document stays, and the trainee uploads another."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("trainee"),
    )
    kind = models.ForeignKey(
        DocumentKind, on_delete=models.PROTECT, verbose_name=_("kind")
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=document_path, max_length=200
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    hours = models.DecimalField(
        _("hours"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.25"))],
    )
    completed_on = models.DateField(_("date completed"), null=True, blank=True)
    screening_referral_only = models.BooleanField(
        _("screening and referral only"),
        default=False,
        help_text=_(
            "The trainee's role is limited to screening and referral "
            "(KRS 210.366: 3 hours of training instead of 6)."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("trainee document")
        verbose_name_plural = _("trainee documents")
        permissions = [
            ("verify_traineedocument", "Can verify or reject trainee documents"),
            ("view_sensitive_document", "Can view sensitive trainee documents"),
        ]
        indexes = [models.Index(fields=["status", "uploaded_at"])]

    def __str__(self):
        return f"{self.kind} ({self.trainee})"

    @property
    def is_sensitive(self) -> bool:
        return self.kind.is_sensitive


def _documents(facts) -> list[TraineeDocument]:
    """The trainee's documents, newest first: one query for every rule."""
    return facts.remember(
        "courses.documents",
        lambda: list(
            TraineeDocument.objects.filter(trainee=facts.trainee).select_related("kind")
        ),
    )


PANELS = [
    FieldPanel("credential"),
    FieldPanel("document_kind"),
    FieldPanel("source_citation"),
    FieldPanel("effective_date"),
    FieldPanel("sort_order"),
]


class DocumentRequirement(Requirement):
    """A document of one kind, uploaded and verified by an administrator."""

    document_kind = models.ForeignKey(
        DocumentKind,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("document kind"),
    )

    panels = PANELS

    class Meta:
        verbose_name = _("document requirement")
        verbose_name_plural = _("document requirements")

    @classmethod
    def prepare(cls, requirements, *, facts=None):
        kinds = DocumentKind.objects.in_bulk({r.document_kind_id for r in requirements})
        for requirement in requirements:
            requirement.document_kind = kinds[requirement.document_kind_id]

    def describe(self) -> str:
        return _("%(kind)s, verified") % {"kind": self.document_kind.name}

    def progress(self, trainee, *, facts=None):
        facts = self._facts_for(trainee, facts)
        mine = [d for d in _documents(facts) if d.kind_id == self.document_kind_id]
        url = reverse("courses:my_documents")
        statuses = {d.status for d in mine}
        if TraineeDocument.Status.VERIFIED in statuses:
            return RequirementProgress(
                met=True,
                status=str(_("Verified")),
                fraction=1.0,
                met_on=_decided_on(
                    [d for d in mine if d.status == TraineeDocument.Status.VERIFIED]
                ),
            )
        if TraineeDocument.Status.PENDING in statuses:
            return RequirementProgress(
                met=False,
                status=str(_("Uploaded; waiting for verification")),
                fraction=0.5,
                next_step=str(_("An administrator checks it; nothing to do now.")),
                next_url=url,
            )
        if mine:
            return RequirementProgress(
                met=False,
                status=str(
                    _("Rejected: %(reason)s") % {"reason": mine[0].rejection_reason}
                ),
                next_step=_("Upload a new %(kind)s.")
                % {"kind": self.document_kind.name},
                next_url=url,
            )
        return RequirementProgress(
            met=False,
            status=str(_("Not uploaded")),
            next_step=_("Upload your %(kind)s.") % {"kind": self.document_kind.name},
            next_url=url,
        )


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class SuicidePreventionRequirement(Requirement):
    """KRS 210.366: suicide assessment, treatment and management training
    of at least ``minimum_hours`` (``screening_hours`` for a trainee whose
    role is screening and referral only), completed within the last
    ``valid_years`` years: one verified training certificate shows it."""

    document_kind = models.ForeignKey(
        DocumentKind,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("certificate kind"),
        help_text=_("The kind of document that records the training."),
    )
    minimum_hours = models.DecimalField(
        _("minimum hours"), max_digits=5, decimal_places=2, default=Decimal(6)
    )
    screening_hours = models.DecimalField(
        _("minimum hours, screening and referral only"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(3),
    )
    valid_years = models.PositiveSmallIntegerField(
        _("valid for (years)"), default=6, validators=[MinValueValidator(1)]
    )

    panels = [
        FieldPanel("credential"),
        FieldPanel("document_kind"),
        FieldPanel("minimum_hours"),
        FieldPanel("screening_hours"),
        FieldPanel("valid_years"),
        FieldPanel("source_citation"),
        FieldPanel("effective_date"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("suicide-prevention training requirement")
        verbose_name_plural = _("suicide-prevention training requirements")

    def describe(self) -> str:
        return _(
            "Suicide-prevention training: %(hours)s hours (%(screening)s for "
            "screening and referral only) within %(years)s years"
        ) % {
            "hours": _plain_hours(self.minimum_hours),
            "screening": _plain_hours(self.screening_hours),
            "years": self.valid_years,
        }

    def hours_needed(self, document: TraineeDocument) -> Decimal:
        if document.screening_referral_only:
            return self.screening_hours
        return self.minimum_hours

    def progress(self, trainee, *, facts=None):
        facts = self._facts_for(trainee, facts)
        since = _years_before(facts.today, self.valid_years)
        certificates = [
            d
            for d in _documents(facts)
            if d.kind_id == self.document_kind_id and d.hours is not None
        ]
        url = reverse("courses:my_documents")
        verified = [
            d
            for d in certificates
            if d.status == TraineeDocument.Status.VERIFIED
            and d.completed_on is not None
            and d.completed_on >= since
        ]
        enough = [d for d in verified if d.hours >= self.hours_needed(d)]
        if enough:
            return RequirementProgress(
                met=True,
                status=str(_("Verified certificate")),
                fraction=1.0,
                met_on=_decided_on(enough),
            )
        pending = [
            d for d in certificates if d.status == TraineeDocument.Status.PENDING
        ]
        if pending:
            return RequirementProgress(
                met=False,
                status=str(_("Certificate uploaded; waiting for verification")),
                fraction=0.5,
                next_step=str(_("An administrator checks it; nothing to do now.")),
                next_url=url,
            )
        if verified:
            best = max(verified, key=lambda d: d.hours)
            status = _("%(hours)s hours on your certificate; %(needed)s needed") % {
                "hours": _plain_hours(best.hours),
                "needed": _plain_hours(self.hours_needed(best)),
            }
        elif any(d.status == TraineeDocument.Status.VERIFIED for d in certificates):
            status = _("Your certificate is more than %(years)s years old") % {
                "years": self.valid_years
            }
        else:
            status = _("No verified certificate")
        return RequirementProgress(
            met=False,
            status=str(status),
            next_step=_(
                "Take KRS 210.366 suicide assessment, treatment and management "
                "training of at least %(hours)s hours (%(screening)s if your role "
                "is screening and referral only) and upload its certificate."
            )
            % {
                "hours": _plain_hours(self.minimum_hours),
                "screening": _plain_hours(self.screening_hours),
            },
            next_url=url,
        )


def _decided_on(documents: list[TraineeDocument]) -> datetime.date | None:
    """The day the first of these verified documents was verified."""
    days = [timezone.localdate(d.decided_at) for d in documents if d.decided_at]
    return min(days) if days else None


def _plain_hours(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text
