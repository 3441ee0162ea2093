"""The oral-exam pass rule: the panel's mean points per criterion, weighted,
as a percent of the weighted maximum, at or above the pass mark, with no
critical criterion below its floor; criteria scored two levels or more
apart wait for the panel's agreed level, which replaces the mean."""

from decimal import Decimal

import pytest

from exams.models import Sitting
from exams.selectors import Agreed, sitting_outcome
from tests.factories import (
    ScoreSheetFactory,
    SittingFactory,
    oral_exam_scored_with,
    oral_rubric,
    panel_of,
    sitting_scored,
)

pytestmark = pytest.mark.django_db


def frozen(criteria, *, mark="70", levels=(1, 2, 3, 4)):
    """A frozen rubric of (weight, critical floor) criteria, keyed c1, c2...,
    each with the levels' points given."""
    return {
        "title": "Rubric",
        "pass_percent": mark,
        "criteria": [
            {
                "key": f"c{n}",
                "title": f"Criterion {n}",
                "description": "",
                "weight": weight,
                "critical_floor": floor,
                "levels": [
                    {"points": p, "label": f"Level {p}", "descriptor": ""}
                    for p in levels
                ],
            }
            for n, (weight, floor) in enumerate(criteria, start=1)
        ],
    }


def sheets(*rows):
    return [{f"c{n}": points for n, points in enumerate(row, start=1)} for row in rows]


# Weights 1, 2 and 1, four levels of 1 to 4 points: the weighted maximum is
# 4 * (1 + 2 + 1) = 16.
THREE = frozen([("1", None), ("2", 2), ("1", None)])


def test_the_panels_mean_weighted_total_at_the_pass_mark_passes():
    # Means 3, 3, 3: 3*1 + 3*2 + 3*1 = 12 of 16 = 75%.
    outcome = sitting_outcome(
        rubric={**THREE, "pass_percent": "75"}, sheets=sheets([3, 3, 3], [3, 3, 3])
    )
    assert outcome.percent == Decimal("75.00")
    assert outcome.passed is True


def test_a_mean_between_levels_counts_as_it_is_and_can_fail_the_total():
    # Criterion 2 scored 2 and 3: mean 2.5, weighted 5. 3 + 5 + 3 = 11 of 16
    # = 68.75%, under the 70% pass mark.
    outcome = sitting_outcome(rubric=THREE, sheets=sheets([3, 2, 3], [3, 3, 3]))
    assert [c.value for c in outcome.criteria] == [3, Decimal("2.5"), 3]
    assert outcome.percent == Decimal("68.75")
    assert outcome.passed is False
    assert outcome.failed_criteria == []


def test_a_critical_criterion_below_its_floor_fails_whatever_the_total():
    # Weights 3, 1 (critical below 2) and 3: maximum 28. Criteria 1 and 3 at
    # 4 give 24, criterion 2's mean 1.5 gives 1.5: 25.5 of 28 = 91.07%.
    rubric = frozen([("3", None), ("1", 2), ("3", None)])
    outcome = sitting_outcome(rubric=rubric, sheets=sheets([4, 1, 4], [4, 2, 4]))
    assert outcome.percent == Decimal("91.07")
    assert outcome.passed is False
    (failed,) = outcome.failed_criteria
    assert (failed.key, failed.value, failed.below_floor) == (
        "c2",
        Decimal("1.5"),
        True,
    )
    # The level a trainee is shown for it is the one its mean reaches: 1.
    assert failed.level["points"] == 1


def test_a_critical_criterion_at_its_floor_passes_it():
    rubric = frozen([("3", None), ("1", 2), ("3", None)])
    outcome = sitting_outcome(rubric=rubric, sheets=sheets([4, 2, 4], [4, 2, 4]))
    assert outcome.passed is True
    assert outcome.failed_criteria == []


