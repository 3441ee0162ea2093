"""Administrators generate application packets and mark them sent. Including
sensitive documents in a packet also needs courses.view_sensitive_document,
which no role holds: it is granted to named administrators one by one."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["generate_applicationpacket"]


def _permissions(apps):
    Permission = apps.get_model("auth.Permission")
    return Permission.objects.filter(
        content_type__app_label="courses", codename__in=CODENAMES
    )


def grant(apps, schema_editor):
    app_config = apps.get_app_config("courses")
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
        ("courses", "0017_application_packets"),
        ("cms", "0004_create_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
