"""Reads for scoring oral exams: the pass rule applied to a sitting's scores,
what one person may see of a sitting's score sheets, a trainee's released
results, and the sittings waiting for an administrator.

The pass rule (``sitting_outcome``) is a pure function of the frozen rubric,
the submitted sheets and the reconciled levels, so the decision, the score
sheet page and the trainee's result all read it the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from ..models import (
    Booking,
    OralExam,
    Reconciliation,
    ScoreSheet,
    ScoreSheetReopening,
    Sitting,
)
from ..permissions import (
    user_can_reconcile,
    user_can_release_oral_results,
    user_can_reopen_score_sheets,
    user_can_see_draft_score_sheets,
)

if TYPE_CHECKING:
    from cms.models import User

CENT = Decimal("0.01")
# Examiners this many levels apart (or more) on a criterion must reconcile.
RECONCILE_AT_LEVELS = 2


def level_position(criterion: dict, points: int) -> int | None:
    """Where a level stands in the criterion's ordered levels (0 is the
    lowest); None for points that are no level of it."""
    for position, level in enumerate(criterion["levels"]):
        if level["points"] == points:
            return position
    return None


def level_reached(criterion: dict, value: Decimal) -> dict:
    """The highest level whose points ``value`` reaches.

    A panel mean between two levels is shown as the lower one, not the
    nearer: rounded up, a critical criterion could show a level at its floor
    on a sitting that failed for being below it.
    """
    reached = criterion["levels"][0]
    for level in criterion["levels"]:
        if Decimal(level["points"]) <= value:
            reached = level
    return reached


@dataclass(frozen=True)
class Agreed:
    """A reconciled level: the points the panel agreed and why."""

    points: int
    note: str = ""
    decided_by: str = ""


@dataclass(frozen=True)
class CriterionOutcome:
    criterion: dict
    points: tuple[int, ...]  # each submitted sheet's points, in sheet order
    agreed: Agreed | None
    value: Decimal | None  # the points the pass rule uses
    level: dict | None  # the level the trainee is shown

    @property
    def key(self) -> str:
        return self.criterion["key"]

    @property
    def title(self) -> str:
        return self.criterion["title"]

    @property
    def weight(self) -> Decimal:
        return Decimal(self.criterion["weight"])

    @property
    def max_points(self) -> int:
        return self.criterion["levels"][-1]["points"]

    @property
    def critical_floor(self) -> int | None:
        return self.criterion.get("critical_floor")

    @property
    def spread(self) -> int:
        """How many levels apart the furthest two examiners are."""
        positions = [level_position(self.criterion, p) for p in self.points]
        positions = [p for p in positions if p is not None]
        return max(positions) - min(positions) if len(positions) > 1 else 0

    @property
    def flagged(self) -> bool:
        return self.spread >= RECONCILE_AT_LEVELS

    @property
    def waiting_for_agreement(self) -> bool:
        return self.flagged and self.agreed is None

    @property
    def below_floor(self) -> bool:
        floor = self.critical_floor
        return floor is not None and self.value is not None and self.value < floor


@dataclass(frozen=True)
class SittingOutcome:
    """The pass rule applied: ``percent`` and ``passed`` are None until every
    criterion has a value and no flagged criterion waits for agreement."""

    criteria: list[CriterionOutcome]
    pass_percent: Decimal
    percent: Decimal | None
    passed: bool | None

    @property
    def waiting_for_agreement(self) -> list[CriterionOutcome]:
        return [c for c in self.criteria if c.waiting_for_agreement]

    @property
    def failed_criteria(self) -> list[CriterionOutcome]:
        return [c for c in self.criteria if c.below_floor]


def sitting_outcome(
    *,
    rubric: dict,
    sheets: Sequence[Mapping[str, int]],
    agreed: Mapping[str, Agreed] | None = None,
) -> SittingOutcome:
    """The pass rule: for each criterion the panel's mean points (or the
    level it agreed on after disagreeing by two levels or more), weighted by
    the criterion's weight, as a percent of the weighted maximum; passed at
    or above the pass mark with no critical criterion below its floor."""
    agreed = agreed or {}
    criteria = []
    for criterion in rubric["criteria"]:
        key = criterion["key"]
        points = tuple(sheet[key] for sheet in sheets if key in sheet)
        agreement = agreed.get(key)
        if agreement is not None:
            value = Decimal(agreement.points)
        elif points:
            value = Decimal(sum(points)) / len(points)
        else:
            value = None
        criteria.append(
            CriterionOutcome(
                criterion=criterion,
                points=points,
                agreed=agreement,
                value=value,
                level=level_reached(criterion, value) if value is not None else None,
            )
        )
    pass_percent = Decimal(rubric["pass_percent"])
    complete = all(c.value is not None for c in criteria) and not any(
        c.waiting_for_agreement for c in criteria
    )
    if not complete:
        return SittingOutcome(criteria, pass_percent, None, None)
    earned = sum((c.weight * c.value for c in criteria), Decimal(0))
    possible = sum((c.weight * c.max_points for c in criteria), Decimal(0))
    percent = (
        (earned * 100 / possible).quantize(CENT, ROUND_HALF_UP)
        if possible
        else Decimal(0)
    )
    passed = percent >= pass_percent and not any(c.below_floor for c in criteria)
    return SittingOutcome(criteria, pass_percent, percent, passed)


def sheet_points(sheet: ScoreSheet) -> dict[str, int]:
    """A sheet's points by criterion key (its scores prefetched or not)."""
    return {score.criterion_key: score.points for score in sheet.scores.all()}


