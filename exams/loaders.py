"""Loading the sample question bank and exams (idempotent)."""

from __future__ import annotations

import datetime
import tomllib
from decimal import Decimal

from django.db import transaction

from courses.models import CoursePage, Credential

from .models import (
    BlueprintRule,
    OralExam,
    OralExamPassedRequirement,
    Question,
    QuestionCategory,
    Rubric,
    RubricCriterion,
    WrittenExam,
    WrittenExamPassedRequirement,
)
from .services import questions_import


@transaction.atomic
def exam_fixtures_load(*, report, fixtures_dir, **_kwargs) -> None:
    """Questions are matched by key and created only when missing, so a
    trainer's later edits survive; exams are matched by course and title, and
    an exam's credential rule by credential and exam."""
    for path in sorted((fixtures_dir / "questions").glob("*.toml")):
        with path.open("rb") as handle:
            questions = tomllib.load(handle)["questions"]
        missing = [q for q in questions if not Question.objects.filter(key=q["key"])]
        if missing:
            questions_import(questions=[{"status": "active", **q} for q in missing])
            report.add(f"{len(missing)} questions from {path.name}")
    exams_file = fixtures_dir / "exams.toml"
    if exams_file.exists():
        _written_exams_load(exams_file=exams_file, report=report)
    oral_file = fixtures_dir / "oral_exams.toml"
    if oral_file.exists():
        oral_exams_load(oral_file=oral_file, report=report)


def _written_exams_load(*, exams_file, report) -> None:
    with exams_file.open("rb") as handle:
        exams = tomllib.load(handle)["exams"]
    for spec in exams:
        course = CoursePage.objects.filter(slug=spec["course"]).first()
        if course is None:
            continue
        exam = WrittenExam.objects.filter(course=course, title=spec["title"]).first()
        if exam is None:
            exam = _exam_create(course=course, spec=spec)
            report.add(f"exam {exam.title}")
        if "completion_requirement" in spec:
            _exam_requirement_ensure(
                exam=exam,
                spec=spec["completion_requirement"],
                report=report,
                completion_of=course,
            )
        if "credential_requirement" in spec:
            _exam_requirement_ensure(
                exam=exam, spec=spec["credential_requirement"], report=report
            )


def _exam_create(*, course: CoursePage, spec: dict) -> WrittenExam:
    exam = WrittenExam.objects.create(
        course=course,
        title=spec["title"],
        instructions=spec.get("instructions", ""),
        time_limit_minutes=spec.get("time_limit_minutes"),
        pass_mark_percent=Decimal(spec["pass_mark_percent"]),
        attempts_allowed=spec.get("attempts_allowed", 1),
        wait_between_attempts_hours=spec.get("wait_between_attempts_hours", 0),
        review=spec.get("review", WrittenExam.Review.SCORE_ONLY),
        is_published=spec.get("published", False),
    )
    for order, rule in enumerate(spec.get("blueprint", [])):
        BlueprintRule.objects.create(
            exam=exam,
            category=QuestionCategory.objects.get(name=rule["category"]),
            count=rule["count"],
            sort_order=order,
        )
    return exam


def _exam_requirement_ensure(
    *, exam: WrittenExam, spec: dict, report, completion_of=None
) -> None:
    """The rule "pass this exam" of a credential (or, with ``completion_of``,
    of that course's completion rule), made once: the courses fixtures
    cannot name an exam, so the exams fixtures add it."""
    credential = (
        None
        if completion_of is not None
        else Credential.objects.get(slug=spec["credential"])
    )
    _, created = WrittenExamPassedRequirement.objects.get_or_create(
        credential=credential,
        completion_of=completion_of,
        exam=exam,
        defaults={
            "source_citation": spec["source_citation"],
            "effective_date": datetime.date.fromisoformat(spec["effective_date"]),
            "sort_order": spec.get("sort_order", 0),
        },
    )
    if created:
        owner = credential.slug if credential else f"completion of {exam.course.slug}"
        report.add(f"requirement written exam for {owner}")


