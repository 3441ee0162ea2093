"""Hour rules of any kind of hours (supervision, experience...), and two new
requirement types: modules of a course completed, and a minimum age.

Administrators get every permission on the new types, as on the other
rules; trainers may read them, as they read credentials.
"""

import django.core.validators
import django.db.models.deletion
import django.db.models.manager
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

import courses.models.credentials

NEW_MODELS = ["agerequirement", "modulecompletionrequirement"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("courses")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="courses", content_type__model__in=NEW_MODELS
    )
    Group.objects.get(name="Administrators").permissions.add(*permissions)
    Group.objects.get(name="Trainers").permissions.add(
        *permissions.filter(codename__startswith="view_")
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="courses", content_type__model__in=NEW_MODELS
    )
    for group in Group.objects.filter(name__in=["Administrators", "Trainers"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0004_cohorts_enrollment_attendance_ledger"),
        ("cms", "0004_create_role_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="hoursrequirement",
            name="kind",
            field=models.CharField(
                choices=courses.models.credentials.hour_kind_choices,
                default="training",
                max_length=30,
                verbose_name="kind of hours",
            ),
        ),
        migrations.AddField(
            model_name="totalhoursrequirement",
            name="kind",
            field=models.CharField(
                choices=courses.models.credentials.hour_kind_choices,
                default="training",
                max_length=30,
                verbose_name="kind of hours",
            ),
        ),
        migrations.CreateModel(
            name="AgeRequirement",
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
                    "minimum_age",
                    models.PositiveSmallIntegerField(
                        validators=[django.core.validators.MaxValueValidator(120)],
                        verbose_name="minimum age (years)",
                    ),
                ),
            ],
            options={
                "verbose_name": "age requirement",
                "verbose_name_plural": "age requirements",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("minimum_age__gte", 1)),
                        name="courses_agerequirement_positive",
                    )
                ],
            },
            bases=("courses.requirement",),
            managers=[
                ("objects", django.db.models.manager.Manager()),
                ("plain_objects", django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name="ModuleCompletionRequirement",
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
                    "course",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="courses.coursepage",
                        verbose_name="course",
                    ),
                ),
                (
                    "modules",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Leave empty to require every published module of the course; modules chosen must belong to that course.",
                        related_name="+",
                        to="courses.modulepage",
                        verbose_name="modules",
                    ),
                ),
            ],
            options={
                "verbose_name": "module-completion requirement",
                "verbose_name_plural": "module-completion requirements",
            },
            bases=("courses.requirement",),
            managers=[
                ("objects", django.db.models.manager.Manager()),
                ("plain_objects", django.db.models.manager.Manager()),
            ],
        ),
        migrations.RunPython(grant, revoke),
    ]