def agreed_levels(reconciliations: Iterable[Reconciliation]) -> dict[str, Agreed]:
    """Reconciled levels by criterion key (with ``decided_by`` selected when
    the name of who decided is wanted)."""
    return {
        r.criterion_key: Agreed(
            points=r.points,
            note=r.note,
            decided_by=_name(r.decided_by)
            if Reconciliation.decided_by.is_cached(r)
            else "",
        )
        for r in reconciliations
    }


def _name(user: User) -> str:
    return user.legal_name or user.get_full_name() or user.email


# The score sheet page --------------------------------------------------------


@dataclass
class ShownScore:
    """One examiner's score on one criterion, as the viewer may see it."""

    examiner: str
    points: int | None
    label: str
    comment: str
    is_draft: bool


@dataclass
class CriterionRow:
    criterion: dict
    outcome: CriterionOutcome
    own_points: int | None = None
    own_comment: str = ""
    shown: list[ShownScore] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.criterion["key"]

    @property
    def own_level(self) -> dict | None:
        if self.own_points is None:
            return None
        position = level_position(self.criterion, self.own_points)
        return None if position is None else self.criterion["levels"][position]


@dataclass
class SheetSummary:
    sheet: ScoreSheet
    examiner: str
    may_reopen: bool


@dataclass
class ScoreSheetPage:
    """What one person sees of a sitting: their own sheet and, once they have
    submitted it, the sheets the rest of the panel has submitted; an
    administrator sees every sheet, drafts included."""

    sitting: Sitting
    booking: Booking
    panel: list[User]
    lead_name: str
    own: ScoreSheet | None
    on_panel: bool
    may_score: bool
    sees_others: bool
    sees_drafts: bool
    rows: list[CriterionRow]
    outcome: SittingOutcome | None
    sheets: list[SheetSummary]
    submitted_count: int
    may_reconcile: bool
    may_release: bool
    reopenings: list[ScoreSheetReopening] = field(default_factory=list)

    @property
    def trainee(self):
        return self.booking.trainee

    @property
    def oral_exam(self):
        return self.booking.oral_exam

    @property
    def slot(self):
        return self.booking.slot

    @property
    def own_submitted(self) -> bool:
        return self.own is not None and self.own.state == ScoreSheet.State.SUBMITTED

    @property
    def waiting_for(self) -> int:
        return max(self.sitting.examiners_required - self.submitted_count, 0)


def sitting_for_scoring(*, sitting_id: int) -> Sitting:
    """The sitting with what every scoring page shows of it, in one query
    (the panel in one more); raises ``Sitting.DoesNotExist``."""
    return (
        Sitting.objects.select_related(
            "booking__trainee",
            "booking__oral_exam",
            "booking__slot__lead_examiner",
        )
        .prefetch_related("booking__slot__examiners")
        .get(pk=sitting_id)
    )


