"""Letters of reference for the alcohol and drug application (seed 001;
KRS 309.0831): the trainee names a referee who holds a credential allowed to
give one (a CADC or LCADC, ``SupervisorCredentialType.may_give_reference``);
the referee gets an emailed single-use link, writes or uploads the letter and
signs it, with no account.

The link's token is never stored, only its SHA-256. A letter, once received,
is never changed. Letters are sensitive: the trainee sees only that one
arrived; administrators allowed to view sensitive documents read them, and
every reading is audited.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from .credentials import Credential, Requirement, RequirementProgress
from .ledger import private_storage
from .supervision import Signable, SupervisorCredentialType


def letter_path(instance, filename: str) -> str:
    # The stored name never reuses the referee's file name.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"references/{instance.trainee_id}/{uuid.uuid4().hex}.{extension}"


class ReferenceRequest(Signable, models.Model):
    """A trainee's request for a letter of reference, and the letter."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        RECEIVED = "received", _("Received")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reference_requests",
        verbose_name=_("trainee"),
    )
    credential = models.ForeignKey(
        Credential,
        on_delete=models.PROTECT,
        related_name="reference_requests",
        verbose_name=_("credential"),
    )
    referee_name = models.CharField(_("referee's name"), max_length=200)
    referee_email = models.EmailField(_("referee's email"), max_length=254)
    referee_credential_type = models.ForeignKey(
        SupervisorCredentialType,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"may_give_reference": True},
        verbose_name=_("referee's credential"),
    )
    referee_credential_number = models.CharField(
        _("referee's credential number"), max_length=60
    )
    # SHA-256 of the emailed token; empty until the link is made, and
    # replaced when it is sent again (the old link then answers nothing).
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    expires_at = models.DateTimeField(_("link expires"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SENT
    )
    created_at = models.DateTimeField(_("asked on"), default=timezone.now)
    sent_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    letter_text = models.TextField(_("letter"), blank=True)
    letter_file = models.FileField(
        _("letter file"),
        storage=private_storage,
        upload_to=letter_path,
        max_length=200,
        blank=True,
    )
    letter_file_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reference request")
        verbose_name_plural = _("reference requests")
        indexes = [models.Index(fields=["trainee", "credential", "status"])]
        constraints = [
            # One live request per referee: asking the same address again is
            # refused by the database, whatever the timing.
            models.UniqueConstraint(
                fields=["trainee", "credential", "referee_email"],
                condition=~Q(status="withdrawn"),
                name="courses_reference_one_per_referee",
            ),
            models.CheckConstraint(
                condition=~Q(referee_credential_number=""),
                name="courses_reference_credential_number",
            ),
            models.CheckConstraint(
                condition=~Q(status="received")
                | (
                    Q(received_at__isnull=False)
                    & (~Q(letter_text="") | ~Q(letter_file=""))
                ),
                name="courses_reference_received_has_letter",
            ),
        ]

    def __str__(self):
        return _("Reference from %(referee)s for %(trainee)s") % {
            "referee": self.referee_name,
            "trainee": self.trainee.legal_name,
        }

    def save(self, *args, **kwargs):
        # Asked of the database, not of this copy: a stale copy must not
        # overwrite a letter that arrived meanwhile.
        if (
            self.pk is not None
            and type(self)
            .objects.filter(pk=self.pk, status=self.Status.RECEIVED)
            .exists()
        ):
            raise ValidationError("A received letter of reference is never changed.")
        super().save(*args, **kwargs)

    @property
    def is_expired(self) -> bool:
        return (
            self.status == self.Status.SENT
            and self.expires_at is not None
            and self.expires_at <= timezone.now()
        )

    @property
    def is_open(self) -> bool:
        """The referee may still answer."""
        return (
            self.status == self.Status.SENT
            and bool(self.token_hash)
            and not self.is_expired
        )

    @property
    def status_label(self) -> str:
        if self.is_expired:
            return str(_("Expired"))
        return str(self.get_status_display())

    def signed_text(self) -> str:
        lines = [
            "Letter of reference",
            f"Request: {self.pk}",
            f"For: {self.trainee.legal_name} <{self.trainee.email}>",
            f"Credential: {self.credential.name}",
            f"Referee: {self.referee_name} <{self.referee_email}>",
            f"Referee's credential: {self.referee_credential_type.name}, "
            f"number {self.referee_credential_number}",
        ]
        if self.letter_file_sha256:
            lines.append(f"Letter file SHA-256: {self.letter_file_sha256}")
        lines.append(f"Letter:\n{self.letter_text}")
        return "\n".join(lines)


class ReferenceRequirement(Requirement):
    """Letters of reference received from distinct referees holding a
    credential that may give one (two from a CADC or LCADC, KRS 309.0831)."""

    minimum_letters = models.PositiveSmallIntegerField(
        _("letters needed"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )

    panels = [
        FieldPanel("credential"),
        FieldPanel("minimum_letters"),
        FieldPanel("source_citation"),
        FieldPanel("effective_date"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("letters of reference requirement")
        verbose_name_plural = _("letters of reference requirements")

    def describe(self) -> str:
        return _(
            "%(count)s letters of reference from credentialed alcohol and drug "
            "counselors"
        ) % {"count": self.minimum_letters}

    def progress(self, trainee, *, facts=None):
        facts = self._facts_for(trainee, facts)
        referees = facts.remember(
            "courses.references",
            lambda: _received_referees(facts.trainee),
        )
        count = len(referees.get(self.credential_id, set()))
        status = _("%(count)s of %(needed)s letters received") % {
            "count": min(count, self.minimum_letters),
            "needed": self.minimum_letters,
        }
        if count >= self.minimum_letters:
            return RequirementProgress(met=True, status=str(status), fraction=1.0)
        return RequirementProgress(
            met=False,
            status=str(status),
            fraction=count / self.minimum_letters,
            next_step=str(
                _(
                    "Ask credentialed alcohol and drug counselors (CADC or LCADC) "
                    "for letters of reference."
                )
            ),
            next_url=reverse("courses:my_references"),
        )


def _received_referees(trainee) -> dict[int, set[str]]:
    """The distinct referees (by address) whose letter arrived, by
    credential, counting only referees whose credential may give one."""
    rows = ReferenceRequest.objects.filter(
        trainee=trainee,
        status=ReferenceRequest.Status.RECEIVED,
        referee_credential_type__may_give_reference=True,
    ).values_list("credential_id", "referee_email")
    referees: dict[int, set[str]] = {}
    for credential_id, email in rows:
        referees.setdefault(credential_id, set()).add(email.lower())
    return referees
