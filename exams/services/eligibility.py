"""Whether a trainee may start an attempt, and when it must end."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from courses.models import Enrollment
from courses.selectors import modules_completed

from ..models import Accommodation, Attempt, WrittenExam


def _when(moment: datetime.datetime) -> str:
    """A moment in the site's time zone, in the active language's format.
    Some formats end in a full stop ("9 a.m."), so messages never end with
    one."""
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


_UNREAD = object()  # an argument not passed, as distinct from one passed as None


@dataclass(frozen=True)
class Eligibility:
    allowed: bool
    reason: str = ""
    attempts_used: int = 0
    attempts_allowed: int = 0
    in_progress: Attempt | None = None
    next_number: int = 1
    accommodation: Accommodation | None = None
    attempts: tuple[Attempt, ...] = ()  # the trainee's attempts so far, in order


def accommodation_for(trainee) -> Accommodation | None:
    return Accommodation.objects.filter(trainee=trainee).first()


def attempt_eligibility(
    *, exam: WrittenExam, trainee, now=None, attempts=None, enrollment=_UNREAD
) -> Eligibility:
    """Whether the trainee may start an attempt now, and if not, why.

    A caller that has read the trainee's attempts at this exam, or their
    enrollment in its course (``None`` for none), passes them so they are not
    read again."""
    now = now or timezone.now()
    accommodation = accommodation_for(trainee)
    allowed = exam.attempts_allowed_for(accommodation)
    if attempts is None:
        attempts = Attempt.objects.filter(exam=exam, trainee=trainee)
    attempts = sorted(attempts, key=lambda attempt: attempt.number)
    used = len(attempts)
    in_progress = next(
        (a for a in attempts if a.state == Attempt.State.IN_PROGRESS), None
    )
    next_number = max((a.number for a in attempts), default=0) + 1

    def decide(allowed_now, reason="", resume=None):
        return Eligibility(
            allowed_now,
            reason,
            used,
            allowed,
            resume,
            next_number,
            accommodation,
            tuple(attempts),
        )

    def refuse(reason):
        return decide(False, reason, in_progress)

    if in_progress is not None and not in_progress.is_expired:
        return decide(True, "", in_progress)
    if not exam.is_published:
        return refuse(_("This exam is not open yet."))
    if enrollment is _UNREAD:
        active = Enrollment.objects.filter(
            trainee=trainee, course=exam.course_id, status=Enrollment.Status.ACTIVE
        ).exists()
    else:
        active = (
            enrollment is not None and enrollment.status == Enrollment.Status.ACTIVE
        )
    if not active:
        return refuse(_("Enroll in the course to take its exam."))
    if exam.opens_at and now < exam.opens_at:
        return refuse(
            _("The exam opens on %(when)s; come back then.")
            % {"when": _when(exam.opens_at)}
        )
    closes = exam.closes_at_for(accommodation)
    if closes and now >= closes:
        return refuse(_("The exam has closed."))
    if used >= allowed:
        return refuse(_("You have used all your attempts."))
    finished = [a.submitted_at for a in attempts if a.submitted_at]
    if finished and exam.wait_between_attempts_hours:
        ready = max(finished) + datetime.timedelta(
            hours=exam.wait_between_attempts_hours
        )
        if now < ready:
            return refuse(
                _("You can try again from %(when)s onward.") % {"when": _when(ready)}
            )
    missing = _missing_prerequisites(exam=exam, trainee=trainee)
    if missing:
        return refuse(
            _("Complete these modules first: %(modules)s.")
            % {"modules": ", ".join(missing)}
        )
    return decide(True)


def _missing_prerequisites(*, exam: WrittenExam, trainee) -> list[str]:
    """Titles of the prerequisite modules the trainee has not completed, by
    the courses app's one definition of a completed module."""
    modules = list(exam.prerequisite_modules.order_by("path"))
    if not modules:
        return []
    done = modules_completed(trainees=[trainee], modules=modules)[trainee.pk]
    return [module.title for module in modules if module.pk not in done]


def deadline_for(*, exam: WrittenExam, trainee, started_at, accommodation=_UNREAD):
    """The earlier of start plus the time limit and the closing time; an
    accommodation extends both. Pass ``accommodation`` when it has been read
    already (``None`` for none)."""
    if accommodation is _UNREAD:
        accommodation = accommodation_for(trainee)
    candidates = []
    minutes = exam.time_limit_for(accommodation)
    if minutes:
        candidates.append(started_at + datetime.timedelta(minutes=minutes))
    closes = exam.closes_at_for(accommodation)
    if closes:
        candidates.append(closes)
    return min(candidates) if candidates else None
