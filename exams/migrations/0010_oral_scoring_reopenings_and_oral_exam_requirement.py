"""Scoring oral exams: a record of each reopening of a submitted score sheet,
and the credential requirement met by passing an oral exam.

As for the written-exam requirement, administrators get every permission on
the requirement and trainers may read it; administrators hold every
permission on the reopening records, as on the other oral-exam records.
"""

import django.db.models.deletion
import django.db.models.manager
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

REQUIREMENT = "oralexampassedrequirement"
REOPENING = "scoresheetreopening"


def _permissions(apps, model):
    Permission = apps.get_model("auth.Permission")
    return Permission.objects.filter(
        content_type__app_label="exams", content_type__model=model
    )


def grant(apps, schema_editor):
    # Permissions are normally created after migrations finish; create them
    # now so the groups can be given them.
    app_config = apps.get_app_config("exams")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth.Group")
    requirement = _permissions(apps, REQUIREMENT)
    for group in Group.objects.filter(name="Administrators"):
        group.permissions.add(*requirement, *_permissions(apps, REOPENING))
    for group in Group.objects.filter(name="Trainers"):
        group.permissions.add(*requirement.filter(codename__startswith="view_"))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    for group in Group.objects.filter(name__in=["Administrators", "Trainers"]):
        group.permissions.remove(
            *_permissions(apps, REQUIREMENT), *_permissions(apps, REOPENING)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_grant_teaching_and_ledger_permissions"),
        ("cms", "0004_create_role_groups"),
        ("exams", "0009_oral_booking_reminders"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="OralExamPassedRequirement",
            fields=[
                (
                    "requirement_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to="courses.requirement",
                    ),
                ),
                (
                    "oral_exam",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="exams.oralexam",
                        verbose_name="oral exam",
                    ),
                ),
            ],
            options={
                "verbose_name": "oral-exam requirement",
                "verbose_name_plural": "oral-exam requirements",
            },
            bases=("courses.requirement",),
            managers=[
                ("objects", django.db.models.manager.Manager()),
                ("plain_objects", django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name="ScoreSheetReopening",
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
                ("reopened_at", models.DateTimeField(verbose_name="reopened at")),
                (
                    "reason",
                    models.TextField(
                        max_length=2000, verbose_name="why it was reopened"
                    ),
                ),
                (
                    "submitted_at",
                    models.DateTimeField(verbose_name="had been submitted at"),
                ),
                ("scores", models.JSONField(default=dict)),
                (
                    "sitting_state",
                    models.CharField(max_length=20, verbose_name="sitting's state"),
                ),
                (
                    "percent",
                    models.DecimalField(decimal_places=2, max_digits=5, null=True),
                ),
                ("passed", models.BooleanField(null=True)),
                ("released_at", models.DateTimeField(null=True)),
                ("reconciliations", models.JSONField(default=list)),
                (
                    "reopened_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="reopened by",
                    ),
                ),
                (
                    "sheet",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reopenings",
                        to="exams.scoresheet",
                    ),
                ),
            ],
            options={
                "verbose_name": "score-sheet reopening",
                "verbose_name_plural": "score-sheet reopenings",
                "ordering": ["reopened_at", "pk"],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
