from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Sum
from wagtail.models import Page, Revision

from cms import roles
from cms.models import User
from cms.services import LoadReport
from courses.management.commands.load_fixtures import load_all_fixtures
from courses.models import (
    AgeRequirement,
    ClassSession,
    Cohort,
    CoursePage,
    Credential,
    HourCategory,
    HourEntry,
    LessonPage,
    ModulePage,
    ReferenceRequirement,
    Requirement,
)
from courses.selectors import curriculum_audits
from exams.loaders import exam_fixtures_load, oral_exams_load
from exams.models import (
    OralExam,
    OralExamPassedRequirement,
    WrittenExam,
    WrittenExamPassedRequirement,
)

# The subject here is the shipped data and its loaders, so these tests read the
# fixtures, loaded once for the module (see the curriculum fixture).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("curriculum")]

DEMO_EMAILS = {
    "trainee@example.org": roles.TRAINEE,
    "trainer@example.org": roles.TRAINER,
    "examiner@example.org": roles.EXAMINER,
    "examiner2@example.org": roles.EXAMINER,
    "supervisor@example.org": roles.SUPERVISOR,
    "admin@example.org": roles.ADMINISTRATOR,
}


def counts():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "categories": HourCategory.objects.count(),
        "credentials": Credential.objects.count(),
        "requirements": Requirement.objects.count(),
        "users": User.objects.count(),
        "cohorts": Cohort.objects.count(),
        "class_days": ClassSession.objects.count(),
    }


def test_demo_loader_run_twice_creates_the_same_records_once():
    call_command("load_demo_data", verbosity=0)
    first = counts()
    call_command("load_demo_data", verbosity=0)
    assert counts() == first
    assert first["users"] == 6


def test_fixture_loader_does_not_overwrite_edits():
    lesson = LessonPage.objects.live().first()
    lesson.title = "Edited by a trainer"
    lesson.save_revision().publish()
    call_command("load_fixtures", verbosity=0)
    lesson.refresh_from_db()
    assert lesson.title == "Edited by a trainer"


def test_demo_users_have_one_role_each_and_the_published_password():
    call_command("load_demo_data", verbosity=0)
    for email, role in DEMO_EMAILS.items():
        user = authenticate(username=email, password="kps-demo-pass")
        assert user is not None, email
        assert roles.user_has_role(user, role)
    assert User.objects.get(email="admin@example.org").is_superuser
    assert not User.objects.get(email="trainer@example.org").is_superuser


def test_demo_loader_refuses_under_production_settings(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="Refusing"):
        call_command("load_demo_data", verbosity=0)
    assert not User.objects.filter(email__in=DEMO_EMAILS).exists()


def test_migrations_create_no_users():
    # Neither the migrations nor the shipped fixtures create demo users.
    assert not User.objects.filter(email__in=DEMO_EMAILS).exists()


def test_kps_curriculum_is_five_days_of_about_six_hours():
    course = CoursePage.objects.get(slug="kps")
    modules = list(ModulePage.objects.child_of(course).order_by("path"))
    assert [m.slug for m in modules] == [f"day-{n}" for n in range(1, 6)]
    for module in modules:
        assert Decimal(5) <= module.credit_hours <= Decimal(7)
        assert module.delivery == ModulePage.Delivery.CLASSROOM
        assert LessonPage.objects.child_of(module).count() >= 3


def test_alcohol_drug_curriculum_has_sixty_hours_with_the_topic_minimums():
    course = CoursePage.objects.get(slug="alcohol-drug-peer-support")
    hours = dict(
        ModulePage.objects.child_of(course)
        .order_by()
        .values_list("hour_category__slug")
        .annotate(total=Sum("credit_hours"))
    )
    assert hours == {
        "ethics": 16,
        "domestic-violence": 3,
        "hiv": 2,
        "advocacy": 10,
        "mentoring-education": 10,
        "recovery-support": 10,
        "suicide-prevention": 6,
        "confidentiality": 3,
    }
    assert sum(hours.values()) == 60


