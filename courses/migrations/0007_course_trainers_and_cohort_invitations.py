"""Course trainers and cohort invitations.

Trainers may create cohorts only of the courses an administrator assigned
them to (``CourseTrainer``, edited in the admin by administrators, who hold
its permissions); every trainer already named to a cohort is assigned to
that cohort's course, so nobody loses a course they teach. Trainers invite
trainees to a seat (``CohortInvitation``) instead of confirming one.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

ADMIN_PERMISSIONS = [
    "add_coursetrainer",
    "change_coursetrainer",
    "delete_coursetrainer",
    "view_coursetrainer",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("courses")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="courses", codename__in=ADMIN_PERMISSIONS
    )
    for group in Group.objects.filter(name="Administrators"):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="courses", codename__in=ADMIN_PERMISSIONS
    )
    for group in Group.objects.filter(name="Administrators"):
        group.permissions.remove(*permissions)


def assign_current_trainers(apps, schema_editor):
    Cohort = apps.get_model("courses.Cohort")
    CourseTrainer = apps.get_model("courses.CourseTrainer")
    pairs = set(
        Cohort.trainers.through.objects.values_list("cohort__course_id", "user_id")
    )
    CourseTrainer.objects.bulk_create(
        [CourseTrainer(course_id=c, trainer_id=t) for c, t in sorted(pairs)],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_grant_teaching_and_ledger_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CohortInvitation",
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
                (
                    "email",
                    models.EmailField(max_length=254, verbose_name="email address"),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="sent"
                    ),
                ),
                ("expires_at", models.DateTimeField(verbose_name="expires")),
                (
                    "token_hash",
                    models.CharField(blank=True, db_index=True, max_length=64),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting for an answer"),
                            ("accepted", "Accepted"),
                            ("declined", "Declined"),
                            ("withdrawn", "Replaced by a newer invitation"),
                        ],
                        default="pending",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "responded_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="answered"
                    ),
                ),
                (
                    "cohort",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="invitations",
                        to="courses.cohort",
                        verbose_name="cohort",
                    ),
                ),
                (
                    "invited_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="invited by",
                    ),
                ),
                (
                    "trainee",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="answered by",
                    ),
                ),
            ],
            options={
                "verbose_name": "cohort invitation",
                "verbose_name_plural": "cohort invitations",
                "ordering": ["-created_at", "-pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status", "pending")),
                        fields=("cohort", "email"),
                        name="courses_cohortinvitation_one_pending",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="CourseTrainer",
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
                (
                    "assigned_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="assigned"
                    ),
                ),
                (
                    "course",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="trainer_assignments",
                        to="courses.coursepage",
                        verbose_name="course",
                    ),
                ),
                (
                    "trainer",
                    models.ForeignKey(
                        limit_choices_to=models.Q(
                            models.Q(
                                ("groups__permissions__codename", "change_cohort"),
                                (
                                    "groups__permissions__content_type__app_label",
                                    "courses",
                                ),
                            ),
                            models.Q(
                                ("user_permissions__codename", "change_cohort"),
                                (
                                    "user_permissions__content_type__app_label",
                                    "courses",
                                ),
                            ),
                            _connector="OR",
                        ),
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="course_assignments",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="trainer",
                    ),
                ),
            ],
            options={
                "verbose_name": "course trainer",
                "verbose_name_plural": "course trainers",
                "ordering": ["course_id", "trainer_id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("course", "trainer"), name="courses_coursetrainer_once"
                    )
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
        migrations.RunPython(assign_current_trainers, migrations.RunPython.noop),
    ]
