"""Lesson progress and the hours an online module credits when complete."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.models import User

from ..models import (
    Enrollment,
    HourEntry,
    LessonPage,
    LessonProgress,
    ModulePage,
)
from ..selectors import modules_completed
from .certificates import certificates_check_later
from .ledger import entry_credit


@transaction.atomic
def lesson_complete(
    *, trainee: User, lesson: LessonPage
) -> tuple[LessonProgress, HourEntry | None]:
    """Mark a lesson complete; credit its module when every lesson is done.

    Returns the progress row and the hours credited by this call, if any.
    """
    if not lesson.live:
        raise ValidationError(_("This lesson is not published."))
    module = lesson.get_parent().specific
    course = module.get_parent().specific
    if not Enrollment.objects.filter(
        trainee=trainee, course=course, status=Enrollment.Status.ACTIVE
    ).exists():
        raise PermissionDenied(_("Enroll in the course to record your progress."))
    try:
        with transaction.atomic():
            progress, _created = LessonProgress.objects.get_or_create(
                trainee=trainee,
                lesson=lesson,
                defaults={"completed_at": timezone.now()},
            )
    except IntegrityError:
        progress = LessonProgress.objects.get(trainee=trainee, lesson=lesson)
    credited = module_credit_if_complete(trainee=trainee, module=module)
    if credited is not None:
        # A completed module may complete the course.
        certificates_check_later(trainee_id=trainee.pk)
    return progress, credited


def module_credit_if_complete(*, trainee: User, module: ModulePage) -> HourEntry | None:
    """Credit an online module's hours once it is complete (all its live
    lessons done, by ``selectors.modules_completed``)."""
    if module.delivery != ModulePage.Delivery.ONLINE:
        return None  # classroom modules are credited through attendance
    if (
        module.pk
        not in modules_completed(trainees=[trainee], modules=[module])[trainee.pk]
    ):
        return None
    return entry_credit(
        trainee=trainee,
        kind=HourEntry.Kind.TRAINING,
        category_id=module.hour_category_id,
        hours=module.credit_hours,
        earned_on=timezone.localdate(),
        source=HourEntry.Source.MODULE_COMPLETION,
        source_key=f"module:{trainee.pk}:{module.pk}",
        module=module,
        description=module.title,
        status=HourEntry.Status.VERIFIED,
        created_by=trainee,
    )
