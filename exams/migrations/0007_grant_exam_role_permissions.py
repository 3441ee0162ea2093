"""Permissions for sitting, grading and regrading written exams and for oral
exams, granted to the role groups (the README's roles table lists them).

Trainees sit exams (add_attempt); administrators no longer hold that
permission, which they had only through being granted every exam
permission. Trainers grade the essays of the courses they teach and regrade
attempts after correcting a question; examiners hold the oral-exam
permissions, declared on an unmanaged holder until the oral-exam records
exist. Accommodations go to the people who may sit exams, by permission
rather than by group name.
"""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GRANTS = {
    "Trainees": ["add_attempt"],
    "Trainers": ["change_attempt", "grade_response"],
    "Examiners": ["publish_oral_slot", "score_oral_exam"],
    "Administrators": [
        "grade_response",
        "grade_any_response",
        "publish_oral_slot",
        "score_oral_exam",
    ],
}
REVOKES = {"Administrators": ["add_attempt"]}


def _exam_permissions(apps, codenames):
    Permission = apps.get_model("auth.Permission")
    return Permission.objects.filter(
        content_type__app_label="exams", codename__in=codenames
    )


def grant(apps, schema_editor):
    # Permissions are normally created after migrations finish; create them
    # now so the groups can be given them.
    app_config = apps.get_app_config("exams")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth.Group")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.add(*_exam_permissions(apps, GRANTS[group.name]))
    for group in Group.objects.filter(name__in=REVOKES):
        group.permissions.remove(*_exam_permissions(apps, REVOKES[group.name]))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(*_exam_permissions(apps, GRANTS[group.name]))
    for group in Group.objects.filter(name__in=REVOKES):
        group.permissions.add(*_exam_permissions(apps, REVOKES[group.name]))


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0006_numerical_and_weighted_answers"),
        ("cms", "0004_create_role_groups"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="OralExamPermissions",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
            ],
            options={
                "verbose_name": "oral-exam permissions",
                "verbose_name_plural": "oral-exam permissions",
                "permissions": [
                    (
                        "publish_oral_slot",
                        "Can publish oral-exam slots and see bookings",
                    ),
                    (
                        "score_oral_exam",
                        "Can score oral exams on the panels they sit on",
                    ),
                ],
                "managed": False,
                "default_permissions": (),
            },
        ),
        migrations.AlterModelOptions(
            name="response",
            options={
                "permissions": [
                    ("grade_response", "Can grade essays of courses they teach"),
                    ("grade_any_response", "Can grade essays of any course"),
                ],
                "verbose_name": "response",
            },
        ),
        migrations.AlterField(
            model_name="accommodation",
            name="trainee",
            field=models.OneToOneField(
                limit_choices_to=models.Q(
                    models.Q(
                        ("groups__permissions__codename", "add_attempt"),
                        ("groups__permissions__content_type__app_label", "exams"),
                    ),
                    models.Q(
                        ("user_permissions__codename", "add_attempt"),
                        ("user_permissions__content_type__app_label", "exams"),
                    ),
                    _connector="OR",
                ),
                on_delete=django.db.models.deletion.CASCADE,
                related_name="accommodation",
                to=settings.AUTH_USER_MODEL,
                verbose_name="trainee",
            ),
        ),
        migrations.RunPython(grant, revoke),
    ]
