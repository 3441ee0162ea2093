"""Read-only queries for courses. Each runs a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from wagtail.models import Page

from cms.models import User

from .models import (
    AuditLine,
    ClassSession,
    Cohort,
    CohortSeat,
    CoursePage,
    Credential,
    Enrollment,
    HourCategory,
    HourEntry,
    LessonPage,
    LessonProgress,
    ModulePage,
    Requirement,
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
    for requirement in Requirement.objects.filter(
        credential_id__in=credential_ids
    ).order_by("sort_order", "pk"):
        requirements_by_credential[requirement.credential_id].append(requirement)
    _prefetch_categories(requirements_by_credential, categories)

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
            required_ids.add(getattr(requirement, "category_id", None))
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


def _prefetch_categories(requirements_by_credential, categories) -> None:
    """Attach categories already loaded so describing a rule costs no query."""
    for requirements in requirements_by_credential.values():
        for requirement in requirements:
            category_id = getattr(requirement, "category_id", None)
            if category_id in categories:
                requirement.category = categories[category_id]


# The learning journey -------------------------------------------------------


@dataclass
class ModuleProgress:
    module: ModulePage
    lessons: list[LessonPage]
    completed_ids: set[int]

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

    @property
    def is_complete(self) -> bool:
        return bool(self.lessons) and self.lessons_done == len(self.lessons)


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
    """Progress through each course's live modules and lessons: three queries
    whatever the number of courses, modules or lessons."""
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
            )
        )
    return [
        CourseProgress(course=course, modules=modules_by_course[course.path])
        for course in courses
    ]


def _path_prefix_q(paths: list[str]) -> Q:
    query = Q()
    for path in paths:
        query |= Q(path__startswith=path)
    return query


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


# The hour ledger --------------------------------------------------------------


@dataclass
class CategoryTotal:
    category: HourCategory
    verified: Decimal
    pending: Decimal


def hour_totals(*, trainee) -> dict[int, CategoryTotal]:
    """Verified and pending hours per category: always the sum of entries."""
    categories = {c.pk: c for c in HourCategory.objects.all()}
    rows = (
        HourEntry.objects.filter(trainee=trainee, kind=HourEntry.Kind.TRAINING)
        .values("category_id")
        .annotate(
            verified=Sum("hours", filter=Q(status=HourEntry.Status.VERIFIED)),
            pending=Sum("hours", filter=Q(status=HourEntry.Status.PENDING)),
        )
        .order_by()
    )
    totals = {}
    for row in rows:
        totals[row["category_id"]] = CategoryTotal(
            category=categories[row["category_id"]],
            verified=row["verified"] or Decimal(0),
            pending=row["pending"] or Decimal(0),
        )
    return totals


@dataclass
class CredentialProgress:
    credential: Credential
    lines: list[AuditLine]

    @property
    def is_met(self) -> bool:
        return bool(self.lines) and not any(line.is_short for line in self.lines)


def credential_progress(
    *, totals: dict[int, CategoryTotal], credentials: list[Credential] | None = None
) -> list[CredentialProgress]:
    """Verified hours against every hours rule of each credential (2-3 queries)."""
    if credentials is None:
        credentials = list(Credential.objects.order_by("name"))
    by_category = {cid: total.verified for cid, total in totals.items()}
    total_hours = sum(by_category.values(), Decimal(0))
    requirements = defaultdict(list)
    categories = {c.pk: c for c in (t.category for t in totals.values())}
    categories.update({c.pk: c for c in HourCategory.objects.all()})
    for requirement in Requirement.objects.filter(credential__in=credentials).order_by(
        "sort_order", "pk"
    ):
        requirements[requirement.credential_id].append(requirement)
    _prefetch_categories(requirements, categories)
    result = []
    for credential in credentials:
        lines = []
        for requirement in requirements[credential.pk]:
            line = requirement.measure(
                hours_by_category=by_category, total_hours=total_hours
            )
            if line is not None:
                lines.append(line)
        lines.sort(key=lambda line: line.is_total)
        result.append(CredentialProgress(credential=credential, lines=lines))
    return result


def hour_entries(*, trainee) -> list[HourEntry]:
    return list(
        HourEntry.objects.filter(trainee=trainee)
        .select_related(
            "category",
            "module",
            "session",
            "session__cohort",
            "verified_by",
            "reverses",
        )
        .order_by("-earned_on", "-created_at", "-pk")
    )


def pending_entries_for(*, user) -> list[HourEntry]:
    """Hours from elsewhere awaiting a decision that this user may decide."""
    from .permissions import trainee_ids_taught_by, user_is_administrator

    entries = HourEntry.objects.filter(status=HourEntry.Status.PENDING).exclude(
        trainee=user
    )
    if not user_is_administrator(user):
        entries = entries.filter(trainee_id__in=trainee_ids_taught_by(user))
    return list(
        entries.select_related("trainee", "category").order_by("created_at", "pk")
    )


# Cohorts for trainers --------------------------------------------------------


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


# The board's verification of training ---------------------------------------


@dataclass
class LedgerTopic:
    label: str
    minimum: Decimal | None
    completed: Decimal
    entries: list[HourEntry]


def trainee_ledger_report(
    *, trainee, credential: Credential | None
) -> list[LedgerTopic]:
    """Each required topic of a credential with its minimum, verified hours and
    the entries behind them; other categories follow without a minimum."""
    entries = hour_entries(trainee=trainee)
    by_category = defaultdict(list)
    for entry in entries:
        by_category[entry.category_id].append(entry)
    verified = defaultdict(Decimal)
    for entry in entries:
        if entry.status == HourEntry.Status.VERIFIED:
            verified[entry.category_id] += entry.hours
    topics = []
    seen = set()
    if credential is not None:
        categories = {c.pk: c for c in HourCategory.objects.all()}
        requirements = list(
            Requirement.objects.filter(credential=credential).order_by(
                "sort_order", "pk"
            )
        )
        _prefetch_categories({credential.pk: requirements}, categories)
        for requirement in requirements:
            category_id = getattr(requirement, "category_id", None)
            if category_id is None:
                continue
            seen.add(category_id)
            topics.append(
                LedgerTopic(
                    label=requirement.category.name,
                    minimum=requirement.minimum_hours,
                    completed=verified[category_id],
                    entries=by_category[category_id],
                )
            )
    for category in HourCategory.objects.filter(pk__in=by_category).exclude(
        pk__in=seen
    ):
        topics.append(
            LedgerTopic(
                label=category.name,
                minimum=None,
                completed=verified[category.pk],
                entries=by_category[category.pk],
            )
        )
    return topics


def trainee_seats(*, trainee) -> list[CohortSeat]:
    return list(
        CohortSeat.objects.filter(trainee=trainee)
        .exclude(status=CohortSeat.Status.WITHDRAWN)
        .select_related("cohort", "cohort__course")
        .order_by("cohort__start_date")
    )


def catalogue_url() -> str:
    from .models import CourseIndexPage

    index = CourseIndexPage.objects.live().only("id", "url_path", "path").first()
    return index.url if index else "/"
