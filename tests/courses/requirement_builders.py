"""Small builders for the requirement tests: a course of their own, class
days, ledger rows. Each test builds the data it asserts on."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from cms.services import page_publish_child
from courses import services
from courses.models import (
    Cohort,
    CohortSeat,
    CourseIndexPage,
    CoursePage,
    Credential,
    HourCategory,
    HourEntry,
    LessonPage,
    ModulePage,
)

ONLINE = ModulePage.Delivery.ONLINE
CLASSROOM = ModulePage.Delivery.CLASSROOM


def _slug(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@dataclass
class BuiltCourse:
    course: CoursePage
    modules: list[ModulePage]
    lessons: dict[int, list[LessonPage]] = field(default_factory=dict)


def category_build(name: str = "Test topic") -> HourCategory:
    slug = _slug("topic")
    return HourCategory.objects.create(slug=slug, name=f"{name} {slug}")


def course_build(
    *modules: tuple[str, int], title: str = "Test course", category=None
) -> BuiltCourse:
    """A published course under the catalogue with one module per
    (delivery, number of lessons) given, every page published."""
    category = category or category_build()
    index = CourseIndexPage.objects.get()
    course = page_publish_child(
        parent=index, page=CoursePage(title=title, slug=_slug("course"))
    )
    built = BuiltCourse(course=course, modules=[])
    for position, (delivery, lesson_count) in enumerate(modules, start=1):
        module = page_publish_child(
            parent=course,
            page=ModulePage(
                title=f"Module {position}",
                slug=_slug("module"),
                credit_hours=Decimal(2),
                hour_category=category,
                delivery=delivery,
            ),
        )
        built.modules.append(module)
        built.lessons[module.pk] = [
            page_publish_child(
                parent=module,
                page=LessonPage(
                    title=f"Lesson {position}.{number}",
                    slug=_slug("lesson"),
                    body=[{"type": "text", "value": "<p>Lesson text.</p>"}],
                ),
            )
            for number in range(1, lesson_count + 1)
        ]
    return built


def cohort_build(course: CoursePage, *, trainer, trainees=()) -> Cohort:
    """A cohort with confirmed seats (which enroll the trainees)."""
    today = datetime.date(2026, 3, 2)
    cohort = Cohort.objects.create(
        course=course,
        name=_slug("cohort"),
        start_date=today,
        end_date=today + datetime.timedelta(days=10),
        capacity=50,
    )
    cohort.trainers.add(trainer)
    for trainee in trainees:
        seat = CohortSeat.objects.create(cohort=cohort, trainee=trainee)
        services.seat_confirm(seat=seat, by=trainer)
    return cohort


def class_day_build(cohort: Cohort, modules, *, offset: int = 0):
    session = cohort.sessions.create(
        date=cohort.start_date + datetime.timedelta(days=offset),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(15, 0),
    )
    session.modules.set(modules)
    return session


def lessons_complete(trainee, lessons) -> None:
    for lesson in lessons:
        services.lesson_complete(trainee=trainee, lesson=lesson)


def hours_credit(
    trainee,
    *,
    category: HourCategory,
    hours: str,
    kind: str = HourEntry.Kind.TRAINING,
    status: str = HourEntry.Status.VERIFIED,
) -> HourEntry:
    return services.entry_credit(
        trainee=trainee,
        kind=kind,
        category_id=category.pk,
        hours=Decimal(hours),
        earned_on=datetime.date(2026, 2, 2),
        source=HourEntry.Source.SUPERVISOR_LOG,
        source_key=_slug("test-hours"),
        status=status,
    )


def credential_build(name: str = "Test credential") -> Credential:
    slug = _slug("credential")
    return Credential.objects.create(slug=slug, name=f"{name} {slug}")


RULE = {"source_citation": "Test rule 1:1", "effective_date": datetime.date(2026, 1, 1)}
