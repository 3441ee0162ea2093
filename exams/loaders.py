"""Loading the sample question bank and exams (idempotent)."""

from __future__ import annotations

import tomllib
from decimal import Decimal

from django.db import transaction

from courses.models import CoursePage

from .models import BlueprintRule, Question, QuestionCategory, WrittenExam
from .services import questions_import


@transaction.atomic
def exam_fixtures_load(*, report, fixtures_dir, **_kwargs) -> None:
    """Questions are matched by key and created only when missing, so a
    trainer's later edits survive; exams are matched by course and title."""
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
        if (
            course is None
            or WrittenExam.objects.filter(course=course, title=spec["title"]).exists()
        ):
            continue
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
        report.add(f"exam {exam.title}")
