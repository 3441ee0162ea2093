"""Credential requirements: each type says met or missing, and why."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import selectors, services
from courses.models import (
    CoursePage,
    Credential,
    HourEntry,
    HoursRequirement,
    ModuleCompletionRequirement,
    RequirementFacts,
    TotalHoursRequirement,
)
from tests.factories import (
    CLASSROOM,
    ONLINE,
    AgeRequirementFactory,
    CredentialFactory,
    HourCategoryFactory,
    HourEntryFactory,
    HoursRequirementFactory,
    ModuleCompletionRequirementFactory,
    RequirementFactory,
    TotalHoursRequirementFactory,
    WrittenExamFactory,
    WrittenExamPassedRequirementFactory,
    adpss_credential,
    course_with_modules,
    hour_category,
    kps_course,
    kps_credential_rules,
    lessons_complete,
    make_cohort,
    make_session,
)

pytestmark = pytest.mark.django_db

SUPERVISION = HourEntry.Kind.SUPERVISION
EXPERIENCE = HourEntry.Kind.EXPERIENCE
TODAY = datetime.datetime(2026, 12, 3, 15, 0, tzinfo=datetime.UTC)


def progress_of(credential: Credential, trainee):
    (item,) = selectors.credential_progress(trainee=trainee, credentials=[credential])
    return item


def hours_credit(trainee, *, category, hours: str, **fields) -> HourEntry:
    return HourEntryFactory(
        trainee=trainee, category=category, hours=Decimal(hours), **fields
    )


# Hours, by kind ------------------------------------------------------------


def test_hour_kinds_are_counted_separately(make_user):
    trainee = make_user("trainee")
    topic = HourCategoryFactory()
    other = HourCategoryFactory()
    credential = CredentialFactory()
    hours_credit(trainee, category=topic, hours="10")
    hours_credit(trainee, category=topic, hours="5", kind=SUPERVISION)
    hours_credit(trainee, category=other, hours="2", kind=EXPERIENCE)
    hours_credit(trainee, category=other, hours="40", kind=EXPERIENCE, status="pending")
    training = HoursRequirementFactory(
        credential=credential, category=topic, minimum_hours=Decimal(10)
    )
    supervision = HoursRequirementFactory(
        credential=credential,
        category=topic,
        kind=SUPERVISION,
        minimum_hours=Decimal(6),
    )
    experience = TotalHoursRequirementFactory(
        credential=credential, kind=EXPERIENCE, minimum_hours=Decimal(8)
    )
    all_training = TotalHoursRequirementFactory(
        credential=credential, minimum_hours=Decimal(12)
    )

    met = training.progress(trainee)
    assert (met.met, met.status, met.fraction) == (True, "10 of 10 hours", 1.0)
    short = supervision.progress(trainee)
    assert (short.met, short.status) == (False, "5 of 6 hours")
    assert short.fraction == pytest.approx(5 / 6)
    assert short.next_step == "Ask your supervisor to record and verify these hours."
    assert short.next_url is None
    # Pending hours are not counted until they are verified.
    pending = experience.progress(trainee)
    assert (pending.met, pending.status) == (False, "2 of 8 hours")
    total = all_training.progress(trainee)
    assert (total.met, total.status) == (False, "10 of 12 hours")
    assert total.next_url == reverse("courses:submit_hours")
    assert total.percent == 83


def test_rules_of_other_kinds_name_their_kind():
    topic = hour_category("ethics")
    credential = CredentialFactory()
    rules = [
        HoursRequirement(
            credential=credential, category=topic, minimum_hours=Decimal(16)
        ),
        HoursRequirement(
            credential=credential,
            category=topic,
            kind=SUPERVISION,
            minimum_hours=Decimal("2.5"),
        ),
        TotalHoursRequirement(credential=credential, minimum_hours=Decimal(30)),
        TotalHoursRequirement(
            credential=credential, kind=EXPERIENCE, minimum_hours=Decimal(500)
        ),
    ]
    assert [rule.describe() for rule in rules] == [
        "16 hours of Ethics",
        "2.5 hours of supervision in Ethics",
        "30 training hours in total",
        "500 hours of experience in total",
    ]


def test_a_minimum_per_category_is_unique_per_kind():
    topic = HourCategoryFactory()
    credential = CredentialFactory()
    HoursRequirementFactory(
        credential=credential, category=topic, minimum_hours=Decimal(3)
    )
    supervision = HoursRequirementFactory.build(
        credential=credential,
        category=topic,
        kind=SUPERVISION,
        minimum_hours=Decimal(3),
    )
    supervision.full_clean()  # another kind in the same category is allowed

    again = HoursRequirementFactory.build(
        credential=credential, category=topic, minimum_hours=Decimal(5)
    )
    with pytest.raises(ValidationError) as raised:
        again.full_clean()
    assert list(raised.value.message_dict) == ["category"]
    assert "kind of hours in this category" in raised.value.message_dict["category"][0]


def test_curriculum_audit_measures_training_rules_only():
    # Five class days of six hours of core training, against 30 hours in all.
    kps = kps_course(days=5, lessons_per_day=0)
    core = hour_category("kps-core")
    HoursRequirementFactory(
        credential=kps.credential,
        category=core,
        kind=SUPERVISION,
        minimum_hours=Decimal(40),
    )
    TotalHoursRequirementFactory(
        credential=kps.credential, kind=EXPERIENCE, minimum_hours=Decimal(99)
    )

    (audit,) = selectors.curriculum_audits(courses=CoursePage.objects.filter(pk=kps.pk))

    assert [(line.label, line.minimum) for line in audit.lines] == [("Total", 30)]
    assert audit.is_complete
    # A supervision minimum in a category does not make it a required topic.
    assert [(c.slug, h) for c, h in audit.other_categories] == [("kps-core", 30)]


# Age ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "met", "status", "next_step"),
    [
        (datetime.date(2008, 12, 3), True, "18 years old", ""),
        (datetime.date(1990, 5, 1), True, "36 years old", ""),
        (
            datetime.date(2008, 12, 4),
            False,
            "17 years old; 18 on Dec. 4, 2026",
            "You meet this requirement from Dec. 4, 2026.",
        ),
        (
            datetime.date(2008, 2, 29),
            True,
            "18 years old",
            "",
        ),
    ],
)
def test_age_requirement_from_the_date_of_birth(
    make_user, born, met, status, next_step
):
    trainee = make_user("trainee", date_of_birth=born)
    rule = AgeRequirementFactory(minimum_age=18)
    assert rule.describe() == "18 or older"
    with time_machine.travel(TODAY, tick=False):
        progress = rule.progress(trainee)
    assert (progress.met, progress.status, progress.next_step) == (
        met,
        status,
        next_step,
    )
    assert progress.next_url is None


def test_a_february_29_birthday_comes_of_age_on_march_1(make_user):
    trainee = make_user("trainee", date_of_birth=datetime.date(2008, 2, 29))
    rule = AgeRequirementFactory(minimum_age=18)
    noon = datetime.time(17, 0, tzinfo=datetime.UTC)
    with time_machine.travel(
        datetime.datetime.combine(datetime.date(2026, 2, 28), noon), tick=False
    ):
        before = rule.progress(trainee)
    with time_machine.travel(
        datetime.datetime.combine(datetime.date(2026, 3, 1), noon), tick=False
    ):
        after = rule.progress(trainee)
    assert (before.met, before.status) == (False, "17 years old; 18 on March 1, 2026")
    assert before.fraction == pytest.approx(17 / 18)
    assert (after.met, after.status) == (True, "18 years old")


def test_a_missing_date_of_birth_is_not_met_and_says_who_can_record_it(make_user):
    trainee = make_user("trainee", date_of_birth=None)
    rule = AgeRequirementFactory(minimum_age=18)
    progress = rule.progress(trainee)
    assert not progress.met
    assert progress.status == "Date of birth not recorded"
    assert "Ask an administrator" in progress.next_step
    assert progress.next_url == reverse("account")
    assert not rule.is_met(trainee)


def test_an_age_of_zero_is_refused_with_the_field_named():
    rule = AgeRequirementFactory.build(credential=CredentialFactory(), minimum_age=0)
    with pytest.raises(ValidationError) as raised:
        rule.full_clean()
    assert raised.value.message_dict == {
        "minimum_age": ["Enter a minimum age of at least 1 year."]
    }


# Modules completed ---------------------------------------------------------


def test_module_completion_counts_modules_and_points_at_the_first_missing(
    make_user,
):
    trainee, trainer = make_user("trainee"), make_user("trainer")
    built = course_with_modules(
        (ONLINE, 2), (CLASSROOM, 1), (ONLINE, 1), title="Peer basics"
    )
    first, classroom, last = built.modules
    cohort = make_cohort(built.course, trainers=[trainer], trainees=[trainee])
    rule = ModuleCompletionRequirementFactory(course=built.course)
    assert rule.describe() == "Complete every module of Peer basics"

    start = rule.progress(trainee)
    assert (start.met, start.status, start.fraction) == (
        False,
        "0 of 3 modules completed",
        0,
    )
    assert (start.next_step, start.next_url) == ("Next: Module 1", first.url)

    lessons_complete(trainee, built.lessons[first.pk])
    services.attendance_record(
        session=make_session(cohort, [classroom]),
        trainee=trainee,
        status="present",
        minutes=360,
        by=trainer,
    )
    middle = rule.progress(trainee)
    assert (middle.status, middle.next_step) == (
        "2 of 3 modules completed",
        "Next: Module 3",
    )
    assert middle.next_url == last.url
    assert middle.fraction == pytest.approx(2 / 3)

    lessons_complete(trainee, built.lessons[last.pk])
    done = rule.progress(trainee)
    assert (done.met, done.status, done.fraction) == (
        True,
        "3 of 3 modules completed",
        1.0,
    )


def test_module_completion_of_chosen_modules_only(make_user):
    trainee = make_user("trainee")
    built = course_with_modules((ONLINE, 1), (ONLINE, 1), title="Peer basics")
    chosen, other = built.modules
    make_cohort(built.course, trainers=[make_user("trainer")], trainees=[trainee])
    rule = ModuleCompletionRequirementFactory(course=built.course, modules=[chosen])
    rule = ModuleCompletionRequirement.objects.get(pk=rule.pk)
    assert rule.describe() == "Complete Module 1 of Peer basics"
    assert rule.progress(trainee).status == "0 of 1 module completed"

    lessons_complete(trainee, built.lessons[chosen.pk])
    assert rule.is_met(trainee)
    assert other.pk not in {m.pk for m in rule.required_modules()}


def test_unpublished_modules_are_not_asked_for(make_user):
    trainee = make_user("trainee")
    built = course_with_modules((ONLINE, 1), (ONLINE, 1))
    kept, withdrawn = built.modules
    make_cohort(built.course, trainers=[make_user("trainer")], trainees=[trainee])
    lessons_complete(trainee, built.lessons[kept.pk])
    rule = ModuleCompletionRequirementFactory(course=built.course)
    assert not rule.is_met(trainee)

    withdrawn.unpublish()
    rule = ModuleCompletionRequirement.objects.get(pk=rule.pk)
    progress = rule.progress(trainee)
    assert (progress.met, progress.status) == (True, "1 of 1 module completed")


def test_a_course_with_no_published_modules_is_not_met(make_user):
    built = course_with_modules()
    rule = ModuleCompletionRequirementFactory(course=built.course)
    progress = rule.progress(make_user("trainee"))
    assert not progress.met
    assert progress.status == "The course has no published modules to complete"


def test_deleting_the_course_keeps_the_rule_and_it_is_never_met(make_user):
    built = course_with_modules((ONLINE, 1))
    rule = ModuleCompletionRequirementFactory(course=built.course)
    built.course.delete()

    rule = ModuleCompletionRequirement.objects.get(pk=rule.pk)
    assert rule.course is None
    assert rule.describe() == "Complete the modules of a course that was deleted"
    progress = rule.progress(make_user("trainee"))
    assert (progress.met, progress.status) == (
        False,
        "The course of this requirement was deleted",
    )


def test_chosen_modules_of_another_course_are_refused_by_name():
    built = course_with_modules((ONLINE, 1))
    stray = kps_course(days=1, lessons_per_day=0)
    day_one = stray.get_children().get(slug="day-1").specific
    with pytest.raises(ValidationError) as raised:
        ModuleCompletionRequirement.validate_modules(
            course=built.course, modules=[built.modules[0], day_one]
        )
    (message,) = raised.value.message_dict["modules"]
    assert "Day 1" in message
    assert built.modules[0].title not in message


# Unmeasurable rules and whole credentials ----------------------------------


def test_a_rule_that_cannot_be_measured_is_never_met(make_user):
    trainee = make_user("trainee")
    unknown = RequirementFactory()
    progress = unknown.progress(trainee)
    assert not progress.met
    assert progress.status == "This requirement cannot be checked on this site"
    assert progress.next_step
    assert not unknown.is_met(trainee)
    assert unknown.hour_rule() is None
    assert unknown.measure(hours_by_category={}, total_hours=Decimal(0)) is None


def test_a_credential_with_one_unmeasurable_rule_is_not_met(make_user):
    trainee = make_user("trainee", date_of_birth=datetime.date(1980, 1, 1))
    credential = CredentialFactory()
    AgeRequirementFactory(credential=credential, minimum_age=18, sort_order=0)
    RequirementFactory(credential=credential, sort_order=5)

    item = progress_of(credential, trainee)

    assert [row.progress.met for row in item.requirements] == [True, False]
    assert (item.met_count, item.total, item.is_met) == (1, 2, False)


def test_a_credential_is_met_when_every_rule_says_so(make_user):
    trainee = make_user("trainee", date_of_birth=datetime.date(1980, 1, 1))
    topic = HourCategoryFactory()
    credential = CredentialFactory()
    AgeRequirementFactory(credential=credential, minimum_age=18, sort_order=0)
    HoursRequirementFactory(
        credential=credential, category=topic, minimum_hours=Decimal(2), sort_order=1
    )
    assert not progress_of(credential, trainee).is_met

    hours_credit(trainee, category=topic, hours="2")

    item = progress_of(credential, trainee)
    assert (item.met_count, item.total, item.is_met) == (2, 2, True)
    assert [row.description for row in item.requirements] == [
        "18 or older",
        f"2 hours of {topic.name}",
    ]


def test_a_credential_without_rules_is_not_ready(make_user):
    item = progress_of(CredentialFactory(), make_user("trainee"))
    assert (item.total, item.is_met) == (0, False)


def test_facts_are_read_once_for_many_rules(make_user, django_assert_num_queries):
    trainee = make_user("trainee")
    topic = HourCategoryFactory()
    credential = CredentialFactory()
    rules = [
        HoursRequirementFactory(
            credential=credential, category=topic, kind=kind, minimum_hours=Decimal(1)
        )
        for kind in HourEntry.Kind.values
    ]
    facts = RequirementFacts(trainee)
    type(rules[0]).prepare(rules, facts=facts)
    with django_assert_num_queries(1):
        for rule in rules:
            rule.progress(trainee, facts=facts)


# The dashboard -------------------------------------------------------------


def twenty_more_rules(credential, *, built, other_course, exam) -> None:
    """Nineteen more rules of every type, spread over hour categories,
    kinds, courses and modules."""
    categories = [HourCategoryFactory() for _ in range(4)]
    for category in categories:
        for kind in (HourEntry.Kind.TRAINING, SUPERVISION):
            HoursRequirementFactory(
                credential=credential,
                category=category,
                kind=kind,
                minimum_hours=Decimal(3),
            )
    for kind in (HourEntry.Kind.TRAINING, SUPERVISION, EXPERIENCE):
        TotalHoursRequirementFactory(
            credential=credential, kind=kind, minimum_hours=Decimal(9)
        )
    for age in (16, 18, 21):
        AgeRequirementFactory(credential=credential, minimum_age=age)
    for course in (built.course, other_course):
        ModuleCompletionRequirementFactory(credential=credential, course=course)
    for module in built.modules[:2]:
        ModuleCompletionRequirementFactory(
            credential=credential, course=built.course, modules=[module]
        )
    WrittenExamPassedRequirementFactory(credential=credential, exam=exam)


def test_dashboard_queries_are_the_same_for_one_rule_and_twenty(
    client, make_user, django_assert_max_num_queries
):
    trainee, trainer = make_user("trainee"), make_user("trainer")
    built = course_with_modules((ONLINE, 2), (CLASSROOM, 1), (ONLINE, 1))
    # Two more credentials on the dashboard throughout, with a rule of every
    # type between them, so that the second count measures more rules, not
    # rules of types the first page had no need to read.
    other_course = kps_course(days=2, lessons_per_day=1)
    kps_credential_rules(
        course=other_course,
        exam=WrittenExamFactory(
            course=other_course, title="KPS written test", blueprint=[]
        ),
    )
    adpss_credential()
    cohort = make_cohort(built.course, trainers=[trainer], trainees=[trainee])
    lessons_complete(trainee, built.lessons[built.modules[0].pk])
    services.attendance_record(
        session=make_session(cohort, [built.modules[1]]),
        trainee=trainee,
        status="present",
        minutes=360,
        by=trainer,
    )
    exam = WrittenExamFactory(
        course=built.course,
        title="Check",
        pass_mark_percent=Decimal(70),
        is_published=False,
        blueprint=[],
    )
    credential = CredentialFactory()
    ModuleCompletionRequirementFactory(credential=credential, course=built.course)
    client.force_login(trainee)
    url = reverse("courses:dashboard")
    client.get(url)

    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    assert "0 of 1 requirement met" in response.content.decode()

    twenty_more_rules(credential, built=built, other_course=other_course, exam=exam)
    assert credential.requirements.count() == 20
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(url)
    assert "of 20 requirements met" in response.content.decode()

    assert len(twenty) == len(one)
    # One of them reads the trainee's open invitations to cohort seats.
    with django_assert_max_num_queries(39):
        client.get(url)


def test_dashboard_says_met_and_missing_in_words_with_next_steps(client, make_user):
    trainee = make_user("trainee", date_of_birth=datetime.date(1990, 5, 1))
    kps = kps_course(days=5, lessons_per_day=0)
    exam = WrittenExamFactory(course=kps, title="KPS written test", blueprint=[])
    kps_credential_rules(course=kps, exam=exam)
    # The other credential, with its minimum of experience hours.
    adpss_credential()
    day_one = kps.get_children().get(slug="day-1")
    client.force_login(trainee)

    html = client.get(reverse("courses:dashboard")).content.decode()

    assert "Kentucky Peer Specialist (KPS)" in html
    assert "18 or older" in html
    assert "36 years old" in html
    assert "Complete every module of Kentucky Peer Specialist Training" in html
    assert "0 of 5 modules completed" in html
    assert f'href="{day_one.url}">Next: {day_one.title}</a>' in html
    assert "Pass KPS written test" in html
    assert "Not attempted yet" in html
    assert reverse("exams:exam_detail", args=[exam.pk]) in html
    assert "1 of 4 requirements met" in html
    assert ">Met<" in html and ">Missing<" in html
    assert 'aria-label="500 hours of experience in total"' in html
    assert "0 of 500 hours" in html


def test_dashboard_says_ready_when_every_rule_is_met(client, make_user):
    trainee = make_user("trainee", date_of_birth=datetime.date(1990, 5, 1))
    AgeRequirementFactory(credential=CredentialFactory(), minimum_age=18)
    client.force_login(trainee)
    html = client.get(reverse("courses:dashboard")).content.decode()
    assert "Ready:</strong> the requirement is met." in html


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("trainee", 200),
        ("trainer", 403),
        ("examiner", 403),
        ("supervisor", 403),
        ("administrator", 403),
        (None, 302),
    ],
)
def test_dashboard_by_role(client_as, role, status):
    response = client_as(role).get(reverse("courses:dashboard"))
    assert response.status_code == status
    if role is None:
        assert reverse("login") in response["Location"]
