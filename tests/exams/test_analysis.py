"""Item analysis statistics (exams.analysis): pure functions, no database."""

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exams.analysis import ItemStats, choice_frequencies, item_statistics

# Imported under another name so that pytest does not collect it as a test.
from exams.analysis import test_statistics as test_stats_of

approx = pytest.approx

# --- a 5-attempt x 3-item dichotomous test (every item 0 or 1) ---------------
#
#        item0 item1 item2 | total
#   A1     1     1     0   |   2
#   A2     1     1     1   |   3
#   A3     1     1     0   |   2
#   A4     0     0     1   |   1
#   A5     0     0     0   |   0
#
# Facility p: item0 3/5 = 0.6, item1 0.6, item2 2/5 = 0.4.
# Item sample variances: p(1-p) * n/(n-1) = 0.24 * 5/4 = 0.3 for each item.
# Totals 2,3,2,1,0: mean 1.6, squared deviations .16+1.96+.16+.36+2.56 = 5.2,
#   sample variance 5.2/4 = 1.3.
# KR-20 = k/(k-1) * (1 - sum(pq) / var_total)
#       = 3/2 * (1 - 0.9/1.3) = 3/2 * 0.4/1.3 = 6/13 ~ 0.4615
#   (with population variances: 3/2 * (1 - 0.72/1.04) = 6/13 as well).
#
# Corrected item-total correlation, item0: x = 1,1,1,0,0 (mean .6),
#   rest = item1 + item2 = 1,2,1,1,0 (mean 1.0).
#   dx = .4,.4,.4,-.6,-.6; dy = 0,1,0,0,-1
#   Sxy = .4 + .6 = 1.0; Sxx = 3(.16) + 2(.36) = 1.2; Syy = 2
#   r = 1 / sqrt(2.4) ~ +0.645  (a good item)
# item2 (answered right by A2 and A4, wrong by A1 and A3): x = 0,1,0,1,0,
#   rest = item0 + item1 = 2,2,2,0,0 (mean 1.2).
#   dx = -.4,.6,-.4,.6,-.4; dy = .8,.8,.8,-1.2,-1.2
#   Sxy = -.32 + .48 - .32 - .72 + .48 = -0.4; Sxx = 1.2; Syy = 4.8
#   r = -0.4 / sqrt(5.76) = -1/6  (a reversed item)
DICHOTOMOUS = [
    [1, 1, 0],
    [1, 1, 1],
    [1, 1, 0],
    [0, 0, 1],
    [0, 0, 0],
]
DICHOTOMOUS_MAX = [1, 1, 1]


def test_dichotomous_item_statistics():
    items = item_statistics(scores=DICHOTOMOUS, max_points=DICHOTOMOUS_MAX)

    assert [item.index for item in items] == [0, 1, 2]
    assert [item.attempts for item in items] == [5, 5, 5]
    assert [item.facility for item in items] == approx([0.6, 0.6, 0.4])
    assert [item.mean for item in items] == approx([0.6, 0.6, 0.4])
    assert [item.sd for item in items] == approx([math.sqrt(0.3)] * 3)
    assert items[0].discrimination == approx(1 / math.sqrt(2.4))
    assert items[0].discrimination > 0.5
    assert items[2].discrimination == approx(-1 / 6)
    assert items[2].discrimination < 0


def test_dichotomous_kr20_and_test_statistics():
    stats = test_stats_of(scores=DICHOTOMOUS, max_points=DICHOTOMOUS_MAX)

    assert stats.attempts == 5
    assert stats.reliability == approx(6 / 13)
    # Percent totals: 66.7, 100, 66.7, 33.3, 0.
    assert stats.mean_percent == approx(1.6 / 3 * 100)
    assert stats.median_percent == approx(200 / 3)
    assert stats.sd_percent == approx(math.sqrt(1.3) / 3 * 100)
    assert stats.sem_percent == approx(math.sqrt(1.3) / 3 * 100 * math.sqrt(7 / 13))
    assert stats.distribution == [1, 0, 0, 1, 0, 0, 2, 0, 0, 1]


