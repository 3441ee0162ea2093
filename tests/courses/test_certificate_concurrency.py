"""Two events completing a course at the same moment issue one certificate:
the database's conditional unique constraint referees (PostgreSQL)."""

import pytest

from courses import services
from courses.models import Certificate
from tests.courses.test_concurrency import race
from tests.factories import certificate_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_completions_racing_issue_one_certificate(on_postgres, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    world = certificate_world()
    world.finish()
    # Outside a test transaction the finishing event's own task has already
    # issued one; start the race from before it.
    Certificate.objects.all().delete()

    outcomes = race(
        lambda: services.certificate_issue(trainee=world.trainee, course=world.course),
        lambda: services.certificate_issue(trainee=world.trainee, course=world.course),
    )

    assert [kind for kind, _value in outcomes] == ["ok", "ok"], outcomes
    created = sorted(value[1] for _kind, value in outcomes)
    assert created == [False, True]
    assert outcomes[0][1][0].pk == outcomes[1][1][0].pk
    assert Certificate.objects.filter(trainee=world.trainee).count() == 1


def test_the_completing_tasks_racing_issue_one_certificate(
    on_postgres, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    world = certificate_world()
    world.finish()
    # Outside a test transaction the finishing event's own task has already
    # issued one; start the race from before it.
    Certificate.objects.all().delete()

    outcomes = race(
        lambda: services.certificates_issue_due_for(trainee=world.trainee),
        lambda: services.certificates_issue_due_for(trainee=world.trainee),
    )

    assert [kind for kind, _value in outcomes] == ["ok", "ok"], outcomes
    assert sorted(len(value) for _kind, value in outcomes) == [0, 1]
    assert Certificate.objects.filter(trainee=world.trainee).count() == 1
