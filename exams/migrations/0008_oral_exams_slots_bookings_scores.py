"""Oral exams: rubrics, oral exams, slots, bookings, sittings and scores.

The two oral-exam permissions move from the unmanaged holder that kept them
to the records they govern (publishing to the slot, scoring to the score
sheet), keeping every group's grant. Administrators get every permission on
the new records; trainers build oral exams and rubrics, as they build
written exams.
"""

import uuid
from decimal import Decimal

import django.core.validators
import django.db.models.deletion
import modelcluster.fields
import wagtail.fields
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

MOVES = {"publish_oral_slot": "slot", "score_oral_exam": "scoresheet"}
NEW_MODELS = [
    "rubric",
    "rubriccriterion",
    "oralexam",
    "slot",
    "booking",
    "sitting",
    "scoresheet",
    "criterionscore",
    "reconciliation",
]
TRAINER_MODELS = ["rubric", "rubriccriterion", "oralexam"]


def _content_type(apps, model):
    ContentType = apps.get_model("contenttypes.ContentType")
    return ContentType.objects.get_or_create(app_label="exams", model=model)[0]


def move_and_grant(apps, schema_editor):
    Permission = apps.get_model("auth.Permission")
    for codename, model in MOVES.items():
        Permission.objects.filter(
            content_type__app_label="exams", codename=codename
        ).update(content_type=_content_type(apps, model))
    app_config = apps.get_app_config("exams")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth.Group")
    oral = Permission.objects.filter(
        content_type__app_label="exams", content_type__model__in=NEW_MODELS
    )
    for group in Group.objects.filter(name="Administrators"):
        group.permissions.add(*oral)
    for group in Group.objects.filter(name="Trainers"):
        group.permissions.add(
            *oral.filter(content_type__model__in=TRAINER_MODELS).exclude(
                codename__startswith="delete_"
            )
        )


