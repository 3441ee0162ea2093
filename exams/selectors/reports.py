"""Item analysis: how each question and the whole exam performed."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Attempt, AttemptQuestion, WrittenExam


@dataclass
class ItemRow:
    question_id: int | None
    label: str
    category: str
    type_code: str
    stats: object
    frequencies: list[tuple[str, int, bool]]  # choice text, count, is correct


@dataclass
class ItemAnalysis:
    attempts: int
    items: list[ItemRow]
    test: object


def exam_item_analysis(*, exam: WrittenExam) -> ItemAnalysis:
    """Facility, discrimination, choice frequencies and reliability over the
    exam's graded attempts, in three queries whatever the size.

    Blueprints draw questions at random, so no two attempts need share a
    question. Item statistics therefore follow each bank question over the
    attempts that drew it, measured against the rest of each of those
    attempts; test statistics (reliability, distribution) treat each
    position in the attempt as an item, as Moodle does for random slots.
    """
    from ..analysis import choice_frequencies, item_statistics, test_statistics

    attempts = list(
        Attempt.objects.filter(exam=exam, state=Attempt.State.GRADED).order_by("pk")
    )
    rows = list(
        AttemptQuestion.objects.filter(attempt__in=attempts)
        .select_related("response")
        .order_by("attempt_id", "position")
    )
    totals = {attempt.pk: float(attempt.score or 0) for attempt in attempts}
    maxima = {attempt.pk: float(attempt.max_score) for attempt in attempts}
    by_position: dict[int, dict[int, float]] = {}
    position_points: dict[int, float] = {}
    columns: dict[int | None, dict] = {}
    for row in rows:
        score = float(row.response.score or 0)
        by_position.setdefault(row.position, {})[row.attempt_id] = score
        position_points[row.position] = max(
            position_points.get(row.position, 0.0), float(row.points)
        )
        column = columns.setdefault(
            row.question_id,
            {
                "label": row.content["text"][:120],
                "category": row.category_name,
                "type": row.content["type"],
                "points": float(row.points),
                "pairs": [],
                "answers": [],
                "choices": {},
                "correct": set(),
            },
        )
        column["pairs"].append(
            (
                [score, totals[row.attempt_id] - score],
                maxima[row.attempt_id] - float(row.points),
            )
        )
        _collect_choices(column, row)
    items = []
    ordered = sorted(
        columns.items(), key=lambda item: (item[1]["category"], item[0] or 0)
    )
    for question_id, column in ordered:
        rest_max = max((rest for _pair, rest in column["pairs"]), default=0.0)
        (item_stats, _rest) = item_statistics(
            scores=[pair for pair, _rest in column["pairs"]],
            max_points=[column["points"], rest_max or 1.0],
        )
        frequencies = []
        if column["choices"]:
            counts = choice_frequencies(
                answers=column["answers"], choices=list(column["choices"])
            )
            frequencies = [
                (text, counts.get(choice_id, 0), choice_id in column["correct"])
                for choice_id, text in column["choices"].items()
            ]
            frequencies.append(("(no answer)", counts.get("", 0), False))
        items.append(
            ItemRow(
                question_id=question_id,
                label=column["label"],
                category=column["category"],
                type_code=column["type"],
                stats=item_stats,
                frequencies=frequencies,
            )
        )
    positions = sorted(by_position)
    matrix = [
        [by_position[position].get(attempt.pk) for position in positions]
        for attempt in attempts
    ]
    return ItemAnalysis(
        attempts=len(attempts),
        items=items,
        test=test_statistics(
            scores=matrix, max_points=[position_points[p] for p in positions]
        ),
    )


def _collect_choices(column: dict, row: AttemptQuestion) -> None:
    """Which option each attempt picked, for choice-frequency tables; the
    question's type says what its options are."""
    question_class = row.question_class
    options = question_class.frequency_options(row.content, row.key)
    if not options:
        return
    column["answers"].append(question_class.frequency_pick(row.response.answer))
    for option_id, text, correct in options:
        column["choices"][option_id] = text
        if correct:
            column["correct"].add(option_id)
