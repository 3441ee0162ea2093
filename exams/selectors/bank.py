"""Reads of the question bank."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import ngettext

from ..models import Question, QuestionCategory


@dataclass(frozen=True)
class Shortfall:
    """A blueprint rule that asks a category for more questions than it has
    active, so no attempt could be drawn."""

    category: QuestionCategory
    have: int
    need: int

    def __str__(self) -> str:
        return ngettext(
            "%(category)s has %(have)s active question and the exam draws "
            "%(need)s; draw at most that many, or add questions before opening "
            "the exam to trainees.",
            "%(category)s has %(have)s active questions and the exam draws "
            "%(need)s; draw at most that many, or add questions before opening "
            "the exam to trainees.",
            self.have,
        ) % {"category": self.category.name, "have": self.have, "need": self.need}


def blueprint_shortfalls(
    *, rules: Iterable[tuple[QuestionCategory, int]]
) -> list[Shortfall]:
    """Each (category, count) rule that the category's active questions cannot
    fill, in one query however many rules."""
    rules = list(rules)
    if not rules:
        return []
    active = dict(
        Question.objects.non_polymorphic()
        .filter(
            category__in=[category for category, _count in rules],
            status=Question.Status.ACTIVE,
        )
        .values("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    return [
        Shortfall(category=category, have=active.get(category.pk, 0), need=count)
        for category, count in rules
        if count > active.get(category.pk, 0)
    ]