def move_back(apps, schema_editor):
    Permission = apps.get_model("auth.Permission")
    holder = _content_type(apps, "oralexampermissions")
    Permission.objects.filter(
        content_type__app_label="exams", codename__in=list(MOVES)
    ).update(content_type=holder)
    Group = apps.get_model("auth.Group")
    oral = Permission.objects.filter(
        content_type__app_label="exams", content_type__model__in=NEW_MODELS
    )
    for group in Group.objects.filter(name__in=["Administrators", "Trainers"]):
        group.permissions.remove(*oral)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_grant_teaching_and_ledger_permissions"),
        ("exams", "0007_grant_exam_role_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Booking",
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
                    "status",
                    models.CharField(
                        choices=[
                            ("booked", "Booked"),
                            ("cancelled", "Cancelled"),
                            ("attended", "Attended"),
                            ("no_show", "Did not attend"),
                            ("excused", "Absence excused"),
                        ],
                        default="booked",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "uid",
                    models.UUIDField(
                        default=uuid.uuid4, unique=True, verbose_name="calendar id"
                    ),
                ),
                (
                    "sequence",
                    models.PositiveIntegerField(
                        default=0, verbose_name="calendar revision"
                    ),
                ),
                ("booked_at", models.DateTimeField(verbose_name="booked at")),
                ("changed_at", models.DateTimeField(verbose_name="changed at")),
                (
                    "note",
                    models.CharField(
                        blank=True,
                        help_text="Why an administrator cancelled, moved or excused it.",
                        max_length=300,
                        verbose_name="note",
                    ),
                ),
                (
                    "changed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="changed by",
                    ),
                ),
                (
                    "trainee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="oral_bookings",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="trainee",
                    ),
                ),
            ],
            options={
                "verbose_name": "oral-exam booking",
                "verbose_name_plural": "oral-exam bookings",
                "ordering": ["slot__starts_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="CriterionScore",
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
                ("criterion_key", models.CharField(max_length=20)),
                ("points", models.IntegerField(verbose_name="points")),
                (
                    "comment",
                    models.TextField(
                        blank=True, max_length=2000, verbose_name="comment"
                    ),
                ),
            ],
            options={
                "verbose_name": "criterion score",
                "verbose_name_plural": "criterion scores",
                "ordering": ["sheet", "criterion_key"],
            },
        ),
        migrations.CreateModel(
            name="OralExam",
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
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "instructions",
                    models.TextField(
                        blank=True, verbose_name="instructions for trainees"
                    ),
                ),
                (
                    "duration_minutes",
                    models.PositiveIntegerField(
                        default=30,
                        validators=[
                            django.core.validators.MinValueValidator(5),
                            django.core.validators.MaxValueValidator(480),
                        ],
                        verbose_name="duration (minutes)",
                    ),
                ),
                (
                    "examiners_per_sitting",
                    models.PositiveSmallIntegerField(
                        default=2,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(3),
                        ],
                        verbose_name="examiners who score each sitting",
                    ),
                ),
                (
                    "pass_percent",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="The panel's mean weighted total must reach this, with no critical criterion below its floor.",
                        max_digits=5,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0")),
                            django.core.validators.MaxValueValidator(Decimal("100")),
                        ],
                        verbose_name="pass mark (%)",
                    ),
                ),
                (
                    "attempts_allowed",
                    models.PositiveIntegerField(
                        default=2,
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="attempts allowed",
                    ),
                ),
                (
                    "wait_between_attempts_hours",
                    models.PositiveIntegerField(
                        default=0,
                        verbose_name="waiting period between attempts (hours)",
                    ),
                ),
                (
                    "booking_opens_hours",
                    models.PositiveIntegerField(
                        default=720,
                        help_text="How far ahead a slot can be booked.",
                        verbose_name="booking opens (hours before the slot)",
                    ),
                ),
                (
                    "booking_closes_hours",
                    models.PositiveIntegerField(
                        default=24,
                        verbose_name="booking closes (hours before the slot)",
                    ),
                ),
                (
                    "cancellation_hours",
                    models.PositiveIntegerField(
                        default=48,
                        help_text="After that only an administrator can cancel or move a booking.",
                        verbose_name="trainees may cancel until (hours before the slot)",
                    ),
                ),
                (
                    "release",
                    models.CharField(
                        choices=[
                            ("at_once", "As soon as the panel has decided"),
                            ("by_administrator", "When an administrator releases it"),
                        ],
                        default="at_once",
                        max_length=20,
                        verbose_name="results are shown to trainees",
                    ),
                ),
                (
                    "is_published",
                    models.BooleanField(default=False, verbose_name="open to trainees"),
                ),
                (
                    "course",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="oral_exams",
                        to="courses.coursepage",
                        verbose_name="course",
                    ),
                ),
                (
                    "prerequisite_modules",
                    models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        to="courses.modulepage",
                        verbose_name="modules to complete first",
                    ),
                ),
                (
                    "written_exam",
                    models.ForeignKey(
                        blank=True,
                        help_text="A trainee may book once they have passed it.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="oral_exams",
                        to="exams.writtenexam",
                        verbose_name="written exam to pass first",
                    ),
                ),
            ],
            options={
                "verbose_name": "oral exam",
                "verbose_name_plural": "oral exams",
                "ordering": ["course", "title"],
            },
        ),
        migrations.CreateModel(
            name="Reconciliation",
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
                ("criterion_key", models.CharField(max_length=20)),
                ("points", models.IntegerField(verbose_name="agreed points")),
                ("note", models.TextField(max_length=2000, verbose_name="note")),
                ("decided_at", models.DateTimeField(verbose_name="decided at")),
                (
                    "decided_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "reconciliation",
                "verbose_name_plural": "reconciliations",
                "ordering": ["sitting", "criterion_key"],
            },
        ),
        migrations.CreateModel(
            name="Rubric",
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
                    "title",
                    models.CharField(max_length=200, unique=True, verbose_name="title"),
                ),
                (
                    "description",
                    models.TextField(blank=True, verbose_name="description"),
                ),
            ],
            options={
                "verbose_name": "rubric",
                "verbose_name_plural": "rubrics",
                "ordering": ["title"],
            },
        ),
        migrations.CreateModel(
            name="RubricCriterion",
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
                    "sort_order",
                    models.IntegerField(blank=True, editable=False, null=True),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "description",
                    models.TextField(
                        blank=True, verbose_name="what the examiners look for"
                    ),
                ),
                (
                    "weight",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("1"),
                        help_text="How much this criterion counts towards the total.",
                        max_digits=5,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.01"))
                        ],
                        verbose_name="weight",
                    ),
                ),
                (
                    "critical_floor",
                    models.PositiveIntegerField(
                        blank=True,
                        help_text="Leave empty for an ordinary criterion. With a value, the sitting fails when the panel's mean points here are below it.",
                        null=True,
                        verbose_name="critical: lowest passing points",
                    ),
                ),
                (
                    "levels",
                    wagtail.fields.StreamField(
                        [("level", 3)],
                        block_lookup={
                            0: (
                                "wagtail.blocks.IntegerBlock",
                                (),
                                {"label": "Points", "max_value": 100, "min_value": 0},
                            ),
                            1: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {"label": "Name", "max_length": 100},
                            ),
                            2: (
                                "wagtail.blocks.TextBlock",
                                (),
                                {"label": "What it looks like"},
                            ),
                            3: (
                                "wagtail.blocks.StructBlock",
                                [[("points", 0), ("label", 1), ("descriptor", 2)]],
                                {},
                            ),
                        },
                        help_text="From the lowest to the highest, each with its points.",
                        verbose_name="levels",
                    ),
                ),
                (
                    "rubric",
                    modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="criteria",
                        to="exams.rubric",
                    ),
                ),
            ],
            options={
                "verbose_name": "criterion",
                "verbose_name_plural": "criteria",
                "ordering": ["sort_order"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="ScoreSheet",
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
                    "state",
                    models.CharField(
                        choices=[("draft", "Draft"), ("submitted", "Submitted")],
                        default="draft",
                        max_length=20,
                        verbose_name="state",
                    ),
                ),
                (
                    "submitted_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="submitted at"
                    ),
                ),
                (
                    "reopened_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="reopened at"
                    ),
                ),
                (
                    "reopen_reason",
                    models.TextField(blank=True, verbose_name="why it was reopened"),
                ),
                (
                    "examiner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="oral_score_sheets",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="examiner",
                    ),
                ),
                (
                    "reopened_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "score sheet",
                "verbose_name_plural": "score sheets",
                "ordering": ["sitting", "pk"],
                "permissions": [
                    (
                        "score_oral_exam",
                        "Can score oral exams on the panels they sit on",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Sitting",
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
                    "rubric",
                    models.JSONField(
                        help_text="The frozen rubric; see the module docstring."
                    ),
                ),
                ("examiners_required", models.PositiveSmallIntegerField()),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("scoring", "Being scored"),
                            ("reconciling", "Panel reconciling"),
                            ("decided", "Decided"),
                        ],
                        default="scoring",
                        max_length=20,
                        verbose_name="state",
                    ),
                ),
                ("opened_at", models.DateTimeField(verbose_name="opened at")),
                (
                    "decided_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="decided at"
                    ),
                ),
                (
                    "percent",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=5, null=True
                    ),
                ),
                ("passed", models.BooleanField(blank=True, null=True)),
                (
                    "released_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="released at"
                    ),
                ),
            ],
            options={
                "verbose_name": "oral-exam sitting",
                "verbose_name_plural": "oral-exam sittings",
                "ordering": ["opened_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Slot",
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
                ("starts_at", models.DateTimeField(verbose_name="starts")),
                (
                    "duration_minutes",
                    models.PositiveIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(5),
                            django.core.validators.MaxValueValidator(480),
                        ],
                        verbose_name="duration (minutes)",
                    ),
                ),
                (
                    "place",
                    models.CharField(
                        blank=True,
                        help_text="An address or a room.",
                        max_length=300,
                        verbose_name="place",
                    ),
                ),
                ("video_link", models.URLField(blank=True, verbose_name="video link")),
                (
                    "capacity",
                    models.PositiveIntegerField(
                        default=1,
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="places",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        auto_now_add=True, verbose_name="published at"
                    ),
                ),
                (
                    "cancelled_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="withdrawn at"
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="published by",
                    ),
                ),
                (
                    "examiners",
                    models.ManyToManyField(
                        related_name="oral_slots",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="panel",
                    ),
                ),
                (
                    "lead_examiner",
                    models.ForeignKey(
                        help_text="Records the agreed level when the panel must reconcile.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="lead examiner",
                    ),
                ),
            ],
            options={
                "verbose_name": "oral-exam slot",
                "verbose_name_plural": "oral-exam slots",
                "ordering": ["starts_at", "pk"],
                "permissions": [
                    (
                        "publish_oral_slot",
                        "Can publish oral-exam slots and see bookings",
                    )
                ],
            },
        ),
        migrations.DeleteModel(
            name="OralExamPermissions",
        ),
        migrations.RunPython(move_and_grant, move_back),
        migrations.AddField(
            model_name="booking",
            name="oral_exam",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="bookings",
                to="exams.oralexam",
                verbose_name="oral exam",
            ),
        ),
        migrations.AddField(
            model_name="oralexam",
            name="rubric",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="oral_exams",
                to="exams.rubric",
                verbose_name="rubric",
            ),
        ),
        migrations.AddField(
            model_name="criterionscore",
            name="sheet",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="scores",
                to="exams.scoresheet",
            ),
        ),
        migrations.AddField(
            model_name="sitting",
            name="booking",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="sitting",
                to="exams.booking",
            ),
        ),
        migrations.AddField(
            model_name="sitting",
            name="released_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="scoresheet",
            name="sitting",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sheets",
                to="exams.sitting",
            ),
        ),
        migrations.AddField(
            model_name="reconciliation",
            name="sitting",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reconciliations",
                to="exams.sitting",
            ),
        ),
        migrations.AddField(
            model_name="slot",
            name="oral_exam",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="slots",
                to="exams.oralexam",
                verbose_name="oral exam",
            ),
        ),
        migrations.AddField(
            model_name="booking",
            name="slot",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="bookings",
                to="exams.slot",
                verbose_name="slot",
            ),
        ),
        migrations.AddConstraint(
            model_name="oralexam",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("examiners_per_sitting__gte", 1), ("examiners_per_sitting__lte", 3)
                ),
                name="exams_oralexam_one_to_three_examiners",
            ),
        ),
        migrations.AddConstraint(
            model_name="oralexam",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("booking_opens_hours__gt", models.F("booking_closes_hours"))
                ),
                name="exams_oralexam_booking_opens_before_it_closes",
            ),
        ),
        migrations.AddConstraint(
            model_name="rubriccriterion",
            constraint=models.CheckConstraint(
                condition=models.Q(("weight__gt", 0)),
                name="exams_rubriccriterion_weight_positive",
            ),
        ),
        migrations.AddConstraint(
            model_name="criterionscore",
            constraint=models.UniqueConstraint(
                fields=("sheet", "criterion_key"), name="exams_criterionscore_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="sitting",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("passed__isnull", False), ("state", "decided")),
                    models.Q(
                        models.Q(("state", "decided"), _negated=True),
                        ("passed__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="exams_sitting_decided_has_result",
            ),
        ),
        migrations.AddConstraint(
            model_name="scoresheet",
            constraint=models.UniqueConstraint(
                fields=("sitting", "examiner"), name="exams_scoresheet_one_per_examiner"
            ),
        ),
        migrations.AddConstraint(
            model_name="scoresheet",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("state", "submitted"), ("submitted_at__isnull", False)),
                    ("state", "draft"),
                    _connector="OR",
                ),
                name="exams_scoresheet_submitted_has_time",
            ),
        ),
        migrations.AddConstraint(
            model_name="reconciliation",
            constraint=models.UniqueConstraint(
                fields=("sitting", "criterion_key"), name="exams_reconciliation_once"
            ),
        ),
        migrations.AddIndex(
            model_name="slot",
            index=models.Index(
                fields=["oral_exam", "starts_at"], name="exams_slot_oral_ex_d7ab46_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="slot",
            constraint=models.CheckConstraint(
                condition=models.Q(("capacity__gte", 1)),
                name="exams_slot_capacity_positive",
            ),
        ),
        migrations.AddConstraint(
            model_name="slot",
            constraint=models.CheckConstraint(
                condition=models.Q(("duration_minutes__gte", 5)),
                name="exams_slot_duration_positive",
            ),
        ),
        migrations.AddConstraint(
            model_name="slot",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("place", ""), _negated=True),
                    models.Q(("video_link", ""), _negated=True),
                    _connector="OR",
                ),
                name="exams_slot_has_place_or_link",
            ),
        ),
        migrations.AddConstraint(
            model_name="booking",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "booked")),
                fields=("oral_exam", "trainee"),
                name="exams_booking_one_active_per_exam",
            ),
        ),
    ]
