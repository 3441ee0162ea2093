"""How far an oral exam's examiners agree: the inter-rater agreement report.

The unit of agreement is one criterion of one sitting, scored independently
by two or more examiners (submitted sheets only; drafts and sittings scored
by one examiner say nothing about agreement). Levels are compared by their
position in the criterion's ordered list, never by points, so criteria with
different points compare alike.

- Krippendorff's alpha for ordinal data over every such unit, computed by
  the ``krippendorff`` package (1 is perfect agreement, 0 what chance gives).
- Per criterion, of every pair of examiners scoring the same unit, the
  percent giving the same level (exact) and within one level (adjacent).
- Per examiner, severity: the mean of (their level minus the panel's mean
  level) over the units they scored, with how many sittings it rests on;
  below zero they score harder than their panels, above zero more kindly.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations

import krippendorff
import numpy as np
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from ..models import CriterionScore, OralExam, ScoreSheet, Sitting
from .oral_scoring import level_position

TENTH = Decimal("0.1")


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(TENTH, ROUND_HALF_UP)


@dataclass(frozen=True)
class CriterionAgreement:
    key: str
    title: str
    units: int  # sittings where two or more examiners scored it
    pairs: int  # pairs of examiners scoring the same sitting
    exact: int
    adjacent: int  # within one level, exact included

    @property
    def exact_percent(self) -> Decimal | None:
        return _percent(self.exact, self.pairs)

    @property
    def adjacent_percent(self) -> Decimal | None:
        return _percent(self.adjacent, self.pairs)


@dataclass(frozen=True)
class ExaminerSeverity:
    examiner_id: int
    name: str
    scores: int
    sittings: int
    severity: float  # mean levels from the panel's mean; below 0 is harder

    @property
    def bar_percent(self) -> int:
        """Half the chart's width is one level: how far this bar reaches."""
        return min(100, round(abs(self.severity) * 100))


@dataclass(frozen=True)
class ScoreRow:
    """One examiner's submitted level on one criterion of a sitting."""

    sitting_id: int
    opened_at: object
    criterion: str
    examiner: str
    position: int  # 1 is the lowest level
    label: str
    points: int


@dataclass(frozen=True)
class AgreementReport:
    oral_exam: OralExam
    sittings: int  # sittings scored by two or more examiners
    units: int
    values: int  # criterion scores in those units
    alpha: float | None
    alpha_missing: str  # why there is no alpha, when there is none
    criteria: list[CriterionAgreement]
    examiners: list[ExaminerSeverity]
    rows: list[ScoreRow]


