"""The hour ledger: idempotent crediting, reversals, totals, append-only."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum

from courses import selectors, services
from courses.models import (
    Attendance,
    HourEntry,
    LessonPage,
    LessonProgress,
    ModulePage,
)
from tests.factories import (
    alcohol_drug_course,
    hour_category,
    make_cohort,
    make_session,
    seat,
)
from tests.shared import fresh, module_transaction

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def ad_course_record(request, django_db_setup, django_db_blocker):
    with module_transaction(request, django_db_blocker):
        yield alcohol_drug_course(
            modules=["ethics-foundations", "hiv", "advocacy-self-and-peer"]
        )


@pytest.fixture
def ad_course(ad_course_record, db):
    """Classroom ethics (8 hours, one lesson), online HIV (2 hours, two
    lessons) and classroom advocacy (5 hours, one lesson); built once for the
    module."""
    return fresh(ad_course_record)


@pytest.fixture
def hiv_module(ad_course):
    return ModulePage.objects.child_of(ad_course).get(slug="hiv")


@pytest.fixture
def trainee(make_user, ad_course):
    user = make_user("trainee")
    services.enrollment_create(trainee=user, course=ad_course)
    return user


def complete_module(trainee, module):
    result = None
    for lesson in LessonPage.objects.live().child_of(module):
        _, credited = services.lesson_complete(trainee=trainee, lesson=lesson)
        result = credited or result
    return result


def total(trainee, **filters):
    return HourEntry.objects.filter(trainee=trainee, **filters).aggregate(
        total=Sum("hours")
    )["total"] or Decimal(0)


def test_completing_every_lesson_credits_the_module_once(trainee, hiv_module):
    lessons = list(LessonPage.objects.live().child_of(hiv_module))
    for lesson in lessons[:-1]:
        _, credited = services.lesson_complete(trainee=trainee, lesson=lesson)
        assert credited is None
    _, credited = services.lesson_complete(trainee=trainee, lesson=lessons[-1])
    assert credited.hours == Decimal("2.00")
    assert credited.category.slug == "hiv"
    assert credited.status == HourEntry.Status.VERIFIED

    # Completing again, lesson by lesson, credits nothing more.
    for lesson in lessons:
        _, again = services.lesson_complete(trainee=trainee, lesson=lesson)
        assert again is None
    assert HourEntry.objects.filter(trainee=trainee).count() == 1
    assert LessonProgress.objects.filter(trainee=trainee).count() == len(lessons)


def test_the_database_refuses_a_second_credit_for_the_same_module(trainee, hiv_module):
    complete_module(trainee, hiv_module)
    entry = HourEntry.objects.get(trainee=trainee)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        HourEntry.objects.create(
            trainee=trainee,
            category=entry.category,
            hours=entry.hours,
            earned_on=entry.earned_on,
            source=entry.source,
            source_key=entry.source_key,
            created_at=entry.created_at,
        )


def test_lesson_progress_needs_an_enrollment(make_user, hiv_module):
    outsider = make_user("trainee")
    lesson = LessonPage.objects.live().child_of(hiv_module).first()
    with pytest.raises(PermissionDenied):
        services.lesson_complete(trainee=outsider, lesson=lesson)
    assert not LessonProgress.objects.filter(trainee=outsider).exists()


def test_classroom_module_is_not_credited_by_lessons(trainee, ad_course):
    module = ModulePage.objects.child_of(ad_course).get(slug="ethics-foundations")
    assert module.delivery == ModulePage.Delivery.CLASSROOM
    assert complete_module(trainee, module) is None
    assert not HourEntry.objects.filter(trainee=trainee).exists()


def test_entries_are_append_only(trainee, hiv_module):
    complete_module(trainee, hiv_module)
    entry = HourEntry.objects.get(trainee=trainee)
    entry.hours = Decimal("20")
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    entry.refresh_from_db()
    assert entry.hours == Decimal("2.00")


@pytest.fixture
def classroom(ad_course, make_user):
    trainer = make_user("trainer")
    cohort = make_cohort(ad_course, trainers=[trainer])
    ethics = ModulePage.objects.child_of(ad_course).get(slug="ethics-foundations")
    advocacy = ModulePage.objects.child_of(ad_course).get(slug="advocacy-self-and-peer")
    session = make_session(cohort, [ethics, advocacy], start="09:00", end="15:00")
    return trainer, cohort, session


def test_attendance_minutes_become_hours_in_the_modules_categories(
    classroom, make_user
):
    trainer, cohort, session = classroom
    trainee = make_user("trainee")
    seat(cohort, trainee, trainer)

    services.attendance_record(
        session=session, trainee=trainee, status="late", minutes=300, by=trainer
    )

    totals = selectors.hour_totals(trainee=trainee)
    by_slug = {t.category.slug: t.verified for t in totals.values()}
    # 300 minutes = 5 hours, shared 8:5 between ethics and advocacy.
    assert by_slug == {"ethics": Decimal("3.08"), "advocacy": Decimal("1.92")}
    assert sum(by_slug.values()) == Decimal("5.00")


def test_changing_a_mark_reverses_the_old_hours_and_credits_the_new(
    classroom, make_user
):
    trainer, cohort, session = classroom
    trainee = make_user("trainee")
    seat(cohort, trainee, trainer)
    services.attendance_record(
        session=session, trainee=trainee, status="present", minutes=360, by=trainer
    )
    assert total(trainee) == Decimal("6.00")

    services.attendance_record(
        session=session, trainee=trainee, status="left_early", minutes=180, by=trainer
    )

    assert total(trainee) == Decimal("3.00")
    entries = HourEntry.objects.filter(trainee=trainee)
    assert entries.count() == 6  # two credits, two reversals, two new credits
    reversals = entries.filter(reverses__isnull=False)
    assert reversals.count() == 2
    assert all(r.hours == -r.reverses.hours for r in reversals)
    assert all(r.created_by == trainer for r in reversals)
    assert Attendance.objects.get(trainee=trainee).revision == 2


def test_recording_the_same_mark_twice_changes_nothing(classroom, make_user):
    trainer, cohort, session = classroom
    trainee = make_user("trainee")
    seat(cohort, trainee, trainer)
    for _ in range(2):
        services.attendance_record(
            session=session,
            trainee=trainee,
            status="present",
            minutes=360,
            by=trainer,
        )
    assert HourEntry.objects.filter(trainee=trainee).count() == 2
    assert total(trainee) == Decimal("6.00")


def test_marking_absent_reverses_everything(classroom, make_user):
    trainer, cohort, session = classroom
    trainee = make_user("trainee")
    seat(cohort, trainee, trainer)
    services.attendance_record(
        session=session, trainee=trainee, status="present", minutes=360, by=trainer
    )
    services.attendance_record(
        session=session, trainee=trainee, status="absent", minutes=0, by=trainer
    )
    assert total(trainee) == 0
    assert (
        selectors.hour_totals(trainee=trainee)[
            ModulePage.objects.get(slug="ethics-foundations").hour_category_id
        ].verified
        == 0
    )


@pytest.mark.parametrize(
    ("status", "minutes", "message"),
    [
        ("present", 400, "more than the 360 minutes"),
        ("absent", 30, "absent trainee has 0 minutes"),
        ("late", 0, "Enter the minutes"),
        ("asleep", 30, "Choose present"),
        ("present", -5, "0 or more"),
    ],
)
def test_invalid_attendance_is_refused_and_credits_nothing(
    classroom, make_user, status, minutes, message
):
    trainer, cohort, session = classroom
    trainee = make_user("trainee")
    seat(cohort, trainee, trainer)
    with pytest.raises(ValidationError, match=message):
        services.attendance_record(
            session=session,
            trainee=trainee,
            status=status,
            minutes=minutes,
            by=trainer,
        )
    assert not HourEntry.objects.filter(trainee=trainee).exists()


def test_attendance_needs_a_confirmed_seat(classroom, make_user):
    trainer, _cohort, session = classroom
    stranger = make_user("trainee")
    with pytest.raises(ValidationError, match="no seat"):
        services.attendance_record(
            session=session,
            trainee=stranger,
            status="present",
            minutes=60,
            by=trainer,
        )


def test_split_keeps_every_cent():
    modules = [
        ModulePage(credit_hours=Decimal(1), hour_category_id=1),
        ModulePage(credit_hours=Decimal(1), hour_category_id=2),
        ModulePage(credit_hours=Decimal(1), hour_category_id=3),
    ]
    shares = services.split_minutes(minutes=100, modules=modules)
    assert sum(shares.values()) == Decimal("1.67")
    assert sorted(shares.values()) == [
        Decimal("0.55"),
        Decimal("0.56"),
        Decimal("0.56"),
    ]


def test_totals_are_the_sum_of_entries(classroom, make_user, ad_course, hiv_module):
    trainer, cohort, session = classroom
    trainee = make_user("trainee")
    services.enrollment_create(trainee=trainee, course=ad_course)
    seat(cohort, trainee, trainer)
    complete_module(trainee, hiv_module)
    services.attendance_record(
        session=session, trainee=trainee, status="present", minutes=360, by=trainer
    )
    services.attendance_record(
        session=session, trainee=trainee, status="late", minutes=240, by=trainer
    )
    totals = selectors.hour_totals(trainee=trainee)
    for category_id, category_total in totals.items():
        assert category_total.verified == total(
            trainee, category_id=category_id, status="verified"
        )
    assert sum(t.verified for t in totals.values()) == Decimal("6.00")


def test_external_hours_stay_pending_until_verified_and_count_only_then(
    make_user, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    trainee = make_user("trainee")
    admin = make_user("administrator")
    category = hour_category("suicide-prevention")
    import datetime
    import uuid

    submission = uuid.uuid4()
    kwargs = {
        "trainee": trainee,
        "category": category,
        "hours": Decimal("6"),
        "earned_on": datetime.date(2026, 3, 1),
        "description": "Suicide assessment, treatment and management",
        "provider": "Kentucky Training Center",
        "evidence": SimpleUploadedFile("cert.pdf", b"%PDF-1.4 certificate"),
        "submission_id": submission,
    }
    entry = services.external_hours_submit(**kwargs)
    assert entry.status == HourEntry.Status.PENDING
    assert services.external_hours_submit(**kwargs) is None  # same form twice
    totals = selectors.hour_totals(trainee=trainee)
    assert totals[category.pk].verified == 0
    assert totals[category.pk].pending == Decimal("6")

    with pytest.raises(PermissionDenied):
        services.entry_decide(entry=entry, by=trainee, verify=True)
    with pytest.raises(ValidationError, match="Say why"):
        services.entry_decide(entry=entry, by=admin, verify=False, reason=" ")
    services.entry_decide(entry=entry, by=admin, verify=True)
    with pytest.raises(ValidationError, match="already"):
        services.entry_decide(entry=entry, by=admin, verify=False, reason="no")
    totals = selectors.hour_totals(trainee=trainee)
    assert totals[category.pk].verified == Decimal("6")
    entry.refresh_from_db()
    assert entry.verified_by == admin
    assert entry.verified_at is not None
