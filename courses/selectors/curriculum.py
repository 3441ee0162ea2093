"""Reads of the curriculum: outlines, a lesson's place, the curriculum audit."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from wagtail.models import Page

from ..models import (
    AuditLine,
    CoursePage,
    HourCategory,
    HourEntry,
    LessonPage,
    ModulePage,
    Requirement,
    requirements_prepare,
)

STEPLEN = Page.steplen


@dataclass
class ModuleOutline:
    module: ModulePage
    lessons: list[LessonPage]


def course_outline(*, course: CoursePage) -> list[ModuleOutline]:
    """The live modules of a course with their live lessons, in tree order."""
    modules = list(
        ModulePage.objects.live()
        .public()
        .child_of(course)
        .select_related("hour_category")
        .order_by("path")
    )
    lessons_by_parent: dict[str, list[LessonPage]] = defaultdict(list)
    lessons = (
        LessonPage.objects.live()
        .public()
        .descendant_of(course)
        .order_by("path")
        .only(
            "id",
            "title",
            "slug",
            "path",
            "depth",
            "url_path",
            "summary",
            "duration_minutes",
            "live",
        )
    )
    for lesson in lessons:
        lessons_by_parent[lesson.path[:-STEPLEN]].append(lesson)
    return [ModuleOutline(module, lessons_by_parent[module.path]) for module in modules]


@dataclass
class LessonPosition:
    """Where a lesson sits: its module and course, its place, its neighbours."""

    course: Page
    module: Page
    index_in_module: int
    lessons_in_module: int
    module_index: int
    modules_in_course: int
    previous: Page | None
    next: Page | None


def lesson_position(*, lesson: LessonPage) -> LessonPosition:
    """Two queries: the course's live modules and lessons, and the ancestors."""
    course_path = lesson.path[: (lesson.depth - 2) * STEPLEN]
    module_path = lesson.path[:-STEPLEN]
    pages = list(
        Page.objects.live()
        .public()
        .filter(path__startswith=course_path, depth__gt=lesson.depth - 2)
        .order_by("path")
        .only("id", "title", "path", "depth", "url_path")
    )
    ancestors = {
        page.path: page
        for page in Page.objects.filter(path__in=[course_path, module_path]).only(
            "id", "title", "path", "depth", "url_path"
        )
    }
    modules = [page for page in pages if page.depth == lesson.depth - 1]
    lessons = [page for page in pages if page.depth == lesson.depth]
    in_module = [page for page in lessons if page.path.startswith(module_path)]
    ids = [page.pk for page in lessons]
    index = ids.index(lesson.pk) if lesson.pk in ids else None
    module_ids = [page.pk for page in modules]
    module = ancestors[module_path]
    return LessonPosition(
        course=ancestors[course_path],
        module=module,
        index_in_module=next(
            (i + 1 for i, page in enumerate(in_module) if page.pk == lesson.pk), 0
        ),
        lessons_in_module=len(in_module),
        module_index=(module_ids.index(module.pk) + 1)
        if module.pk in module_ids
        else 0,
        modules_in_course=len(modules),
        previous=lessons[index - 1] if index else None,
        next=lessons[index + 1]
        if index is not None and index + 1 < len(lessons)
        else None,
    )


@dataclass
class CourseAudit:
    """A course's hours per category measured against its credential's rules."""

    course: CoursePage
    lines: list[AuditLine] = field(default_factory=list)
    other_categories: list[tuple[HourCategory, Decimal]] = field(default_factory=list)
    total_hours: Decimal = Decimal(0)

    @property
    def is_complete(self) -> bool:
        return bool(self.lines) and not any(line.is_short for line in self.lines)

    @property
    def short_lines(self) -> list[AuditLine]:
        return [line for line in self.lines if line.is_short]


def curriculum_audits(*, courses=None) -> list[CourseAudit]:
    """Audit every course (or the given ones): live module hours by category.

    Only published modules count, because only they are what trainees take.
    """
    if courses is None:
        courses = CoursePage.objects.all().order_by("path")
    courses = list(courses.select_related("credential"))
    if not courses:
        return []
    categories = {category.pk: category for category in HourCategory.objects.all()}
    hours: dict[int, dict[int, Decimal]] = defaultdict(dict)
    rows = (
        ModulePage.objects.live()
        .filter(depth=courses[0].depth + 1)
        .values("path", "hour_category_id")
        .annotate(hours=Sum("credit_hours"))
        .order_by()
    )
    course_by_path = {course.path: course for course in courses}
    for row in rows:
        course = course_by_path.get(row["path"][:-STEPLEN])
        if course is None:
            continue
        per_category = hours[course.pk]
        category_id = row["hour_category_id"]
        per_category[category_id] = per_category.get(category_id, 0) + row["hours"]

    requirements_by_credential: dict[int, list[Requirement]] = defaultdict(list)
    credential_ids = {c.credential_id for c in courses if c.credential_id}
    requirements = list(
        Requirement.objects.filter(credential_id__in=credential_ids).order_by(
            "sort_order", "pk"
        )
    )
    requirements_prepare(requirements)
    for requirement in requirements:
        requirements_by_credential[requirement.credential_id].append(requirement)

    audits = []
    for course in courses:
        by_category = hours.get(course.pk, {})
        total = sum(by_category.values(), Decimal(0))
        audit = CourseAudit(course=course, total_hours=total)
        required_ids = set()
        for requirement in requirements_by_credential.get(course.credential_id, []):
            line = requirement.measure(hours_by_category=by_category, total_hours=total)
            if line is not None:
                audit.lines.append(line)
            rule = requirement.hour_rule()
            if rule is not None and rule.kind == HourEntry.Kind.TRAINING:
                required_ids.add(rule.category_id)
        audit.other_categories = sorted(
            (
                (categories[category_id], value)
                for category_id, value in by_category.items()
                if category_id not in required_ids
            ),
            key=lambda pair: (pair[0].sort_order, pair[0].name),
        )
        audits.append(audit)
    return audits


def _path_prefix_q(paths: list[str]) -> Q:
    query = Q()
    for path in paths:
        query |= Q(path__startswith=path)
    return query


def catalogue_url() -> str:
    from ..models import CourseIndexPage

    index = CourseIndexPage.objects.live().only("id", "url_path", "path").first()
    return index.url if index else "/"