def test_kr20_matches_alpha_for_zero_or_max_scores():
    # The same items worth 2 points each, scored 0 or 2: alpha is scale-free.
    doubled = [[2 * x for x in row] for row in DICHOTOMOUS]
    stats = test_stats_of(scores=doubled, max_points=[2, 2, 2])
    assert stats.reliability == approx(6 / 13)


# --- Cronbach's alpha on a polytomous (Likert 1..5) example ----------------
#
# Published worked example (thinkdeeply.cc "Survey reliability", checked there
# with R psych::alpha): 10 respondents x 4 items, alpha = 0.674.
# By hand: item sample variances 61/90, 89/90, 56/90, 121/90 (sum 327/90);
# totals 12,13,10,18,11,17,11,13,11,11 have sample variance 661/90;
# alpha = 4/3 * (1 - 327/661) = 1336/1983 = 0.67373.
LIKERT = [
    [3, 3, 3, 3],
    [3, 3, 4, 3],
    [3, 3, 3, 1],
    [5, 4, 4, 5],
    [2, 1, 4, 4],
    [4, 4, 4, 5],
    [3, 2, 3, 3],
    [3, 4, 3, 3],
    [4, 2, 2, 3],
    [3, 3, 2, 3],
]


def test_cronbach_alpha_polytomous_textbook_value():
    stats = test_stats_of(scores=LIKERT, max_points=[5, 5, 5, 5])
    assert stats.reliability == approx(1336 / 1983)
    assert round(stats.reliability, 3) == 0.674
    items = item_statistics(scores=LIKERT, max_points=[5, 5, 5, 5])
    assert [item.sd**2 for item in items] == approx(
        [61 / 90, 89 / 90, 56 / 90, 121 / 90]
    )
    assert stats.sd_percent == approx(math.sqrt(661 / 90) / 20 * 100)


def test_reliability_can_be_negative_for_inconsistent_items():
    # Two items that always disagree: total is constant except one attempt.
    scores = [[1, 0], [0, 1], [1, 0], [0, 1], [1, 1]]
    # Item variances 0.3 each (p = .6); totals 1,1,1,1,2 -> variance 0.2.
    # alpha = 2 * (1 - 0.6 / 0.2) = -4.
    assert test_stats_of(scores=scores, max_points=[1, 1]).reliability == approx(-4)


# --- upper-lower discrimination index ------------------------------------
#
# 10 complete attempts -> groups of round(0.27 * 10) = 3 attempts. Rows are
# deliberately not sorted by total. Item 2 (max 10) spreads the totals.
#   top 3 by total: 14 (4,0,10), 13 (4,1,8), 12 (3,0,9)
#   bottom 3:        5 (2,1,2),  2 (1,1,0),  2 (0,1,1)
# item0 (max 4): top 11/12, bottom 3/12 -> index 8/12 = 2/3
# item1 (max 1): top 1/3, bottom 3/3 -> index -2/3
# item2 (max 10): top 27/30, bottom 3/30 -> index 24/30 = 0.8
# (Groups of 50% would give item0 16/20 - 7/20 = 0.45 instead.)
UPPER_LOWER = [
    [2, 1, 5],  # 8
    [1, 1, 0],  # 2
    [4, 0, 10],  # 14
    [2, 0, 5],  # 7
    [0, 1, 1],  # 2
    [3, 0, 9],  # 12
    [3, 1, 5],  # 9
    [2, 1, 2],  # 5
    [1, 0, 5],  # 6
    [4, 1, 8],  # 13
]


def test_discrimination_index_uses_top_and_bottom_27_percent():
    items = item_statistics(scores=UPPER_LOWER, max_points=[4, 1, 10])
    assert [item.discrimination_index for item in items] == approx([2 / 3, -2 / 3, 0.8])


def test_discrimination_index_with_four_attempts_uses_groups_of_one():
    # round(0.27 * 4) = 1: the best attempt (total 3) vs the worst (total 0).
    scores = [[1, 1, 0], [0, 0, 0], [1, 0, 1], [1, 1, 1]]
    items = item_statistics(scores=scores, max_points=[1, 1, 2])
    assert [item.discrimination_index for item in items] == approx([1, 1, 0.5])


