"""Scoring oral exams: opening a sitting with its frozen rubric, the panel's
score sheets, reconciliation, the pass rule and releasing results.

Every write that can change a sitting's decision takes a row lock on the
sitting first, so two examiners submitting at once decide it exactly once,
and a reopening or a reconciliation never crosses a submit.

Errors name the form field they belong to: ``level_<key>`` and
``comment_<key>`` for a criterion's level and comment on a score sheet,
``note_<key>`` for a reconciliation's note, ``reason`` for a reopening.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import audit
from courses.services import certificates_check_later

from ..models import (
    Booking,
    CriterionScore,
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
    user_can_score_sitting,
)
from ..selectors.oral_scoring import (
    agreed_levels,
    level_position,
    sheet_points,
    sitting_outcome,
)

if TYPE_CHECKING:
    from cms.models import User

COMMENT_MAX = 2000


def level_field(key: str) -> str:
    return f"level_{key}"


def comment_field(key: str) -> str:
    return f"comment_{key}"


def note_field(key: str) -> str:
    return f"note_{key}"


@transaction.atomic
def sitting_open(*, booking: Booking) -> Sitting:
    """The sitting of an attended booking, opened once: the rubric is frozen
    into it now, so editing the rubric later never changes its result."""
    existing = Sitting.objects.filter(booking=booking).first()
    if existing is not None:
        return existing
    oral_exam = booking.oral_exam
    try:
        with transaction.atomic():
            return Sitting.objects.create(
                booking=booking,
                rubric=oral_exam.rubric.freeze(pass_percent=oral_exam.pass_percent),
                examiners_required=oral_exam.examiners_per_sitting,
                opened_at=timezone.now(),
            )
    except IntegrityError:  # opened by a concurrent request
        return Sitting.objects.get(booking=booking)


def _lock(sitting: Sitting) -> Sitting:
    """The sitting, locked, with the booking, slot and exam its rules read."""
    return (
        Sitting.objects.select_for_update(of=("self",))
        .select_related("booking__slot", "booking__oral_exam")
        .prefetch_related("booking__slot__examiners")
        .get(pk=sitting.pk)
    )


def _refuse_unless_on_panel(sitting: Sitting, examiner: User) -> None:
    if not user_can_score_sitting(examiner, sitting):
        raise PermissionDenied(
            _("You are not on the panel of this sitting, so you cannot score it.")
        )


def _unknown_criteria(sitting: Sitting, keys: Iterable[str]) -> None:
    known = {criterion["key"] for criterion in sitting.criteria}
    unknown = sorted(set(keys) - known)
    if unknown:
        raise ValidationError(
            _(
                "This sitting's rubric has no criterion %(keys)s; reload the "
                "score sheet and try again."
            )
            % {"keys": ", ".join(unknown)}
        )


def _validated_scores(
    sitting: Sitting,
    levels: Mapping[str, int | None],
    comments: Mapping[str, str],
) -> dict[str, tuple[int, str]]:
    """The scores given, checked against the frozen rubric: each level one of
    the criterion's own, each comment short enough and with a level."""
    _unknown_criteria(sitting, [*levels, *comments])
    problems: dict[str, list[str]] = {}
    scores = {}
    for criterion in sitting.criteria:
        key = criterion["key"]
        points = levels.get(key)
        comment = (comments.get(key) or "").strip()
        if points is not None and level_position(criterion, points) is None:
            problems[level_field(key)] = [
                _("“%(criterion)s”: choose one of its levels (%(points)s points).")
                % {
                    "criterion": criterion["title"],
                    "points": ", ".join(
                        str(level["points"]) for level in criterion["levels"]
                    ),
                }
            ]
            continue
        if len(comment) > COMMENT_MAX:
            problems[comment_field(key)] = [
                _("“%(criterion)s”: keep the comment to %(max)s characters.")
                % {"criterion": criterion["title"], "max": COMMENT_MAX}
            ]
            continue
        if points is None:
            if comment:
                problems[level_field(key)] = [
                    _("“%(criterion)s”: choose a level to go with the comment.")
                    % {"criterion": criterion["title"]}
                ]
            continue
        scores[key] = (points, comment)
    if problems:
        raise ValidationError(problems)
    return scores


