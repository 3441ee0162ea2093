"""Writes for an attempt: starting it, saving answers, submitting, closing.

Every answer is acknowledged only after its transaction commits. The attempt
row is locked for each save and for the submit, so a save and a submit never
interleave, and a save that arrives after the deadline or after submission is
refused rather than half-applied.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.db import converted, in_range
from courses.models import Enrollment

from ..models import (
    Attempt,
    AttemptQuestion,
    Question,
    Response,
    WrittenExam,
    question_type,
)
from ..selectors.bank import Shortfall, questions_whole
from .eligibility import attempt_eligibility, deadline_for
from .grading import finalize, grade_automatically


class StaleSave(Exception):
    """A save from a page older than the latest saved answer."""


class AttemptClosed(Exception):
    """A save or submit for an attempt that is no longer open."""


def draw_questions(*, exam: WrittenExam, rng: random.Random) -> list[tuple]:
    """(question, points, category) for each blueprint rule, drawn from the
    active questions of the rule's category.

    The pools of every rule are read in one query of ids, and only the drawn
    questions are loaded whole: from the cache when unchanged since an
    earlier draw, otherwise in one query per question type drawn, however
    large the bank and however many rules the blueprint has.
    """
    rules = list(exam.blueprint.select_related("category"))
    # category: [(id, polymorphic_ctype_id, updated_at)] of its active questions
    pools: dict[int, list[tuple]] = {rule.category_id: [] for rule in rules}
    rows = (
        Question.objects.non_polymorphic()
        .filter(category__in=pools, status=Question.Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", "polymorphic_ctype_id", "updated_at", "category_id")
    )
    for pk, content_type_id, updated_at, category_id in rows:
        pools[category_id].append((pk, content_type_id, updated_at))
    picks = []
    for rule in rules:
        pool = pools[rule.category_id]
        if len(pool) < rule.count:
            # The editor refuses such a blueprint for an open exam; this
            # catches questions retired since, with the same message.
            raise ValidationError(
                str(Shortfall(category=rule.category, have=len(pool), need=rule.count))
            )
        picks.extend((pick, rule) for pick in rng.sample(pool, rule.count))
    questions = questions_whole(pick for pick, _rule in picks)
    drawn = [
        (questions[pk], rule.points or questions[pk].points, rule.category)
        for (pk, _type, _updated_at), rule in picks
    ]
    if exam.shuffle_questions:
        rng.shuffle(drawn)
    return drawn


@transaction.atomic
def attempt_start(*, exam: WrittenExam, trainee, rng: random.Random | None = None):
    """Start (or resume) an attempt, freezing its questions.

    The trainee's enrollment row is locked first, so two starts at once are
    serialised: the second resumes the attempt the first created, and the
    last permitted attempt can only be started once.
    """
    enrollment = (
        Enrollment.objects.select_for_update()
        .filter(trainee=trainee, course=exam.course_id)
        .only("status")
        .first()
    )
    # The attempts are read once, under the lock: any past their deadline
    # are closed with their saved answers before eligibility is decided.
    attempts = [
        attempt_submit(attempt=attempt, by_deadline=True)
        if attempt.state == Attempt.State.IN_PROGRESS and attempt.is_expired
        else attempt
        for attempt in Attempt.objects.filter(exam=exam, trainee=trainee)
    ]
    eligibility = attempt_eligibility(
        exam=exam, trainee=trainee, attempts=attempts, enrollment=enrollment
    )
    if eligibility.in_progress is not None:
        return eligibility.in_progress
    if not eligibility.allowed:
        raise PermissionDenied(eligibility.reason)
    rng = rng or random.Random()
    now = timezone.now()
    drawn = draw_questions(exam=exam, rng=rng)
    attempt = Attempt.objects.create(
        exam=exam,
        trainee=trainee,
        number=eligibility.next_number,
        started_at=now,
        deadline=deadline_for(
            exam=exam,
            trainee=trainee,
            started_at=now,
            accommodation=eligibility.accommodation,
        ),
        pass_mark_percent=exam.pass_mark_percent,
        max_score=sum((points for _q, points, _c in drawn), Decimal(0)),
    )
    frozen = []
    for position, (question, points, category) in enumerate(drawn, start=1):
        content, key = question.freeze(shuffle=exam.shuffle_choices, rng=rng)
        frozen.append(
            {
                "position": position,
                "question_id": question.pk,
                "category_name": category.name,
                "points": points,
                "content": content,
                "key": key,
            }
        )
    _freeze_questions(attempt, frozen)
    return attempt


def _freeze_questions(attempt: Attempt, frozen: list[dict]) -> None:
    """The attempt's frozen questions, each with its empty response.

    Starting an attempt is the heaviest request of an exam day. On PostgreSQL
    the questions and their responses are written by one statement from one
    JSON document (``jsonb_to_recordset``): an ORM bulk insert of fifty
    model instances as some four hundred quoted parameters, then a second
    insert for the responses, took a fifth of a start's time
    (``benchmarks/save_profile.py``). Elsewhere, a bulk insert and an
    ``INSERT … SELECT`` of the responses.
    """
    if connection.vendor != "postgresql":
        AttemptQuestion.objects.bulk_create(
            AttemptQuestion(attempt=attempt, **row) for row in frozen
        )
        _create_empty_responses(attempt)
        return
    question_columns = _columns(
        AttemptQuestion,
        "attempt",
        "position",
        "question",
        "category_name",
        "points",
        "content",
        "key",
        "flagged",
    )
    # Only identifiers from the models' metadata, quoted, are written into
    # the statement; the values are parameters.
    sql = (
        "WITH frozen AS ("  # noqa: S608
        f"INSERT INTO {_table(AttemptQuestion)} ({question_columns}) "
        "SELECT %s, r.position, r.question_id, r.category_name, r.points, "
        "r.content, r.key, false "
        "FROM jsonb_to_recordset(%s::jsonb) AS r(position integer, "
        "question_id bigint, category_name text, points numeric, content jsonb, "
        "key jsonb) "
        f"RETURNING {_column(AttemptQuestion, 'id')}) "
        f"INSERT INTO {_table(Response)} ({_empty_response_columns()}) "
        f"SELECT {_column(AttemptQuestion, 'id')}, 0, %s FROM frozen"
    )
    document = json.dumps(
        [{**row, "points": str(row["points"])} for row in frozen],
        cls=AttemptQuestion._meta.get_field("content").encoder,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [attempt.pk, document, ""])


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, name: str, *, qualified: bool = False) -> str:
    """A model field's column, quoted; with ``qualified``, after its table."""
    column = connection.ops.quote_name(model._meta.get_field(name).column)
    return f"{_table(model)}.{column}" if qualified else column


