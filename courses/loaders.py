"""Loading fixtures: hour categories, credential rules and curricula."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.db import transaction

from cms.models import HomePage
from cms.services import LoadReport, page_publish_child

from .models import (
    AgeRequirement,
    CourseIndexPage,
    CoursePage,
    Credential,
    DocumentKind,
    DocumentRequirement,
    FeeRequirement,
    HourCategory,
    HourEntry,
    HoursRequirement,
    LessonPage,
    ModuleCompletionRequirement,
    ModulePage,
    ReferenceRequirement,
    SuicidePreventionRequirement,
    SupervisionAgreementRequirement,
    SupervisionEvaluationRequirement,
    TotalHoursRequirement,
)

# Checklist rules that say only which credential they belong to.
CHECKLIST_RULE_TYPES = {
    "supervision_agreement": SupervisionAgreementRequirement,
    "supervision_evaluation": SupervisionEvaluationRequirement,
    "fee": FeeRequirement,
}

# Wagtail stores bold and italic as <b> and <i>; match that so the editor
# shows fixture text exactly as it shows text typed into it.
_TAG_MAP = {"strong": "b", "em": "i"}
_TAG_RE = re.compile(r"<(/?)(strong|em)>")


def _wagtail_html(html: str) -> str:
    return _TAG_RE.sub(lambda m: f"<{m.group(1)}{_TAG_MAP[m.group(2)]}>", html.strip())


@transaction.atomic
def hour_categories_load(*, categories: list[dict], report: LoadReport) -> None:
    for position, spec in enumerate(categories):
        _, created = HourCategory.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "description": spec.get("description", ""),
                "sort_order": (position + 1) * 10,
            },
        )
        if created:
            report.add(f"hour category {spec['name']}")


def _rule_common(rule: dict) -> dict:
    return {
        "source_citation": rule["source_citation"],
        "effective_date": datetime.date.fromisoformat(rule["effective_date"]),
        "sort_order": rule.get("sort_order", 0),
    }


@transaction.atomic
def document_kinds_load(*, kinds: list[dict], report: LoadReport) -> None:
    """The kinds of document the checklists ask for; matched by slug."""
    for position, spec in enumerate(kinds):
        _, created = DocumentKind.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "description": spec.get("description", ""),
                "is_sensitive": spec.get("sensitive", False),
                "records_training": spec.get("training", False),
                "source_citation": spec["source_citation"],
                "sort_order": (position + 1) * 10,
            },
        )
        if created:
            report.add(f"document kind {spec['name']}")


@transaction.atomic
def credentials_load(*, credentials: list[dict], report: LoadReport) -> None:
    """Create missing credentials and rules; rules edited in the admin are kept.

    Each rule is matched by what identifies it (its credential and kind, and
    its category for a per-category minimum), never by figures an
    administrator may have changed. Rules that name a course ("modules") wait
    for the curricula: ``course_requirements_load`` makes them.
    """
    for spec in credentials:
        credential, created = Credential.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                key: spec.get(key, "")
                for key in ("name", "authority", "regulation", "description")
            },
        )
        if created:
            report.add(f"credential {credential.name}")
        for rule in spec.get("requirements", []):
            kind = rule.get("kind", HourEntry.Kind.TRAINING)
            if rule["type"] == "hours":
                category = HourCategory.objects.get(slug=rule["category"])
                _, created = HoursRequirement.objects.get_or_create(
                    credential=credential,
                    category=category,
                    kind=kind,
                    defaults={
                        "minimum_hours": Decimal(rule["minimum_hours"]),
                        **_rule_common(rule),
                    },
                )
            elif rule["type"] == "total_hours":
                _, created = TotalHoursRequirement.objects.get_or_create(
                    credential=credential,
                    kind=kind,
                    defaults={
                        "minimum_hours": Decimal(rule["minimum_hours"]),
                        **_rule_common(rule),
                    },
                )
            elif rule["type"] == "age":
                _, created = AgeRequirement.objects.get_or_create(
                    credential=credential,
                    defaults={
                        "minimum_age": int(rule["minimum_age"]),
                        **_rule_common(rule),
                    },
                )
            elif rule["type"] == "modules":
                continue
            elif rule["type"] == "document":
                _, created = DocumentRequirement.objects.get_or_create(
                    credential=credential,
                    document_kind=DocumentKind.objects.get(slug=rule["document_kind"]),
                    defaults=_rule_common(rule),
                )
            elif rule["type"] == "suicide_prevention":
                _, created = SuicidePreventionRequirement.objects.get_or_create(
                    credential=credential,
                    defaults={
                        "document_kind": DocumentKind.objects.get(
                            slug=rule["document_kind"]
                        ),
                        "minimum_hours": Decimal(rule["minimum_hours"]),
                        "screening_hours": Decimal(rule["screening_hours"]),
                        "valid_years": int(rule["valid_years"]),
                        **_rule_common(rule),
                    },
                )
                if created and rule.get("replaces_category"):
                    # The earlier rule counted these hours as training hours
                    # of one category; the certificate rule replaces it.
                    HoursRequirement.objects.filter(
                        credential=credential,
                        category__slug=rule["replaces_category"],
                        kind=HourEntry.Kind.TRAINING,
                    ).delete()
            elif rule["type"] == "references":
                _, created = ReferenceRequirement.objects.get_or_create(
                    credential=credential,
                    defaults={
                        "minimum_letters": int(rule.get("minimum_letters", 2)),
                        **_rule_common(rule),
                    },
                )
            elif rule["type"] in CHECKLIST_RULE_TYPES:
                _, created = CHECKLIST_RULE_TYPES[rule["type"]].objects.get_or_create(
                    credential=credential, defaults=_rule_common(rule)
                )
            else:
                raise ValueError(f"Unknown requirement type {rule['type']!r}")
            if created:
                report.add(f"requirement {rule['type']} for {credential.slug}")


@transaction.atomic
def course_requirements_load(*, credentials: list[dict], report: LoadReport) -> None:
    """Create the missing rules that name a course: its modules completed
    (every published module, or the slugs listed). Run after the curricula."""
    for spec in credentials:
        credential = Credential.objects.get(slug=spec["slug"])
        for rule in spec.get("requirements", []):
            if rule["type"] != "modules":
                continue
            course = CoursePage.objects.get(slug=rule["course"])
            requirement, created = ModuleCompletionRequirement.objects.get_or_create(
                credential=credential, course=course, defaults=_rule_common(rule)
            )
            if created:
                if rule.get("modules"):
                    requirement.modules.set(
                        ModulePage.objects.child_of(course).filter(
                            slug__in=rule["modules"]
                        )
                    )
                report.add(f"requirement modules for {credential.slug}")


@transaction.atomic
def course_completion_load(*, courses: list[dict], report: LoadReport) -> None:
    """Create the missing rules of each course's completion rule. A rule is
    matched by its course and type (and category for an hours rule), never
    by figures an administrator may have changed. Run after the curricula."""
    for spec in courses:
        course = CoursePage.objects.filter(slug=spec["course"]).first()
        if course is None:
            continue
        for rule in spec.get("requirements", []):
            kind = rule.get("kind", HourEntry.Kind.TRAINING)
            owner = {"completion_of": course, "credential": None}
            if rule["type"] == "modules":
                requirement, created = (
                    ModuleCompletionRequirement.objects.get_or_create(
                        **owner, course=course, defaults=_rule_common(rule)
                    )
                )
                if created and rule.get("modules"):
                    requirement.modules.set(
                        ModulePage.objects.child_of(course).filter(
                            slug__in=rule["modules"]
                        )
                    )
            elif rule["type"] == "age":
                _, created = AgeRequirement.objects.get_or_create(
                    **owner,
                    defaults={
                        "minimum_age": int(rule["minimum_age"]),
                        **_rule_common(rule),
                    },
                )
            elif rule["type"] == "hours":
                _, created = HoursRequirement.objects.get_or_create(
                    **owner,
                    category=HourCategory.objects.get(slug=rule["category"]),
                    kind=kind,
                    defaults={
                        "minimum_hours": Decimal(rule["minimum_hours"]),
                        **_rule_common(rule),
                    },
                )
            elif rule["type"] == "total_hours":
                _, created = TotalHoursRequirement.objects.get_or_create(
                    **owner,
                    kind=kind,
                    defaults={
                        "minimum_hours": Decimal(rule["minimum_hours"]),
                        **_rule_common(rule),
                    },
                )
            else:
                raise ValueError(f"Unknown requirement type {rule['type']!r}")
            if created:
                report.add(f"completion rule {rule['type']} for {course.slug}")


def course_index_ensure(
    *, home: HomePage, spec: dict, report: LoadReport
) -> CourseIndexPage:
    index = CourseIndexPage.objects.child_of(home).first()
    if index is None:
        index = page_publish_child(
            parent=home,
            page=CourseIndexPage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec.get("summary", ""),
                intro=_wagtail_html(spec.get("intro", "")),
                show_in_menus=True,
            ),
        )
        report.add("course catalogue")
    return index


def _lesson_body(blocks: list[dict]) -> list[dict]:
    body = []
    for block in blocks:
        kind = block["type"]
        if kind == "text":
            value = _wagtail_html(block["value"])
        elif kind == "heading":
            value = {"text": block["value"], "level": "h2"}
        elif kind == "key_point":
            value = {"title": block["title"], "text": block["text"]}
        elif kind == "activity":
            value = {
                "title": block["title"],
                "minutes": block.get("minutes"),
                "instructions": _wagtail_html(block["instructions"]),
            }
        elif kind == "reflection":
            value = {"prompt": block["prompt"]}
        else:
            raise ValueError(f"Unknown lesson block type {kind!r}")
        body.append({"type": kind, "value": value})
    return body


@transaction.atomic
def curriculum_load(
    *, index: CourseIndexPage, data: dict, report: LoadReport
) -> CoursePage:
    """Create a course and whatever of its modules and lessons is missing.

    Pages are matched by slug under their parent, so a rerun adds nothing and
    never overwrites what trainers have edited since.
    """
    spec = data["course"]
    course = CoursePage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if course is None:
        course = page_publish_child(
            parent=index,
            page=CoursePage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec.get("summary", ""),
                intro=_wagtail_html(spec.get("intro", "")),
                credential=Credential.objects.filter(
                    slug=spec.get("credential")
                ).first(),
                is_sample=True,
            ),
        )
        report.add(f"course {course.title}")
    categories = {category.slug: category for category in HourCategory.objects.all()}
    for module_spec in data.get("modules", []):
        module = (
            ModulePage.objects.child_of(course).filter(slug=module_spec["slug"]).first()
        )
        if module is None:
            module = page_publish_child(
                parent=course,
                page=ModulePage(
                    title=module_spec["title"],
                    slug=module_spec["slug"],
                    summary=module_spec.get("summary", ""),
                    credit_hours=Decimal(module_spec["credit_hours"]),
                    hour_category=categories[module_spec["hour_category"]],
                    delivery=module_spec.get("delivery", ModulePage.Delivery.ONLINE),
                    objectives=[
                        {"type": "objective", "value": text}
                        for text in module_spec.get("objectives", [])
                    ],
                ),
            )
            report.add(f"module {module.title}")
        existing = set(module.get_children().values_list("slug", flat=True))
        for lesson_spec in module_spec.get("lessons", []):
            if lesson_spec["slug"] in existing:
                continue
            page_publish_child(
                parent=module,
                page=LessonPage(
                    title=lesson_spec["title"],
                    slug=lesson_spec["slug"],
                    summary=lesson_spec.get("summary", ""),
                    duration_minutes=lesson_spec.get("minutes"),
                    body=_lesson_body(lesson_spec.get("body", [])),
                ),
            )
            report.add(f"lesson {lesson_spec['title']}")
    return course


@transaction.atomic
def demo_cohorts_load(*, report: LoadReport, today: datetime.date) -> None:
    """Demo cohorts taught by the demo trainer, with the demo trainee seated in
    one of them, so every page has something to show. Demo data only."""
    from cms.models import User

    from .models import Cohort, CohortSeat, CourseTrainer
    from .services import enrollment_ensure, seat_confirm

    trainer = User.objects.filter(email="trainer@example.org").first()
    trainee = User.objects.filter(email="trainee@example.org").first()
    if trainer is None or trainee is None:
        return
    plans = [
        (
            "alcohol-drug-peer-support",
            "Frankfort weekday cohort",
            12,
            ["ethics-foundations", "advocacy-self-and-peer"],
            True,
        ),
        (
            "kps",
            "Louisville KPS week",
            16,
            ["day-1", "day-2", "day-3", "day-4", "day-5"],
            False,
        ),
    ]
    for course_slug, name, capacity, module_slugs, seat_trainee in plans:
        course = CoursePage.objects.filter(slug=course_slug).first()
        if course is not None:
            # An administrator's assignment: the demo trainer may start
            # cohorts of the demo courses.
            CourseTrainer.objects.get_or_create(course=course, trainer=trainer)
        if course is None or Cohort.objects.filter(name=name).exists():
            continue
        start = today + datetime.timedelta(days=7)
        cohort = Cohort.objects.create(
            course=course,
            name=name,
            start_date=start,
            end_date=start + datetime.timedelta(days=len(module_slugs) + 2),
            location="275 E. Main Street, Frankfort, KY"
            if "Frankfort" in name
            else "Louisville, KY",
            capacity=capacity,
        )
        cohort.trainers.add(trainer)
        for offset, slug in enumerate(module_slugs):
            session = cohort.sessions.create(
                date=start + datetime.timedelta(days=offset),
                start_time=datetime.time(9, 0),
                end_time=datetime.time(15, 0),
            )
            session.modules.set(ModulePage.objects.child_of(course).filter(slug=slug))
        if seat_trainee:
            enrollment_ensure(trainee=trainee, course=course)
            seat = CohortSeat.objects.create(cohort=cohort, trainee=trainee)
            seat_confirm(seat=seat, by=trainer)
        report.add(f"cohort {name}")
