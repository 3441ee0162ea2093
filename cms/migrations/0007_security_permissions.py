"""Permissions to unlock sign-in lockouts and to reset another person's
two-step verification, granted to administrators (the README's roles table
lists them)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["unlock_sign_in", "reset_mfa"]


def _permissions(apps):
    Permission = apps.get_model("auth.Permission")
    return Permission.objects.filter(
        content_type__app_label="cms", codename__in=CODENAMES
    )


def grant(apps, schema_editor):
    # Permissions are normally created after migrations finish; create them
    # now so the group can be given them.
    app_config = apps.get_app_config("cms")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth.Group")
    for group in Group.objects.filter(name="Administrators"):
        group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    for group in Group.objects.filter(name="Administrators"):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0006_audit_log"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="user",
            options={
                "ordering": ["email"],
                "permissions": [
                    ("unlock_sign_in", "Can see and unlock sign-in lockouts"),
                    (
                        "reset_mfa",
                        "Can reset another person's two-step verification",
                    ),
                ],
                "verbose_name": "user",
                "verbose_name_plural": "users",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