def _sheets(sitting: Sitting) -> list[ScoreSheet]:
    return list(
        ScoreSheet.objects.filter(sitting=sitting)
        .select_related("examiner", "reopened_by")
        .prefetch_related("scores")
        .order_by("pk")
    )


def score_sheet_page(*, sitting: Sitting, viewer: User) -> ScoreSheetPage:
    """Everything the score sheet page shows ``viewer``, in a fixed number of
    queries however many criteria, examiners and scores there are. The view
    has already checked that the viewer may open the page at all."""
    booking = sitting.booking
    slot = booking.slot
    panel = list(slot.examiners.all())
    on_panel = any(member.pk == viewer.pk for member in panel)
    sheets = _sheets(sitting)
    own = next((s for s in sheets if s.examiner_id == viewer.pk), None)
    sees_drafts = user_can_see_draft_score_sheets(viewer)
    own_submitted = own is not None and own.state == ScoreSheet.State.SUBMITTED
    submitted = [s for s in sheets if s.state == ScoreSheet.State.SUBMITTED]
    agreed = (
        agreed_levels(sitting.reconciliations.select_related("decided_by"))
        if sitting.state != Sitting.State.SCORING
        else {}
    )
    outcome = sitting_outcome(
        rubric=sitting.rubric,
        sheets=[sheet_points(s) for s in submitted],
        agreed=agreed,
    )
    sees_others = sees_drafts or own_submitted
    if sees_drafts:
        shown_sheets = sheets
    elif own_submitted:
        # Never a colleague's draft: only what they too have submitted.
        shown_sheets = submitted
    else:
        shown_sheets = []
    rows = []
    own_scores = {s.criterion_key: s for s in own.scores.all()} if own else {}
    by_sheet = {
        sheet.pk: {score.criterion_key: score for score in sheet.scores.all()}
        for sheet in shown_sheets
    }
    for criterion, criterion_outcome in zip(
        sitting.criteria, outcome.criteria, strict=True
    ):
        key = criterion["key"]
        own_score = own_scores.get(key)
        row = CriterionRow(
            criterion=criterion,
            outcome=criterion_outcome,
            own_points=own_score.points if own_score else None,
            own_comment=own_score.comment if own_score else "",
        )
        for sheet in shown_sheets:
            score = by_sheet[sheet.pk].get(key)
            position = (
                level_position(criterion, score.points) if score is not None else None
            )
            row.shown.append(
                ShownScore(
                    examiner=_name(sheet.examiner),
                    points=score.points if score else None,
                    label=criterion["levels"][position]["label"]
                    if position is not None
                    else "",
                    comment=score.comment if score else "",
                    is_draft=sheet.state == ScoreSheet.State.DRAFT,
                )
            )
        rows.append(row)
    may_reopen = user_can_reopen_score_sheets(viewer)
    reopenings = []
    if sees_drafts:
        reopenings = list(
            ScoreSheetReopening.objects.filter(sheet__sitting=sitting)
            .select_related("sheet__examiner", "reopened_by")
            .order_by("reopened_at", "pk")
        )
    return ScoreSheetPage(
        sitting=sitting,
        booking=booking,
        panel=panel,
        lead_name=_name(slot.lead_examiner),
        own=own,
        on_panel=on_panel,
        may_score=on_panel
        and sitting.state == Sitting.State.SCORING
        and not own_submitted,
        sees_others=sees_others,
        sees_drafts=sees_drafts,
        rows=rows,
        outcome=outcome
        if (sees_others and sitting.state != Sitting.State.SCORING)
        else None,
        sheets=[
            SheetSummary(
                sheet=sheet,
                examiner=_name(sheet.examiner),
                may_reopen=may_reopen and sheet.state == ScoreSheet.State.SUBMITTED,
            )
            for sheet in (sheets if sees_drafts else shown_sheets)
        ],
        submitted_count=len(submitted),
        may_reconcile=sitting.state == Sitting.State.RECONCILING
        and user_can_reconcile(viewer, sitting),
        may_release=sitting.state == Sitting.State.DECIDED
        and sitting.released_at is None
        and user_can_release_oral_results(viewer),
        reopenings=reopenings,
    )


# A trainee's results --------------------------------------------------------------


@dataclass(frozen=True)
class ResultCriterion:
    title: str
    description: str
    level: dict
    max_points: int
    reconciled: bool
    below_floor: bool
    comments: list[str]


