"""Who teaches which course, and invitations to a cohort's seats."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from .curriculum import CoursePage
from .learning import Cohort

# Who may run cohorts (``courses.change_cohort``), through a group or
# directly: only they are offered as course trainers.
MAY_TEACH = Q(
    groups__permissions__codename="change_cohort",
    groups__permissions__content_type__app_label="courses",
) | Q(
    user_permissions__codename="change_cohort",
    user_permissions__content_type__app_label="courses",
)


class CourseTrainer(models.Model):
    """A trainer assigned to a course by an administrator: they may create
    cohorts of it and name other assigned trainers to them. Being named a
    cohort's trainer is what lets a person run it and grade its course's
    essays, so who may start cohorts of a course is an administrator's
    decision, not the trainer's."""

    course = models.ForeignKey(
        CoursePage,
        on_delete=models.CASCADE,
        related_name="trainer_assignments",
        verbose_name=_("course"),
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="course_assignments",
        verbose_name=_("trainer"),
        limit_choices_to=MAY_TEACH,
    )
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)

    panels = [FieldPanel("course"), FieldPanel("trainer")]

    class Meta:
        ordering = ["course_id", "trainer_id"]
        verbose_name = _("course trainer")
        verbose_name_plural = _("course trainers")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "trainer"], name="courses_coursetrainer_once"
            ),
        ]

    def __str__(self):
        return f"{self.trainer} teaches {self.course}"


class CohortInvitation(models.Model):
    """A trainer's invitation to a seat in a cohort, sent to an email
    address. The trainee accepts or declines it; nothing is confirmed
    without them.

    The emailed link carries a random token; only its SHA-256 is stored, and
    only once the invitation is emailed (which happens only when the address
    belongs to a trainee). It works once, until ``expires_at``, and only for
    the signed-in account with the invited address.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Replaced by a newer invitation")

    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("cohort"),
    )
    email = models.EmailField(_("email address"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("answered by"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("cohort invitation")
        verbose_name_plural = _("cohort invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "email"],
                condition=Q(status="pending"),
                name="courses_cohortinvitation_one_pending",
            ),
        ]

    def __str__(self):
        return f"{self.email} to {self.cohort}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and not self.is_expired
