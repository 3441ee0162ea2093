"""The audit log: what it records, that nobody can change it, and the
administrators' listing and exports."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cms import audit, roles
from cms.models import AuditEvent, AuditLogImmutable
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def last_pk() -> int:
    """Mark the log before the action under test: creating test users
    records their groups too."""
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def events(action, since=0):
    return list(AuditEvent.objects.filter(action=action, pk__gt=since).order_by("pk"))


def only_event(action, since=0):
    found = events(action, since)
    assert len(found) == 1, [(e.action, e.target_repr) for e in found]
    return found[0]


# Recording ------------------------------------------------------------------------


def test_record_keeps_actor_target_request_reason_and_details(make_user):
    admin = make_user("administrator")
    trainee = make_user("trainee")
    request = RequestFactory().post(
        "/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Browser/1.0"
    )
    request.user = admin
    from decimal import Decimal

    event = audit.record(
        "test.something",
        target=trainee,
        request=request,
        reason="because",
        old=Decimal("1.50"),
        new=2,
        on=datetime.date(2026, 5, 1),
        who=trainee,
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor == admin
    assert event.actor_repr == admin.email
    assert event.target_content_type.model_class() is type(trainee)
    assert event.target_object_id == str(trainee.pk)
    assert event.target_repr == str(trainee)
    assert (event.ip_address, event.user_agent) == ("203.0.113.9", "Browser/1.0")
    assert event.reason == "because"
    assert event.details == {
        "old": "1.50",
        "new": 2,
        "on": "2026-05-01",
        "who": {"id": trainee.pk, "repr": str(trainee)},
    }


def test_the_actor_defaults_to_the_requests_signed_in_user(make_user):
    trainer = make_user("trainer")
    request = RequestFactory().get("/")
    request.user = trainer
    assert audit.record("test.x", request=request).actor == trainer


def test_an_event_outlives_its_actor_and_target(make_user):
    actor, target = make_user("trainer"), make_user("trainee")
    event = audit.record("test.x", actor=actor, target=target)
    target_name, actor_email = str(target), actor.email
    target.delete()
    actor.delete()
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.actor_repr, event.target_repr) == (actor_email, target_name)


# Immutability -------------------------------------------------------------------


def test_a_saved_event_cannot_be_saved_again(make_user):
    event = audit.record("test.x", reason="first")
    event.reason = "rewritten"
    with pytest.raises(AuditLogImmutable):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).reason == "first"


def test_an_event_cannot_be_deleted():
    event = audit.record("test.x")
    with pytest.raises(AuditLogImmutable):
        event.delete()
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_events_cannot_be_updated_in_bulk():
    event = audit.record("test.x", reason="first")
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.bulk_update([event], ["reason"])
    assert AuditEvent.objects.get(pk=event.pk).reason == "first"


@pytest.mark.usefixtures("on_postgres")
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE cms_auditevent SET reason = 'rewritten' WHERE id = %s",
        "DELETE FROM cms_auditevent WHERE id = %s",
    ],
)
def test_postgresql_refuses_to_change_or_delete_an_event_whatever_the_client(
    statement,
):
    event = audit.record("test.x", reason="first")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == "first"


def test_nobody_holds_a_permission_to_add_change_or_delete_events():
    codenames = set(
        Permission.objects.filter(
            content_type__app_label="cms", content_type__model="auditevent"
        ).values_list("codename", flat=True)
    )
    assert codenames == {"view_auditevent"}


# Sign-in, on the site and in the admin ---------------------------------------------


@pytest.mark.parametrize("login_url", ["/accounts/login/", "/admin/login/"])
def test_a_sign_in_is_recorded(client, make_user, login_url):
    user = make_user("trainer")
    response = client.post(
        login_url,
        {"username": user.email, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302
    event = only_event("auth.login")
    assert (event.actor, event.target_object_id) == (user, str(user.pk))
    assert event.ip_address == "198.51.100.7"


@pytest.mark.parametrize("login_url", ["/accounts/login/", "/admin/login/"])
def test_a_failed_sign_in_is_recorded_with_the_name_typed(client, make_user, login_url):
    user = make_user("trainer")
    response = client.post(
        login_url, {"username": user.email, "password": "wrong-password-1"}
    )
    assert response.status_code == 200
    event = only_event("auth.login_failed")
    assert event.actor is None
    assert event.details == {"username": user.email}
    assert "wrong-password" not in str(event.details)
    assert not events("auth.login")


def test_a_sign_out_is_recorded(client, make_user):
    user = make_user("trainee")
    client.force_login(user)
    client.post(reverse("logout"))
    assert only_event("auth.logout").actor == user


# Roles and permissions ----------------------------------------------------------


def test_group_membership_changes_are_recorded_on_the_user(make_user):
    person = make_user()
    trainers = Group.objects.get(name=roles.TRAINER)
    since = last_pk()
    person.groups.add(trainers)
    person.groups.remove(trainers)
    trainers.user_set.add(person)
    person.groups.clear()
    found = list(
        AuditEvent.objects.filter(pk__gt=since)
        .order_by("pk")
        .values_list("action", "target_object_id", "details")
    )
    assert found == [
        ("user.groups_changed", str(person.pk), {"added": ["Trainers"]}),
        ("user.groups_changed", str(person.pk), {"removed": ["Trainers"]}),
        ("user.groups_changed", str(person.pk), {"added": ["Trainers"]}),
        ("user.groups_changed", str(person.pk), {"removed": ["Trainers"]}),
    ]


def test_a_groups_permission_change_is_recorded_on_the_group():
    trainers = Group.objects.get(name=roles.TRAINER)
    permission = Permission.objects.get(codename="view_any_ledger")
    trainers.permissions.add(permission)
    trainers.permissions.remove(permission)
    found = events("group.permissions_changed")
    assert [(e.target_repr, e.details) for e in found] == [
        ("Trainers", {"added": ["courses.view_any_ledger"]}),
        ("Trainers", {"removed": ["courses.view_any_ledger"]}),
    ]


def test_making_someone_a_superuser_is_recorded(make_user):
    person = make_user()
    since = last_pk()
    person.is_superuser = True
    person.save()
    event = only_event("user.flags_changed", since)
    assert event.details == {"is_superuser": {"old": False, "new": True}}


def test_group_changes_in_the_admin_user_editor_name_the_administrator(
    client, make_user
):
    admin = make_user("administrator")
    person = make_user("trainee")
    client.force_login(admin)
    trainers = Group.objects.get(name=roles.TRAINER)
    trainees = Group.objects.get(name=roles.TRAINEE)
    since = last_pk()
    response = client.post(
        reverse("wagtailusers_users:edit", args=[person.pk]),
        {
            "email": person.email,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "legal_name": person.legal_name,
            "is_active": "on",
            "groups": [trainers.pk, trainees.pk],
            "password1": "",
            "password2": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = only_event("user.groups_changed", since)
    assert event.actor == admin
    assert event.details == {"added": ["Trainers"]}


# The administrators' listing -------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("trainer", False), ("administrator", True)],
)
def test_only_administrators_see_the_audit_log(client, make_user, role, allowed):
    audit.record("test.visible", reason="shown")
    client.force_login(make_user(role))
    response = client.get(reverse("audit_log:index"))
    if allowed:
        assert response.status_code == 200
        assert "test.visible" in response.content.decode()
    else:
        assert response.status_code == 302  # Wagtail sends them to the dashboard
        assert response["Location"] == reverse("wagtailadmin_home")


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("audit_log:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("superuser", [False, True])
def test_the_log_offers_no_add_edit_or_delete_even_to_superusers(
    client, make_user, superuser
):
    event = audit.record("test.x")
    user = make_user(is_superuser=True) if superuser else make_user("administrator")
    client.force_login(user)
    html = client.get(reverse("audit_log:index")).content.decode()
    assert "/edit/" not in html and "/delete/" not in html and "/new/" not in html
    detail = client.get(reverse("audit_log:inspect", args=[event.pk]))
    assert detail.status_code == 200
    for path in (
        f"/admin/audit_log/edit/{event.pk}/",
        f"/admin/audit_log/delete/{event.pk}/",
        "/admin/audit_log/new/",
    ):
        assert client.get(path).status_code == 404
        assert client.post(path).status_code == 404


def test_the_log_filters_by_action_actor_date_and_target_type(client, make_user):
    admin = make_user("administrator")
    trainer = make_user("trainer")
    trainee = make_user("trainee")
    audit.record("hours.verified", actor=trainer, target=trainee, reason="first")
    audit.record("exam.grade_changed", actor=admin, target=admin, reason="second")
    client.force_login(admin)
    url = reverse("audit_log:index")

    def reasons(**params):
        html = client.get(url, params).content.decode()
        return {r for r in ("first", "second") if re.search(rf">\s*{r}\s*<", html)}

    assert reasons(action="hours.verified") == {"first"}
    assert reasons(actor=trainer.email) == {"first"}
    today = timezone.localdate().isoformat()
    assert reasons(occurred_at_after=today, occurred_at_before=today) == {
        "first",
        "second",
    }
    assert reasons(occurred_at_after="2000-01-01", occurred_at_before="2000-01-02") == (
        set()
    )
    from django.contrib.contenttypes.models import ContentType

    user_type = ContentType.objects.get_for_model(trainee)
    assert reasons(target_content_type=user_type.pk) == {"first", "second"}


def test_the_log_exports_to_excel_and_csv_with_its_filters(client, make_user):
    admin = make_user("administrator")
    trainee = make_user("trainee")
    audit.record("hours.verified", actor=admin, target=trainee, hours="2.50")
    audit.record("exam.grade_changed", actor=admin, target=trainee)
    client.force_login(admin)
    url = reverse("audit_log:index")

    response = client.get(url, {"export": "xlsx", "action": "hours.verified"})
    assert response.status_code == 200
    assert "audit-log.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("When", "Action", "By")
    assert [row[1] for row in rows[1:]] == ["hours.verified"]
    assert '"hours": "2.50"' in rows[1][8]

    response = client.get(url, {"export": "csv"})
    body = b"".join(response.streaming_content).decode()
    lines = list(csv.reader(io.StringIO(body)))
    assert {line[1] for line in lines[1:]} >= {"hours.verified", "exam.grade_changed"}


def test_the_log_page_costs_the_same_queries_for_many_events(
    client, make_user, django_assert_max_num_queries
):
    admin = make_user("administrator")
    client.force_login(admin)
    for number in range(60):
        audit.record("test.many", actor=admin, target=admin, n=number)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("audit_log:index")).status_code == 200
