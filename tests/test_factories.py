"""The factories make valid records from minimal arguments, in the state the
product itself would leave them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cms import roles
from cms.services import home_page_get
from courses import selectors
from courses.models import (
    Attendance,
    CohortSeat,
    CourseIndexPage,
    Enrollment,
    HourEntry,
    LessonPage,
    ModulePage,
    Requirement,
)
from exams.models import Attempt, Question

from . import factories

pytestmark = pytest.mark.django_db


def test_users_get_their_role_and_a_usable_password():
    trainer = factories.UserFactory(role=roles.TRAINER)
    assert roles.user_has_role(trainer, roles.TRAINER)
    assert trainer.check_password(factories.PASSWORD)
    assert not roles.user_role_names(factories.UserFactory())


def test_pages_are_live_in_the_tree_under_the_home_page():
    lesson = factories.LessonPageFactory()
    module = lesson.get_parent().specific
    course = module.get_parent().specific
    index = course.get_parent().specific
    assert isinstance(module, ModulePage)
    assert isinstance(index, CourseIndexPage)
    assert index.get_parent().pk == home_page_get().pk
    assert lesson.live and module.live and course.live
    assert lesson.url == f"/courses/{course.slug}/{module.slug}/{lesson.slug}/"
    for page in (lesson, module, course, index):
        page.full_clean()
    assert {block.block_type for block in lesson.body} == {
        "heading",
        "text",
        "key_point",
        "activity",
        "reflection",
    }


def test_there_is_one_catalogue_however_many_courses():
    first, second = factories.CoursePageFactory(), factories.CoursePageFactory()
    assert first.get_parent().pk == second.get_parent().pk
    assert CourseIndexPage.objects.count() == 1


def test_a_page_with_a_revision_is_published_through_it():
    lesson = factories.LessonPageFactory(with_revision=True)
    lesson.refresh_from_db()
    assert lesson.live_revision is not None
    assert lesson.first_published_at is not None
    assert not lesson.has_unpublished_changes


def test_alcohol_drug_course_offers_the_credentials_minimum_in_every_topic():
    course = factories.alcohol_drug_course(
        modules=factories.AD_MODULE_SLUGS, with_lessons=False
    )
    (audit,) = selectors.curriculum_audits(courses=type(course).objects.all())
    assert audit.is_complete
    assert audit.total_hours == factories.ADPSS_TOTAL
    assert not LessonPage.objects.exists()


def test_kps_course_is_taught_in_class_days():
    course = factories.kps_course(days=5, lessons_per_day=2)
    modules = ModulePage.objects.child_of(course)
    assert [m.slug for m in modules] == [f"day-{n}" for n in range(1, 6)]
    assert {m.delivery for m in modules} == {ModulePage.Delivery.CLASSROOM}
    assert LessonPage.objects.descendant_of(course).count() == 10
    (audit,) = selectors.curriculum_audits(courses=type(course).objects.all())
    assert audit.is_complete


def test_requirements_are_valid():
    for factory in (
        factories.HoursRequirementFactory,
        factories.TotalHoursRequirementFactory,
        factories.RequirementFactory,
        factories.AgeRequirementFactory,
        factories.ModuleCompletionRequirementFactory,
        factories.WrittenExamPassedRequirementFactory,
    ):
        factory().full_clean()


def _rules(credential) -> list[str]:
    return [
        rule.describe() for rule in Requirement.objects.filter(credential=credential)
    ]


def test_the_alcohol_drug_credential_has_every_hour_rule():
    assert _rules(factories.adpss_credential()) == [
        "16 hours of Ethics",
        "3 hours of Domestic violence",
        "2 hours of HIV",
        "10 hours of Advocacy",
        "10 hours of Mentoring and education",
        "10 hours of Recovery support",
        "6 hours of Suicide assessment, treatment and management",
        "60 training hours in total",
        "500 hours of experience in total",
        "25 hours of supervision in total",
    ]


def test_the_kps_credential_gets_the_rest_of_its_rules_in_order():
    course = factories.kps_course(days=2, lessons_per_day=0)
    exam = factories.WrittenExamFactory(course=course, title="KPS written test")
    credential = factories.kps_credential_rules(course=course, exam=exam)
    assert credential == course.credential
    assert _rules(credential) == [
        "18 or older",
        f"Complete every module of {course.title}",
        "Pass KPS written test",
        "30 training hours in total",
    ]


def test_a_module_completion_rule_takes_chosen_modules():
    module = factories.ModulePageFactory()
    rule = factories.ModuleCompletionRequirementFactory(
        course=module.get_parent().specific, modules=[module]
    )
    assert list(rule.modules.all()) == [module]
    assert not factories.ModuleCompletionRequirementFactory().modules.exists()


def test_a_course_is_built_from_module_shapes():
    built = factories.course_with_modules(
        (factories.ONLINE, 2), (factories.CLASSROOM, 0), title="Peer basics"
    )
    assert built.course.title == "Peer basics"
    assert list(ModulePage.objects.child_of(built.course)) == built.modules
    assert [(m.title, m.delivery) for m in built.modules] == [
        ("Module 1", factories.ONLINE),
        ("Module 2", factories.CLASSROOM),
    ]
    assert len({m.hour_category_id for m in built.modules}) == 1
    online, classroom = built.modules
    assert [lesson.title for lesson in built.lessons[online.pk]] == [
        "Lesson 1.1",
        "Lesson 1.2",
    ]
    assert built.lessons[classroom.pk] == []


def test_a_confirmed_seat_enrolls_the_trainee():
    trainer = factories.UserFactory(role=roles.TRAINER)
    seat = factories.CohortSeatFactory(
        cohort=factories.CohortFactory(trainers=[trainer]), confirmed_by=trainer
    )
    assert seat.status == CohortSeat.Status.CONFIRMED
    assert Enrollment.objects.filter(
        trainee=seat.trainee, course=seat.cohort.course
    ).exists()
    assert factories.CohortSeatFactory().status == CohortSeat.Status.REQUESTED


def test_cohorts_have_a_trainer_and_class_days_cover_a_classroom_module():
    session = factories.ClassSessionFactory()
    assert roles.user_has_role(session.cohort.trainers.get(), roles.TRAINER)
    (module,) = session.modules.all()
    assert module.delivery == ModulePage.Delivery.CLASSROOM
    assert module.get_parent().pk == session.cohort.course.pk
    assert session.date == session.cohort.start_date
    enrollment = factories.EnrollmentFactory(course=session.cohort.course)
    assert enrollment.status == Enrollment.Status.ACTIVE


def test_a_cohorts_trainees_are_seated_and_enrolled():
    trainer = factories.UserFactory(role=roles.TRAINER)
    trainees = [factories.UserFactory(role=roles.TRAINEE) for _ in range(2)]
    course = factories.CoursePageFactory()
    cohort = factories.make_cohort(course, trainers=[trainer], trainees=trainees)
    assert {seat.trainee for seat in cohort.seats.all()} == set(trainees)
    assert {seat.status for seat in cohort.seats.all()} == {CohortSeat.Status.CONFIRMED}
    assert Enrollment.objects.filter(course=course).count() == 2


def test_lessons_are_completed_through_the_service():
    built = factories.course_with_modules((factories.ONLINE, 2))
    trainee = factories.UserFactory(role=roles.TRAINEE)
    factories.EnrollmentFactory(trainee=trainee, course=built.course)
    (module,) = built.modules
    factories.lessons_complete(trainee, built.lessons[module.pk])
    (done,) = selectors.modules_completed(trainees=[trainee], modules=[module]).values()
    assert done == {module.pk}
    # The module's hours are credited as completing it online credits them.
    assert HourEntry.objects.get(trainee=trainee).module_id == module.pk


def test_content_pages_sit_under_the_home_page():
    page = factories.ContentPageFactory()
    assert page.get_parent().pk == home_page_get().pk
    page.full_clean()


def test_attendance_is_recorded_through_the_ledger():
    attendance = factories.AttendanceFactory(minutes_present=90)
    assert isinstance(attendance, Attendance)
    entry = HourEntry.objects.get(attendance=attendance)
    assert entry.hours == Decimal("1.50")
    assert entry.source == HourEntry.Source.ATTENDANCE


def test_hour_entries_are_credited_once_each(private_media):
    first, second = factories.HourEntryFactory(), factories.HourEntryFactory()
    assert first.pk != second.pk and first.source_key != second.source_key
    pending = factories.ExternalHoursFactory()
    assert pending.status == HourEntry.Status.PENDING
    assert pending.evidence.read().startswith(b"%PDF")


@pytest.mark.parametrize("type_code", list(factories.QUESTION_FACTORIES))
def test_every_question_type_is_valid_and_its_right_answer_earns_full_marks(
    type_code,
):
    question = factories.QUESTION_FACTORIES[type_code]()
    question.full_clean()
    assert question.status == Question.Status.ACTIVE
    assert question.type_code == type_code
    content, key = Question.objects.get(pk=question.pk).freeze()
    # Answers reach grading as a save stores them: checked by the type.
    right = question.clean_answer(content, factories.right_answer(content, key))
    wrong = question.clean_answer(content, factories.wrong_answer(content, key))
    fraction = question.grade_frozen(key, right)
    wrong = question.grade_frozen(key, wrong)
    if type_code == "essay":
        assert fraction is None and wrong is None
    else:
        assert fraction == 1
        assert wrong < 1


@pytest.mark.parametrize("type_code", list(factories.QUESTION_FACTORIES))
def test_every_question_type_reads_back_as_it_was_made(type_code):
    question = factories.QUESTION_FACTORIES[type_code]()
    stored = Question.objects.get(pk=question.pk)
    assert stored.as_dict() == question.as_dict()


def test_question_status_is_settable():
    draft = factories.EssayQuestionFactory(status=Question.Status.DRAFT)
    assert draft.status == Question.Status.DRAFT


def test_a_broken_key_is_refused_by_the_model_not_hidden_by_the_factory():
    question = factories.SingleChoiceQuestionFactory.build(
        choices=[("choice", {"text": "A", "correct": False, "feedback": ""})] * 2
    )
    with pytest.raises(ValidationError):
        question.full_clean()


def test_exam_can_be_started_and_attempts_are_frozen_as_in_production():
    exam = factories.WrittenExamFactory()
    assert exam.question_count == 3
    attempt = factories.AttemptFactory(exam=exam)
    assert attempt.state == Attempt.State.IN_PROGRESS
    assert attempt.questions.count() == 3
    assert all(row.key and row.content for row in attempt.questions.all())


def test_submitted_attempts_are_graded():
    right = factories.AttemptFactory(answers="right", submitted=True)
    assert right.state == Attempt.State.GRADED
    assert right.percent == 100 and right.passed
    wrong = factories.AttemptFactory(exam=right.exam, answers="wrong", submitted=True)
    assert wrong.percent == 0 and wrong.passed is False


def test_essays_wait_for_a_grader_unless_one_is_given():
    category = factories.QuestionCategoryFactory()
    factories.questions_in(category, "essay", "true_false")
    exam = factories.WrittenExamFactory(blueprint=[(category, 2)])
    waiting = factories.AttemptFactory(exam=exam, answers="right", submitted=True)
    assert waiting.state == Attempt.State.NEEDS_GRADING
    grader = factories.UserFactory(role=roles.TRAINER)
    factories.make_cohort(exam.course, trainers=[grader])  # graders teach it
    graded = factories.AttemptFactory(exam=exam, answers="right", graded_by=grader)
    assert graded.state == Attempt.State.GRADED
    assert graded.percent == 100


def test_accommodations_are_for_trainees():
    accommodation = factories.AccommodationFactory()
    accommodation.full_clean()
    assert roles.user_has_role(accommodation.trainee, roles.TRAINEE)
