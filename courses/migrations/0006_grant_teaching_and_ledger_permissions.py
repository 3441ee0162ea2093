"""Permissions for studying, running cohorts and the hour ledger, granted to
the role groups (the README's roles table lists them).

Trainees study and submit hours; trainers run the cohorts they teach and
verify their trainees' hours; supervisors see and sign their supervisees'
hours; administrators do all of it for every cohort and trainee. The checks
in courses.permissions ask for these permissions, never for groups.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Trainees": ["add_enrollment", "add_hourentry", "view_hourentry"],
    "Trainers": ["add_cohort", "change_cohort", "view_hourentry", "verify_hourentry"],
    "Supervisors": ["view_hourentry", "sign_hourentry"],
    "Administrators": [
        "add_cohort",
        "change_cohort",
        "manage_any_cohort",
        "view_hourentry",
        "view_any_ledger",
        "verify_hourentry",
        "verify_any_hourentry",
    ],
}


def _course_permissions(apps, codenames):
    Permission = apps.get_model("auth.Permission")
    return Permission.objects.filter(
        content_type__app_label="courses", codename__in=codenames
    )


def grant(apps, schema_editor):
    # Permissions are normally created after migrations finish; create them
    # now so the groups can be given them.
    app_config = apps.get_app_config("courses")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth.Group")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.add(*_course_permissions(apps, GRANTS[group.name]))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(*_course_permissions(apps, GRANTS[group.name]))


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0005_requirement_kinds_modules_and_age"),
        ("cms", "0004_create_role_groups"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="cohort",
            options={
                "ordering": ["start_date", "name"],
                "permissions": [
                    ("manage_any_cohort", "Can run any cohort, taught or not")
                ],
                "verbose_name": "cohort",
                "verbose_name_plural": "cohorts",
            },
        ),
        migrations.AlterModelOptions(
            name="hourentry",
            options={
                "ordering": ["earned_on", "created_at", "pk"],
                "permissions": [
                    ("view_any_ledger", "Can view and export any trainee's hours"),
                    ("verify_hourentry", "Can verify hours of trainees they teach"),
                    ("verify_any_hourentry", "Can verify any trainee's hours"),
                    (
                        "sign_hourentry",
                        "Can sign supervision and experience hours of their supervisees",
                    ),
                ],
                "verbose_name": "hour entry",
                "verbose_name_plural": "hour entries",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