@transaction.atomic
def score_sheet_save(
    *,
    sitting: Sitting,
    examiner: User,
    levels: Mapping[str, int | None],
    comments: Mapping[str, str] | None = None,
) -> ScoreSheet:
    """Save an examiner's draft: the level (points) and comment given for
    each criterion by its key; a criterion left out or None is unscored.
    Nothing is saved when any score is wrong."""
    sitting = _lock(sitting)
    _refuse_unless_on_panel(sitting, examiner)
    if sitting.state != Sitting.State.SCORING:
        raise ValidationError(
            _(
                "The panel has finished scoring this sitting; scores can no "
                "longer change."
            )
        )
    sheet, _created = ScoreSheet.objects.get_or_create(
        sitting=sitting, examiner=examiner
    )
    if sheet.state == ScoreSheet.State.SUBMITTED:
        raise ValidationError(
            _("You have already submitted your scores for this sitting.")
        )
    scores = _validated_scores(sitting, levels, comments or {})
    existing = {score.criterion_key: score for score in sheet.scores.all()}
    CriterionScore.objects.filter(
        sheet=sheet, criterion_key__in=set(existing) - set(scores)
    ).delete()
    changed, created = [], []
    for key, (points, comment) in scores.items():
        score = existing.get(key)
        if score is None:
            created.append(
                CriterionScore(
                    sheet=sheet, criterion_key=key, points=points, comment=comment
                )
            )
        elif (score.points, score.comment) != (points, comment):
            score.points, score.comment = points, comment
            changed.append(score)
    CriterionScore.objects.bulk_create(created)
    CriterionScore.objects.bulk_update(changed, ["points", "comment"])
    return sheet


@transaction.atomic
def score_sheet_submit(*, sitting: Sitting, examiner: User) -> ScoreSheet:
    """Submit an examiner's sheet, once, with every criterion scored; the
    last of the panel to submit decides the sitting."""
    sitting = _lock(sitting)
    _refuse_unless_on_panel(sitting, examiner)
    sheet = (
        ScoreSheet.objects.select_for_update()
        .filter(sitting=sitting, examiner=examiner)
        .first()
    )
    if sheet is not None and sheet.state == ScoreSheet.State.SUBMITTED:
        raise ValidationError(
            _("You have already submitted your scores for this sitting.")
        )
    if sitting.state != Sitting.State.SCORING:
        raise ValidationError(
            _(
                "The panel has finished scoring this sitting without your sheet; "
                "it can no longer be submitted."
            )
        )
    scored = sheet_points(sheet) if sheet is not None else {}
    missing = {
        level_field(criterion["key"]): [
            _("“%(criterion)s”: choose a level before submitting.")
            % {"criterion": criterion["title"]}
        ]
        for criterion in sitting.criteria
        if criterion["key"] not in scored
    }
    if missing:
        raise ValidationError(missing)
    sheet.state = ScoreSheet.State.SUBMITTED
    sheet.submitted_at = timezone.now()
    sheet.save(update_fields=["state", "submitted_at"])
    audit.record(
        "oral.sheet_submitted",
        actor=examiner,
        target=sitting,
        sheet=sheet.pk,
        scores=scored,
    )
    _sitting_decide(sitting)
    return sheet


def _sitting_decide(sitting: Sitting) -> None:
    """With the sitting locked: once the panel has submitted, reconcile or
    decide by the pass rule."""
    submitted = list(
        ScoreSheet.objects.filter(
            sitting=sitting, state=ScoreSheet.State.SUBMITTED
        ).prefetch_related("scores")
    )
    if len(submitted) < sitting.examiners_required:
        return
    outcome = sitting_outcome(
        rubric=sitting.rubric,
        sheets=[sheet_points(sheet) for sheet in submitted],
        agreed=agreed_levels(sitting.reconciliations.all()),
    )
    if outcome.waiting_for_agreement:
        sitting.state = Sitting.State.RECONCILING
        sitting.save(update_fields=["state"])
        return
    _decision_record(sitting, percent=outcome.percent, passed=outcome.passed)


