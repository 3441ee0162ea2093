"""Give the role groups their permissions on course records.

Administrators edit credentials, requirements and hour categories; trainers
may read them and see the curriculum audit while they author courses.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TRAINER_CODENAMES = ["audit_curriculum", "view_credential", "view_hourcategory"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("courses")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    course_permissions = Permission.objects.filter(content_type__app_label="courses")
    Group.objects.get(name="Administrators").permissions.add(*course_permissions)
    Group.objects.get(name="Trainers").permissions.add(
        *course_permissions.filter(codename__in=TRAINER_CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    course_permissions = Permission.objects.filter(content_type__app_label="courses")
    for group in Group.objects.filter(name__in=["Administrators", "Trainers"]):
        group.permissions.remove(*course_permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("cms", "0004_create_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