# --- distribution --------------------------------------------------------


def test_distribution_bins_include_0_and_100_percent():
    totals = [0, 9.99, 10, 19.99, 50, 89.99, 90, 99.99, 100, 100]
    stats = test_stats_of(scores=[[t] for t in totals], max_points=[100])
    assert stats.distribution == [2, 2, 0, 0, 0, 1, 0, 0, 1, 4]
    assert stats.attempts == 10


def test_distribution_is_not_fooled_by_float_rounding():
    # 100 * 0.33 / 1.1 is 29.999999999999996 in floating point, but it is 30%.
    stats = test_stats_of(scores=[[0.33], [0.66], [0.99]], max_points=[1.1])
    assert stats.distribution == [0, 0, 0, 1, 0, 0, 1, 0, 0, 1]


def test_distribution_clamps_totals_outside_0_to_100_percent():
    stats = test_stats_of(scores=[[-1, 0], [2, 1]], max_points=[1, 1])
    assert stats.distribution == [1, 0, 0, 0, 0, 0, 0, 0, 0, 1]


# --- missing scores (None) -----------------------------------------------


def test_none_is_missing_for_items_and_excluded_from_totals():
    scores = [
        [1, 1],
        [0, None],
        [1, 0],
        [None, 1],
    ]
    items = item_statistics(scores=scores, max_points=[1, 1])
    assert [item.attempts for item in items] == [3, 3]
    assert [item.facility for item in items] == approx([2 / 3, 2 / 3])

    stats = test_stats_of(scores=scores, max_points=[1, 1])
    # Only [1, 1] and [1, 0] are complete; a None is never counted as 0.
    assert stats.attempts == 2
    assert stats.mean_percent == approx(75)
    assert sum(stats.distribution) == 2
    assert stats.distribution[5] == 1
    assert stats.distribution[9] == 1


def test_discrimination_uses_complete_attempts_only():
    # Complete rows are the dichotomous example; the extra rows with a None
    # would change the correlation if they were counted with 0.
    scores = [*DICHOTOMOUS, [None, 1, 1], [1, None, 1], [None, None, 1]]
    items = item_statistics(scores=scores, max_points=DICHOTOMOUS_MAX)
    assert items[0].discrimination == approx(1 / math.sqrt(2.4))
    assert items[2].discrimination == approx(-1 / 6)
    assert items[2].attempts == 8


# --- edge cases: None instead of errors ----------------------------------


def test_empty_matrix():
    assert item_statistics(scores=[], max_points=[]) == []
    stats = test_stats_of(scores=[], max_points=[])
    assert stats.attempts == 0
    assert stats.mean_percent is None
    assert stats.median_percent is None
    assert stats.sd_percent is None
    assert stats.reliability is None
    assert stats.sem_percent is None
    assert stats.distribution == [0] * 10


def test_items_without_attempts():
    items = item_statistics(scores=[], max_points=[1, 2])
    assert items == [
        ItemStats(
            index=0,
            attempts=0,
            mean=0.0,
            max_points=1.0,
            facility=None,
            sd=None,
            discrimination=None,
            discrimination_index=None,
        ),
        ItemStats(
            index=1,
            attempts=0,
            mean=0.0,
            max_points=2.0,
            facility=None,
            sd=None,
            discrimination=None,
            discrimination_index=None,
        ),
    ]
    stats = test_stats_of(scores=[[None, 1]], max_points=[1, 2])
    assert stats.attempts == 0
    assert stats.mean_percent is None
    assert stats.distribution == [0] * 10


def test_one_attempt():
    items = item_statistics(scores=[[1, 0.5]], max_points=[1, 2])
    assert [item.facility for item in items] == approx([1.0, 0.25])
    assert all(item.sd is None for item in items)
    assert all(item.discrimination is None for item in items)
    assert all(item.discrimination_index is None for item in items)

    stats = test_stats_of(scores=[[1, 0.5]], max_points=[1, 2])
    assert stats.attempts == 1
    assert stats.mean_percent == approx(50)
    assert stats.median_percent == approx(50)
    assert stats.sd_percent is None
    assert stats.reliability is None
    assert stats.sem_percent is None
    assert stats.distribution == [0, 0, 0, 0, 0, 1, 0, 0, 0, 0]


