"""Reads of the question bank."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
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


#: How long a drawn question is kept whole in the cache. An edit is seen at
#: once however long this is: the draw compares each cached copy with the
#: question's ``updated_at``, and saving or deleting a question forgets it.
QUESTION_CACHE_SECONDS = 60 * 60


def question_cache_key(pk: int) -> str:
    return f"exams:question:{pk}"


def questions_whole(
    picked: Iterable[tuple[int, int, datetime]],
) -> dict[int, Question]:
    """Each picked question, by id, as its own type: from the cache when the
    copy there is as new as the question (``updated_at``), the rest in one
    query per question type, then cached for the next draw.

    ``picked`` holds (id, ``polymorphic_ctype_id``, ``updated_at``) as the
    pool query read them. On an exam day every start draws 50 questions from
    the same bank, and loading them whole (one joined query per type) was a
    quarter of a start's time (``benchmarks/save_profile.py``).
    """
    picked = list(picked)
    cached = cache.get_many([question_cache_key(pk) for pk, _type, _at in picked])
    questions: dict[int, Question] = {}
    missing: dict[int, list[int]] = {}
    for pk, content_type_id, updated_at in picked:
        copy = cached.get(question_cache_key(pk))
        if copy is not None and copy[0] == updated_at:
            questions[pk] = copy[1]
        else:
            missing.setdefault(content_type_id, []).append(pk)
    loaded: dict[int, Question] = {}
    for content_type_id, pks in missing.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        loaded.update(model.objects.non_polymorphic().order_by().in_bulk(pks))
    if loaded:
        cache.set_many(
            {
                question_cache_key(pk): (question.updated_at, question)
                for pk, question in loaded.items()
            },
            QUESTION_CACHE_SECONDS,
        )
    return questions | loaded


def forget_cached_question(sender, instance, **kwargs) -> None:
    """Connected to every model's ``post_save`` and ``post_delete``: a saved or
    deleted question leaves the cache, so an edit is drawn at once even when
    it kept ``updated_at`` (a fixture load, a clock that stands still)."""
    if isinstance(instance, Question):
        cache.delete(question_cache_key(instance.pk))


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
