"""Letters of reference: the trainee's requests, the referee's signed
letter, and the checklist rule that counts them."""

import django.core.validators
import django.db.models.deletion
import django.db.models.manager
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

import courses.models.ledger
import courses.models.references
import courses.models.supervision

# Administrators edit the letters-of-reference rule in the admin, like the
# checklist's other requirement types (0015).
CODENAMES = [
    f"{action}_referencerequirement" for action in ("add", "change", "delete", "view")
]


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
        ("courses", "0015_grant_application_rule_permissions"),
        ("cms", "0004_create_role_groups"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReferenceRequirement",
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
                    "minimum_letters",
                    models.PositiveSmallIntegerField(
                        default=2,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(20),
                        ],
                        verbose_name="letters needed",
                    ),
                ),
            ],
            options={
                "verbose_name": "letters of reference requirement",
                "verbose_name_plural": "letters of reference requirements",
            },
            bases=("courses.requirement",),
            managers=[
                ("objects", django.db.models.manager.Manager()),
                ("plain_objects", django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name="ReferenceRequest",
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
                    "referee_name",
                    models.CharField(max_length=200, verbose_name="referee's name"),
                ),
                (
                    "referee_email",
                    models.EmailField(max_length=254, verbose_name="referee's email"),
                ),
                (
                    "referee_credential_number",
                    models.CharField(
                        max_length=60, verbose_name="referee's credential number"
                    ),
                ),
                (
                    "token_hash",
                    models.CharField(blank=True, db_index=True, max_length=64),
                ),
                (
                    "expires_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="link expires"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("sent", "Sent"),
                            ("received", "Received"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="sent",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="asked on"
                    ),
                ),
                (
                    "sent_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="emailed at"
                    ),
                ),
                (
                    "received_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="received at"
                    ),
                ),
                (
                    "withdrawn_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="withdrawn at"
                    ),
                ),
                ("letter_text", models.TextField(blank=True, verbose_name="letter")),
                (
                    "letter_file",
                    models.FileField(
                        blank=True,
                        max_length=200,
                        storage=courses.models.ledger.PrivateFileSystemStorage(),
                        upload_to=courses.models.references.letter_path,
                        verbose_name="letter file",
                    ),
                ),
                ("letter_file_sha256", models.CharField(blank=True, max_length=64)),
                (
                    "credential",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reference_requests",
                        to="courses.credential",
                        verbose_name="credential",
                    ),
                ),
                (
                    "referee_credential_type",
                    models.ForeignKey(
                        limit_choices_to={"may_give_reference": True},
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="courses.supervisorcredentialtype",
                        verbose_name="referee's credential",
                    ),
                ),
                (
                    "trainee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reference_requests",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="trainee",
                    ),
                ),
            ],
            options={
                "verbose_name": "reference request",
                "verbose_name_plural": "reference requests",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["trainee", "credential", "status"],
                        name="courses_ref_trainee_83c115_idx",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status", "withdrawn"), _negated=True),
                        fields=("trainee", "credential", "referee_email"),
                        name="courses_reference_one_per_referee",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("referee_credential_number", ""), _negated=True
                        ),
                        name="courses_reference_credential_number",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "received"), _negated=True),
                            models.Q(
                                ("received_at__isnull", False),
                                models.Q(
                                    models.Q(("letter_text", ""), _negated=True),
                                    models.Q(("letter_file", ""), _negated=True),
                                    _connector="OR",
                                ),
                            ),
                            _connector="OR",
                        ),
                        name="courses_reference_received_has_letter",
                    ),
                ],
            },
            bases=(courses.models.supervision.Signable, models.Model),
        ),
        migrations.RunPython(grant, revoke),
    ]
