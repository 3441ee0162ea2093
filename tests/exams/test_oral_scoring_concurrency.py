"""Oral-exam scoring races on PostgreSQL: the panel submitting at once, one
examiner submitting twice, the lead and an administrator reconciling at
once. The sitting's row lock makes each decide exactly once."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from exams import services
from exams.models import Reconciliation, ScoreSheet, Sitting
from exams.services import oral_scoring
from tests.courses.test_concurrency import race
from tests.factories import (
    ScoreSheetFactory,
    SittingFactory,
    panel_of,
    sitting_scored,
    user_with_role,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def decisions(monkeypatch):
    """The sittings decided, one entry each time a decision is written."""
    written = []
    record = oral_scoring._decision_record

    def counting(sitting, **kwargs):
        written.append(sitting.pk)
        return record(sitting, **kwargs)

    monkeypatch.setattr(oral_scoring, "_decision_record", counting)
    return written


def test_two_examiners_submitting_at_once_decide_the_sitting_once(
    on_postgres, decisions
):
    sitting = SittingFactory()
    first, second = panel_of(sitting)
    ScoreSheetFactory(sitting=sitting, examiner=first, points=[3, 3, 3])
    ScoreSheetFactory(sitting=sitting, examiner=second, points=[3, 2, 3])

    outcomes = race(
        lambda: services.score_sheet_submit(sitting=sitting, examiner=first),
        lambda: services.score_sheet_submit(sitting=sitting, examiner=second),
    )

    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    assert decisions == [sitting.pk]
    sitting.refresh_from_db()
    assert sitting.state == Sitting.State.DECIDED
    assert (sitting.percent, sitting.passed) == (Decimal("68.75"), False)
    assert set(ScoreSheet.objects.values_list("state", flat=True)) == {"submitted"}


def test_one_examiner_submitting_twice_at_once_submits_once(on_postgres):
    sitting = SittingFactory()
    examiner = panel_of(sitting)[0]
    ScoreSheetFactory(sitting=sitting, examiner=examiner)

    outcomes = race(
        lambda: services.score_sheet_submit(sitting=sitting, examiner=examiner),
        lambda: services.score_sheet_submit(sitting=sitting, examiner=examiner),
    )

    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["error", "ok"]
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, ValidationError)
    assert "already submitted" in error.messages[0]


def test_the_lead_and_an_administrator_reconciling_at_once_decide_once(
    on_postgres, decisions
):
    sitting = sitting_scored(SittingFactory(), [1, 3, 3], [3, 3, 3])
    key = sitting.criteria[0]["key"]
    admin = user_with_role("Administrators")

    def reconcile(by, points):
        return services.sitting_reconcile(
            sitting=sitting, by=by, agreed={key: points}, notes={key: "Agreed."}
        )

    outcomes = race(
        lambda: reconcile(sitting.booking.slot.lead_examiner, 3),
        lambda: reconcile(admin, 1),
    )

    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
    error = next(value for kind, value in outcomes if kind == "error")
    assert "not waiting for a reconciliation" in error.messages[0]
    assert decisions == [sitting.pk]
    assert Reconciliation.objects.filter(sitting=sitting).count() == 1
