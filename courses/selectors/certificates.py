"""Completion and certificates: how far a trainee is with a course's
completion rule, who is due a certificate, which ledger rows a certificate
covers, and the certificates a page lists."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from cms.models import User

from ..models import (
    Certificate,
    CohortSeat,
    CoursePage,
    Enrollment,
    HourCategory,
    HourEntry,
    ModulePage,
    Requirement,
    RequirementFacts,
    certificate_code_normalise,
    requirements_prepare,
)
from .credentials import RequirementStatus


@dataclass
class CompletionProgress:
    """A course's completion rule measured for one trainee."""

    course: CoursePage
    requirements: list[RequirementStatus]

    @property
    def is_met(self) -> bool:
        """Met only when the course has a rule and every part of it is met."""
        return bool(self.requirements) and all(
            item.progress.met for item in self.requirements
        )

    @property
    def missing(self) -> list[RequirementStatus]:
        return [item for item in self.requirements if not item.progress.met]


def course_completion(
    *,
    trainee: User,
    courses: Iterable[CoursePage],
    today: datetime.date | None = None,
) -> list[CompletionProgress]:
    """Each course's completion rule, every requirement measured for the
    trainee; a fixed number of queries whatever the number of rules."""
    courses = list(courses)
    if not courses:
        return []
    rules = list(
        Requirement.objects.filter(completion_of__in=courses).order_by(
            "sort_order", "pk"
        )
    )
    facts = RequirementFacts(trainee, today=today)
    requirements_prepare(rules, facts=facts)
    by_course: dict[int, list[Requirement]] = defaultdict(list)
    for rule in rules:
        by_course[rule.completion_of_id].append(rule)
    return [
        CompletionProgress(
            course=course,
            requirements=[
                RequirementStatus(
                    requirement=rule,
                    description=str(rule.describe()),
                    progress=rule.progress(trainee, facts=facts),
                )
                for rule in by_course[course.pk]
            ],
        )
        for course in courses
    ]


def courses_with_completion_rules() -> QuerySet[CoursePage]:
    return CoursePage.objects.filter(
        pk__in=Requirement.objects.filter(completion_of__isnull=False).values(
            "completion_of_id"
        )
    )


def courses_awaiting_certificate(*, trainee: User) -> list[CoursePage]:
    """Courses with a completion rule that the trainee is enrolled in and
    holds no valid certificate of: the ones an event may complete."""
    return list(
        courses_with_completion_rules()
        .filter(
            enrollments__trainee=trainee,
            enrollments__status=Enrollment.Status.ACTIVE,
        )
        .exclude(
            certificates__trainee=trainee,
            certificates__status=Certificate.Status.VALID,
        )
        .order_by("path")
    )


@dataclass(frozen=True)
class DueCertificate:
    trainee: User
    course: CoursePage


def certificates_due(*, today: datetime.date | None = None) -> list[DueCertificate]:
    """Every enrolled trainee who meets a course's completion rule and holds
    no valid certificate of it: the sweep's and the admin's list.

    The rules are measured per trainee (each requirement type reads the
    trainee's facts), so this costs a few queries per enrolled trainee; it
    is for the admin list and the nightly sweep, not for a trainee's page.
    """
    courses = list(courses_with_completion_rules())
    if not courses:
        return []
    enrollments = (
        Enrollment.objects.filter(course__in=courses, status=Enrollment.Status.ACTIVE)
        .select_related("trainee")
        .order_by("trainee__legal_name", "trainee_id")
    )
    by_trainee: dict[int, list[int]] = defaultdict(list)
    trainees: dict[int, User] = {}
    for enrollment in enrollments:
        by_trainee[enrollment.trainee_id].append(enrollment.course_id)
        trainees[enrollment.trainee_id] = enrollment.trainee
    held = set(
        Certificate.objects.filter(
            trainee_id__in=list(trainees), status=Certificate.Status.VALID
        ).values_list("trainee_id", "course_id")
    )
    course_by_id = {course.pk: course for course in courses}
    due = []
    for trainee_id, course_ids in by_trainee.items():
        wanted = [course_by_id[pk] for pk in course_ids if (trainee_id, pk) not in held]
        for progress in course_completion(
            trainee=trainees[trainee_id], courses=wanted, today=today
        ):
            if progress.is_met:
                due.append(DueCertificate(trainees[trainee_id], progress.course))
    return due


def course_module_ids(course: CoursePage) -> list[int]:
    return list(ModulePage.objects.child_of(course).values_list("pk", flat=True))


def certificate_entries(*, trainee: User, course: CoursePage) -> list[HourEntry]:
    """The ledger rows a certificate of the course covers: the trainee's
    verified training hours credited for the course's modules or its class
    days, each still standing (neither reversed nor a reversal)."""
    return list(
        HourEntry.objects.filter(
            trainee=trainee,
            kind=HourEntry.Kind.TRAINING,
            status=HourEntry.Status.VERIFIED,
            reverses__isnull=True,
            reversed_by__isnull=True,
        )
        .filter(
            Q(module_id__in=course_module_ids(course))
            | Q(session__cohort__course=course)
        )
        .select_related("category")
        .order_by("earned_on", "pk")
    )


def hours_by_topic(entries: Iterable[HourEntry]) -> list[dict]:
    """Hours per category, in the categories' order, as stored on a
    certificate: ``{"category": slug, "name": name, "hours": "6.00"}``."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    categories: dict[int, HourCategory] = {}
    for entry in entries:
        totals[entry.category_id] += entry.hours
        categories[entry.category_id] = entry.category
    ordered = sorted(categories.values(), key=lambda c: (c.sort_order, c.name, c.pk))
    return [
        {
            "category": category.slug,
            "name": category.name,
            "hours": f"{totals[category.pk]:.2f}",
        }
        for category in ordered
        if totals[category.pk] > 0
    ]


def trainee_cohort(*, trainee: User, course: CoursePage):
    """The cohort of the course the trainee had a confirmed seat in (the
    latest, if several), with its trainers; None for online-only study."""
    seat = (
        CohortSeat.objects.filter(
            trainee=trainee,
            cohort__course=course,
            status=CohortSeat.Status.CONFIRMED,
        )
        .select_related("cohort")
        .order_by("-cohort__start_date", "-pk")
        .first()
    )
    return seat.cohort if seat else None


def trainee_certificates(*, trainee: User) -> list[Certificate]:
    """A trainee's certificates, newest first, in one query."""
    return list(
        Certificate.objects.filter(trainee=trainee)
        .select_related("superseded_by")
        .order_by("-issued_at", "-pk")
    )


def recent_certificates(*, trainee: User, days: int = 30) -> list[Certificate]:
    """The trainee's valid certificates issued in the last ``days`` days, for
    the dashboard; one query."""
    since = timezone.now() - datetime.timedelta(days=days)
    return list(
        Certificate.objects.filter(
            trainee=trainee, status=Certificate.Status.VALID, issued_at__gte=since
        ).order_by("-issued_at", "-pk")
    )


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate with this code as typed (any case, spaces or dashes),
    with what the verify page shows, in one query; None when unknown."""
    normalised = certificate_code_normalise(code)[:64]
    return (
        Certificate.objects.filter(code=normalised)
        .select_related("superseded_by")
        .first()
    )


def certificates_for_review() -> list[Certificate]:
    return list(
        Certificate.objects.filter(needs_review=True)
        .select_related("trainee")
        .order_by("issued_at", "pk")
    )
