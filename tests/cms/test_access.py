"""Who reaches the admin, and who may edit, submit and publish a lesson."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState

from tests.factories import LessonPageFactory
from tests.shared import fresh, module_transaction

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def lesson_record(request, django_db_setup, django_db_blocker):
    with module_transaction(request, django_db_blocker):
        yield LessonPageFactory(with_revision=True)


@pytest.fixture
def lesson(lesson_record, db):
    """A published lesson, live through a first revision as editors leave it;
    built once for the module."""
    return fresh(lesson_record)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("administrator", True),
        ("trainer", True),
        ("trainee", False),
        ("examiner", False),
        ("supervisor", False),
        (None, False),
    ],
)
def test_admin_dashboard_access_by_role(client_as, role, allowed):
    response = client_as(role).get(reverse("wagtailadmin_home"))
    if allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("administrator", True),
        ("trainer", True),
        ("trainee", False),
        ("examiner", False),
        ("supervisor", False),
    ],
)
def test_lesson_edit_view_by_role(client_as, lesson, role, allowed):
    response = client_as(role).get(reverse("wagtailadmin_pages:edit", args=[lesson.pk]))
    if allowed:
        assert response.status_code == 200
        assert lesson.title in response.content.decode()
    else:
        assert response.status_code in (302, 403)


def test_trainer_may_edit_and_submit_a_lesson_but_not_publish(make_user, lesson):
    trainer = make_user("trainer")
    permissions = lesson.permissions_for_user(trainer)
    assert permissions.can_edit()
    assert permissions.can_submit_for_moderation()
    assert not permissions.can_publish()
    assert not permissions.can_delete()


@pytest.mark.parametrize("role", ["trainee", "examiner", "supervisor"])
def test_other_roles_may_not_edit_a_lesson(make_user, lesson, role):
    permissions = lesson.permissions_for_user(make_user(role))
    assert not permissions.can_edit()
    assert not permissions.can_publish()


def test_submitted_revision_waits_for_an_administrator_then_goes_live(
    client, make_user, lesson
):
    trainer = make_user("trainer")
    original_title = lesson.title
    lesson.title = "Revised by a trainer"
    revision = lesson.save_revision(user=trainer)
    workflow = lesson.get_workflow()
    assert workflow is not None
    workflow.start(lesson, trainer)

    lesson.refresh_from_db()
    assert lesson.title == original_title  # the live page is unchanged
    state = WorkflowState.objects.get(object_id=str(lesson.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    task_state = state.current_task_state

    # A trainer cannot approve their own submission.
    client.force_login(trainer)
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[lesson.pk, "approve", task_state.pk],
    )
    client.post(approve_url, {"comment": ""})
    lesson.refresh_from_db()
    assert lesson.title == original_title

    client.force_login(make_user("administrator"))
    response = client.post(approve_url, {"comment": "Looks good"})
    assert response.status_code in (200, 302)
    lesson.refresh_from_db()
    assert lesson.title == "Revised by a trainer"
    assert lesson.live_revision_id == revision.pk


def test_trainer_can_preview_a_draft_lesson(client_as, lesson):
    client = client_as("trainer")
    url = reverse("wagtailadmin_pages:view_draft", args=[lesson.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert lesson.title in response.content.decode()
