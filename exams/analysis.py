"""Item analysis for exams, computed from a plain matrix of scores.

These are the statistics behind a quiz statistics report (as in Moodle's):
per-item facility, spread and discrimination, and whole-test mean, spread,
reliability (Cronbach's alpha / KR-20), standard error of measurement and a
score distribution.

The module is pure standard-library Python and knows nothing about models:
callers build the matrix themselves.

Conventions
-----------
* ``scores[a][i]`` is attempt ``a``'s score on item ``i`` and
  ``max_points[i]`` is the most item ``i`` can score. Values may be ``int``,
  ``float`` or ``Decimal``; they are converted to ``float``.
* ``None`` means *missing*: the item was not in that attempt, or it has not
  been graded yet.

  - Per-item descriptive statistics (``attempts``, ``mean``, ``facility``,
    ``sd``) use every attempt that has a score for that item.
  - Everything that needs a test total (test statistics, reliability, the
    distribution, and both discrimination measures, which compare an item
    with the total) uses only **complete** attempts: rows with no ``None``.
    A missing score is never counted as 0.

* Every variance and standard deviation is the **sample** one (divisor
  ``n - 1``), consistently. Cronbach's alpha is unaffected by the choice
  (the ``n - 1`` cancels), the standard deviations are not.
* A row whose length differs from ``max_points`` is a programming error and
  raises ``ValueError``. Everything else (no attempts, one attempt, zero
  variance, an empty matrix) is an edge case: the affected fields are
  ``None`` and nothing raises.
* Zero variance means all values are equal up to floating-point rounding, so
  that e.g. totals of ``0.1 + 0.2`` and ``0.3`` do not count as spread.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "ItemStats",
    "TestStats",
    "choice_frequencies",
    "item_statistics",
    "test_statistics",
]

# Kelley's upper and lower groups for the discrimination index.
UPPER_LOWER_FRACTION = 0.27
DISTRIBUTION_BINS = 10

Matrix = Sequence[Sequence[float | None]]


@dataclass(frozen=True)
class ItemStats:
    """Statistics for one item (one column of the score matrix).

    ``mean`` is 0.0 when no attempt scored the item (``attempts == 0``);
    the other statistics are then ``None``.
    """

    index: int
    """Column index of the item."""
    attempts: int
    """Number of attempts that have a (non-``None``) score for this item."""
    mean: float
    """Mean score on the item over those attempts (0.0 if there are none)."""
    max_points: float
    facility: float | None
    """``mean / max_points``: 0..1 when scores lie in ``[0, max_points]``.

    ``None`` when no attempt scored the item or ``max_points`` is 0."""
    sd: float | None
    """Sample standard deviation (n - 1) of the item score; ``None`` if
    fewer than 2 attempts scored it."""
    discrimination: float | None
    """Corrected item-total correlation: Pearson r between the item score and
    the total of the *other* items, over complete attempts. In -1..1.

    ``None`` with fewer than 3 complete attempts or when either the item
    score or the rest total does not vary."""
    discrimination_index: float | None
    """Upper-lower discrimination index over complete attempts: the mean item
    fraction (score / max_points) in the top 27% by total score minus the
    same in the bottom 27%. In -1..1 when scores lie in ``[0, max_points]``.

    ``None`` with fewer than 4 complete attempts or when ``max_points`` is 0.
    """


@dataclass(frozen=True)
class TestStats:
    """Whole-test statistics, over complete attempts only (rows with no
    ``None``); a missing score is never counted as 0.

    Percentages are ``100 * total / sum(max_points)``. When the test is worth
    0 points in all, the percentage fields are ``None`` and the distribution
    is all zeros.
    """

    __test__ = False  # not a pytest test class, despite the name

    attempts: int
    """Number of complete attempts the statistics are computed from."""
    mean_percent: float | None
    """``None`` with no complete attempts."""
    median_percent: float | None
    """``None`` with no complete attempts."""
    sd_percent: float | None
    """Sample standard deviation (n - 1) of the total percent; ``None`` with
    fewer than 2 complete attempts."""
    reliability: float | None
    """Cronbach's alpha, ``k / (k - 1) * (1 - sum(item variances) /
    variance(total))`` with sample variances; it equals KR-20 when every item
    is scored 0 or max. At most 1, and may be negative.

    ``None`` with fewer than 2 complete attempts, fewer than 2 items, or when
    the total does not vary."""
    sem_percent: float | None
    """Standard error of measurement, ``sd_percent * sqrt(1 - reliability)``;
    ``None`` when either is ``None``."""
    distribution: list[int]
    """Counts of complete attempts in 10 bins of total percent: [0, 10),
    [10, 20), ..., [90, 100]. 100% falls in the last bin; totals below 0% or
    above 100% (penalties, bonus marks) are counted in the first or last bin.
    """


def item_statistics(*, scores: Matrix, max_points: Sequence[float]) -> list[ItemStats]:
    """Per-item statistics, one :class:`ItemStats` per column, in order.

    Descriptive statistics use every attempt that scored the item;
    discrimination uses complete attempts only (see the module docstring).
    Variances are sample variances (n - 1).

    Raises ``ValueError`` if a row's length differs from ``max_points``.
    """
    rows, maxes = _validated(scores, max_points)
    complete = _complete_rows(rows)
    totals = [math.fsum(row) for row in complete]
    upper, lower = _upper_lower_groups(totals)

    result = []
    for i, item_max in enumerate(maxes):
        values = [row[i] for row in rows if row[i] is not None]
        n = len(values)
        mean = _mean(values) if n else 0.0
        facility = mean / item_max if n and item_max != 0 else None
        sd = math.sqrt(_sample_variance(values)) if n >= 2 else None

        item_column = [row[i] for row in complete]
        rest = [total - x for total, x in zip(totals, item_column, strict=True)]
        discrimination = _pearson(item_column, rest) if len(complete) >= 3 else None

        discrimination_index = None
        if upper and item_max != 0:
            upper_mean = _mean([item_column[a] for a in upper])
            lower_mean = _mean([item_column[a] for a in lower])
            discrimination_index = (upper_mean - lower_mean) / item_max

        result.append(
            ItemStats(
                index=i,
                attempts=n,
                mean=mean,
                max_points=item_max,
                facility=facility,
                sd=sd,
                discrimination=discrimination,
                discrimination_index=discrimination_index,
            )
        )
    return result


def test_statistics(*, scores: Matrix, max_points: Sequence[float]) -> TestStats:
    """Whole-test statistics over complete attempts (rows with no ``None``).

    Variances are sample variances (n - 1). Raises ``ValueError`` if a row's
    length differs from ``max_points``.
    """
    rows, maxes = _validated(scores, max_points)
    complete = _complete_rows(rows)
    n = len(complete)
    totals = [math.fsum(row) for row in complete]
    test_max = math.fsum(maxes)

    reliability = _cronbach_alpha(complete, totals, len(maxes))

    distribution = [0] * DISTRIBUTION_BINS
    if test_max > 0 and n:
        percents = [100.0 * total / test_max for total in totals]
        for percent in percents:
            distribution[_bin(percent)] += 1
        mean_percent = _mean(percents)
        median_percent = float(statistics.median(percents))
        sd_percent = math.sqrt(_sample_variance(percents)) if n >= 2 else None
    else:
        mean_percent = median_percent = sd_percent = None

    sem_percent = None
    if sd_percent is not None and reliability is not None:
        sem_percent = sd_percent * math.sqrt(1.0 - reliability)

    return TestStats(
        attempts=n,
        mean_percent=mean_percent,
        median_percent=median_percent,
        sd_percent=sd_percent,
        reliability=reliability,
        sem_percent=sem_percent,
        distribution=distribution,
    )


# Keep pytest from collecting this function when a test module imports it.
test_statistics.__test__ = False  # type: ignore[attr-defined]


def choice_frequencies(
    *, answers: Sequence[str | None], choices: Sequence[str]
) -> dict[str, int]:
    """How many answers picked each choice.

    Keys are the choice ids in ``choices`` order, then ``""`` for unanswered
    (``None`` or the empty string). Every key is present, with 0 if nobody
    picked it. Answers that are not one of ``choices`` are ignored.
    """
    counts = dict.fromkeys(choices, 0)
    counts[""] = 0
    for answer in answers:
        key = "" if answer is None else answer
        if key in counts:
            counts[key] += 1
    return counts


# --- helpers ---------------------------------------------------------------


def _validated(
    scores: Matrix, max_points: Sequence[float]
) -> tuple[list[list[float | None]], list[float]]:
    """Check the matrix shape and convert every number to ``float``."""
    maxes = [float(m) for m in max_points]
    k = len(maxes)
    rows: list[list[float | None]] = []
    for a, row in enumerate(scores):
        if len(row) != k:
            raise ValueError(
                f"scores row {a} has {len(row)} items but max_points has {k}; "
                "every row must have one entry (or None) per item"
            )
        rows.append([None if x is None else float(x) for x in row])
    return rows, maxes


def _complete_rows(rows: list[list[float | None]]) -> list[list[float]]:
    return [
        [x for x in row if x is not None]
        for row in rows
        if all(x is not None for x in row)
    ]


def _mean(values: Sequence[float]) -> float:
    """Arithmetic mean, kept within [min, max] despite rounding. Needs n >= 1."""
    mean = math.fsum(values) / len(values)
    return min(max(mean, min(values)), max(values))


def _is_constant(values: Sequence[float]) -> bool:
    """True if all values are equal up to floating-point rounding."""
    if not values:
        return True
    first = values[0]
    return all(math.isclose(v, first, rel_tol=1e-9, abs_tol=1e-12) for v in values)


def _sample_variance(values: Sequence[float]) -> float:
    """Sample variance (n - 1); 0.0 for constant values. Needs n >= 2."""
    if _is_constant(values):
        return 0.0
    mean = math.fsum(values) / len(values)
    return math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1)


def _pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson r, clamped to [-1, 1]; ``None`` if either side does not vary."""
    if len(xs) < 2 or _is_constant(xs) or _is_constant(ys):
        return None
    mean_x = math.fsum(xs) / len(xs)
    mean_y = math.fsum(ys) / len(ys)
    dx = [x - mean_x for x in xs]
    dy = [y - mean_y for y in ys]
    sxy = math.fsum(a * b for a, b in zip(dx, dy, strict=True))
    sxx = math.fsum(a * a for a in dx)
    syy = math.fsum(b * b for b in dy)
    if sxx <= 0 or syy <= 0:
        return None
    r = sxy / math.sqrt(sxx * syy)
    return max(-1.0, min(1.0, r))


