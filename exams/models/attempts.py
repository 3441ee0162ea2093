"""Attempts: the frozen questions a trainee was given and what they answered."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .exams import WrittenExam
from .questions import Question


class FrozenJSONField(models.JSONField):
    """A JSONField that bulk inserts with one placeholder per value.

    On PostgreSQL, Django bulk inserts plain columns as arrays through
    UNNEST, and psycopg escapes each JSON document inside such an array in
    Python: freezing an exam's questions into an attempt took twice as long.
    A placeholder of its own keeps this column in the plain VALUES form.
    """

    def get_placeholder(self, value, compiler, connection):
        return "%s"


class Attempt(models.Model):
    """One sitting of a written exam. The server owns its clock and state."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        NEEDS_GRADING = "needs_grading", _("Waiting for grading")
        GRADED = "graded", _("Graded")

    exam = models.ForeignKey(
        WrittenExam, on_delete=models.PROTECT, related_name="attempts"
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attempts"
    )
    number = models.PositiveIntegerField(_("attempt number"))
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    closed_by_deadline = models.BooleanField(default=False)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    pass_mark_percent = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        # Column ids, not the related models' own orderings: those would join
        # the exam, its course and the user into every query of attempts.
        ordering = ["exam_id", "trainee_id", "number"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "trainee", "number"], name="exams_attempt_number_once"
            ),
            models.UniqueConstraint(
                fields=["exam", "trainee"],
                condition=Q(state="in_progress"),
                name="exams_attempt_one_in_progress",
            ),
        ]

    def __str__(self):
        return f"{self.trainee}: {self.exam} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.IN_PROGRESS and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.deadline is not None and timezone.now() >= self.deadline

    def seconds_left(self) -> int | None:
        if self.deadline is None:
            return None
        return max(int((self.deadline - timezone.now()).total_seconds()), 0)


class AttemptQuestion(models.Model):
    """A question as it was frozen into an attempt."""

    # No index of its own: the unique (attempt, position) index serves every
    # lookup by attempt, and an attempt's start writes fifty rows at once.
    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="questions", db_index=False
    )
    position = models.PositiveIntegerField()
    question = models.ForeignKey(
        Question, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    category_name = models.CharField(max_length=200)
    points = models.DecimalField(max_digits=6, decimal_places=2)
    content = FrozenJSONField(help_text="What the trainee sees; never the key.")
    key = FrozenJSONField(help_text="The answer key; never sent to the trainee.")
    flagged = models.BooleanField(default=False)

    class Meta:
        ordering = ["attempt_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="exams_attemptquestion_position"
            ),
        ]

    def __str__(self):
        return f"{self.attempt} Q{self.position}"

    @property
    def type_code(self) -> str:
        return self.content["type"]

    @property
    def question_class(self):
        return Question.class_for(self.type_code)


class Response(models.Model):
    """The current answer to one attempt question.

    ``revision`` goes up by one with every save; a save that names an older
    revision comes from a stale page and is refused, so nothing newer is
    overwritten.
    """

    attempt_question = models.OneToOneField(
        AttemptQuestion, on_delete=models.CASCADE, related_name="response"
    )
    answer = models.JSONField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField(null=True, blank=True)
    fraction = models.DecimalField(
        max_digits=6, decimal_places=4, null=True, blank=True
    )
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField(blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        # Essays of the courses one teaches a cohort of; or of any course.
        permissions = [
            ("grade_response", _("Can grade essays of courses they teach")),
            ("grade_any_response", _("Can grade essays of any course")),
        ]

    def __str__(self):
        return f"Response to {self.attempt_question}"
