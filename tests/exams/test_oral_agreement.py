"""The inter-rater agreement report of an oral exam, checked against figures
worked out by hand, its Excel download read back, who may see it and its
query budget."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from exams.selectors import oral_agreement
from tests.factories import (
    ScoreSheetFactory,
    SittingFactory,
    oral_exam_scored_with,
    oral_rubric,
    sitting_scored,
    user_with_role,
)

pytestmark = pytest.mark.django_db

ONE_CRITERION = [("Explains recovery and its four dimensions", "1", None)]


@pytest.fixture
def two_examiners(make_user):
    return make_user("examiner", legal_name="Ann Adair"), make_user(
        "examiner", legal_name="Bea Boone"
    )


@pytest.fixture
def small_table(two_examiners):
    """One criterion with four levels (1 to 4 points), four sittings each
    scored by Ann and Bea:

        sitting   Ann  Bea      (points; the level is points - 1)
        1          3    3
        2          2    3
        3          4    4
        4          1    2

    and a fifth sitting only Ann submitted (Bea's sheet is a draft), which
    says nothing about agreement."""
    ann, bea = two_examiners
    exam = oral_exam_scored_with(oral_rubric(ONE_CRITERION))
    for ann_points, bea_points in ((3, 3), (2, 3), (4, 4), (1, 2)):
        sitting_scored(
            SittingFactory(oral_exam=exam, panel=[ann, bea], lead=ann),
            [ann_points],
            [bea_points],
        )
    lone = SittingFactory(oral_exam=exam, panel=[ann, bea], lead=ann)
    ScoreSheetFactory(sitting=lone, examiner=ann, points=[1], submitted=True)
    ScoreSheetFactory(sitting=lone, examiner=bea, points=[4])
    return exam


def test_agreement_figures_match_the_hand_computation(small_table):
    """By hand, with levels 0 to 3 (points minus one).

    Coincidence matrix o (each sitting's pair counted both ways, divided by
    the number of raters minus one, here 1):
        sitting 1: (2,2) twice; sitting 2: (1,2) and (2,1); sitting 3: (3,3)
        twice; sitting 4: (0,1) and (1,0).

             0  1  2  3      totals n0=1, n1=2, n2=3, n3=2; n=8
        0 [  0  1  0  0 ]
        1 [  1  0  1  0 ]
        2 [  0  1  2  0 ]
        3 [  0  0  0  2 ]

    Ordinal distances, delta(c,k) = (sum of n from c to k - (nc+nk)/2)^2:
        (0,1) (3-1.5)^2 = 2.25    (0,2) (6-2)^2 = 16    (0,3) (8-1.5)^2 = 42.25
        (1,2) (5-2.5)^2 = 6.25    (1,3) (7-2)^2 = 25    (2,3) (5-2.5)^2 = 6.25

    Observed: sum of o*delta = 2 * 2.25 + 2 * 6.25 = 17.
    Expected: sum over c != k of nc*nk*delta = 2 * (1*2*2.25 + 1*3*16 +
        1*2*42.25 + 2*3*6.25 + 2*2*25 + 3*2*6.25) = 2 * 312 = 624.
    alpha = 1 - (n - 1) * 17 / 624 = 1 - 119/624 = 505/624 = 0.80929...

    Exact agreement: sittings 1 and 3 of 4 pairs = 50%; within one level:
    all four = 100%.

    Severity, each level minus the sitting's mean level:
        Ann: 0, -0.5, 0, -0.5 -> mean -0.25;  Bea: 0, +0.5, 0, +0.5 -> +0.25
    """
    report = oral_agreement(oral_exam=small_table)

    assert report.alpha == pytest.approx(505 / 624)
    assert (report.sittings, report.units, report.values) == (4, 4, 8)
    (criterion,) = report.criteria
    assert (criterion.units, criterion.pairs, criterion.exact, criterion.adjacent) == (
        4,
        4,
        2,
        4,
    )
    assert (str(criterion.exact_percent), str(criterion.adjacent_percent)) == (
        "50.0",
        "100.0",
    )
    severities = {
        row.name: (row.severity, row.sittings, row.scores) for row in report.examiners
    }
    assert severities == {
        "Ann Adair": (pytest.approx(-0.25), 4, 4),
        "Bea Boone": (pytest.approx(0.25), 4, 4),
    }
    # Harder first.
    assert [row.name for row in report.examiners] == ["Ann Adair", "Bea Boone"]


def test_three_examiners_make_three_pairs_per_sitting(make_user):
    """Two criteria, one sitting, three examiners (levels = points - 1):

        criterion   Ann  Bea  Cal
        1            1    2    4     levels 0, 1, 3; mean 4/3
        2            3    3    3     levels 2, 2, 2; mean 2

    Criterion 1's pairs: (0,1) adjacent, (0,3) and (1,3) neither: exact 0 of
    3, adjacent 1 of 3 = 33.3%. Criterion 2: 3 of 3 exact.
    Severity: Ann (0 - 4/3 + 0) / 2 = -2/3; Bea (1 - 4/3 + 0) / 2 = -1/6;
    Cal (3 - 4/3 + 0) / 2 = 5/6."""
    panel = [make_user("examiner", legal_name=name) for name in ("Ann", "Bea", "Cal")]
    exam = oral_exam_scored_with(
        oral_rubric([("One", "1", None), ("Two", "1", None)]), examiners_per_sitting=3
    )
    sitting_scored(
        SittingFactory(oral_exam=exam, panel=panel, lead=panel[0]),
        [1, 3],
        [2, 3],
        [4, 3],
    )

    report = oral_agreement(oral_exam=exam)

    one, two = report.criteria
    assert (one.pairs, one.exact, one.adjacent, str(one.adjacent_percent)) == (
        3,
        0,
        1,
        "33.3",
    )
    assert (two.pairs, str(two.exact_percent)) == (3, "100.0")
    assert {row.name: row.severity for row in report.examiners} == {
        "Ann": pytest.approx(-2 / 3),
        "Bea": pytest.approx(-1 / 6),
        "Cal": pytest.approx(5 / 6),
    }
    assert report.alpha is not None


def test_no_shared_sittings_give_no_alpha_and_say_why(make_user):
    exam = oral_exam_scored_with()
    report = oral_agreement(oral_exam=exam)
    assert report.alpha is None
    assert report.alpha_missing == "No sitting has been scored by two examiners yet."
    assert report.criteria == []


def test_everyone_agreeing_on_one_level_gives_no_alpha_and_says_why():
    exam = oral_exam_scored_with()
    sitting_scored(SittingFactory(oral_exam=exam), [3, 3, 3], [3, 3, 3])
    report = oral_agreement(oral_exam=exam)
    assert report.alpha is None
    assert "same level" in report.alpha_missing
    assert [str(row.exact_percent) for row in report.criteria] == ["100.0"] * 3


def test_another_oral_exams_scores_stay_out(small_table, two_examiners):
    ann, bea = two_examiners
    other = oral_exam_scored_with(oral_rubric(ONE_CRITERION))
    sitting_scored(
        SittingFactory(oral_exam=other, panel=[ann, bea], lead=ann), [1], [4]
    )
    report = oral_agreement(oral_exam=small_table)
    assert report.alpha == pytest.approx(505 / 624)


def test_the_excel_download_carries_the_same_figures(client, small_table, make_user):
    client.force_login(make_user("administrator"))
    response = client.get(
        reverse("exams:oral_agreement", args=[small_table.pk]) + "?format=xlsx"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        f'oral-agreement-{small_table.pk}.xlsx"'
    )
    workbook = load_workbook(BytesIO(response.content), read_only=True)
    summary = {
        row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True)
    }
    assert summary["Oral exam"] == small_table.title
    assert summary["Krippendorff's alpha (ordinal)"] == pytest.approx(0.809, abs=1e-3)
    assert summary["Sittings scored by two or more examiners"] == 4
    criteria = list(workbook["Criteria"].iter_rows(values_only=True))
    assert criteria[1] == (
        "Explains recovery and its four dimensions",
        4,
        4,
        50.0,
        100.0,
    )
    examiners = list(workbook["Examiners"].iter_rows(values_only=True))
    assert examiners[1:] == [("Ann Adair", -0.25, 4, 4), ("Bea Boone", 0.25, 4, 4)]
    scores = list(workbook["Scores"].iter_rows(values_only=True))
    assert len(scores) == 1 + 8
    assert {row[4] for row in scores[1:]} == {1, 2, 3, 4}


def test_the_page_shows_the_figures_and_an_accessible_chart(
    client, small_table, make_user
):
    client.force_login(make_user("administrator"))
    html = client.get(reverse("exams:oral_agreement", args=[small_table.pk])).content
    html = html.decode()
    assert "0.809" in html
    assert "50.0%" in html and "100.0%" in html
    assert "-0.25" in html and "0.25" in html
    # Every bar's value is text, and the bars themselves are hidden from
    # screen readers.
    assert 'class="hbar" aria-hidden="true"' in html


@pytest.mark.parametrize(
    ("group", "status"),
    [
        ("Trainees", 403),
        ("Trainers", 403),
        ("Examiners", 403),
        ("Supervisors", 403),
        ("Administrators", 200),
        (None, 302),
    ],
)
def test_the_agreement_report_is_for_administrators(client, small_table, group, status):
    if group is not None:
        client.force_login(user_with_role(group))
    url = reverse("exams:oral_agreement", args=[small_table.pk])
    assert client.get(url).status_code == status
    assert client.get(url + "?format=xlsx").status_code == status


def test_the_panel_examiner_cannot_read_how_they_compare(
    client, small_table, two_examiners
):
    client.force_login(two_examiners[0])
    response = client.get(reverse("exams:oral_agreement", args=[small_table.pk]))
    assert response.status_code == 403


def test_an_oral_exam_that_does_not_exist_is_not_found(client, make_user):
    client.force_login(make_user("administrator"))
    assert client.get(reverse("exams:oral_agreement", args=[999999])).status_code == 404


def test_the_report_page_does_not_grow_with_sittings_or_examiners(client, make_user):
    exam = oral_exam_scored_with()
    client.force_login(make_user("administrator"))
    url = reverse("exams:oral_agreement", args=[exam.pk])
    counts = []
    for sittings in (1, 4):
        while exam.bookings.count() < sittings:
            # A new panel each time: more examiners as well as more sittings.
            sitting_scored(SittingFactory(oral_exam=exam), [3, 2, 3], [2, 2, 4])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    # Eight for the site and the administrator; the exam, the scores, the
    # sittings' rubrics and the examiners' names.
    assert counts[1] <= 12, counts