# What a decision sets on a sitting, and a reopening clears.
DECISION_FIELDS = [
    "state",
    "percent",
    "passed",
    "decided_at",
    "released_at",
    "released_by",
]


def _decision_record(sitting: Sitting, *, percent, passed: bool) -> None:
    now = timezone.now()
    sitting.state = Sitting.State.DECIDED
    sitting.percent = percent
    sitting.passed = passed
    sitting.decided_at = now
    if sitting.booking.oral_exam.release == OralExam.Release.AT_ONCE:
        sitting.released_at = now
        sitting.released_by = None
        if passed:
            certificates_check_later(trainee_id=sitting.booking.trainee_id)
    sitting.save(update_fields=DECISION_FIELDS)
    audit.record(
        "oral.decided",
        target=sitting,
        percent=percent,
        passed=passed,
        released=sitting.released_at is not None,
    )


@transaction.atomic
def sitting_reconcile(
    *,
    sitting: Sitting,
    by: User,
    agreed: Mapping[str, int | None],
    notes: Mapping[str, str],
) -> Sitting:
    """Record the level the panel agreed for each criterion its examiners
    scored two levels or more apart, each with a note, and decide."""
    sitting = _lock(sitting)
    if not user_can_reconcile(by, sitting):
        raise PermissionDenied(
            _(
                "Only the lead examiner or an administrator records what the "
                "panel agreed."
            )
        )
    if sitting.state != Sitting.State.RECONCILING:
        raise ValidationError(_("This sitting is not waiting for a reconciliation."))
    submitted = list(
        ScoreSheet.objects.filter(
            sitting=sitting, state=ScoreSheet.State.SUBMITTED
        ).prefetch_related("scores")
    )
    outcome = sitting_outcome(
        rubric=sitting.rubric,
        sheets=[sheet_points(sheet) for sheet in submitted],
        agreed=agreed_levels(sitting.reconciliations.all()),
    )
    waiting = {c.key: c for c in outcome.waiting_for_agreement}
    _unknown_criteria(sitting, [*agreed, *notes])
    others = sorted((set(agreed) | set(notes)) - set(waiting))
    if others:
        raise ValidationError(
            _(
                "The panel agreed on %(keys)s already; only the criteria it "
                "scored two levels or more apart are reconciled."
            )
            % {"keys": ", ".join(others)}
        )
    problems: dict[str, list[str]] = {}
    rows = []
    now = timezone.now()
    for key, criterion in waiting.items():
        points = agreed.get(key)
        note = (notes.get(key) or "").strip()
        title = criterion.title
        if points is None or level_position(criterion.criterion, points) is None:
            problems[level_field(key)] = [
                _("“%(criterion)s”: choose the level the panel agreed on.")
                % {"criterion": title}
            ]
        if not note:
            problems[note_field(key)] = [
                _("“%(criterion)s”: say why the panel agreed on this level.")
                % {"criterion": title}
            ]
        elif len(note) > COMMENT_MAX:
            problems[note_field(key)] = [
                _("“%(criterion)s”: keep the note to %(max)s characters.")
                % {"criterion": title, "max": COMMENT_MAX}
            ]
        rows.append(
            Reconciliation(
                sitting=sitting,
                criterion_key=key,
                points=points if points is not None else 0,
                note=note,
                decided_by=by,
                decided_at=now,
            )
        )
    if problems:
        raise ValidationError(problems)
    Reconciliation.objects.bulk_create(rows)
    audit.record(
        "oral.reconciled",
        actor=by,
        target=sitting,
        agreed={row.criterion_key: row.points for row in rows},
        notes={row.criterion_key: row.note for row in rows},
    )
    _sitting_decide(sitting)
    sitting.refresh_from_db()
    return sitting