def _columns(model, *names: str) -> str:
    return ", ".join(_column(model, name) for name in names)


def _empty_response_columns() -> str:
    """The columns an empty response is written with: its question, revision
    0 and no comment; the others may be null."""
    return _columns(Response, "attempt_question", "revision", "comment")


def _create_empty_responses(attempt: Attempt) -> None:
    """One empty response per frozen question, made in the database from the
    questions' ids (``INSERT … SELECT``): building fifty model instances in
    Python only to send back ids the database already holds cost a start
    about a tenth of its time."""
    # Only identifiers from the models' metadata, quoted, are written into the
    # statement; the values are parameters.
    sql = (
        f"INSERT INTO {_table(Response)} ({_empty_response_columns()}) "  # noqa: S608
        f"SELECT {_column(AttemptQuestion, 'id')}, 0, %s "
        f"FROM {_table(AttemptQuestion)} "
        f"WHERE {_column(AttemptQuestion, 'attempt')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ["", attempt.pk])


def _validate_answer(content: dict, answer) -> dict | None:
    """The answer to save, checked by its question type: refuses answers that
    could not have come from the page (tampering) and those the trainee must
    correct."""
    try:
        question_class = question_type(content["type"])
    except KeyError:
        raise ValidationError(_("Unknown question type.")) from None
    return question_class.clean_answer(content, answer)


@dataclass(frozen=True)
class SaveReceipt:
    position: int
    revision: int
    saved_at: object
    seconds_left: int | None
    answered: bool
    flagged: bool


@transaction.atomic
def attempt_save_response(
    *,
    attempt: Attempt | int,
    position: int,
    answer,
    revision: int | None,
    flagged: bool | None = None,
    trainee=None,
) -> SaveReceipt:
    """Save one answer durably, or refuse: after the deadline, after submit,
    or when ``revision`` shows the page is older than the saved answer.

    ``answer`` is the answer, or a function that takes the question's frozen
    content and returns it (a form names its fields after that content).
    With ``trainee``, an attempt that is not theirs is not found
    (``Attempt.DoesNotExist``), exactly like one that does not exist.

    The attempt row is locked first, as the submit locks it, and only then
    are the question and its saved answer read: saves to one attempt queue
    behind each other and behind a submit, and each reads what the one
    before it committed.
    """
    attempt_id = attempt.pk if isinstance(attempt, Attempt) else attempt
    question = _question_to_save(
        attempt_id=attempt_id,
        position=position,
        trainee_id=trainee.pk if trainee is not None else None,
    )
    if question is None:
        # No such question, or no such attempt (or not theirs): lock the
        # attempt alone to tell which, so a closed attempt still says so.
        attempts = Attempt.objects.select_for_update().filter(pk=attempt_id)
        if trainee is not None:
            attempts = attempts.filter(trainee=trainee)
        attempt = attempts.only("state", "deadline").get()  # DoesNotExist
    else:
        attempt = question.attempt
    if attempt.state != Attempt.State.IN_PROGRESS:
        raise AttemptClosed(_("This attempt has been submitted; nothing was saved."))
    if attempt.is_expired:
        raise AttemptClosed(_("Time is up; answers after the deadline are not saved."))
    if question is None:
        raise ValidationError(
            _("This attempt has no question %(n)s.") % {"n": position}
        )
    response = question.response
    if revision is not None and revision != response.revision:
        raise StaleSave(
            _(
                "This answer was changed in another tab or window since this page "
                "loaded. Reload to see the latest answer."
            )
        )
    if callable(answer):
        answer = answer(question.content)
    cleaned = _validate_answer(question.content, answer)
    now = timezone.now()
    if cleaned != response.answer:
        response.answer = cleaned
        response.revision += 1
        response.saved_at = now
        # A queryset update: no signals, and no read of the deferred columns
        # a model save would make first.
        Response.objects.filter(pk=response.pk).update(
            answer=cleaned, revision=response.revision, saved_at=now
        )
    if flagged is not None and flagged != question.flagged:
        question.flagged = flagged
        AttemptQuestion.objects.filter(pk=question.pk).update(flagged=flagged)
    return SaveReceipt(
        position=position,
        revision=response.revision,
        saved_at=response.saved_at,
        seconds_left=attempt.seconds_left(),
        answered=question.question_class.is_answered(response.answer),
        flagged=question.flagged,
    )


# What a save reads of each row, in the models' field order; never the key.
_SAVE_READS = (
    (AttemptQuestion, ("id", "content", "flagged")),
    (Attempt, ("id", "state", "deadline")),
    (Response, ("id", "answer", "revision", "saved_at")),
)


def _question_to_save(
    *, attempt_id: int, position: int, trainee_id: int | None
) -> AttemptQuestion | None:
    """The question at ``position`` of the attempt, with ``.attempt`` and
    ``.response``, the attempt's row and the answer's locked; None when
    there is no such question, or no such attempt (or not the trainee's).

    One read runs for every answer given, so it asks only the columns a
    save needs. Locking both rows (an inner join: every question has its
    response) is what makes a save that waited for another read the row
    that one committed, and a save that waited for the submit see it.

    The statement is written from the models' metadata, not built by the
    ORM: building and compiling that query (a join, a lock of two tables,
    deferred columns) took 0.6 ms of a 3.8 ms save
    (``benchmarks/save_profile.py``). The rows become model instances through
    the same converters the ORM applies.
    """
    if not (
        in_range(Attempt, "id", attempt_id)
        and in_range(AttemptQuestion, "position", position)
    ):
        return None  # no row could match; the database would refuse the number
    columns = [
        (model, field)
        for model, names in _SAVE_READS
        for field in model._meta.concrete_fields
        if field.attname in names
    ]
    # Only identifiers from the models' metadata, quoted, are written into
    # the statement; the values are parameters.
    sql = (
        "SELECT "  # noqa: S608
        + ", ".join(
            _column(model, field.name, qualified=True) for model, field in columns
        )
        + f" FROM {_table(AttemptQuestion)}"
        f" INNER JOIN {_table(Attempt)} ON {_column(Attempt, 'id', qualified=True)}"
        f" = {_column(AttemptQuestion, 'attempt', qualified=True)}"
        f" INNER JOIN {_table(Response)} ON"
        f" {_column(Response, 'attempt_question', qualified=True)}"
        f" = {_column(AttemptQuestion, 'id', qualified=True)}"
        f" WHERE {_column(AttemptQuestion, 'attempt', qualified=True)} = %s"
        f" AND {_column(AttemptQuestion, 'position', qualified=True)} = %s"
    )
    params = [attempt_id, position]
    if trainee_id is not None:
        sql += f" AND {_column(Attempt, 'trainee', qualified=True)} = %s"
        params.append(trainee_id)
    if connection.features.has_select_for_update_of:
        sql += f" FOR UPDATE OF {_table(Attempt)}, {_table(Response)}"
    elif connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    read = list(zip(columns, row, strict=True))

    def instance(model, names):
        own = [(field, value) for (owner, field), value in read if owner is model]
        fields, values = zip(*own, strict=True)
        return model.from_db(
            connection.alias, names, converted(connection, model, fields, values)
        )

    question, attempt, response = (
        instance(model, names) for model, names in _SAVE_READS
    )
    question.attempt = attempt
    question.response = response
    return question


@transaction.atomic
def attempt_submit(*, attempt: Attempt, by_deadline: bool = False) -> Attempt:
    """Close an attempt and grade what can be graded. Submitting twice grades
    once: a closed attempt is returned unchanged."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.state != Attempt.State.IN_PROGRESS:
        return attempt
    now = timezone.now()
    attempt.submitted_at = min(now, attempt.deadline) if attempt.deadline else now
    attempt.closed_by_deadline = by_deadline
    attempt.save(update_fields=["submitted_at", "closed_by_deadline"])
    finalize(attempt, grade_automatically(attempt))
    return attempt


def attempt_close_if_expired(*, attempt: Attempt) -> Attempt:
    """The attempt, closed with its saved answers if its deadline has passed.
    Costs no query while the attempt is open."""
    if attempt.state == Attempt.State.IN_PROGRESS and attempt.is_expired:
        return attempt_submit(attempt=attempt, by_deadline=True)
    return attempt


def attempts_close_expired(*, exam=None, trainee=None, now=None) -> int:
    """Close every attempt past its deadline with the answers saved so far,
    whether or not the trainee is still connected. Returns how many."""
    now = now or timezone.now()
    expired = Attempt.objects.filter(state=Attempt.State.IN_PROGRESS, deadline__lte=now)
    if exam is not None:
        expired = expired.filter(exam=exam)
    if trainee is not None:
        expired = expired.filter(trainee=trainee)
    count = 0
    for attempt in expired:
        attempt_submit(attempt=attempt, by_deadline=True)
        count += 1
    return count
