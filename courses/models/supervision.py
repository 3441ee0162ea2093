"""Supervision: agreements between a trainee and a supervisor, the sessions
and experience hours logged under them, and the electronic signatures that
make them count.

A log counts only once both people have signed the exact text it shows; a
signature records the hash of that text, so any change to an agreement or a
log leaves the old signatures standing (they are append-only) but no longer
matching, and new ones are needed.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from .credentials import HOURS_FIELD, Credential, HourCategory

MINUTES_IN_A_DAY = 24 * 60


def text_hash(text: str) -> str:
    """The SHA-256 of the exact text signed, as hexadecimal."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SupervisorCredentialType(models.Model):
    """A credential that qualifies someone to supervise, such as CADC."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=20, blank=True)
    source_citation = models.CharField(_("source citation"), max_length=300)
    may_give_reference = models.BooleanField(
        _("may write a letter of reference"),
        default=False,
        help_text=_("Referees must hold a credential marked here."),
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("abbreviation"),
        FieldPanel("slug"),
        FieldPanel("source_citation"),
        FieldPanel("may_give_reference"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("supervisor credential type")
        verbose_name_plural = _("supervisor credential types")

    def __str__(self):
        return self.name


class SupervisionDomain(models.Model):
    """One of the domains supervision covers (201 KAR 35:070); hours in it are
    credited to its hour category."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    hour_category = models.ForeignKey(
        HourCategory,
        on_delete=models.PROTECT,
        related_name="supervision_domains",
        verbose_name=_("hour category"),
    )
    source_citation = models.CharField(_("source citation"), max_length=300)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("hour_category"),
        FieldPanel("source_citation"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("supervision domain")
        verbose_name_plural = _("supervision domains")

    def __str__(self):
        return self.name


class SupervisionGapRule(models.Model):
    """A program's rule on how often supervision must happen, to warn early:
    a supervisee with no session in ``max_days`` days is flagged."""

    credential = models.ForeignKey(
        Credential,
        on_delete=models.CASCADE,
        related_name="supervision_gap_rules",
        verbose_name=_("credential"),
    )
    description = models.CharField(_("description"), max_length=300)
    max_days = models.PositiveSmallIntegerField(
        _("days without a session before a warning"),
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )
    source_citation = models.CharField(_("source citation"), max_length=300)

    panels = [
        FieldPanel("credential"),
        FieldPanel("description"),
        FieldPanel("max_days"),
        FieldPanel("source_citation"),
    ]

    class Meta:
        ordering = ["credential", "max_days"]
        verbose_name = _("supervision frequency rule")
        verbose_name_plural = _("supervision frequency rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_days__gte=1), name="courses_gaprule_days_positive"
            )
        ]

    def __str__(self):
        return self.description


class Signature(models.Model):
    """An explicit act of signing by one person: what they typed, the
    statement they agreed to, when, from where, and the SHA-256 of the exact
    text they signed. Append-only."""

    class Role(models.TextChoices):
        TRAINEE = "trainee", _("Trainee")
        SUPERVISOR = "supervisor", _("Supervisor")
        REFEREE = "referee", _("Referee")

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("signer"),
    )
    role = models.CharField(_("signed as"), max_length=20, choices=Role.choices)
    typed_name = models.CharField(_("typed name"), max_length=200)
    intent = models.TextField(_("statement of intent"))
    signed_text = models.TextField(_("text signed"))
    text_sha256 = models.CharField(_("SHA-256 of the text signed"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=500, blank=True)

    class Meta:
        ordering = ["signed_at", "pk"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            # One signature per role per version of the text: signing twice
            # is refused by the database, whatever the timing.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "role", "text_sha256"],
                name="courses_signature_once_per_text",
            )
        ]

    def __str__(self):
        return f"{self.typed_name} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Signatures are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Signatures are append-only and are never deleted.")

    @property
    def text_is_intact(self) -> bool:
        return text_hash(self.signed_text) == self.text_sha256


class Signable:
    """A record people sign: it says what text they sign (``signed_text``)
    and whose signatures it needs."""

    def signed_text(self) -> str:
        raise NotImplementedError

    def signed_text_hash(self) -> str:
        return text_hash(self.signed_text())