def test_minimum_attempts_for_discrimination():
    two = [[1, 0, 1], [0, 1, 0]]
    three = [[1, 1, 1], [0, 1, 0], [1, 0, 0]]
    assert all(
        i.discrimination is None
        for i in item_statistics(scores=two, max_points=[1, 1, 1])
    )
    three_items = item_statistics(scores=three, max_points=[1, 1, 1])
    assert three_items[0].discrimination is not None
    # Fewer than 4 attempts: no upper-lower index.
    assert all(i.discrimination_index is None for i in three_items)


def test_all_same_scores():
    scores = [[1, 2, 0]] * 5
    items = item_statistics(scores=scores, max_points=[1, 2, 3])
    assert [item.sd for item in items] == [0.0, 0.0, 0.0]
    assert all(item.discrimination is None for item in items)
    assert [item.facility for item in items] == approx([1, 1, 0])

    stats = test_stats_of(scores=scores, max_points=[1, 2, 3])
    assert stats.sd_percent == 0.0
    assert stats.reliability is None
    assert stats.sem_percent is None
    assert stats.distribution == [0, 0, 0, 0, 0, 5, 0, 0, 0, 0]


def test_nearly_equal_float_totals_count_as_zero_variance():
    # 0.1 + 0.2 != 0.3 in floating point; the totals still do not vary.
    scores = [[0.1, 0.2], [0.2, 0.1], [0.3, 0.0]]
    stats = test_stats_of(scores=scores, max_points=[1, 1])
    assert stats.reliability is None


def test_nearly_constant_float_rest_total_has_no_discrimination():
    # Item 0 varies but the other two always add up to 0.3 (up to rounding),
    # so there is nothing to correlate with.
    scores = [
        [0, 0.1, 0.2],
        [1, 0.3, 0.0],
        [0, 0.2, 0.1],
        [1, 0.0, 0.3],
        [0, 0.15, 0.15],
    ]
    items = item_statistics(scores=scores, max_points=[1, 1, 1])
    assert items[0].discrimination is None


def test_single_item_has_no_reliability_or_discrimination():
    scores = [[0], [1], [1], [0], [1]]
    assert test_stats_of(scores=scores, max_points=[1]).reliability is None
    (item,) = item_statistics(scores=scores, max_points=[1])
    assert item.discrimination is None  # the rest total is always 0
    assert item.facility == approx(0.6)


def test_zero_max_points_item_has_no_facility():
    scores = [[0, 1], [0, 0], [0, 1], [0, 1]]
    zero, other = item_statistics(scores=scores, max_points=[0, 1])
    assert zero.facility is None
    assert zero.discrimination_index is None
    assert zero.discrimination is None
    assert other.facility == approx(0.75)


def test_zero_point_test_has_no_percentages():
    stats = test_stats_of(scores=[[0, 0], [0, 0]], max_points=[0, 0])
    assert stats.attempts == 2
    assert stats.mean_percent is None
    assert stats.reliability is None
    assert stats.distribution == [0] * 10


def test_accepts_decimals():
    scores = [[Decimal("0.5"), Decimal("1")], [Decimal("1"), None]]
    items = item_statistics(scores=scores, max_points=[Decimal("1"), Decimal("2")])
    assert items[0].mean == approx(0.75)
    assert isinstance(items[0].mean, float)
    stats = test_stats_of(scores=scores, max_points=[Decimal("1"), Decimal("2")])
    assert stats.mean_percent == approx(50)


@pytest.mark.parametrize("function", [item_statistics, test_stats_of])
def test_row_of_wrong_length_is_a_programming_error(function):
    with pytest.raises(ValueError, match=r"row 1 has 3 items but max_points has 2"):
        function(scores=[[1, 0], [1, 0, 1]], max_points=[1, 1])
    with pytest.raises(ValueError, match=r"row 0 has 0 items"):
        function(scores=[[]], max_points=[1, 1])


