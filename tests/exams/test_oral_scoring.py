"""Score sheets, reconciliation, reopening and release, through the services:
each bad input names its field, changes nothing and is never a crash."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from exams import services
from exams.models import (
    CriterionScore,
    OralExam,
    Reconciliation,
    ScoreSheet,
    ScoreSheetReopening,
    Sitting,
)
from tests.factories import (
    ScoreSheetFactory,
    SittingFactory,
    oral_exam_scored_with,
    panel_of,
    sitting_scored,
    user_with_role,
)

pytestmark = pytest.mark.django_db

DECIDED_AT = datetime.datetime(2026, 12, 3, 16, 0, tzinfo=datetime.UTC)


@pytest.fixture
def sitting():
    return SittingFactory()


def keys(sitting):
    return [criterion["key"] for criterion in sitting.criteria]


def snapshot(sitting):
    """Everything scoring can change, to show a refused write changed none."""
    sitting.refresh_from_db()
    return (
        sitting.state,
        sitting.percent,
        sitting.passed,
        sitting.released_at,
        list(ScoreSheet.objects.filter(sitting=sitting).values_list("state", "pk")),
        list(
            CriterionScore.objects.filter(sheet__sitting=sitting).values_list(
                "criterion_key", "points", "comment"
            )
        ),
        list(Reconciliation.objects.filter(sitting=sitting).values_list("points")),
    )


# Opening a sitting -------------------------------------------------------------------


def test_a_sitting_opens_once_per_booking_with_the_rubric_frozen(sitting):
    exam = sitting.booking.oral_exam
    criteria = list(exam.rubric.criteria.order_by("sort_order"))
    assert sitting.state == Sitting.State.SCORING
    assert sitting.examiners_required == exam.examiners_per_sitting == 2
    assert Decimal(sitting.rubric["pass_percent"]) == 70
    assert keys(sitting) == [f"c{criterion.pk}" for criterion in criteria]
    assert sitting.criteria[1]["critical_floor"] == 2
    assert [level["points"] for level in sitting.criteria[0]["levels"]] == [1, 2, 3, 4]

    assert services.sitting_open(booking=sitting.booking) == sitting
    assert Sitting.objects.filter(booking=sitting.booking).count() == 1


def test_a_sheet_from_the_factory_is_scored_through_the_services(sitting):
    sheet = ScoreSheetFactory(sitting=sitting, submitted=True)
    assert sheet.examiner == panel_of(sitting)[0]
    assert sheet.state == ScoreSheet.State.SUBMITTED
    assert sorted(sheet.scores.values_list("points", flat=True)) == [3, 3, 3]
    assert ScoreSheetFactory(sitting=sitting).examiner == panel_of(sitting)[1]


# Score sheets ----------------------------------------------------------------------


def test_a_draft_keeps_levels_and_comments_and_can_change(sitting):
    examiner = panel_of(sitting)[0]
    first, second, third = keys(sitting)

    services.score_sheet_save(
        sitting=sitting,
        examiner=examiner,
        levels={first: 2, second: 4},
        comments={first: "Named two of the dimensions."},
    )
    services.score_sheet_save(
        sitting=sitting,
        examiner=examiner,
        levels={first: 3, second: None, third: 1},
        comments={first: "Named all four on a second try."},
    )

    sheet = ScoreSheet.objects.get(sitting=sitting, examiner=examiner)
    assert sheet.state == ScoreSheet.State.DRAFT
    assert sorted(sheet.scores.values_list("criterion_key", "points", "comment")) == [
        (first, 3, "Named all four on a second try."),
        (third, 1, ""),
    ]


@pytest.mark.parametrize("points", [0, 5, -1, 30])
def test_a_level_out_of_range_names_its_criterion_and_saves_nothing(sitting, points):
    examiner = panel_of(sitting)[0]
    first, second, _third = keys(sitting)
    before = snapshot(sitting)

    with pytest.raises(ValidationError) as caught:
        services.score_sheet_save(
            sitting=sitting, examiner=examiner, levels={first: 3, second: points}
        )

    assert list(caught.value.message_dict) == [f"level_{second}"]
    (message,) = caught.value.message_dict[f"level_{second}"]
    assert "Ethics and boundaries in a scenario" in message
    assert "1, 2, 3, 4" in message
    assert snapshot(sitting) == before
    assert not ScoreSheet.objects.filter(sitting=sitting).exists()


def test_a_criterion_the_rubric_does_not_have_is_refused_by_name(sitting):
    before = snapshot(sitting)
    with pytest.raises(ValidationError, match="no criterion c999999"):
        services.score_sheet_save(
            sitting=sitting, examiner=panel_of(sitting)[0], levels={"c999999": 3}
        )
    assert snapshot(sitting) == before


def test_a_comment_without_a_level_asks_for_the_level(sitting):
    first = keys(sitting)[0]
    with pytest.raises(ValidationError) as caught:
        services.score_sheet_save(
            sitting=sitting,
            examiner=panel_of(sitting)[0],
            levels={},
            comments={first: "Spoke warmly."},
        )
    assert list(caught.value.message_dict) == [f"level_{first}"]


def test_a_comment_too_long_names_the_comment_field(sitting):
    first = keys(sitting)[0]
    with pytest.raises(ValidationError) as caught:
        services.score_sheet_save(
            sitting=sitting,
            examiner=panel_of(sitting)[0],
            levels={first: 3},
            comments={first: "x" * 2001},
        )
    assert list(caught.value.message_dict) == [f"comment_{first}"]


@pytest.mark.parametrize("role", ["examiner", "administrator", "trainer", "trainee"])
def test_someone_not_on_the_panel_cannot_score_it(sitting, role):
    outsider = user_with_role(
        {
            "examiner": "Examiners",
            "administrator": "Administrators",
            "trainer": "Trainers",
            "trainee": "Trainees",
        }[role]
    )
    before = snapshot(sitting)
    with pytest.raises(PermissionDenied, match="not on the panel"):
        services.score_sheet_save(
            sitting=sitting, examiner=outsider, levels={keys(sitting)[0]: 3}
        )
    with pytest.raises(PermissionDenied):
        services.score_sheet_submit(sitting=sitting, examiner=outsider)
    assert snapshot(sitting) == before


def test_submitting_an_incomplete_sheet_names_each_missing_criterion(sitting):
    examiner = panel_of(sitting)[0]
    _first, second, third = keys(sitting)
    ScoreSheetFactory(sitting=sitting, examiner=examiner, points=[3, None, None])
    before = snapshot(sitting)

    with pytest.raises(ValidationError) as caught:
        services.score_sheet_submit(sitting=sitting, examiner=examiner)

    assert sorted(caught.value.message_dict) == [f"level_{second}", f"level_{third}"]
    assert snapshot(sitting) == before


def test_submitting_with_no_sheet_at_all_names_every_criterion(sitting):
    with pytest.raises(ValidationError) as caught:
        services.score_sheet_submit(sitting=sitting, examiner=panel_of(sitting)[0])
    assert len(caught.value.message_dict) == 3


def test_scoring_twice_is_refused_and_changes_nothing(sitting):
    examiner = panel_of(sitting)[0]
    ScoreSheetFactory(sitting=sitting, examiner=examiner, submitted=True)
    before = snapshot(sitting)

    with pytest.raises(ValidationError, match="already submitted"):
        services.score_sheet_submit(sitting=sitting, examiner=examiner)
    with pytest.raises(ValidationError, match="already submitted"):
        services.score_sheet_save(
            sitting=sitting, examiner=examiner, levels={keys(sitting)[0]: 1}
        )
    assert snapshot(sitting) == before


def test_a_third_examiner_cannot_change_a_sitting_the_panel_has_decided(
    make_user,
):
    panel = [make_user("examiner") for _ in range(3)]
    sitting = SittingFactory(panel=panel)
    ScoreSheetFactory(sitting=sitting, examiner=panel[2], points=[1, 1, 1])
    sitting = sitting_scored(sitting, [3, 3, 3], [3, 3, 3])
    assert sitting.state == Sitting.State.DECIDED
    before = snapshot(sitting)

    with pytest.raises(ValidationError, match="finished scoring"):
        services.score_sheet_save(
            sitting=sitting, examiner=panel[2], levels={keys(sitting)[0]: 2}
        )
    with pytest.raises(ValidationError, match="without your sheet"):
        services.score_sheet_submit(sitting=sitting, examiner=panel[2])
    assert snapshot(sitting) == before
    # The third examiner's draft never counted.
    assert sitting.percent == Decimal("75.00")


# Reconciliation ----------------------------------------------------------------------


@pytest.fixture
def reconciling(sitting):
    """Criterion 1 scored 1 and 3: two levels apart."""
    sitting = sitting_scored(sitting, [1, 3, 3], [3, 3, 3])
    assert sitting.state == Sitting.State.RECONCILING
    assert (sitting.percent, sitting.passed) == (None, None)
    return sitting


def test_the_lead_examiner_records_the_agreed_level_and_the_sitting_is_decided(
    reconciling,
):
    lead = reconciling.booking.slot.lead_examiner
    first = keys(reconciling)[0]

    sitting = services.sitting_reconcile(
        sitting=reconciling,
        by=lead,
        agreed={first: 3},
        notes={first: "On review both heard all four dimensions."},
    )

    assert sitting.state == Sitting.State.DECIDED
    # The agreed 3 replaces the mean of 2: 3 + 6 + 3 = 12 of 16.
    assert (sitting.percent, sitting.passed) == (Decimal("75.00"), True)
    agreed = Reconciliation.objects.get(sitting=sitting)
    assert (agreed.criterion_key, agreed.points, agreed.decided_by) == (
        first,
        3,
        lead,
    )


def test_an_administrator_can_decide_instead_of_the_lead(reconciling, make_user):
    first = keys(reconciling)[0]
    sitting = services.sitting_reconcile(
        sitting=reconciling,
        by=make_user("administrator"),
        agreed={first: 1},
        notes={first: "The recording shows the dimensions were not named."},
    )
    # 1 + 6 + 3 = 10 of 16.
    assert (sitting.percent, sitting.passed) == (Decimal("62.50"), False)


def test_another_panel_examiner_cannot_reconcile(reconciling):
    other = panel_of(reconciling)[1]
    first = keys(reconciling)[0]
    before = snapshot(reconciling)
    with pytest.raises(PermissionDenied, match="lead examiner"):
        services.sitting_reconcile(
            sitting=reconciling, by=other, agreed={first: 3}, notes={first: "Mine."}
        )
    assert snapshot(reconciling) == before


@pytest.mark.parametrize(
    ("agreed", "note", "field"),
    [
        (None, "Agreed after talking.", "level"),
        (7, "Agreed after talking.", "level"),
        (3, "   ", "note"),
        (3, "x" * 2001, "note"),
    ],
)
def test_a_reconciliation_needs_a_level_of_the_criterion_and_a_note(
    reconciling, agreed, note, field
):
    first = keys(reconciling)[0]
    before = snapshot(reconciling)
    with pytest.raises(ValidationError) as caught:
        services.sitting_reconcile(
            sitting=reconciling,
            by=reconciling.booking.slot.lead_examiner,
            agreed={first: agreed},
            notes={first: note},
        )
    assert list(caught.value.message_dict) == [f"{field}_{first}"]
    assert snapshot(reconciling) == before


def test_only_the_criteria_the_panel_disagreed_on_are_reconciled(reconciling):
    first, second, _third = keys(reconciling)
    before = snapshot(reconciling)
    with pytest.raises(ValidationError, match=f"agreed on {second} already"):
        services.sitting_reconcile(
            sitting=reconciling,
            by=reconciling.booking.slot.lead_examiner,
            agreed={first: 3, second: 1},
            notes={first: "Agreed.", second: "Changed our minds."},
        )
    assert snapshot(reconciling) == before


def test_a_sitting_not_reconciling_cannot_be_reconciled(sitting):
    with pytest.raises(ValidationError, match="not waiting for a reconciliation"):
        services.sitting_reconcile(
            sitting=sitting,
            by=sitting.booking.slot.lead_examiner,
            agreed={},
            notes={},
        )


# Release ------------------------------------------------------------------------------


def test_released_at_once_the_result_is_out_as_it_is_decided(sitting):
    with time_machine.travel(DECIDED_AT, tick=False):
        sitting = sitting_scored(sitting, [3, 3, 3], [3, 3, 3])
    assert sitting.decided_at == DECIDED_AT
    assert sitting.released_at == DECIDED_AT
    assert sitting.released_by is None


def test_released_by_an_administrator_it_waits_for_one(make_user):
    exam = oral_exam_scored_with(release=OralExam.Release.BY_ADMINISTRATOR)
    first = sitting_scored(SittingFactory(oral_exam=exam), [3, 3, 3], [3, 3, 3])
    second = sitting_scored(SittingFactory(oral_exam=exam), [2, 2, 2], [2, 2, 2])
    assert (first.released_at, second.released_at) == (None, None)
    admin = make_user("administrator")

    with time_machine.travel(DECIDED_AT, tick=False):
        released = services.sittings_release(
            sitting_ids=[first.pk, second.pk], by=admin
        )

    assert released == 2
    for sitting in (first, second):
        sitting.refresh_from_db()
        assert (sitting.released_at, sitting.released_by) == (DECIDED_AT, admin)


def test_a_release_including_one_not_waiting_releases_none(make_user):
    exam = oral_exam_scored_with(release=OralExam.Release.BY_ADMINISTRATOR)
    decided = sitting_scored(SittingFactory(oral_exam=exam), [3, 3, 3], [3, 3, 3])
    scoring = SittingFactory(oral_exam=exam)
    with pytest.raises(ValidationError) as caught:
        services.sittings_release(
            sitting_ids=[decided.pk, scoring.pk, 999999],
            by=make_user("administrator"),
        )
    assert list(caught.value.message_dict) == ["sittings"]
    decided.refresh_from_db()
    assert decided.released_at is None


@pytest.mark.parametrize("role", ["examiner", "trainer", "trainee"])
def test_only_an_administrator_releases(make_user, role):
    exam = oral_exam_scored_with(release=OralExam.Release.BY_ADMINISTRATOR)
    decided = sitting_scored(SittingFactory(oral_exam=exam), [3, 3, 3], [3, 3, 3])
    with pytest.raises(PermissionDenied):
        services.sittings_release(sitting_ids=[decided.pk], by=make_user(role))
    decided.refresh_from_db()
    assert decided.released_at is None


# Reopening ---------------------------------------------------------------------------


def test_an_administrator_reopens_a_sheet_with_a_reason_and_it_is_recorded(
    reconciling, make_user
):
    lead = reconciling.booking.slot.lead_examiner
    first = keys(reconciling)[0]
    sitting = services.sitting_reconcile(
        sitting=reconciling, by=lead, agreed={first: 3}, notes={first: "Agreed."}
    )
    assert sitting.released_at is not None
    admin = make_user("administrator")
    sheet = ScoreSheet.objects.get(sitting=sitting, examiner=lead)

    with time_machine.travel(DECIDED_AT, tick=False):
        sheet = services.score_sheet_reopen(
            sheet=sheet, by=admin, reason="Scored the wrong trainee's first answer."
        )

    assert sheet.state == ScoreSheet.State.DRAFT
    assert (sheet.reopened_by, sheet.reopened_at) == (admin, DECIDED_AT)
    assert sheet.reopen_reason == "Scored the wrong trainee's first answer."
    sitting.refresh_from_db()
    # The decision and its release are withdrawn until the panel submits again.
    assert sitting.state == Sitting.State.SCORING
    assert (sitting.percent, sitting.passed, sitting.released_at) == (None, None, None)
    assert not Reconciliation.objects.filter(sitting=sitting).exists()
    (record,) = ScoreSheetReopening.objects.filter(sheet=sheet)
    assert record.reopened_by == admin
    assert record.scores[first] == {"points": 1, "comment": ""}
    assert (record.sitting_state, record.percent, record.passed) == (
        "decided",
        Decimal("75.00"),
        True,
    )
    assert record.reconciliations[0]["note"] == "Agreed."

    # The examiner corrects and submits again; the sitting is decided anew.
    services.score_sheet_save(
        sitting=sitting, examiner=lead, levels=dict.fromkeys(keys(sitting), 3)
    )
    services.score_sheet_submit(sitting=sitting, examiner=lead)
    sitting.refresh_from_db()
    assert (sitting.state, sitting.percent) == (
        Sitting.State.DECIDED,
        Decimal("75.00"),
    )


def test_every_reopening_is_kept(sitting, make_user):
    admin = make_user("administrator")
    examiner = panel_of(sitting)[0]
    for reason in ("First mistake.", "Second mistake."):
        ScoreSheetFactory(sitting=sitting, examiner=examiner, submitted=True)
        services.score_sheet_reopen(
            sheet=ScoreSheet.objects.get(sitting=sitting, examiner=examiner),
            by=admin,
            reason=reason,
        )
    assert list(
        ScoreSheetReopening.objects.filter(sheet__sitting=sitting).values_list(
            "reason", flat=True
        )
    ) == ["First mistake.", "Second mistake."]


def test_a_reopening_needs_a_reason(sitting, make_user):
    sheet = ScoreSheetFactory(sitting=sitting, submitted=True)
    before = snapshot(sitting)
    with pytest.raises(ValidationError) as caught:
        services.score_sheet_reopen(
            sheet=sheet, by=make_user("administrator"), reason="  "
        )
    assert list(caught.value.message_dict) == ["reason"]
    assert snapshot(sitting) == before


def test_a_draft_cannot_be_reopened(sitting, make_user):
    sheet = ScoreSheetFactory(sitting=sitting)
    with pytest.raises(ValidationError, match="only a submitted sheet"):
        services.score_sheet_reopen(
            sheet=sheet, by=make_user("administrator"), reason="Why not."
        )
    assert not ScoreSheetReopening.objects.exists()


@pytest.mark.parametrize("role", ["examiner", "trainer"])
def test_only_an_administrator_reopens(sitting, make_user, role):
    sheet = ScoreSheetFactory(sitting=sitting, submitted=True)
    with pytest.raises(PermissionDenied):
        services.score_sheet_reopen(sheet=sheet, by=make_user(role), reason="Oops.")
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.SUBMITTED
