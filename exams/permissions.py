"""Who may do what with exams. Views, templates and admin menus use these.

As in ``courses.permissions``: each check is a Django model permission
granted to the role groups by data migrations (superusers hold them all),
narrowed by an object rule where the verb concerns particular people: a
trainee's own attempts; the essays of a course the grader teaches a cohort
of. ``grade_any_response``, held by administrators, lifts the grading rule.

The oral-exam permissions live on the records they govern:
``publish_oral_slot`` on the slot, ``score_oral_exam`` on the score sheet.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from courses.models import Cohort

from .models import Attempt, Response, WrittenExam

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


def user_can_grade_response(user, response: Response) -> bool:
    """Never one's own attempt; otherwise as ``user_can_grade_exam``."""
    attempt = response.attempt_question.attempt
    if attempt.trainee_id == user.pk:
        return False
    return user_can_grade_exam(user, attempt.exam)


def responses_gradable_by(user, responses: QuerySet[Response]) -> QuerySet:
    """The responses of ``responses`` this user may grade, in one query."""
    if not user.has_perm(GRADE):
        return responses.none()
    responses = responses.exclude(attempt_question__attempt__trainee=user.pk)
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
    changes attempts' scores, so it is the attempt permission."""
    return user.has_perm(REGRADE)
