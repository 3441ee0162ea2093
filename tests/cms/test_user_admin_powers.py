"""Administrators cannot make anyone a superuser, take over a superuser's
account, or grant powers they do not hold, unless they are superusers."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from cms import roles
from cms.models import AuditEvent, User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-long-password-42"


def _user_data(user=None, **overrides):
    data = {
        "email": user.email if user else "new.person@example.org",
        "first_name": user.first_name if user else "New",
        "last_name": user.last_name if user else "Person",
        "legal_name": user.legal_name if user else "New Person",
        "is_active": "on",
        "groups": [Group.objects.get(name=roles.TRAINEE).pk],
        "password1": "" if user else NEW_PASSWORD,
        "password2": "" if user else NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def test_an_administrator_cannot_make_themself_or_anyone_a_superuser(client, make_user):
    admin, trainee = make_user("administrator"), make_user("trainee")
    client.force_login(admin)
    form = client.get(reverse("wagtailusers_users:edit", args=[trainee.pk]))
    assert 'name="is_superuser"' not in form.content.decode()

    response = client.post(
        reverse("wagtailusers_users:edit", args=[trainee.pk]),
        _user_data(trainee, is_superuser="on"),
    )
    assert response.status_code == 302
    assert not User.objects.get(pk=trainee.pk).is_superuser

    response = client.post(
        reverse("wagtailusers_users:add"), _user_data(is_superuser="on")
    )
    assert response.status_code == 302, response.context["form"].errors
    created = User.objects.get(email="new.person@example.org")
    assert not created.is_superuser
    assert not AuditEvent.objects.filter(action="user.flags_changed").exists()


def test_a_superuser_can_grant_superuser_and_it_is_audited(client, make_user):
    superuser, trainee = make_user(is_superuser=True), make_user("trainee")
    client.force_login(superuser)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[trainee.pk]),
        _user_data(trainee, is_superuser="on"),
    )
    assert response.status_code == 302
    assert User.objects.get(pk=trainee.pk).is_superuser
    event = AuditEvent.objects.get(
        action="user.flags_changed", target_object_id=trainee.pk
    )
    assert event.actor == superuser
    assert event.details == {"is_superuser": {"old": False, "new": True}}


def test_an_administrator_cannot_edit_a_superusers_account(client, make_user):
    admin, superuser = make_user("administrator"), make_user(is_superuser=True)
    client.force_login(admin)
    url = reverse("wagtailusers_users:edit", args=[superuser.pk])

    def refused(response):
        # The admin answers a refusal by going back to its dashboard.
        return response.status_code == 302 and response["Location"] == reverse(
            "wagtailadmin_home"
        )

    assert refused(client.get(url))
    response = client.post(
        url,
        _user_data(
            superuser,
            email="taken.over@example.org",
            password1=NEW_PASSWORD,
            password2=NEW_PASSWORD,
        ),
    )
    assert refused(response)
    superuser.refresh_from_db()
    assert superuser.email != "taken.over@example.org"
    assert not superuser.check_password(NEW_PASSWORD)


def test_an_administrator_grants_only_groups_whose_permissions_they_hold(
    client, make_user
):
    admin, trainee = make_user("administrator"), make_user("trainee")
    powerful = Group.objects.create(name="Powerful")
    # Held by no role: only a superuser holds it.
    powerful.permissions.add(Permission.objects.get(codename="add_attempt"))
    powerful.permissions.add(Permission.objects.get(codename="delete_user"))
    admin = User.objects.get(pk=admin.pk)
    assert not admin.has_perm("exams.add_attempt")
    client.force_login(admin)
    groups = [Group.objects.get(name=roles.TRAINEE).pk, powerful.pk]
    response = client.post(
        reverse("wagtailusers_users:edit", args=[trainee.pk]),
        _user_data(trainee, groups=groups),
    )
    assert response.status_code == 200
    assert "Powerful" in " ".join(response.context["form"].errors["groups"])
    assert not trainee.groups.filter(pk=powerful.pk).exists()

    # Administrators may make someone a trainer or an administrator.
    trainers = Group.objects.get(name=roles.TRAINER)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[trainee.pk]),
        _user_data(trainee, groups=[trainers.pk]),
    )
    assert response.status_code == 302
    assert list(trainee.groups.all()) == [trainers]
    event = AuditEvent.objects.filter(
        action="user.groups_changed", target_object_id=trainee.pk, actor=admin
    )
    assert sorted(str(e.details) for e in event) == [
        "{'added': ['Trainers']}",
        "{'removed': ['Trainees']}",
    ]


def test_a_superuser_grants_any_group(client, make_user):
    superuser, trainee = make_user(is_superuser=True), make_user("trainee")
    powerful = Group.objects.create(name="Powerful")
    powerful.permissions.add(Permission.objects.get(codename="add_attempt"))
    client.force_login(superuser)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[trainee.pk]),
        _user_data(trainee, groups=[powerful.pk]),
    )
    assert response.status_code == 302
    assert list(trainee.groups.all()) == [powerful]
