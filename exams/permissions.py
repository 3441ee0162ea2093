"""Who may do what with exams. Views, templates and admin menus use these.

As in ``courses.permissions``: each check is a Django model permission
granted to the role groups by data migrations (superusers hold them all),
narrowed by an object rule where the verb concerns particular people: a
trainee's own attempts; the essays of a course the grader teaches a cohort
of. ``grade_any_response``, held by administrators, lifts the course rule,
never the others: nobody grades their own attempt, only answers a person
grades (essays) are scored by hand, and only once the attempt is submitted.

The oral-exam permissions live on the records they govern:
``publish_oral_slot`` on the slot, ``score_oral_exam`` on the score sheet.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from courses.models import Cohort, CohortSeat

from .models import QUESTION_TYPES, Accommodation, Attempt, Response, WrittenExam

TAKE_EXAMS = "exams.add_attempt"
GRADE = "exams.grade_response"
GRADE_ANY = "exams.grade_any_response"
REGRADE = "exams.change_attempt"
VIEW_EXAMS = "exams.view_writtenexam"
VIEW_BANK = "exams.view_question"
ADD_QUESTIONS = "exams.add_question"
CHANGE_QUESTIONS = "exams.change_question"


def user_can_take_exams(user) -> bool:
    """See one's exams, start attempts, sit and submit them."""
    return user.has_perm(TAKE_EXAMS)


def user_can_sit_attempt(user, attempt: Attempt) -> bool:
    """Only the trainee who started an attempt reaches it."""
    return user.has_perm(TAKE_EXAMS) and attempt.trainee_id == user.pk


def user_can_grade(user) -> bool:
    """Reach the grading queue; which essays is ``user_can_grade_response``."""
    return user.has_perm(GRADE)


def user_can_grade_exam(user, exam: WrittenExam) -> bool:
    """Grade the essays of an exam: of a course the grader teaches a cohort
    of, unless they may grade any."""
    if not user.has_perm(GRADE):
        return False
    if user.has_perm(GRADE_ANY):
        return True
    return Cohort.objects.filter(course_id=exam.course_id, trainers=user.pk).exists()


#: Attempts whose answers graders see: submitted ones. An attempt in
#: progress is the trainee's alone.
GRADABLE_ATTEMPT_STATES = (Attempt.State.NEEDS_GRADING, Attempt.State.GRADED)


def graded_by_person_type_codes() -> list[str]:
    """The question types whose answers a person scores (essays)."""
    return [cls.type_code for cls in QUESTION_TYPES if cls.graded_by_person]


def user_can_grade_response(user, response: Response) -> bool:
    """Score one answer by hand: an answer a person grades (an essay), of a
    submitted attempt, never one's own, at an exam the user may grade
    (``user_can_grade_exam``)."""
    question = response.attempt_question
    attempt = question.attempt
    if attempt.trainee_id == user.pk:
        return False
    if attempt.state not in GRADABLE_ATTEMPT_STATES:
        return False
    if not question.question_class.graded_by_person:
        return False
    return user_can_grade_exam(user, attempt.exam)


def responses_gradable_by(user, responses: QuerySet[Response]) -> QuerySet:
    """The responses of ``responses`` this user may grade, in one query."""
    if not user.has_perm(GRADE):
        return responses.none()
    responses = responses.filter(
        attempt_question__attempt__state__in=GRADABLE_ATTEMPT_STATES,
        attempt_question__content__type__in=graded_by_person_type_codes(),
    ).exclude(attempt_question__attempt__trainee=user.pk)
    if user.has_perm(GRADE_ANY):
        return responses
    taught = Cohort.objects.filter(
        course_id=OuterRef("attempt_question__attempt__exam__course_id"),
        trainers=user.pk,
    )
    return responses.filter(Exists(taught))


def user_can_view_exam_reports(user) -> bool:
    """The exam reports list and each exam's item analysis."""
    return user.has_perm(VIEW_EXAMS)


def user_can_view_bank(user) -> bool:
    """The bank listing, previews and the export of it."""
    return user.has_perm(VIEW_BANK)


