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
    return progress, module_credit_if_complete(trainee=trainee, module=module)


def module_credit_if_complete(*, trainee: User, module: ModulePage) -> HourEntry | None:
    """Credit an online module's hours once all its live lessons are done."""
    if module.delivery != ModulePage.Delivery.ONLINE:
        return None  # classroom modules are credited through attendance
    lesson_ids = set(
        LessonPage.objects.live().child_of(module).values_list("pk", flat=True)
    )
    done = set(
        LessonProgress.objects.filter(
            trainee=trainee, lesson_id__in=lesson_ids
        ).values_list("lesson_id", flat=True)
    )
    if not lesson_ids or done != lesson_ids:
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
