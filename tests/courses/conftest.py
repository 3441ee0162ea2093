import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from cms import roles
from courses import services
from courses.models import ModulePage
from tests.factories import (
    alcohol_drug_course,
    hour_category,
    make_cohort,
    make_session,
    seat,
    user_with_role,
)
from tests.shared import fresh, module_transaction


def build_world() -> dict:
    course = alcohol_drug_course()
    trainer = user_with_role(roles.TRAINER)
    trainee = user_with_role(roles.TRAINEE)
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
        "other_trainer": user_with_role(roles.TRAINER),
        "trainee": trainee,
        "other_trainee": user_with_role(roles.TRAINEE),
        "admin": user_with_role(roles.ADMINISTRATOR),
        "examiner": user_with_role(roles.EXAMINER),
        "supervisor": user_with_role(roles.SUPERVISOR),
        "cohort": cohort,
        "session": session,
        "module": ethics,
        "entry": entry,
    }


@pytest.fixture
def world(db, private_media):
    """A cohort of the alcohol and drug course (a classroom ethics module and
    an online HIV module of two lessons) with one class day of the ethics
    module, its trainer, an enrolled trainee with a seat and a pending
    certificate, and outsiders."""
    return build_world()


@pytest.fixture(scope="module")
def world_records(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for a test module whose every test uses it (see
    tests/shared.py). Such a module defines its own ``world`` fixture
    returning ``world_copies(world_records)``."""
    private_media = tmp_path_factory.mktemp("private")
    with (
        override_settings(PRIVATE_MEDIA_ROOT=private_media),
        module_transaction(request, django_db_blocker),
    ):
        yield build_world()


def world_copies(records: dict) -> dict:
    """The shared world's records, read afresh for one test."""
    return {key: fresh(record) for key, record in records.items()}
