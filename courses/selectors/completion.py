"""The one definition of a completed module."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from cms.models import User

from ..models import Attendance, LessonPage, LessonProgress, ModulePage
from .curriculum import STEPLEN, _path_prefix_q

# Attendance that counts as having been at a class day.
ATTENDED = (
    Attendance.Status.PRESENT,
    Attendance.Status.LATE,
    Attendance.Status.LEFT_EARLY,
)


def modules_completed(
    *, trainees: Iterable[User], modules: Iterable[ModulePage]
) -> dict[int, set[int]]:
    """Which of these modules each trainee has completed: trainee id to the
    ids of their completed modules (every trainee given has an entry).

    A module is complete when the trainee has marked every one of its live
    lessons complete, or, for a classroom module, when they attended (present,
    late or left early, never absent) a class day whose modules include it.
    A module with no live lessons is complete only by attendance, so an
    online module without lessons is never complete: nothing counts as done
    just because there was nothing to do.

    At most three queries (lessons, lesson progress, attendance), whatever
    the number of trainees and modules.
    """
    trainee_ids = [trainee.pk for trainee in trainees]
    modules = list(modules)
    completed: dict[int, set[int]] = {pk: set() for pk in trainee_ids}
    if not trainee_ids or not modules:
        return completed

    module_by_path = {module.path: module.pk for module in modules}
    lessons_of: dict[int, set[int]] = defaultdict(set)
    for lesson_id, path in (
        LessonPage.objects.live()
        .filter(_path_prefix_q(list(module_by_path)))
        .filter(depth__in={module.depth + 1 for module in modules})
        .values_list("pk", "path")
    ):
        module_id = module_by_path.get(path[:-STEPLEN])
        if module_id is not None:
            lessons_of[module_id].add(lesson_id)

    done: dict[int, set[int]] = defaultdict(set)
    lesson_ids = set().union(*lessons_of.values())
    if lesson_ids:
        for trainee_id, lesson_id in LessonProgress.objects.filter(
            trainee_id__in=trainee_ids, lesson_id__in=lesson_ids
        ).values_list("trainee_id", "lesson_id"):
            done[trainee_id].add(lesson_id)
    for trainee_id in trainee_ids:
        for module_id, lessons in lessons_of.items():
            if lessons <= done[trainee_id]:
                completed[trainee_id].add(module_id)

    classroom = {
        module.pk
        for module in modules
        if module.delivery == ModulePage.Delivery.CLASSROOM
    }
    if classroom:
        for trainee_id, module_id in (
            Attendance.objects.filter(
                trainee_id__in=trainee_ids,
                status__in=ATTENDED,
                session__modules__in=classroom,
            )
            .values_list("trainee_id", "session__modules")
            .order_by()
            .distinct()
        ):
            # A class day may cover other modules besides these.
            if module_id in classroom:
                completed[trainee_id].add(module_id)
    return completed