def test_criteria_two_levels_apart_wait_for_agreement_and_one_apart_do_not():
    outcome = sitting_outcome(rubric=THREE, sheets=sheets([1, 2, 3], [3, 3, 4]))
    assert [c.spread for c in outcome.criteria] == [2, 1, 1]
    assert [c.key for c in outcome.waiting_for_agreement] == ["c1"]
    assert (outcome.percent, outcome.passed) == (None, None)


def test_levels_not_points_decide_how_far_apart_examiners_are():
    # Points 0, 1, 5 and 10: 1 and 5 are four points apart but neighbouring
    # levels; 0 and 5 are two levels apart.
    rubric = frozen([("1", None)], levels=(0, 1, 5, 10))
    assert (
        not sitting_outcome(rubric=rubric, sheets=sheets([1], [5])).criteria[0].flagged
    )
    assert sitting_outcome(rubric=rubric, sheets=sheets([0], [5])).criteria[0].flagged


def test_three_examiners_spanning_three_levels_must_reconcile():
    outcome = sitting_outcome(
        rubric=THREE, sheets=sheets([2, 3, 3], [3, 3, 3], [4, 3, 3])
    )
    assert [c.key for c in outcome.waiting_for_agreement] == ["c1"]


def test_the_agreed_level_replaces_the_panels_mean():
    # Criterion 1 scored 1 and 3 (mean 2); the panel agrees on 3.
    scored = sheets([1, 3, 3], [3, 3, 3])
    agreed = {"c1": Agreed(points=3, note="Both heard the four dimensions.")}
    outcome = sitting_outcome(rubric=THREE, sheets=scored, agreed=agreed)
    assert outcome.criteria[0].value == 3
    assert outcome.percent == Decimal("75.00")
    assert outcome.passed is True
    # Had the mean of 2 stood: 2 + 6 + 3 = 11 of 16.
    mean_of_two = sitting_outcome(rubric=THREE, sheets=sheets([2, 3, 3], [2, 3, 3]))
    assert mean_of_two.percent == Decimal("68.75")


def test_nothing_is_decided_until_every_criterion_has_a_score():
    outcome = sitting_outcome(rubric=THREE, sheets=[{"c1": 3, "c2": 3}])
    assert outcome.criteria[2].value is None
    assert (outcome.percent, outcome.passed) == (None, None)


# The same rule, applied when the panel submits -----------------------------------


def test_the_last_submit_decides_by_the_pass_rule():
    sitting = SittingFactory()
    first, second = panel_of(sitting)
    ScoreSheetFactory(sitting=sitting, examiner=first, submitted=True)
    sitting.refresh_from_db()
    assert sitting.state == Sitting.State.SCORING
    assert sitting.passed is None

    ScoreSheetFactory(
        sitting=sitting, examiner=second, points=[3, 2, 3], submitted=True
    )
    sitting.refresh_from_db()

    assert sitting.state == Sitting.State.DECIDED
    assert sitting.percent == Decimal("68.75")
    assert sitting.passed is False
    assert sitting.decided_at is not None


def test_a_critical_failure_is_recorded_as_not_passed():
    rubric = oral_rubric(
        [("Recovery", "3", None), ("Ethics", "1", 2), ("Role", "3", None)]
    )
    sitting = SittingFactory(oral_exam=oral_exam_scored_with(rubric))
    sitting = sitting_scored(sitting, [4, 1, 4], [4, 2, 4])
    assert (sitting.state, sitting.percent, sitting.passed) == (
        Sitting.State.DECIDED,
        Decimal("91.07"),
        False,
    )


def test_the_rubric_as_frozen_decides_not_as_edited_later():
    sitting = SittingFactory()
    criterion = sitting.booking.oral_exam.rubric.criteria.get(sort_order=1)
    criterion.weight = Decimal(10)
    criterion.critical_floor = 4
    criterion.save()

    sitting = sitting_scored(sitting, [3, 3, 3], [3, 3, 3])

    assert (sitting.percent, sitting.passed) == (Decimal("75.00"), True)
