"""The question bank as data: importing question dicts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cms import audit

from ..models import Question, QuestionCategory, question_type


@dataclass
class ImportReport:
    created: int
    updated: int


@transaction.atomic
def questions_import(
    *, questions: list[dict], by=None, source: str = ""
) -> ImportReport:
    """Create or update questions from import dicts, all or nothing.

    A question with a key replaces the question with that key (its type may
    not change); one without a key is always new. Callers validate the rows
    first and report every problem; this still refuses anything inconsistent.
    """
    created = updated = 0
    keys = []
    categories = {c.name: c for c in QuestionCategory.objects.all()}
    for data in questions:
        category = categories.get(data["category"])
        if category is None:
            category = QuestionCategory.objects.create(name=data["category"])
            categories[category.name] = category
        cls = question_type(data["type"])
        existing = (
            Question.objects.filter(key=data["key"]).first()
            if data.get("key")
            else None
        )
        if existing is not None and type(existing) is not cls:
            raise ValidationError(
                _("Question '%(key)s' is a %(old)s question; it cannot become %(new)s.")
                % {"key": data["key"], "old": existing.type_code, "new": data["type"]}
            )
        question = existing or cls()
        question.key = data.get("key") or None
        question.category = category
        question.title = data.get("title", "")
        question.text = data["text"]
        question.text_format = data.get("text_format") or Question.TextFormat.PLAIN
        question.points = Decimal(str(data.get("points", "1")))
        question.general_feedback = data.get("general_feedback", "")
        question.status = data.get("status", Question.Status.ACTIVE)
        question.set_answers(data)
        question.full_clean()
        question.save()
        if existing is None:
            created += 1
        else:
            updated += 1
        keys.append(question.key or f"#{question.pk}")
    audit.record(
        "questions.imported",
        actor=by,
        source=source,
        created=created,
        updated=updated,
        questions=keys,
    )
    return ImportReport(created=created, updated=updated)
