"""A credential requirement met by passing a written exam; administrators get
its permissions, as they have every other requirement's; trainers may read
it, as they read the courses app's requirement types."""

import django.db.models.deletion
import django.db.models.manager
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

MODEL = "writtenexampassedrequirement"


def grant(apps, schema_editor):
    app_config = apps.get_app_config("exams")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="exams", content_type__model=MODEL
    )
    Group.objects.get(name="Administrators").permissions.add(*permissions)
    Group.objects.get(name="Trainers").permissions.add(
        *permissions.filter(codename__startswith="view_")
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="exams", content_type__model=MODEL
    )
    for group in Group.objects.filter(name__in=["Administrators", "Trainers"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0004_cohorts_enrollment_attendance_ledger"),
        ("cms", "0004_create_role_groups"),
        ("exams", "0004_accommodation_only_for_trainees"),
    ]

    operations = [
        migrations.CreateModel(
            name="WrittenExamPassedRequirement",
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
                    "exam",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="exams.writtenexam",
                        verbose_name="written exam",
                    ),
                ),
            ],
            options={
                "verbose_name": "written-exam requirement",
                "verbose_name_plural": "written-exam requirements",
            },
            bases=("courses.requirement",),
            managers=[
                ("objects", django.db.models.manager.Manager()),
                ("plain_objects", django.db.models.manager.Manager()),
            ],
        ),
        migrations.RunPython(grant, revoke),
    ]