def test_every_lesson_has_substance():
    lessons = LessonPage.objects.all()
    assert lessons.count() >= 40
    for lesson in lessons:
        text = " ".join(
            str(block.value.source if hasattr(block.value, "source") else block.value)
            for block in lesson.body
        )
        words = len(text.split())
        assert words >= 250, f"{lesson.slug} has only {words} words"
        kinds = {block.block_type for block in lesson.body}
        assert "key_point" in kinds, lesson.slug
        assert kinds & {"activity", "reflection"}, lesson.slug
        assert lesson.summary, lesson.slug
        for placeholder in ("lorem", "TBD", "TODO", "placeholder"):
            assert placeholder.lower() not in text.lower(), lesson.slug


def test_courses_are_marked_as_samples():
    assert set(CoursePage.objects.values_list("is_sample", flat=True)) == {True}


def test_shipped_curricula_meet_their_credentials_minimums():
    audits = curriculum_audits(courses=CoursePage.objects.all())
    assert {audit.course.slug for audit in audits} == {
        "kps",
        "alcohol-drug-peer-support",
    }
    for audit in audits:
        assert audit.is_complete, audit.course.slug
        assert audit.short_lines == []


# Credential rules ------------------------------------------------------------


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
        "Pass KPS oral test",
        "30 training hours in total",
    ]
    adpss = rules_of("adpss")
    assert adpss[0] == "18 or older"
    assert adpss[-11:] == [
        "60 training hours in total",
        "500 hours of experience in total",
        "25 hours of supervision in total",
        "A supervisory agreement with a board-approved supervisor, signed",
        "A supervision evaluation signed by your supervisor",
        "High school diploma or equivalent, verified",
        "Signed affidavit, verified",
        "Attestation of Recovery, verified",
        "Proof of Kentucky residence or work, verified",
        "2 letters of reference from credentialed alcohol and drug counselors",
        "The application fee, paid",
    ]
    assert (
        "Suicide-prevention training: 6 hours (3 for screening and referral only)"
        " within 6 years"
    ) in adpss
    assert "6 hours of Suicide assessment, treatment and management" not in adpss
    citations = dict(
        Requirement.objects.filter(credential__slug="adpss").values_list(
            "totalhoursrequirement__kind", "source_citation"
        )
    )
    assert "201 KAR 35:070" in citations[HourEntry.Kind.SUPERVISION]
    references = ReferenceRequirement.objects.get(credential__slug="adpss")
    assert references.minimum_letters == 2
    assert references.sort_order == 155
    assert "KRS 309.0831" in references.source_citation
    assert "KRS 309.0831" in citations[HourEntry.Kind.EXPERIENCE]


def test_loading_fixtures_again_creates_nothing_and_keeps_edits():
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


def test_the_exams_fixtures_add_the_kps_written_test_rule_once(settings):
    fixtures_dir = Path(settings.BASE_DIR) / "fixtures"
    kps = CoursePage.objects.get(slug="kps")
    rule = WrittenExamPassedRequirement.objects.get(credential__slug="kps")
    assert rule.exam == WrittenExam.objects.get(course=kps, title="KPS written test")
    assert "908 KAR 2:220" in rule.source_citation

    report = LoadReport()
    exam_fixtures_load(report=report, fixtures_dir=fixtures_dir)
    assert report.created == []

    rule.delete()
    exam_fixtures_load(report=report, fixtures_dir=fixtures_dir)
    assert report.created == ["requirement written exam for kps"]
    assert (
        WrittenExamPassedRequirement.objects.filter(
            credential__slug="kps", exam__course=kps
        ).count()
        == 1
    )


def test_the_oral_exams_fixtures_add_the_kps_oral_test_rule_once(settings):
    oral_file = Path(settings.BASE_DIR) / "fixtures" / "oral_exams.toml"
    rule = OralExamPassedRequirement.objects.get(credential__slug="kps")
    assert rule.oral_exam == OralExam.objects.get(
        course__slug="kps", title="KPS oral test"
    )
    assert "oral test" in rule.source_citation

    report = LoadReport()
    oral_exams_load(oral_file=oral_file, report=report)
    assert report.created == []

    rule.delete()
    oral_exams_load(oral_file=oral_file, report=report)
    assert report.created == ["requirement oral exam for kps"]
    assert OralExamPassedRequirement.objects.filter(credential__slug="kps").count() == 1
