"""Cohorts for trainers: the progress grid."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from cms.models import User

from ..models import (
    ClassSession,
    Cohort,
    CohortSeat,
    HourCategory,
    HourEntry,
    LessonPage,
    LessonProgress,
    ModulePage,
)
from .curriculum import STEPLEN


@dataclass
class GridCell:
    lessons_done: int
    lessons_total: int
    hours: Decimal


@dataclass
class GridRow:
    trainee: object
    cells: list[GridCell]
    hours_by_category: list[Decimal]


@dataclass
class ProgressGrid:
    cohort: Cohort
    modules: list[ModulePage]
    categories: list[HourCategory]
    rows: list[GridRow]


def cohort_progress_grid(*, cohort: Cohort) -> ProgressGrid:
    """Confirmed trainees by modules: lessons done and hours credited per
    module, and verified hours per category. A fixed number of queries."""
    course = cohort.course
    trainees = list(
        User.objects.filter(
            cohort_seats__cohort=cohort,
            cohort_seats__status=CohortSeat.Status.CONFIRMED,
        ).order_by("legal_name", "email")
    )
    modules = list(
        ModulePage.objects.live()
        .child_of(course)
        .select_related("hour_category")
        .order_by("path")
    )
    lessons = list(LessonPage.objects.live().descendant_of(course).only("id", "path"))
    module_of_lesson = {}
    lesson_count = defaultdict(int)
    for lesson in lessons:
        module_path = lesson.path[:-STEPLEN]
        module_of_lesson[lesson.pk] = module_path
        lesson_count[module_path] += 1
    done = defaultdict(int)
    for trainee_id, lesson_id in LessonProgress.objects.filter(
        trainee__in=trainees, lesson_id__in=module_of_lesson
    ).values_list("trainee_id", "lesson_id"):
        done[(trainee_id, module_of_lesson[lesson_id])] += 1
    module_hours = defaultdict(Decimal)
    category_hours = defaultdict(Decimal)
    module_ids = {m.pk: m for m in modules}
    session_modules = defaultdict(list)
    for session_id, module_id in ClassSession.modules.through.objects.filter(
        classsession__cohort=cohort
    ).values_list("classsession_id", "modulepage_id"):
        session_modules[session_id].append(module_id)
    for entry in HourEntry.objects.filter(
        trainee__in=trainees,
        status=HourEntry.Status.VERIFIED,
        kind=HourEntry.Kind.TRAINING,
    ).values("trainee_id", "category_id", "hours", "module_id", "session_id"):
        category_hours[(entry["trainee_id"], entry["category_id"])] += entry["hours"]
        if entry["module_id"] in module_ids:
            module_hours[(entry["trainee_id"], entry["module_id"])] += entry["hours"]
        elif entry["session_id"] in session_modules:
            for module_id in session_modules[entry["session_id"]]:
                if (
                    module_id in module_ids
                    and module_ids[module_id].hour_category_id == entry["category_id"]
                ):
                    module_hours[(entry["trainee_id"], module_id)] += entry["hours"]
                    break
    categories = sorted(
        {m.hour_category for m in modules}, key=lambda c: (c.sort_order, c.name)
    )
    rows = [
        GridRow(
            trainee=trainee,
            cells=[
                GridCell(
                    lessons_done=done[(trainee.pk, module.path)],
                    lessons_total=lesson_count[module.path],
                    hours=module_hours[(trainee.pk, module.pk)],
                )
                for module in modules
            ],
            hours_by_category=[
                category_hours[(trainee.pk, category.pk)] for category in categories
            ],
        )
        for trainee in trainees
    ]
    return ProgressGrid(
        cohort=cohort, modules=modules, categories=categories, rows=rows
    )
