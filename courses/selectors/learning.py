"""The learning journey: progress through courses, cohorts, class days."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from ..models import (
    ClassSession,
    Cohort,
    CohortSeat,
    CoursePage,
    Enrollment,
    LessonPage,
    LessonProgress,
    ModulePage,
)
from .completion import modules_completed
from .curriculum import STEPLEN, _path_prefix_q


@dataclass
class ModuleProgress:
    module: ModulePage
    lessons: list[LessonPage]
    completed_ids: set[int]
    # By the one definition of a complete module (``modules_completed``),
    # so a classroom module attended counts whatever its lessons say.
    is_complete: bool = False

    @property
    def lessons_done(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.pk in self.completed_ids)

    @property
    def lessons_total(self) -> int:
        return len(self.lessons)

    @property
    def percent(self) -> int:
        if not self.lessons:
            return 0
        return int(self.lessons_done * 100 / len(self.lessons))


@dataclass
class CourseProgress:
    course: CoursePage
    modules: list[ModuleProgress]

    @property
    def lessons_total(self) -> int:
        return sum(len(m.lessons) for m in self.modules)

    @property
    def lessons_done(self) -> int:
        return sum(m.lessons_done for m in self.modules)

    @property
    def percent(self) -> int:
        total = self.lessons_total
        return int(self.lessons_done * 100 / total) if total else 0

    @property
    def next_lesson(self) -> LessonPage | None:
        """Where to continue: the first lesson not yet completed."""
        for module in self.modules:
            for lesson in module.lessons:
                if lesson.pk not in module.completed_ids:
                    return lesson
        return None


def courses_progress(*, trainee, courses: list[CoursePage]) -> list[CourseProgress]:
    """Progress through each course's live modules and lessons: a fixed
    number of queries whatever the number of courses, modules or lessons."""
    if not courses:
        return []
    paths = [course.path for course in courses]
    depth = courses[0].depth
    modules = list(
        ModulePage.objects.live()
        .public()
        .filter(depth=depth + 1)
        .filter(_path_prefix_q(paths))
        .select_related("hour_category")
        .order_by("path")
    )
    lessons = list(
        LessonPage.objects.live()
        .public()
        .filter(depth=depth + 2)
        .filter(_path_prefix_q(paths))
        .order_by("path")
        .only("id", "title", "slug", "path", "depth", "url_path", "live")
    )
    completed = set(
        LessonProgress.objects.filter(
            trainee=trainee, lesson_id__in=[lesson.pk for lesson in lessons]
        ).values_list("lesson_id", flat=True)
    )
    complete = modules_completed(trainees=[trainee], modules=modules)[trainee.pk]
    lessons_by_module: dict[str, list[LessonPage]] = defaultdict(list)
    for lesson in lessons:
        lessons_by_module[lesson.path[:-STEPLEN]].append(lesson)
    modules_by_course: dict[str, list[ModuleProgress]] = defaultdict(list)
    for module in modules:
        module_lessons = lessons_by_module[module.path]
        modules_by_course[module.path[:-STEPLEN]].append(
            ModuleProgress(
                module=module,
                lessons=module_lessons,
                completed_ids={x.pk for x in module_lessons if x.pk in completed},
                is_complete=module.pk in complete,
            )
        )
    return [
        CourseProgress(course=course, modules=modules_by_course[course.path])
        for course in courses
    ]


def enrollment_for(*, trainee, course: CoursePage) -> Enrollment | None:
    if not trainee.is_authenticated:
        return None
    return Enrollment.objects.filter(
        trainee=trainee, course=course, status=Enrollment.Status.ACTIVE
    ).first()


@dataclass
class CohortOffer:
    cohort: Cohort
    confirmed: int
    my_seat: CohortSeat | None

    @property
    def seats_left(self) -> int:
        return max(self.cohort.capacity - self.confirmed, 0)

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0


def cohort_offers(*, course: CoursePage, trainee) -> list[CohortOffer]:
    """Upcoming and running cohorts of a course with seats left (2 queries)."""
    cohorts = list(
        Cohort.objects.filter(course=course, end_date__gte=timezone.localdate())
        .annotate(
            confirmed=Count(
                "seats", filter=Q(seats__status=CohortSeat.Status.CONFIRMED)
            )
        )
        .order_by("start_date")
    )
    seats = {}
    if trainee.is_authenticated:
        seats = {
            seat.cohort_id: seat
            for seat in CohortSeat.objects.filter(trainee=trainee, cohort__in=cohorts)
        }
    return [
        CohortOffer(cohort=c, confirmed=c.confirmed, my_seat=seats.get(c.pk))
        for c in cohorts
    ]


def upcoming_sessions(*, trainee, limit: int = 10) -> list[ClassSession]:
    return list(
        ClassSession.objects.filter(
            cohort__seats__trainee=trainee,
            cohort__seats__status=CohortSeat.Status.CONFIRMED,
            date__gte=timezone.localdate(),
        )
        .select_related("cohort", "cohort__course")
        .order_by("date", "start_time")[:limit]
    )


def trainee_seats(*, trainee) -> list[CohortSeat]:
    return list(
        CohortSeat.objects.filter(trainee=trainee)
        .exclude(status=CohortSeat.Status.WITHDRAWN)
        .select_related("cohort", "cohort__course")
        .order_by("cohort__start_date")
    )
