"""Enrolling online, requesting and confirming cohort seats within capacity."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from courses import services
from courses.models import CohortSeat, Enrollment
from tests.factories import alcohol_drug_course, kps_course, make_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def kps():
    """Taught in class days only."""
    return kps_course()


@pytest.fixture
def ad_course():
    """With an online module, so trainees may enroll without a cohort."""
    return alcohol_drug_course(modules=["hiv"])


def test_online_enrollment_is_idempotent(make_user, ad_course):
    trainee = make_user("trainee")
    first = services.enrollment_create(trainee=trainee, course=ad_course)
    second = services.enrollment_create(trainee=trainee, course=ad_course)
    assert first.pk == second.pk
    assert Enrollment.objects.filter(trainee=trainee).count() == 1


def test_classroom_only_course_asks_for_a_cohort(make_user, kps):
    with pytest.raises(ValidationError, match="request a seat"):
        services.enrollment_create(trainee=make_user("trainee"), course=kps)


def test_confirming_a_seat_enrolls_the_trainee(make_user, kps):
    trainer = make_user("trainer")
    trainee = make_user("trainee")
    cohort = make_cohort(kps, trainers=[trainer], capacity=2)
    seat = services.seat_request(trainee=trainee, cohort=cohort)
    assert seat.status == CohortSeat.Status.REQUESTED
    services.seat_confirm(seat=seat, by=trainer)
    seat.refresh_from_db()
    assert seat.status == CohortSeat.Status.CONFIRMED
    assert seat.decided_by == trainer
    assert Enrollment.objects.filter(trainee=trainee, course=kps).exists()


def test_capacity_holds_when_confirming(make_user, kps):
    trainer = make_user("trainer")
    cohort = make_cohort(kps, trainers=[trainer], capacity=1)
    first, second = (
        services.seat_request(trainee=make_user("trainee"), cohort=cohort)
        for _ in range(2)
    )
    services.seat_confirm(seat=first, by=trainer)
    with pytest.raises(ValidationError, match="full"):
        services.seat_confirm(seat=second, by=trainer)
    assert cohort.seats.filter(status=CohortSeat.Status.CONFIRMED).count() == 1


def test_full_cohort_takes_no_requests(make_user, kps):
    trainer = make_user("trainer")
    cohort = make_cohort(kps, trainers=[trainer], capacity=1)
    services.seat_add(
        cohort=cohort, email=make_user("trainee").email, by=make_user("administrator")
    )
    with pytest.raises(ValidationError, match="full"):
        services.seat_request(trainee=make_user("trainee"), cohort=cohort)


def test_past_or_closed_cohort_takes_no_requests(make_user, kps):
    past = make_cohort(
        kps,
        start_date=datetime.date(2020, 1, 6),
        end_date=datetime.date(2020, 1, 10),
    )
    closed = make_cohort(kps, accepting_requests=False)
    for cohort in (past, closed):
        with pytest.raises(ValidationError, match="not taking requests"):
            services.seat_request(trainee=make_user("trainee"), cohort=cohort)


def test_an_administrator_adds_a_trainee_by_email_with_clear_errors(make_user, kps):
    """Administrators give seats directly; trainers invite (test_invitations)."""
    trainer = make_user("administrator")
    cohort = make_cohort(kps, trainers=[make_user("trainer")], capacity=1)
    with pytest.raises(ValidationError) as unknown:
        services.seat_add(cohort=cohort, email="nobody@example.org", by=trainer)
    assert (
        "No account uses nobody@example.org" in unknown.value.message_dict["email"][0]
    )
    examiner = make_user("examiner")
    with pytest.raises(ValidationError) as not_trainee:
        services.seat_add(cohort=cohort, email=examiner.email, by=trainer)
    assert "is not a trainee" in not_trainee.value.message_dict["email"][0]
    assert not cohort.seats.exists()


def test_declined_request_cannot_be_repeated(make_user, kps):
    trainer = make_user("trainer")
    trainee = make_user("trainee")
    cohort = make_cohort(kps, trainers=[trainer])
    seat = services.seat_request(trainee=trainee, cohort=cohort)
    services.seat_decline(seat=seat, by=trainer)
    with pytest.raises(ValidationError, match="declined"):
        services.seat_request(trainee=trainee, cohort=cohort)