def _ordinal_alpha(units: list[list[int]], positions: int) -> tuple[float | None, str]:
    """Krippendorff's alpha (ordinal) of units given as lists of level
    positions; None with the reason when it cannot be measured."""
    if not units:
        return None, _("No sitting has been scored by two examiners yet.")
    counts = np.zeros((len(units), max(positions, 2)), dtype=int)
    for row, unit in enumerate(units):
        for position in unit:
            counts[row, position] += 1
    if len({position for unit in units for position in unit}) < 2:
        return None, _(
            "Every examiner gave the same level everywhere, so there is no "
            "disagreement for chance to explain."
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        value = float(
            krippendorff.alpha(value_counts=counts, level_of_measurement="ordinal")
        )
    if math.isnan(value):
        return None, _("The scores so far cannot measure agreement.")
    return value, ""


def oral_agreement(*, oral_exam: OralExam) -> AgreementReport:
    """The agreement report of one oral exam, in three queries however many
    sittings, criteria and examiners it has."""
    scores = list(
        CriterionScore.objects.filter(
            sheet__state=ScoreSheet.State.SUBMITTED,
            sheet__sitting__booking__oral_exam=oral_exam,
        )
        .order_by("sheet__sitting_id", "sheet__examiner_id", "criterion_key")
        .values_list(
            "sheet__sitting_id", "sheet__examiner_id", "criterion_key", "points"
        )
    )
    raters: dict[int, set[int]] = defaultdict(set)
    for sitting_id, examiner_id, _key, _points in scores:
        raters[sitting_id].add(examiner_id)
    shared = {pk for pk, ids in raters.items() if len(ids) > 1}
    sittings = {
        pk: (rubric, opened_at)
        for pk, rubric, opened_at in Sitting.objects.filter(pk__in=shared)
        .order_by("opened_at", "pk")
        .values_list("pk", "rubric", "opened_at")
    }
    # The criteria as the latest sitting names them, then any others.
    criteria: dict[str, dict] = {}
    for rubric, _opened in reversed(list(sittings.values())):
        for criterion in rubric["criteria"]:
            criteria.setdefault(criterion["key"], criterion)
    latest_order = list(criteria)

    # (sitting, criterion key) -> {examiner: level position}
    units: dict[tuple[int, str], dict[int, int]] = defaultdict(dict)
    frozen = {
        (pk, criterion["key"]): criterion
        for pk, (rubric, _opened) in sittings.items()
        for criterion in rubric["criteria"]
    }
    rows_raw = []
    for sitting_id, examiner_id, key, points in scores:
        criterion = frozen.get((sitting_id, key))
        if criterion is None:
            continue
        position = level_position(criterion, points)
        if position is None:
            continue
        units[(sitting_id, key)][examiner_id] = position
        rows_raw.append((sitting_id, examiner_id, criterion, position, points))
    units = {unit: levels for unit, levels in units.items() if len(levels) > 1}

    names = {
        user.pk: user.legal_name or user.email
        for user in get_user_model()
        .objects.filter(pk__in={e for levels in units.values() for e in levels})
        .only("pk", "legal_name", "email")
    }

    positions = max(
        (len(criterion["levels"]) for criterion in criteria.values()), default=2
    )
    alpha, missing = _ordinal_alpha(
        [list(levels.values()) for levels in units.values()], positions
    )

    per_criterion: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    diffs: dict[int, list[float]] = defaultdict(list)
    examiner_sittings: dict[int, set[int]] = defaultdict(set)
    for (sitting_id, key), levels in units.items():
        tally = per_criterion[key]
        tally[0] += 1
        for first, second in combinations(levels.values(), 2):
            tally[1] += 1
            tally[2] += first == second
            tally[3] += abs(first - second) <= 1
        mean = sum(levels.values()) / len(levels)
        for examiner_id, position in levels.items():
            diffs[examiner_id].append(position - mean)
            examiner_sittings[examiner_id].add(sitting_id)

    return AgreementReport(
        oral_exam=oral_exam,
        sittings=len({sitting_id for sitting_id, _key in units}),
        units=len(units),
        values=sum(len(levels) for levels in units.values()),
        alpha=alpha,
        alpha_missing=missing,
        criteria=[
            CriterionAgreement(
                key=key,
                title=criteria[key]["title"],
                units=per_criterion[key][0],
                pairs=per_criterion[key][1],
                exact=per_criterion[key][2],
                adjacent=per_criterion[key][3],
            )
            for key in latest_order
        ],
        examiners=sorted(
            (
                ExaminerSeverity(
                    examiner_id=examiner_id,
                    name=names.get(examiner_id, ""),
                    scores=len(values),
                    sittings=len(examiner_sittings[examiner_id]),
                    severity=sum(values) / len(values),
                )
                for examiner_id, values in diffs.items()
            ),
            key=lambda row: (row.severity, row.name),
        ),
        rows=[
            ScoreRow(
                sitting_id=sitting_id,
                opened_at=sittings[sitting_id][1],
                criterion=criterion["title"],
                examiner=names.get(examiner_id, ""),
                position=position + 1,
                label=criterion["levels"][position]["label"],
                points=points,
            )
            for sitting_id, examiner_id, criterion, position, points in rows_raw
            if (sitting_id, criterion["key"]) in units
        ],
    )