# --- choice frequencies --------------------------------------------------


def test_choice_frequencies():
    counts = choice_frequencies(
        answers=["a", "b", "a", None, "zzz", "", "c", "a"],
        choices=["a", "b", "c", "d"],
    )
    assert counts == {"a": 3, "b": 1, "c": 1, "d": 0, "": 2}
    assert list(counts) == ["a", "b", "c", "d", ""]


def test_choice_frequencies_empty():
    assert choice_frequencies(answers=[], choices=[]) == {"": 0}
    assert choice_frequencies(answers=["x"], choices=["a"]) == {"a": 0, "": 0}


# --- properties ----------------------------------------------------------


@st.composite
def score_matrices(draw, *, allow_none=True, dichotomous=False):
    """(scores, max_points) with every score in [0, max] or None."""
    k = draw(st.integers(min_value=0, max_value=6))
    if dichotomous:
        max_points = [1.0] * k
    else:
        max_points = draw(
            st.lists(
                st.one_of(
                    st.integers(min_value=1, max_value=10).map(float),
                    st.floats(min_value=0.01, max_value=100, allow_nan=False),
                ),
                min_size=k,
                max_size=k,
            )
        )
    n = draw(st.integers(min_value=0, max_value=25))
    scores = []
    for _ in range(n):
        row = []
        for m in max_points:
            if dichotomous:
                value = st.sampled_from([0.0, m])
            else:
                value = st.one_of(
                    st.sampled_from([0.0, m]),
                    st.floats(min_value=0.0, max_value=m, allow_nan=False),
                )
            if allow_none:
                value = st.one_of(st.none(), value, value, value)
            row.append(draw(value))
        scores.append(row)
    return scores, max_points


@given(score_matrices())
def test_property_facility_within_0_and_1(matrix):
    scores, max_points = matrix
    for item in item_statistics(scores=scores, max_points=max_points):
        if item.attempts:
            assert item.facility is not None
            assert 0.0 <= item.facility <= 1.0
        else:
            assert item.facility is None


@given(score_matrices())
def test_property_discrimination_within_minus_1_and_1(matrix):
    scores, max_points = matrix
    for item in item_statistics(scores=scores, max_points=max_points):
        if item.discrimination is not None:
            assert -1.0 <= item.discrimination <= 1.0
        if item.discrimination_index is not None:
            assert -1.0 <= item.discrimination_index <= 1.0


@given(score_matrices())
def test_property_distribution_counts_complete_attempts(matrix):
    scores, max_points = matrix
    complete = sum(1 for row in scores if None not in row)
    stats = test_stats_of(scores=scores, max_points=max_points)
    assert stats.attempts == complete
    assert len(stats.distribution) == 10
    if max_points:
        assert sum(stats.distribution) == complete


@given(score_matrices())
def test_property_reliability_at_most_1(matrix):
    scores, max_points = matrix
    stats = test_stats_of(scores=scores, max_points=max_points)
    if stats.reliability is not None:
        assert stats.reliability <= 1.0
        assert stats.sem_percent is not None
        assert stats.sem_percent >= 0.0


@given(score_matrices(allow_none=False, dichotomous=True))
def test_property_alpha_equals_kr20_for_dichotomous_items(matrix):
    scores, max_points = matrix
    stats = test_stats_of(scores=scores, max_points=max_points)
    n, k = len(scores), len(max_points)
    totals = [sum(row) for row in scores]
    if n < 2 or k < 2 or len(set(totals)) == 1:
        assert stats.reliability is None
        return
    # KR-20 with population variances: k/(k-1) * (1 - sum(p q) / var_total).
    p = [sum(row[i] for row in scores) / n for i in range(k)]
    mean_total = sum(totals) / n
    var_total = sum((t - mean_total) ** 2 for t in totals) / n
    kr20 = k / (k - 1) * (1 - sum(pi * (1 - pi) for pi in p) / var_total)
    assert stats.reliability == approx(min(kr20, 1.0), rel=1e-9, abs=1e-9)