class SupervisoryAgreement(Signable, models.Model):
    """A trainee and a board-approved supervisor, for one credential, between
    two dates. Both sign it; any change needs both signatures again, and a
    board approval recorded for an earlier version no longer holds."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervision_agreements",
        verbose_name=_("trainee"),
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervisee_agreements",
        verbose_name=_("supervisor"),
    )
    credential = models.ForeignKey(
        Credential,
        on_delete=models.PROTECT,
        related_name="supervision_agreements",
        verbose_name=_("credential"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    supervisor_credential_type = models.ForeignKey(
        SupervisorCredentialType,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("supervisor's credential"),
    )
    supervisor_credential_number = models.CharField(
        _("supervisor's credential number"), max_length=60
    )
    revision = models.PositiveIntegerField(_("version"), default=1)
    approved_revision = models.PositiveIntegerField(
        _("version approved by the board"), null=True, blank=True
    )
    board_approved_on = models.DateField(_("board approved on"), null=True, blank=True)
    board_reference = models.CharField(_("board reference"), max_length=100, blank=True)
    approval_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approval recorded by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("supervisory agreement")
        verbose_name_plural = _("supervisory agreements")
        permissions = [
            (
                "approve_supervisoryagreement",
                _("Can record the board's approval of supervisory agreements"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="courses_agreement_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(supervisor_credential_number=""),
                name="courses_agreement_credential_number",
            ),
            models.CheckConstraint(
                condition=~Q(trainee=models.F("supervisor")),
                name="courses_agreement_not_self",
            ),
        ]

    def __str__(self):
        return _("%(trainee)s supervised by %(supervisor)s") % {
            "trainee": self.trainee.legal_name,
            "supervisor": self.supervisor.legal_name,
        }

    def signed_text(self) -> str:
        return "\n".join(
            [
                "Supervisory agreement",
                f"Version: {self.revision}",
                f"Credential: {self.credential.name}",
                f"Trainee: {self.trainee.legal_name} <{self.trainee.email}>",
                f"Supervisor: {self.supervisor.legal_name} <{self.supervisor.email}>",
                f"Supervisor's credential: {self.supervisor_credential_type.name}, "
                f"number {self.supervisor_credential_number}",
                f"From {self.start_date.isoformat()} to {self.end_date.isoformat()}",
                "The supervisor agrees to provide, and the trainee to take part in, "
                "supervision in the domains of the credential, and both agree to "
                "log and sign each session truthfully.",
            ]
        )

    def covers(self, day: datetime.date) -> bool:
        return self.start_date <= day <= self.end_date

    @property
    def is_approved(self) -> bool:
        return (
            self.board_approved_on is not None
            and self.approved_revision == self.revision
        )


class SignedLog(Signable, models.Model):
    """What a supervision session and an experience log share: made under an
    agreement by one of its two people, signed by both, sent back with a
    reason, corrected into a new version."""

    class Status(models.TextChoices):
        AWAITING = "awaiting", _("Waiting for a signature")
        SENT_BACK = "sent_back", _("Sent back")
        SIGNED = "signed", _("Signed by both")

    agreement = models.ForeignKey(
        SupervisoryAgreement,
        on_delete=models.PROTECT,
        related_name="%(class)ss",
        verbose_name=_("agreement"),
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("logged by"),
    )
    logged_at = models.DateTimeField(_("logged at"))
    revision = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AWAITING
    )
    waiting_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("waiting for"),
    )
    sent_back_reason = models.TextField(_("reason sent back"), blank=True)

    class Meta:
        abstract = True

    @property
    def trainee(self):
        return self.agreement.trainee

    @property
    def supervisor(self):
        return self.agreement.supervisor

    def role_of(self, user) -> str | None:
        if user.pk == self.agreement.supervisor_id:
            return Signature.Role.SUPERVISOR
        if user.pk == self.agreement.trainee_id:
            return Signature.Role.TRAINEE
        return None


class SupervisionSession(SignedLog):
    """One supervision session. Direct sessions signed by both people under a
    signed agreement become supervision hours, shared among its domains."""

    class Format(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        GROUP = "group", _("Group")

    date = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(
        _("minutes"),
        validators=[MinValueValidator(1), MaxValueValidator(MINUTES_IN_A_DAY)],
    )
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.INDIVIDUAL
    )
    is_direct = models.BooleanField(_("direct supervision"), default=True)
    domains = models.ManyToManyField(
        SupervisionDomain, related_name="+", verbose_name=_("domains covered")
    )
    note = models.CharField(
        _("note"),
        max_length=500,
        blank=True,
        help_text=_("A short note of what was covered; nothing clinical."),
    )

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("supervision session")
        verbose_name_plural = _("supervision sessions")
        indexes = [models.Index(fields=["agreement", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=MINUTES_IN_A_DAY),
                name="courses_session_minutes_in_a_day",
            )
        ]

    def __str__(self):
        return _("Supervision on %(date)s, %(minutes)s minutes") % {
            "date": self.date.isoformat(),
            "minutes": self.minutes,
        }

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.01"))

    def signed_text(self) -> str:
        domains = ", ".join(domain.name for domain in self.domains.all())
        return "\n".join(
            [
                "Supervision session",
                f"Version: {self.revision}",
                f"Agreement: {self.agreement_id}",
                f"Trainee: {self.agreement.trainee.legal_name}",
                f"Supervisor: {self.agreement.supervisor.legal_name}",
                f"Date: {self.date.isoformat()}",
                f"Minutes: {self.minutes}",
                f"Format: {self.format}",
                f"Direct: {'yes' if self.is_direct else 'no'}",
                f"Domains: {domains}",
                f"Note: {self.note}",
            ]
        )


class ExperienceLog(SignedLog):
    """Hours of work with people with a substance use disorder over a
    period, at one site; signed by the supervisor, they become experience
    hours."""

    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    site = models.CharField(_("site or employer"), max_length=200)
    hours = models.DecimalField(
        _("hours"), validators=[MinValueValidator(Decimal("0.01"))], **HOURS_FIELD
    )
    domain = models.ForeignKey(
        SupervisionDomain,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("main domain"),
    )
    description = models.CharField(_("description"), max_length=500)

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("experience log")
        verbose_name_plural = _("experience logs")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0), name="courses_experience_hours_positive"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="courses_experience_period_in_order",
            ),
        ]

    def __str__(self):
        return _("%(hours)s hours at %(site)s") % {
            "hours": f"{self.hours.normalize():f}",
            "site": self.site,
        }

    @property
    def date(self) -> datetime.date:
        return self.period_end

    def signed_text(self) -> str:
        return "\n".join(
            [
                "Experience hours",
                f"Version: {self.revision}",
                f"Agreement: {self.agreement_id}",
                f"Trainee: {self.agreement.trainee.legal_name}",
                f"Supervisor: {self.agreement.supervisor.legal_name}",
                f"From {self.period_start.isoformat()} "
                f"to {self.period_end.isoformat()}",
                f"Site: {self.site}",
                f"Hours: {self.hours.normalize():f}",
                f"Domain: {self.domain.name}",
                f"Description: {self.description}",
            ]
        )


class SupervisorCompetency(models.Model):
    """A competency of good supervision (seed 001), which supervisees rate
    the supervision they receive against."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    source_citation = models.CharField(_("source citation"), max_length=300)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("source_citation"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("supervisor competency")
        verbose_name_plural = _("supervisor competencies")

    def __str__(self):
        return self.name