def user_can_add_questions(user) -> bool:
    return user.has_perm(ADD_QUESTIONS)


def user_can_edit_questions(user) -> bool:
    return user.has_perm(CHANGE_QUESTIONS)


def user_can_import_questions(user) -> bool:
    """An import both adds questions and updates those whose key it names."""
    return user.has_perm(ADD_QUESTIONS) and user.has_perm(CHANGE_QUESTIONS)


def user_can_regrade(user) -> bool:
    """Regrade past attempts after a question's answer key is corrected: it
    changes attempts' scores, so it is the attempt permission. Which attempts
    is ``attempts_regradable_by``."""
    return user.has_perm(REGRADE)


def user_regrades_every_course(user) -> bool:
    """Whether a regrade reaches every course's attempts (``grade_any_response``,
    held by administrators), or only those of courses the user teaches."""
    return user.has_perm(REGRADE) and user.has_perm(GRADE_ANY)


def attempts_regradable_by(user, attempts: QuerySet[Attempt]) -> QuerySet:
    """The attempts of ``attempts`` a regrade by this user reaches, in one
    query: those of exams of courses they teach a cohort of, unless they may
    grade any course's attempts. A regrade changes scores a state board relies
    on; a trainer's reaches only their own courses."""
    if not user.has_perm(REGRADE):
        return attempts.none()
    if user.has_perm(GRADE_ANY):
        return attempts
    taught = Cohort.objects.filter(
        course_id=OuterRef("exam__course_id"), trainers=user.pk
    )
    return attempts.filter(Exists(taught))


CHANGE_ACCOMMODATIONS = "exams.change_accommodation"
VIEW_ACCOMMODATIONS = "exams.view_accommodation"


def accommodations_visible_to(
    user, accommodations: QuerySet[Accommodation]
) -> QuerySet[Accommodation]:
    """The accommodations of ``accommodations`` this user may see, in one
    query. Who grants them (administrators) sees them all; a trainer sees
    those of the trainees in cohorts they teach, and nobody else's: an
    accommodation tells something of a person's health."""
    if user.has_perm(CHANGE_ACCOMMODATIONS):
        return accommodations
    if not user.has_perm(VIEW_ACCOMMODATIONS):
        return accommodations.none()
    taught = CohortSeat.objects.filter(
        trainee_id=OuterRef("trainee_id"), cohort__trainers=user.pk
    )
    return accommodations.filter(Exists(taught))


# Oral exams: slots and bookings -------------------------------------------------
#
# Examiners publish slots for panels they sit on and run those slots; holding
# ``change_slot`` (administrators) widens that to every slot and every panel.
# A trainee books for themself with the exam-taking permission. Acting on a
# booking after the trainee's cutoff, excusing a missed sitting and withdrawing
# a slot that has bookings need ``change_booking`` (administrators).

PUBLISH_SLOTS = "exams.publish_oral_slot"
MANAGE_ANY_SLOT = "exams.change_slot"
MANAGE_ANY_BOOKING = "exams.change_booking"
SCORE_ORAL = "exams.score_oral_exam"


def user_can_publish_slots(user) -> bool:
    """Reach the examiner's oral-exam pages and publish slots."""
    return user.has_perm(PUBLISH_SLOTS)


def user_can_manage_any_slot(user) -> bool:
    """Publish slots for any panel and run every slot."""
    return user.has_perm(PUBLISH_SLOTS) and user.has_perm(MANAGE_ANY_SLOT)


def user_can_run_slot(user, slot) -> bool:
    """See a slot's roster, mark attendance, export it: the slot's panel, and
    whoever may run any slot. ``slot.examiners`` is read from a prefetch when
    there is one."""
    if not user.has_perm(PUBLISH_SLOTS):
        return False
    if user.has_perm(MANAGE_ANY_SLOT):
        return True
    return any(examiner.pk == user.pk for examiner in slot.examiners.all())


def slots_run_by(user, slots: QuerySet) -> QuerySet:
    """The slots of ``slots`` this user may run, in one query."""
    if not user.has_perm(PUBLISH_SLOTS):
        return slots.none()
    if user.has_perm(MANAGE_ANY_SLOT):
        return slots
    return slots.filter(examiners=user.pk)


