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
    AgeRequirement,
    CoursePage,
    Credential,
    HourCategory,
    HourEntry,
    HoursRequirement,
    ModuleCompletionRequirement,
    Requirement,
    RequirementFacts,
    TotalHoursRequirement,
)
from exams.models import WrittenExam, WrittenExamPassedRequirement

from .requirement_builders import (
    CLASSROOM,
    ONLINE,
    RULE,
    category_build,
    class_day_build,
    cohort_build,
    course_build,
    credential_build,
    hours_credit,
    lessons_complete,
)

pytestmark = pytest.mark.django_db

SUPERVISION = HourEntry.Kind.SUPERVISION
EXPERIENCE = HourEntry.Kind.EXPERIENCE
TODAY = datetime.datetime(2026, 12, 3, 15, 0, tzinfo=datetime.UTC)


def progress_of(credential: Credential, trainee):
    (item,) = selectors.credential_progress(trainee=trainee, credentials=[credential])
    return item


# Hours, by kind ------------------------------------------------------------


def test_hour_kinds_are_counted_separately(make_user):
    trainee = make_user("trainee")
    topic = category_build("Ethics")
    other = category_build("Advocacy")
    credential = credential_build()
    hours_credit(trainee, category=topic, hours="10")
    hours_credit(trainee, category=topic, hours="5", kind=SUPERVISION)
    hours_credit(trainee, category=other, hours="2", kind=EXPERIENCE)
    hours_credit(trainee, category=other, hours="40", kind=EXPERIENCE, status="pending")
    training = HoursRequirement.objects.create(
        credential=credential, category=topic, minimum_hours=Decimal(10), **RULE
    )
    supervision = HoursRequirement.objects.create(
        credential=credential,
        category=topic,
        kind=SUPERVISION,
        minimum_hours=Decimal(6),
        **RULE,
    )
    experience = TotalHoursRequirement.objects.create(
        credential=credential, kind=EXPERIENCE, minimum_hours=Decimal(8), **RULE
    )
    all_training = TotalHoursRequirement.objects.create(
        credential=credential, minimum_hours=Decimal(12), **RULE
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
    topic = HourCategory.objects.get(slug="ethics")
    credential = credential_build()
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
    topic = category_build()
    credential = credential_build()
    HoursRequirement.objects.create(
        credential=credential, category=topic, minimum_hours=Decimal(3), **RULE
    )
    supervision = HoursRequirement(
        credential=credential,
        category=topic,
        kind=SUPERVISION,
        minimum_hours=Decimal(3),
        **RULE,
    )
    supervision.full_clean()  # another kind in the same category is allowed

    again = HoursRequirement(
        credential=credential, category=topic, minimum_hours=Decimal(5), **RULE
    )
    with pytest.raises(ValidationError) as raised:
        again.full_clean()
    assert list(raised.value.message_dict) == ["category"]
    assert "kind of hours in this category" in raised.value.message_dict["category"][0]


def test_curriculum_audit_measures_training_rules_only():
    kps = CoursePage.objects.get(slug="kps")
    core = HourCategory.objects.get(slug="kps-core")
    HoursRequirement.objects.create(
        credential=kps.credential,
        category=core,
        kind=SUPERVISION,
        minimum_hours=Decimal(40),
        **RULE,
    )
    TotalHoursRequirement.objects.create(
        credential=kps.credential, kind=EXPERIENCE, minimum_hours=Decimal(99), **RULE
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
    rule = AgeRequirement.objects.create(
        credential=credential_build(), minimum_age=18, **RULE
    )
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
    rule = AgeRequirement.objects.create(
        credential=credential_build(), minimum_age=18, **RULE
    )
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
    rule = AgeRequirement.objects.create(
        credential=credential_build(), minimum_age=18, **RULE
    )
    progress = rule.progress(trainee)
    assert not progress.met
    assert progress.status == "Date of birth not recorded"
    assert "Ask an administrator" in progress.next_step
    assert progress.next_url == reverse("account")
    assert not rule.is_met(trainee)


def test_an_age_of_zero_is_refused_with_the_field_named():
    rule = AgeRequirement(credential=credential_build(), minimum_age=0, **RULE)
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
    built = course_build((ONLINE, 2), (CLASSROOM, 1), (ONLINE, 1), title="Peer basics")
    first, classroom, last = built.modules
    cohort = cohort_build(built.course, trainer=trainer, trainees=[trainee])
    rule = ModuleCompletionRequirement.objects.create(
        credential=credential_build(), course=built.course, **RULE
    )
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
        session=class_day_build(cohort, [classroom]),
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
    built = course_build((ONLINE, 1), (ONLINE, 1), title="Peer basics")
    chosen, other = built.modules
    cohort_build(built.course, trainer=make_user("trainer"), trainees=[trainee])
    rule = ModuleCompletionRequirement.objects.create(
        credential=credential_build(), course=built.course, **RULE
    )
    rule.modules.set([chosen])
    rule = ModuleCompletionRequirement.objects.get(pk=rule.pk)
    assert rule.describe() == "Complete Module 1 of Peer basics"
    assert rule.progress(trainee).status == "0 of 1 module completed"

    lessons_complete(trainee, built.lessons[chosen.pk])
    assert rule.is_met(trainee)
    assert other.pk not in {m.pk for m in rule.required_modules()}


def test_unpublished_modules_are_not_asked_for(make_user):
    trainee = make_user("trainee")
    built = course_build((ONLINE, 1), (ONLINE, 1))
    kept, withdrawn = built.modules
    cohort_build(built.course, trainer=make_user("trainer"), trainees=[trainee])
    lessons_complete(trainee, built.lessons[kept.pk])
    rule = ModuleCompletionRequirement.objects.create(
        credential=credential_build(), course=built.course, **RULE
    )
    assert not rule.is_met(trainee)

    withdrawn.unpublish()
    rule = ModuleCompletionRequirement.objects.get(pk=rule.pk)
    progress = rule.progress(trainee)
    assert (progress.met, progress.status) == (True, "1 of 1 module completed")


def test_a_course_with_no_published_modules_is_not_met(make_user):
    built = course_build()
    rule = ModuleCompletionRequirement.objects.create(
        credential=credential_build(), course=built.course, **RULE
    )
    progress = rule.progress(make_user("trainee"))
    assert not progress.met
    assert progress.status == "The course has no published modules to complete"


def test_deleting_the_course_keeps_the_rule_and_it_is_never_met(make_user):
    built = course_build((ONLINE, 1))
    rule = ModuleCompletionRequirement.objects.create(
        credential=credential_build(), course=built.course, **RULE
    )
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
    built = course_build((ONLINE, 1))
    stray = CoursePage.objects.get(slug="kps")
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
    credential = credential_build()
    unknown = Requirement.objects.create(credential=credential, **RULE)
    progress = unknown.progress(trainee)
    assert not progress.met
    assert progress.status == "This requirement cannot be checked on this site"
    assert progress.next_step
    assert not unknown.is_met(trainee)
    assert unknown.hour_rule() is None
    assert unknown.measure(hours_by_category={}, total_hours=Decimal(0)) is None


def test_a_credential_with_one_unmeasurable_rule_is_not_met(make_user):
    trainee = make_user("trainee", date_of_birth=datetime.date(1980, 1, 1))
    credential = credential_build()
    AgeRequirement.objects.create(credential=credential, minimum_age=18, **RULE)
    Requirement.objects.create(credential=credential, sort_order=5, **RULE)

    item = progress_of(credential, trainee)

    assert [row.progress.met for row in item.requirements] == [True, False]
    assert (item.met_count, item.total, item.is_met) == (1, 2, False)


def test_a_credential_is_met_when_every_rule_says_so(make_user):
    trainee = make_user("trainee", date_of_birth=datetime.date(1980, 1, 1))
    topic = category_build()
    credential = credential_build()
    AgeRequirement.objects.create(credential=credential, minimum_age=18, **RULE)
    HoursRequirement.objects.create(
        credential=credential, category=topic, minimum_hours=Decimal(2), **RULE
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
    item = progress_of(credential_build(), make_user("trainee"))
    assert (item.total, item.is_met) == (0, False)


def test_facts_are_read_once_for_many_rules(make_user, django_assert_num_queries):
    trainee = make_user("trainee")
    topic = category_build()
    credential = credential_build()
    rules = [
        HoursRequirement.objects.create(
            credential=credential,
            category=topic,
            kind=kind,
            minimum_hours=Decimal(1),
            **RULE,
        )
        for kind in HourEntry.Kind.values
    ]
    facts = RequirementFacts(trainee)
    type(rules[0]).prepare(rules, facts=facts)
    with django_assert_num_queries(1):
        for rule in rules:
            rule.progress(trainee, facts=facts)


# The dashboard -------------------------------------------------------------


def twenty_more_rules(credential, *, built, exam) -> None:
    """Nineteen more rules of every type, spread over hour categories,
    kinds, courses and modules."""
    categories = [category_build() for _ in range(4)]
    for category in categories:
        for kind in (HourEntry.Kind.TRAINING, SUPERVISION):
            HoursRequirement.objects.create(
                credential=credential,
                category=category,
                kind=kind,
                minimum_hours=Decimal(3),
                **RULE,
            )
    for kind in (HourEntry.Kind.TRAINING, SUPERVISION, EXPERIENCE):
        TotalHoursRequirement.objects.create(
            credential=credential, kind=kind, minimum_hours=Decimal(9), **RULE
        )
    for age in (16, 18, 21):
        AgeRequirement.objects.create(credential=credential, minimum_age=age, **RULE)
    for course in (built.course, CoursePage.objects.get(slug="kps")):
        ModuleCompletionRequirement.objects.create(
            credential=credential, course=course, **RULE
        )
    for module in built.modules[:2]:
        rule = ModuleCompletionRequirement.objects.create(
            credential=credential, course=built.course, **RULE
        )
        rule.modules.set([module])
    WrittenExamPassedRequirement.objects.create(
        credential=credential, exam=exam, **RULE
    )


def test_dashboard_queries_are_the_same_for_one_rule_and_twenty(
    client, make_user, django_assert_max_num_queries
):
    trainee, trainer = make_user("trainee"), make_user("trainer")
    built = course_build((ONLINE, 2), (CLASSROOM, 1), (ONLINE, 1))
    cohort = cohort_build(built.course, trainer=trainer, trainees=[trainee])
    lessons_complete(trainee, built.lessons[built.modules[0].pk])
    services.attendance_record(
        session=class_day_build(cohort, [built.modules[1]]),
        trainee=trainee,
        status="present",
        minutes=360,
        by=trainer,
    )
    exam = WrittenExam.objects.create(
        course=built.course, title="Check", pass_mark_percent=Decimal(70)
    )
    credential = credential_build()
    ModuleCompletionRequirement.objects.create(
        credential=credential, course=built.course, **RULE
    )
    client.force_login(trainee)
    url = reverse("courses:dashboard")
    client.get(url)

    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    assert "0 of 1 requirement met" in response.content.decode()

    twenty_more_rules(credential, built=built, exam=exam)
    assert credential.requirements.count() == 20
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(url)
    assert "of 20 requirements met" in response.content.decode()

    assert len(twenty) == len(one)
    with django_assert_max_num_queries(38):
        client.get(url)


def test_dashboard_says_met_and_missing_in_words_with_next_steps(client, make_user):
    trainee = make_user("trainee", date_of_birth=datetime.date(1990, 5, 1))
    kps = CoursePage.objects.get(slug="kps")
    day_one = kps.get_children().get(slug="day-1")
    exam = WrittenExam.objects.get(course=kps, title="KPS written test")
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
    credential = credential_build("Everything done")
    AgeRequirement.objects.create(credential=credential, minimum_age=18, **RULE)
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


# Fixtures ------------------------------------------------------------------


def rules_of(slug: str) -> list[str]:
    return [
        rule.describe()
        for rule in Requirement.objects.filter(credential__slug=slug).order_by(
            "sort_order", "pk"
        )
    ]


def test_fixtures_carry_the_credentials_real_rules():
    assert rules_of("kps") == [
        "18 or older",
        "Complete every module of Kentucky Peer Specialist Training",
        "Pass KPS written test",
        "30 training hours in total",
    ]
    adpss = rules_of("adpss")
    assert adpss[0] == "18 or older"
    assert adpss[-3:] == [
        "60 training hours in total",
        "500 hours of experience in total",
        "25 hours of supervision in total",
    ]
    assert "6 hours of Suicide assessment, treatment and management" in adpss
    citations = dict(
        Requirement.objects.filter(credential__slug="adpss").values_list(
            "totalhoursrequirement__kind", "source_citation"
        )
    )
    assert "201 KAR 35:070" in citations[SUPERVISION]
    assert "KRS 309.0831" in citations[EXPERIENCE]


def test_loading_fixtures_again_creates_nothing_and_keeps_edits():
    from cms.services import LoadReport
    from courses.management.commands.load_fixtures import load_all_fixtures

    age = AgeRequirement.objects.get(credential__slug="kps")
    age.minimum_age = 21
    age.save()
    written = WrittenExamPassedRequirement.objects.get(credential__slug="kps")
    written.delete()
    before = Requirement.objects.count()

    report = LoadReport()
    load_all_fixtures(report)

    # Only the deleted rule is made again; the edited one is kept as edited.
    assert [item for item in report.created if "requirement" in item] == [
        "requirement written exam for kps"
    ]
    assert Requirement.objects.count() == before + 1
    age.refresh_from_db()
    assert age.minimum_age == 21
    assert AgeRequirement.objects.filter(credential__slug="kps").count() == 1

    report = LoadReport()
    load_all_fixtures(report)
    assert report.created == []