RATING_CHOICES = [
    (1, _("1: not yet")),
    (2, _("2: developing")),
    (3, _("3: competent")),
    (4, _("4: strong")),
]


class SupervisionEvaluation(Signable, models.Model):
    """The supervisor's evaluation of the peer on each domain, signed by the
    supervisor: the checklist's "supervision evaluation". Never edited: a new
    evaluation is a new row."""

    agreement = models.ForeignKey(
        SupervisoryAgreement,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("agreement"),
    )
    ratings = models.JSONField(_("ratings by domain"))
    comments = models.JSONField(_("comments by domain"), default=dict)
    summary = models.TextField(_("overall comments"), blank=True)
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("supervision evaluation")
        verbose_name_plural = _("supervision evaluations")

    def __str__(self):
        return _("Evaluation of %(trainee)s") % {
            "trainee": self.agreement.trainee.legal_name
        }

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Evaluations are never edited; write a new one.")
        super().save(*args, **kwargs)

    def signed_text(self) -> str:
        lines = [
            "Supervision evaluation",
            f"Agreement: {self.agreement_id}",
            f"Trainee: {self.agreement.trainee.legal_name}",
            f"Supervisor: {self.agreement.supervisor.legal_name}",
        ]
        for slug in sorted(self.ratings):
            lines.append(
                f"{slug}: {self.ratings[slug]} - {self.comments.get(slug, '')}"
            )
        lines.append(f"Overall: {self.summary}")
        return "\n".join(lines)


class SupervisionFeedback(models.Model):
    """A supervisee's confidential rating of the supervision they receive,
    against the supervisor competencies. Administrators see it only in
    aggregate per supervisor, and only from a minimum number of responses;
    the supervisor never sees it."""

    agreement = models.OneToOneField(
        SupervisoryAgreement,
        on_delete=models.PROTECT,
        related_name="feedback",
        verbose_name=_("agreement"),
    )
    ratings = models.JSONField(_("ratings by competency"))
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("feedback on supervision")
        verbose_name_plural = _("feedback on supervision")
        permissions = [
            (
                "view_supervision_feedback",
                _("Can see supervisees' feedback in aggregate per supervisor"),
            )
        ]

    def __str__(self):
        return str(_("Feedback on supervision"))