def user_can_sit_on_panel(user) -> bool:
    """Only people who may score oral exams can be named to a panel."""
    return user.has_perm(SCORE_ORAL)


def user_can_book_oral(user) -> bool:
    """See one's oral exams, book, cancel and move one's own booking."""
    return user.has_perm(TAKE_EXAMS)


def user_can_manage_any_booking(user) -> bool:
    """Cancel or move any booking after its cutoff, excuse a missed sitting,
    withdraw a slot that has bookings (with a note)."""
    return user.has_perm(MANAGE_ANY_BOOKING)


def user_owns_booking(user, booking) -> bool:
    """The trainee's own booking, and nobody else's."""
    return user.has_perm(TAKE_EXAMS) and booking.trainee_id == user.pk


# Oral exams: scoring, reconciliation, results, agreement -----------------------
#
# Examiners score the sittings of slots whose panel they sit on; the lead
# examiner of a slot records what the panel agreed when it must reconcile.
# The rest is for administrators, through the oral records' own model
# permissions: every sheet, drafts included, and the agreement report
# (``view_scoresheet``), reopening a submitted sheet (``change_scoresheet``),
# deciding any reconciliation (``add_reconciliation``) and releasing results
# (``change_sitting``).

VIEW_SCORE_SHEETS = "exams.view_scoresheet"
REOPEN_SCORE_SHEETS = "exams.change_scoresheet"
RECONCILE_ANY = "exams.add_reconciliation"
RELEASE_ORAL_RESULTS = "exams.change_sitting"


def user_can_score_oral_exams(user) -> bool:
    """Reach the score sheets; which ones is ``user_can_score_sitting``."""
    return user.has_perm(SCORE_ORAL)


def user_sits_on_panel(user, sitting) -> bool:
    """The object rule alone: the user is on the panel of the sitting's slot
    (read from the prefetched panel when there is one)."""
    if not user.is_authenticated:
        return False
    return any(member.pk == user.pk for member in sitting.booking.slot.examiners.all())


def user_can_score_sitting(user, sitting) -> bool:
    """Fill in one's own score sheet for a sitting of one's panel."""
    return user.has_perm(SCORE_ORAL) and user_sits_on_panel(user, sitting)


def user_can_see_draft_score_sheets(user) -> bool:
    """See every examiner's score sheet, drafts included: examiners never
    see one another's drafts."""
    return user.has_perm(VIEW_SCORE_SHEETS)


def user_can_reach_score_sheets(user) -> bool:
    """Reach the score sheet pages at all; which sittings is
    ``user_can_open_score_sheet``."""
    return user_can_score_oral_exams(user) or user_can_see_draft_score_sheets(user)


def user_can_open_score_sheet(user, sitting) -> bool:
    """Open a sitting's score sheet page: its panel, and whoever may see
    every sheet."""
    return user_can_score_sitting(user, sitting) or user_can_see_draft_score_sheets(
        user
    )


def user_can_reopen_score_sheets(user) -> bool:
    """Reopen a submitted score sheet, with a reason."""
    return user.has_perm(REOPEN_SCORE_SHEETS)


def user_can_reconcile(user, sitting) -> bool:
    """Record the agreed levels of a sitting whose panel disagreed: its lead
    examiner, or whoever may decide any reconciliation."""
    if user.has_perm(RECONCILE_ANY):
        return True
    return (
        user.has_perm(SCORE_ORAL)
        and sitting.booking.slot.lead_examiner_id == user.pk
        and user_sits_on_panel(user, sitting)
    )


def user_can_release_oral_results(user) -> bool:
    """Release decided results that wait for an administrator."""
    return user.has_perm(RELEASE_ORAL_RESULTS)


def user_can_view_oral_agreement(user) -> bool:
    """The inter-rater agreement report: it compares examiners by name."""
    return user.has_perm(VIEW_SCORE_SHEETS)


def user_can_see_oral_result(user, sitting) -> bool:
    """A trainee sees their own sitting's result page."""
    return user.has_perm(TAKE_EXAMS) and sitting.booking.trainee_id == user.pk
