import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courses import services
from courses.models import ModulePage
from tests.factories import (
    alcohol_drug_course,
    hour_category,
    make_cohort,
    make_session,
    seat,
)


@pytest.fixture
def world(make_user, private_media):
    """A cohort of the alcohol and drug course (a classroom ethics module and
    an online HIV module of two lessons) with one class day of the ethics
    module, its trainer, an enrolled trainee with a seat and a pending
    certificate, and outsiders."""
    course = alcohol_drug_course()
    trainer = make_user("trainer")
    other_trainer = make_user("trainer")
    trainee = make_user("trainee")
    other_trainee = make_user("trainee")
    admin = make_user("administrator")
    cohort = make_cohort(course, trainers=[trainer], capacity=5)
    ethics = ModulePage.objects.child_of(course).get(slug="ethics-foundations")
    session = make_session(cohort, [ethics])
    services.enrollment_create(trainee=trainee, course=course)
    seat(cohort, trainee, trainer)
    entry = services.external_hours_submit(
        trainee=trainee,
        category=hour_category("suicide-prevention"),
        hours=Decimal("6"),
        earned_on=datetime.date(2026, 2, 2),
        description="Suicide assessment, treatment and management",
        provider="QPR Institute",
        evidence=SimpleUploadedFile("c.pdf", b"%PDF-1.7 the certificate"),
        submission_id=uuid.uuid4(),
    )
    return {
        "course": course,
        "trainer": trainer,
        "other_trainer": other_trainer,
        "trainee": trainee,
        "other_trainee": other_trainee,
        "admin": admin,
        "examiner": make_user("examiner"),
        "supervisor": make_user("supervisor"),
        "cohort": cohort,
        "session": session,
        "module": ethics,
        "entry": entry,
    }
