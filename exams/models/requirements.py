"""Credential requirements the exams app adds to the courses app's rules: a
written exam passed, an oral exam passed."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from courses.models import Requirement, RequirementProgress

from .attempts import Attempt
from .exams import WrittenExam
from .oral import Booking, OralExam, Sitting


class WrittenExamPassedRequirement(Requirement):
    """A written exam passed: met once a graded attempt of it passed."""

    # Deleting the exam leaves the rule without one, and so never met,
    # rather than blocking the deletion or quietly dropping the rule.
    exam = models.ForeignKey(
        WrittenExam,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("written exam"),
    )

    panels = [
        FieldPanel("credential"),
        FieldPanel("completion_of"),
        FieldPanel("exam"),
        FieldPanel("source_citation"),
        FieldPanel("effective_date"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("written-exam requirement")
        verbose_name_plural = _("written-exam requirements")

    # Facts about the trainee's attempts, by exam id, kept with the others.
    ATTEMPTS_FACT = "exams.attempts"

    @classmethod
    def prepare(cls, requirements, *, facts=None):
        """The exams in one query and, with ``facts``, the trainee's attempts
        at all of them in one more."""
        missing = {
            r.exam_id
            for r in requirements
            if r.exam_id is not None and not cls.exam.is_cached(r)
        }
        if missing:
            exams = WrittenExam.objects.in_bulk(missing)
            for requirement in requirements:
                if requirement.exam_id in exams:
                    requirement.exam = exams[requirement.exam_id]
        if facts is not None:
            cls._attempts(
                facts, [r.exam_id for r in requirements if r.exam_id is not None]
            )

    @classmethod
    def _attempts(cls, facts, exam_ids) -> dict[int, list[Attempt]]:
        def load(ids: set[int]) -> dict[int, list[Attempt]]:
            by_exam: dict[int, list[Attempt]] = {pk: [] for pk in ids}
            for attempt in Attempt.objects.filter(
                trainee=facts.trainee, exam_id__in=ids
            ).only("exam_id", "number", "state", "submitted_at", "percent", "passed"):
                by_exam[attempt.exam_id].append(attempt)
            return by_exam

        return facts.about(cls.ATTEMPTS_FACT, exam_ids, load)

    def describe(self) -> str:
        if self.exam is None:
            return str(_("Pass a written exam that was deleted"))
        return _("Pass %(exam)s") % {"exam": self.exam.title}

    def progress(self, trainee, *, facts=None):
        facts = self._facts_for(trainee, facts)
        if self.exam_id is None:
            return RequirementProgress(
                met=False,
                status=str(_("The exam of this requirement was deleted")),
                next_step=str(_("Ask an administrator to check this rule.")),
            )
        attempts = self._attempts(facts, [self.exam_id])[self.exam_id]
        graded = [a for a in attempts if a.state == Attempt.State.GRADED]
        passed = [a for a in graded if a.passed]
        if passed:
            first = min(passed, key=lambda a: (a.submitted_at is None, a.number))
            when = (
                timezone.localdate(first.submitted_at) if first.submitted_at else None
            )
            status = (
                _("Written test passed on %(date)s")
                % {"date": date_format(when, "DATE_FORMAT")}
                if when
                else _("Written test passed")
            )
            return RequirementProgress(met=True, status=status, fraction=1.0)

        pass_mark = self.exam.pass_mark_percent
        scores = [a.percent for a in graded if a.percent is not None]
        best = max(scores, default=None)
        fraction = (
            float(min(best / pass_mark, Decimal(1)))
            if best is not None and pass_mark > 0
            else 0.0
        )
        if any(a.state == Attempt.State.NEEDS_GRADING for a in attempts):
            status = _("Submitted; waiting for grading")
        elif best is not None:
            status = _("Best so far %(best)s%%; %(needed)s%% needed") % {
                "best": _format_percent(best),
                "needed": _format_percent(pass_mark),
            }
        elif any(a.state == Attempt.State.IN_PROGRESS for a in attempts):
            status = _("Attempt in progress")
        else:
            status = _("Not attempted yet")
        if not self.exam.is_published:
            return RequirementProgress(
                met=False,
                status=status,
                fraction=fraction,
                next_step=_("%(exam)s is not open yet.") % {"exam": self.exam.title},
            )
        return RequirementProgress(
            met=False,
            status=status,
            fraction=fraction,
            next_step=_("Go to %(exam)s") % {"exam": self.exam.title},
            next_url=reverse("exams:exam_detail", args=[self.exam_id]),
        )


def _format_percent(value: Decimal) -> str:
    return f"{value.normalize():f}"


class OralExamPassedRequirement(Requirement):
    """An oral exam passed: met once a sitting of it passed and its result
    was released to the trainee (a result an administrator still holds back
    counts for nothing yet, so the dashboard never tells it first)."""

    # As for the written exam: deleting the exam leaves a rule never met.
    oral_exam = models.ForeignKey(
        OralExam,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("oral exam"),
    )

    panels = [
        FieldPanel("credential"),
        FieldPanel("completion_of"),
        FieldPanel("oral_exam"),
        FieldPanel("source_citation"),
        FieldPanel("effective_date"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("oral-exam requirement")
        verbose_name_plural = _("oral-exam requirements")

    # The trainee's bookings (with slot and sitting), by oral exam id.
    BOOKINGS_FACT = "exams.oral_bookings"

    @classmethod
    def prepare(cls, requirements, *, facts=None):
        """The oral exams in one query and, with ``facts``, the trainee's
        bookings of all of them, with their slots and sittings, in one more."""
        missing = {
            r.oral_exam_id
            for r in requirements
            if r.oral_exam_id is not None and not cls.oral_exam.is_cached(r)
        }
        if missing:
            exams = OralExam.objects.in_bulk(missing)
            for requirement in requirements:
                if requirement.oral_exam_id in exams:
                    requirement.oral_exam = exams[requirement.oral_exam_id]
        if facts is not None:
            cls._bookings(
                facts,
                [r.oral_exam_id for r in requirements if r.oral_exam_id is not None],
            )

    @classmethod
    def _bookings(cls, facts, exam_ids) -> dict[int, list[Booking]]:
        def load(ids: set[int]) -> dict[int, list[Booking]]:
            by_exam: dict[int, list[Booking]] = {pk: [] for pk in ids}
            for booking in (
                Booking.objects.filter(trainee=facts.trainee, oral_exam_id__in=ids)
                .select_related("slot", "sitting")
                .order_by("slot__starts_at", "pk")
            ):
                by_exam[booking.oral_exam_id].append(booking)
            return by_exam

        return facts.about(cls.BOOKINGS_FACT, exam_ids, load)

    def describe(self) -> str:
        if self.oral_exam is None:
            return str(_("Pass an oral exam that was deleted"))
        return _("Pass %(exam)s") % {"exam": self.oral_exam.title}

    def progress(self, trainee, *, facts=None):
        facts = self._facts_for(trainee, facts)
        if self.oral_exam_id is None:
            return RequirementProgress(
                met=False,
                status=str(_("The oral exam of this requirement was deleted")),
                next_step=str(_("Ask an administrator to check this rule.")),
            )
        bookings = self._bookings(facts, [self.oral_exam_id])[self.oral_exam_id]
        sittings = [
            (booking, booking.sitting)
            for booking in bookings
            if _sitting_of(booking) is not None
        ]
        released = [
            (booking, sitting)
            for booking, sitting in sittings
            if sitting.released_at is not None and sitting.passed is not None
        ]
        passed = [pair for pair in released if pair[1].passed]
        if passed:
            booking, _sitting = passed[0]
            return RequirementProgress(
                met=True,
                status=_("Oral test passed on %(date)s")
                % {"date": _local_date(booking.slot.starts_at)},
                fraction=1.0,
            )
        status, fraction = self._status(bookings, sittings, released)
        if not self.oral_exam.is_published:
            return RequirementProgress(
                met=False,
                status=status,
                fraction=fraction,
                next_step=_("%(exam)s is not open for booking yet.")
                % {"exam": self.oral_exam.title},
            )
        return RequirementProgress(
            met=False,
            status=status,
            fraction=fraction,
            next_step=_("Book a time for %(exam)s") % {"exam": self.oral_exam.title},
            next_url=reverse("exams:oral_exam", args=[self.oral_exam_id]),
        )

    def _status(self, bookings, sittings, released) -> tuple[str, float]:
        """The latest thing that happened, in the trainee's words: a booking
        to come first, then the last sitting, then a missed booking."""
        upcoming = [b for b in bookings if b.status == Booking.Status.BOOKED]
        if upcoming:
            return (
                _("Booked for %(date)s")
                % {"date": _local_date(upcoming[-1].slot.starts_at)},
                1 / 3,
            )
        if sittings:
            booking, sitting = sittings[-1]
            when = _local_date(booking.slot.starts_at)
            if (booking, sitting) in released:
                pass_percent = self.oral_exam.pass_percent
                fraction = (
                    float(min(sitting.percent / pass_percent, Decimal(1)))
                    if sitting.percent is not None and pass_percent > 0
                    else 0.0
                )
                return _("Not passed on %(date)s") % {"date": when}, fraction
            return _("Sat on %(date)s; waiting for the result") % {"date": when}, 2 / 3
        missed = [b for b in bookings if b.status == Booking.Status.NO_SHOW]
        if missed:
            return (
                _("Did not attend on %(date)s")
                % {"date": _local_date(missed[-1].slot.starts_at)},
                0.0,
            )
        return str(_("Not yet booked")), 0.0


def _sitting_of(booking: Booking) -> Sitting | None:
    try:
        return booking.sitting
    except Sitting.DoesNotExist:
        return None


def _local_date(moment) -> str:
    return date_format(timezone.localdate(moment), "DATE_FORMAT")