def _cronbach_alpha(
    complete: list[list[float]], totals: list[float], k: int
) -> float | None:
    """Cronbach's alpha with sample variances, capped at 1.

    Alpha cannot exceed 1 mathematically (the variance of a sum of k items is
    at most k times the sum of their variances); the cap only removes
    floating-point overshoot.
    """
    if len(complete) < 2 or k < 2 or _is_constant(totals):
        return None
    total_variance = _sample_variance(totals)
    item_variances = math.fsum(
        _sample_variance([row[i] for row in complete]) for i in range(k)
    )
    alpha = k / (k - 1) * (1.0 - item_variances / total_variance)
    return min(alpha, 1.0)


def _upper_lower_groups(totals: list[float]) -> tuple[list[int], list[int]]:
    """Indices of the top and bottom 27% of attempts by total score.

    Each group has ``round(0.27 * n)`` attempts (at least 1); both are empty
    with fewer than 4 attempts. Ties are broken by attempt order (earlier
    attempts rank higher), so the result is deterministic.
    """
    n = len(totals)
    if n < 4:
        return [], []
    size = max(1, math.floor(UPPER_LOWER_FRACTION * n + 0.5))
    order = sorted(range(n), key=lambda a: -totals[a])  # stable: ties by order
    return order[:size], order[-size:]


def _bin(percent: float) -> int:
    """Distribution bin for a total percent; 100% goes in the last bin."""
    # Round away float noise so that e.g. 19.999999999999996 counts as 20.
    index = math.floor(round(percent, 9) / (100 / DISTRIBUTION_BINS))
    return min(max(index, 0), DISTRIBUTION_BINS - 1)