@transaction.atomic
def score_sheet_reopen(*, sheet: ScoreSheet, by: User, reason: str) -> ScoreSheet:
    """Reopen a submitted sheet so its examiner can change it. The sitting
    goes back to scoring: its decision, its release and the panel's
    reconciliations are withdrawn until the panel submits again, and all
    of it is kept in a ``ScoreSheetReopening``."""
    if not user_can_reopen_score_sheets(by):
        raise PermissionDenied(_("Only an administrator can reopen a score sheet."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the sheet is reopened.")]})
    if len(reason) > COMMENT_MAX:
        raise ValidationError(
            {
                "reason": [
                    _("Keep the reason to %(max)s characters.") % {"max": COMMENT_MAX}
                ]
            }
        )
    sitting = _lock(sheet.sitting)
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.state != ScoreSheet.State.SUBMITTED:
        raise ValidationError(
            _("This sheet is a draft; only a submitted sheet is reopened.")
        )
    reconciliations = list(sitting.reconciliations.all())
    now = timezone.now()
    ScoreSheetReopening.objects.create(
        sheet=sheet,
        reopened_by=by,
        reopened_at=now,
        reason=reason,
        submitted_at=sheet.submitted_at,
        scores={
            score.criterion_key: {"points": score.points, "comment": score.comment}
            for score in sheet.scores.all()
        },
        sitting_state=sitting.state,
        percent=sitting.percent,
        passed=sitting.passed,
        released_at=sitting.released_at,
        reconciliations=[
            {
                "criterion_key": r.criterion_key,
                "points": r.points,
                "note": r.note,
                "decided_by_id": r.decided_by_id,
                "decided_at": r.decided_at.isoformat(),
            }
            for r in reconciliations
        ],
    )
    Reconciliation.objects.filter(sitting=sitting).delete()
    sitting.state = Sitting.State.SCORING
    sitting.percent = sitting.passed = sitting.decided_at = None
    sitting.released_at = sitting.released_by = None
    sitting.save(update_fields=DECISION_FIELDS)
    sheet.state = ScoreSheet.State.DRAFT
    sheet.submitted_at = None
    sheet.reopened_at = now
    sheet.reopened_by = by
    sheet.reopen_reason = reason
    sheet.save(
        update_fields=[
            "state",
            "submitted_at",
            "reopened_at",
            "reopened_by",
            "reopen_reason",
        ]
    )
    audit.record(
        "oral.sheet_reopened",
        actor=by,
        target=sitting,
        reason=reason,
        sheet=sheet.pk,
        examiner=sheet.examiner_id,
    )
    return sheet


@transaction.atomic
def sittings_release(*, sitting_ids: Iterable[int], by: User) -> int:
    """Release the results of decided sittings to their trainees, all or
    none: a sitting not decided, already released or unknown refuses them
    all. Returns how many were released."""
    if not user_can_release_oral_results(by):
        raise PermissionDenied(_("Only an administrator can release results."))
    wanted = set(sitting_ids)
    if not wanted:
        raise ValidationError({"sittings": [_("Choose at least one result.")]})
    sittings = list(
        Sitting.objects.select_for_update()
        .filter(pk__in=wanted, state=Sitting.State.DECIDED, released_at__isnull=True)
        .order_by("pk")
    )
    if len(sittings) != len(wanted):
        raise ValidationError(
            {
                "sittings": [
                    _(
                        "Some of the chosen results are not waiting to be released "
                        "(already released, reopened or not decided); reload the "
                        "page and choose again."
                    )
                ]
            }
        )
    now = timezone.now()
    for sitting in sittings:
        sitting.released_at = now
        sitting.released_by = by
    Sitting.objects.bulk_update(sittings, ["released_at", "released_by"])
    for sitting in sittings:
        audit.record("oral.released", actor=by, target=sitting, passed=sitting.passed)
    for trainee_id in (
        Booking.objects.filter(sitting__in=[s for s in sittings if s.passed])
        .values_list("trainee_id", flat=True)
        .distinct()
    ):
        # A released pass may complete a course: checked after the commit.
        certificates_check_later(trainee_id=trainee_id)
    return len(sittings)
