"""Loading the sample question bank and exams (idempotent)."""

from __future__ import annotations

import datetime
import tomllib
from decimal import Decimal

from django.db import transaction

from courses.models import CoursePage, Credential

from .models import (
    BlueprintRule,
    Question,
    QuestionCategory,
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
    if not exams_file.exists():
        return
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


def _exam_requirement_ensure(*, exam: WrittenExam, spec: dict, report) -> None:
    """The credential rule "pass this exam", made once: the courses fixtures
    cannot name an exam, so the exams fixtures add it."""
    credential = Credential.objects.get(slug=spec["credential"])
    _, created = WrittenExamPassedRequirement.objects.get_or_create(
        credential=credential,
        exam=exam,
        defaults={
            "source_citation": spec["source_citation"],
            "effective_date": datetime.date.fromisoformat(spec["effective_date"]),
            "sort_order": spec.get("sort_order", 0),
        },
    )
    if created:
        report.add(f"requirement written exam for {credential.slug}")