def oral_exams_load(*, oral_file, report) -> None:
    """Rubrics are matched by title and oral exams by course and title, each
    created only when missing, so edits made in the admin survive."""
    with oral_file.open("rb") as handle:
        data = tomllib.load(handle)
    for spec in data.get("rubrics", []):
        if not Rubric.objects.filter(title=spec["title"]).exists():
            _rubric_create(spec=spec)
            report.add(f"rubric {spec['title']}")
    for spec in data.get("oral_exams", []):
        course = CoursePage.objects.filter(slug=spec["course"]).first()
        if (
            course is None
            or OralExam.objects.filter(course=course, title=spec["title"]).exists()
        ):
            continue
        written = (
            WrittenExam.objects.filter(
                course=course, title=spec["written_exam"]
            ).first()
            if spec.get("written_exam")
            else None
        )
        OralExam.objects.create(
            course=course,
            title=spec["title"],
            rubric=Rubric.objects.get(title=spec["rubric"]),
            written_exam=written,
            instructions=spec.get("instructions", ""),
            duration_minutes=spec["duration_minutes"],
            examiners_per_sitting=spec["examiners_per_sitting"],
            pass_percent=Decimal(spec["pass_percent"]),
            attempts_allowed=spec.get("attempts_allowed", 1),
            wait_between_attempts_hours=spec.get("wait_between_attempts_hours", 0),
            booking_opens_hours=spec.get("booking_opens_hours", 720),
            booking_closes_hours=spec.get("booking_closes_hours", 24),
            cancellation_hours=spec.get("cancellation_hours", 48),
            release=spec.get("release", OralExam.Release.AT_ONCE),
            is_published=spec.get("published", False),
        )
        report.add(f"oral exam {spec['title']}")
    for spec in data.get("oral_exams", []):
        if "credential_requirement" in spec:
            _oral_requirement_ensure(spec=spec, report=report)
        if "completion_requirement" in spec:
            _oral_requirement_ensure(spec=spec, report=report, completion=True)


def _oral_requirement_ensure(*, spec: dict, report, completion: bool = False) -> None:
    """The credential rule "pass this oral exam", made once, as for the
    written exam; kept, never overwritten, once it exists."""
    oral_exam = OralExam.objects.filter(
        course__slug=spec["course"], title=spec["title"]
    ).first()
    if oral_exam is None:
        return
    if completion:
        rule = spec["completion_requirement"]
        credential, completion_of = None, oral_exam.course
    else:
        rule = spec["credential_requirement"]
        credential = Credential.objects.get(slug=rule["credential"])
        completion_of = None
    _, created = OralExamPassedRequirement.objects.get_or_create(
        credential=credential,
        completion_of=completion_of,
        oral_exam=oral_exam,
        defaults={
            "source_citation": rule["source_citation"],
            "effective_date": datetime.date.fromisoformat(rule["effective_date"]),
            "sort_order": rule.get("sort_order", 0),
        },
    )
    if created:
        owner = credential.slug if credential else f"completion of {spec['course']}"
        report.add(f"requirement oral exam for {owner}")


def _rubric_create(*, spec: dict) -> Rubric:
    rubric = Rubric.objects.create(
        title=spec["title"], description=spec.get("description", "")
    )
    for order, criterion in enumerate(spec["criteria"]):
        row = RubricCriterion(
            rubric=rubric,
            sort_order=order,
            title=criterion["title"],
            description=criterion.get("description", ""),
            weight=Decimal(criterion.get("weight", "1")),
            critical_floor=criterion.get("critical_floor"),
            levels=[
                (
                    "level",
                    {
                        "points": level["points"],
                        "label": level["label"],
                        "descriptor": level["descriptor"],
                    },
                )
                for level in criterion["levels"]
            ],
        )
        row.full_clean(exclude=["rubric"])
        row.save()
    return rubric


# The demo examiners' panel, and the times (days from the load date, local
# hour and minute) of the sample slots they publish.
DEMO_EXAMINERS = ("examiner@example.org", "examiner2@example.org")
DEMO_SLOT_TIMES = [(3, 10, 0), (3, 11, 0), (4, 13, 30), (5, 10, 0), (5, 14, 0)]


@transaction.atomic
def oral_demo_slots_load(*, report, today: datetime.date, **_kwargs) -> None:
    """Sample slots of the KPS oral test for the two demo examiners, a few
    days after the load date so they can be booked. Demo data only: created
    when the demo examiners have no upcoming slot of that exam."""
    from django.utils import timezone

    from cms.models import User

    from .models import Slot

    examiners = [User.objects.filter(email=email).first() for email in DEMO_EXAMINERS]
    exam = OralExam.objects.filter(course__slug="kps", title="KPS oral test").first()
    if exam is None or None in examiners:
        return
    lead = examiners[0]
    if Slot.objects.filter(
        oral_exam=exam, examiners=lead, starts_at__gte=timezone.now()
    ).exists():
        return
    for index, (days, hour, minute) in enumerate(DEMO_SLOT_TIMES):
        slot = Slot.objects.create(
            oral_exam=exam,
            starts_at=timezone.make_aware(
                datetime.datetime.combine(
                    today + datetime.timedelta(days=days), datetime.time(hour, minute)
                )
            ),
            duration_minutes=exam.duration_minutes,
            place="" if index == 2 else "275 E. Main Street, Frankfort, KY, room 2",
            video_link="https://meet.example.org/kps-oral-demo" if index == 2 else "",
            capacity=1,
            lead_examiner=lead,
            created_by=lead,
        )
        slot.examiners.set(examiners[: exam.examiners_per_sitting])
    report.add(f"{len(DEMO_SLOT_TIMES)} oral-exam slots")