@dataclass(frozen=True)
class TraineeResult:
    """What a trainee is shown of a released sitting: the decision, the
    panel's level for each criterion and the examiners' comments, never one
    examiner's score."""

    passed: bool
    percent: Decimal
    pass_percent: Decimal
    criteria: list[ResultCriterion]


def trainee_result(sitting: Sitting) -> TraineeResult:
    """The result of a decided sitting, from its submitted sheets and
    reconciliations (prefetch them for many sittings)."""
    submitted = [s for s in sitting.sheets.all() if s.state == "submitted"]
    outcome = sitting_outcome(
        rubric=sitting.rubric,
        sheets=[sheet_points(s) for s in submitted],
        agreed=agreed_levels(sitting.reconciliations.all()),
    )
    criteria = []
    for criterion in outcome.criteria:
        comments = [
            score.comment
            for sheet in submitted
            for score in sheet.scores.all()
            if score.criterion_key == criterion.key and score.comment.strip()
        ]
        if criterion.agreed is not None and criterion.agreed.note.strip():
            comments.append(criterion.agreed.note)
        criteria.append(
            ResultCriterion(
                title=criterion.title,
                description=criterion.criterion.get("description", ""),
                level=criterion.level,
                max_points=criterion.max_points,
                reconciled=criterion.agreed is not None,
                below_floor=criterion.below_floor,
                comments=comments,
            )
        )
    return TraineeResult(
        passed=bool(sitting.passed),
        percent=sitting.percent,
        pass_percent=outcome.pass_percent,
        criteria=criteria,
    )


def _with_scores(sittings: QuerySet[Sitting]) -> QuerySet[Sitting]:
    return sittings.prefetch_related(
        Prefetch(
            "sheets",
            queryset=ScoreSheet.objects.filter(
                state=ScoreSheet.State.SUBMITTED
            ).prefetch_related("scores"),
        ),
        "reconciliations",
    )


def oral_results_released(
    *, trainee: User, oral_exam: OralExam | None = None
) -> list[Sitting]:
    """The trainee's released oral-exam results (of one oral exam, if given),
    latest first, each with its ``trainee_result`` worked out: four queries
    however many there are. The template ``exams/oral/includes/result.html``
    shows one."""
    released = Sitting.objects.filter(
        booking__trainee=trainee,
        state=Sitting.State.DECIDED,
        released_at__isnull=False,
    )
    if oral_exam is not None:
        released = released.filter(booking__oral_exam=oral_exam)
    sittings = _with_scores(
        released.select_related("booking__oral_exam", "booking__slot").order_by(
            "-booking__slot__starts_at", "-pk"
        )
    )
    results = list(sittings)
    for sitting in results:
        sitting.trainee_result = trainee_result(sitting)
    return results


def oral_result_released(*, sitting_id: int) -> Sitting:
    """One sitting as its trainee's result page shows it, with its
    ``trainee_result`` once it is released; raises ``Sitting.DoesNotExist``."""
    sitting = _with_scores(
        Sitting.objects.select_related("booking__oral_exam", "booking__slot")
    ).get(pk=sitting_id)
    if sitting.released_at is not None and sitting.state == Sitting.State.DECIDED:
        sitting.trainee_result = trainee_result(sitting)
    return sitting


# Sittings waiting for an administrator -------------------------------------------


@dataclass(frozen=True)
class WaitingSittings:
    to_release: list[Sitting]
    reconciling: list[Sitting]


def sittings_releasable() -> QuerySet[Sitting]:
    """Decided sittings whose result an administrator has yet to release."""
    return (
        Sitting.objects.filter(state=Sitting.State.DECIDED, released_at__isnull=True)
        .select_related("booking__trainee", "booking__oral_exam", "booking__slot")
        .order_by("decided_at", "pk")
    )


def sittings_waiting() -> WaitingSittings:
    """What waits for an administrator: results to release and sittings
    whose panel must reconcile; two queries."""
    return WaitingSittings(
        to_release=list(sittings_releasable()),
        reconciling=list(
            Sitting.objects.filter(state=Sitting.State.RECONCILING)
            .select_related(
                "booking__trainee",
                "booking__oral_exam",
                "booking__slot__lead_examiner",
            )
            .order_by("opened_at", "pk")
        ),
    )
