"""One definition of a completed module, and every caller that uses it."""

import datetime
from decimal import Decimal

import pytest

from courses import selectors, services
from courses.models import (
    Attendance,
    HourEntry,
    LessonPage,
    ModulePage,
)
from courses.selectors import modules_completed
from exams.models import WrittenExam
from exams.services.eligibility import _missing_prerequisites
from tests.factories import (
    CLASSROOM,
    ONLINE,
    CredentialFactory,
    ModuleCompletionRequirementFactory,
    course_with_modules,
    lessons_complete,
    make_cohort,
    make_session,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    return {
        "trainer": make_user("trainer"),
        "trainee": make_user("trainee"),
        "other": make_user("trainee"),
    }


def done_for(trainee, modules) -> set[int]:
    return modules_completed(trainees=[trainee], modules=modules)[trainee.pk]


def test_online_module_is_complete_when_every_live_lesson_is(people):
    built = course_with_modules((ONLINE, 3))
    trainee = people["trainee"]
    make_cohort(built.course, trainers=[people["trainer"]], trainees=[trainee])
    (module,) = built.modules
    first, second, third = built.lessons[module.pk]

    lessons_complete(trainee, [first, second])
    assert done_for(trainee, [module]) == set()

    lessons_complete(trainee, [third])
    assert done_for(trainee, [module]) == {module.pk}
    assert done_for(people["other"], [module]) == set()


def test_a_lesson_published_later_makes_the_module_incomplete_again(people):
    built = course_with_modules((ONLINE, 2))
    trainee = people["trainee"]
    make_cohort(built.course, trainers=[people["trainer"]], trainees=[trainee])
    (module,) = built.modules
    lessons_complete(trainee, built.lessons[module.pk])
    assert done_for(trainee, [module]) == {module.pk}

    # An unpublished lesson is not asked for; once it is published, it is.
    late = LessonPage(
        title="Late lesson",
        slug="late-lesson",
        live=False,
        body=[{"type": "text", "value": "<p>Added later.</p>"}],
    )
    module.add_child(instance=late)
    assert done_for(trainee, [module]) == {module.pk}
    late.save_revision().publish()
    assert done_for(trainee, [module]) == set()


@pytest.mark.parametrize(
    ("status", "minutes", "complete"),
    [
        (Attendance.Status.PRESENT, 360, True),
        (Attendance.Status.LATE, 300, True),
        (Attendance.Status.LEFT_EARLY, 120, True),
        (Attendance.Status.ABSENT, 0, False),
    ],
)
def test_classroom_module_is_complete_by_attending_its_class_day(
    people, status, minutes, complete
):
    built = course_with_modules((CLASSROOM, 2))
    trainee, trainer = people["trainee"], people["trainer"]
    cohort = make_cohort(built.course, trainers=[trainer], trainees=[trainee])
    (module,) = built.modules
    session = make_session(cohort, [module])

    services.attendance_record(
        session=session, trainee=trainee, status=status, minutes=minutes, by=trainer
    )

    assert (module.pk in done_for(trainee, [module])) is complete


def test_attendance_corrected_to_absent_no_longer_completes(people):
    built = course_with_modules((CLASSROOM, 1))
    trainee, trainer = people["trainee"], people["trainer"]
    cohort = make_cohort(built.course, trainers=[trainer], trainees=[trainee])
    (module,) = built.modules
    session = make_session(cohort, [module])
    services.attendance_record(
        session=session, trainee=trainee, status="present", minutes=360, by=trainer
    )
    assert done_for(trainee, [module]) == {module.pk}

    services.attendance_record(
        session=session, trainee=trainee, status="absent", minutes=0, by=trainer
    )
    assert done_for(trainee, [module]) == set()


def test_classroom_module_can_also_be_completed_lesson_by_lesson(people):
    built = course_with_modules((CLASSROOM, 2))
    trainee = people["trainee"]
    make_cohort(built.course, trainers=[people["trainer"]], trainees=[trainee])
    (module,) = built.modules
    lessons_complete(trainee, built.lessons[module.pk])
    assert done_for(trainee, [module]) == {module.pk}


def test_a_module_without_lessons_is_never_complete_for_nothing(people):
    built = course_with_modules((ONLINE, 0), (CLASSROOM, 0))
    trainee, trainer = people["trainee"], people["trainer"]
    online, classroom = built.modules
    cohort = make_cohort(built.course, trainers=[trainer], trainees=[trainee])
    assert done_for(trainee, built.modules) == set()

    # Attending completes the classroom module; an online module is never
    # completed by attendance, with or without lessons.
    session = make_session(cohort, [online, classroom])
    services.attendance_record(
        session=session, trainee=trainee, status="present", minutes=360, by=trainer
    )
    assert done_for(trainee, built.modules) == {classroom.pk}


def test_a_class_day_of_other_modules_completes_only_those(people):
    built = course_with_modules((CLASSROOM, 1), (CLASSROOM, 1))
    trainee, trainer = people["trainee"], people["trainer"]
    first, second = built.modules
    cohort = make_cohort(built.course, trainers=[trainer], trainees=[trainee])
    session = make_session(cohort, [first])
    services.attendance_record(
        session=session, trainee=trainee, status="present", minutes=360, by=trainer
    )
    assert done_for(trainee, [second]) == set()
    assert done_for(trainee, [first, second]) == {first.pk}


def test_many_trainees_and_modules_cost_three_queries(
    people, make_user, django_assert_num_queries
):
    built = course_with_modules(
        (ONLINE, 2), (CLASSROOM, 1), (ONLINE, 1), (CLASSROOM, 0)
    )
    trainer = people["trainer"]
    trainees = [make_user("trainee") for _ in range(6)]
    cohort = make_cohort(built.course, trainers=[trainer], trainees=trainees)
    online, classroom, short, empty = built.modules
    session = make_session(cohort, [classroom, empty])
    for index, trainee in enumerate(trainees):
        if index % 2:
            lessons_complete(trainee, built.lessons[online.pk])
        if index % 3 == 0:
            services.attendance_record(
                session=session,
                trainee=trainee,
                status="present",
                minutes=360,
                by=trainer,
            )

    with django_assert_num_queries(3):
        result = modules_completed(trainees=trainees, modules=built.modules)

    for index, trainee in enumerate(trainees):
        expected = set()
        if index % 2:
            expected.add(online.pk)
        if index % 3 == 0:
            expected |= {classroom.pk, empty.pk}
        assert result[trainee.pk] == expected, index
    assert short.pk not in set().union(*result.values())


def test_nothing_to_ask_about_costs_no_query(people, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert modules_completed(trainees=[people["trainee"]], modules=[]) == {
            people["trainee"].pk: set()
        }
        assert modules_completed(trainees=[], modules=[]) == {}


def test_every_caller_agrees_on_which_modules_are_complete(people):
    """Lesson credit, course progress, exam prerequisites and the
    module-completion requirement all read the one definition."""
    built = course_with_modules(
        (ONLINE, 2),  # lessons done: complete
        (CLASSROOM, 1),  # marked absent, lesson not done: incomplete
        (CLASSROOM, 0),  # attended: complete
        (ONLINE, 0),  # nothing to do: never complete
        (ONLINE, 2),  # one lesson of two: incomplete
    )
    trainee, trainer = people["trainee"], people["trainer"]
    done_online, absent, attended, _empty, half = built.modules
    cohort = make_cohort(built.course, trainers=[trainer], trainees=[trainee])
    lessons_complete(trainee, built.lessons[done_online.pk])
    lessons_complete(trainee, built.lessons[half.pk][:1])
    services.attendance_record(
        session=make_session(cohort, [absent]),
        trainee=trainee,
        status="absent",
        minutes=0,
        by=trainer,
    )
    services.attendance_record(
        session=make_session(
            cohort, [attended], date=cohort.start_date + datetime.timedelta(days=1)
        ),
        trainee=trainee,
        status="late",
        minutes=200,
        by=trainer,
    )
    expected = {done_online.pk, attended.pk}

    assert done_for(trainee, built.modules) == expected

    (progress,) = selectors.courses_progress(trainee=trainee, courses=[built.course])
    assert {m.module.pk for m in progress.modules if m.is_complete} == expected

    exam = WrittenExam.objects.create(
        course=built.course, title="Prerequisite check", pass_mark_percent=Decimal(70)
    )
    exam.prerequisite_modules.set(built.modules)
    missing = _missing_prerequisites(exam=exam, trainee=trainee)
    assert missing == [m.title for m in built.modules if m.pk not in expected]

    for module in built.modules:
        if module.delivery == ONLINE:
            services.module_credit_if_complete(trainee=trainee, module=module)
    credited = set(
        HourEntry.objects.filter(
            trainee=trainee, source=HourEntry.Source.MODULE_COMPLETION
        ).values_list("module_id", flat=True)
    )
    online_ids = {m.pk for m in built.modules if m.delivery == ONLINE}
    assert credited == expected & online_ids

    credential = CredentialFactory()
    for module in built.modules:
        rule = ModuleCompletionRequirementFactory(
            credential=credential, course=built.course, modules=[module]
        )
        assert rule.is_met(trainee) is (module.pk in expected), module.title


def test_online_module_credit_is_unchanged_classroom_modules_credit_by_attendance(
    people,
):
    built = course_with_modules((ONLINE, 1), (CLASSROOM, 1))
    trainee = people["trainee"]
    online, classroom = built.modules
    make_cohort(built.course, trainers=[people["trainer"]], trainees=[trainee])

    lessons_complete(trainee, built.lessons[online.pk] + built.lessons[classroom.pk])

    entries = HourEntry.objects.filter(
        trainee=trainee, source=HourEntry.Source.MODULE_COMPLETION
    )
    assert [(e.module_id, e.hours) for e in entries] == [(online.pk, Decimal(2))]
    assert (
        services.module_credit_if_complete(
            trainee=trainee, module=ModulePage.objects.get(pk=classroom.pk)
        )
        is None
    )
