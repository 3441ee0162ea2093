"""Numerical questions; partial credit on single-choice answers; accepted
short answers with a credit and feedback each; a text format for questions.

Each short answer's accepted lines become accepted answers at full credit
(and back again, keeping only the full-credit answers, when reversed), and
the Administrators and Trainers groups get the numerical question's
permissions, as 0002 gave them the other types'.
"""

import uuid
from decimal import Decimal

import django.db.models.deletion
import django.db.models.manager
import wagtail.fields
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def lines_to_answers(apps, schema_editor):
    ShortAnswerQuestion = apps.get_model("exams", "ShortAnswerQuestion")
    for question in ShortAnswerQuestion.objects.all():
        lines = [
            line.strip()
            for line in question.accepted_answers.splitlines()
            if line.strip()
        ]
        question.answers = [
            {
                "type": "answer",
                "id": str(uuid.uuid4()),
                "value": {"text": line, "weight": "100", "feedback": ""},
            }
            for line in lines
        ]
        question.save(update_fields=["answers"])


def answers_to_lines(apps, schema_editor):
    ShortAnswerQuestion = apps.get_model("exams", "ShortAnswerQuestion")
    for question in ShortAnswerQuestion.objects.all():
        # Only full-credit answers: the old field accepted every line in full.
        question.accepted_answers = "\n".join(
            block.value["text"]
            for block in question.answers
            if block.value["weight"] is None or block.value["weight"] >= 100
        )
        question.save(update_fields=["accepted_answers"])


def grant_numerical(apps, schema_editor):
    app_config = apps.get_app_config("exams")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="exams", content_type__model="numericalquestion"
    )
    for group in Group.objects.filter(name__in=["Administrators", "Trainers"]):
        group.permissions.add(*permissions)


def revoke_numerical(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="exams", content_type__model="numericalquestion"
    )
    for group in Group.objects.filter(name__in=["Administrators", "Trainers"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0005_written_exam_passed_requirement"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="text_format",
            field=models.CharField(
                choices=[
                    ("plain", "Plain text"),
                    ("markdown", "Markdown"),
                    ("html", "HTML"),
                ],
                default="plain",
                help_text="How the question text and the feedback are written. Markdown and HTML are shown formatted, with anything unsafe removed.",
                max_length=20,
                verbose_name="text format",
            ),
        ),
        migrations.AlterField(
            model_name="singlechoicequestion",
            name="choices",
            field=wagtail.fields.StreamField(
                [("choice", 4)],
                block_lookup={
                    0: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"label": "Text", "max_length": 500},
                    ),
                    1: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {"label": "Correct", "required": False},
                    ),
                    2: (
                        "wagtail.blocks.DecimalBlock",
                        (),
                        {
                            "help_text": "Only for a choice that is not correct but earns some credit.",
                            "label": "Partial credit (%)",
                            "max_value": Decimal("100"),
                            "min_value": Decimal("0"),
                            "required": False,
                        },
                    ),
                    3: (
                        "wagtail.blocks.TextBlock",
                        (),
                        {"label": "Feedback", "required": False},
                    ),
                    4: (
                        "wagtail.blocks.StructBlock",
                        [[("text", 0), ("correct", 1), ("weight", 2), ("feedback", 3)]],
                        {},
                    ),
                },
                verbose_name="choices",
            ),
        ),
        migrations.CreateModel(
            name="NumericalQuestion",
            fields=[
                (
                    "question_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to="exams.question",
                    ),
                ),
                (
                    "answers",
                    wagtail.fields.StreamField(
                        [("exact", 4), ("range", 7)],
                        block_lookup={
                            0: ("wagtail.blocks.DecimalBlock", (), {"label": "Value"}),
                            1: (
                                "wagtail.blocks.DecimalBlock",
                                (),
                                {
                                    "default": Decimal("0"),
                                    "help_text": "How far either side of the value still counts; 0 for exact.",
                                    "label": "Tolerance (±)",
                                    "min_value": Decimal("0"),
                                },
                            ),
                            2: (
                                "wagtail.blocks.DecimalBlock",
                                (),
                                {
                                    "default": Decimal("100"),
                                    "label": "Credit (%)",
                                    "max_value": Decimal("100"),
                                    "min_value": Decimal("0"),
                                },
                            ),
                            3: (
                                "wagtail.blocks.TextBlock",
                                (),
                                {"label": "Feedback", "required": False},
                            ),
                            4: (
                                "wagtail.blocks.StructBlock",
                                [
                                    [
                                        ("value", 0),
                                        ("tolerance", 1),
                                        ("weight", 2),
                                        ("feedback", 3),
                                    ]
                                ],
                                {},
                            ),
                            5: (
                                "wagtail.blocks.DecimalBlock",
                                (),
                                {"label": "Minimum"},
                            ),
                            6: (
                                "wagtail.blocks.DecimalBlock",
                                (),
                                {"label": "Maximum"},
                            ),
                            7: (
                                "wagtail.blocks.StructBlock",
                                [
                                    [
                                        ("minimum", 5),
                                        ("maximum", 6),
                                        ("weight", 2),
                                        ("feedback", 3),
                                    ]
                                ],
                                {},
                            ),
                        },
                        help_text="The best matching answer decides the grade; at least one earns 100%.",
                        verbose_name="answers",
                    ),
                ),
            ],
            options={
                "verbose_name": "numerical question",
                "verbose_name_plural": "numerical questions",
            },
            bases=("exams.question",),
            managers=[
                ("objects", django.db.models.manager.Manager()),
                ("plain_objects", django.db.models.manager.Manager()),
            ],
        ),
        # A default, so that reversing can add the column back to filled rows.
        migrations.AlterField(
            model_name="shortanswerquestion",
            name="accepted_answers",
            field=models.TextField(
                blank=True, default="", verbose_name="accepted answers"
            ),
        ),
        migrations.AddField(
            model_name="shortanswerquestion",
            name="answers",
            field=wagtail.fields.StreamField(
                [("answer", 3)],
                block_lookup={
                    0: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"label": "Answer", "max_length": 500},
                    ),
                    1: (
                        "wagtail.blocks.DecimalBlock",
                        (),
                        {
                            "default": Decimal("100"),
                            "help_text": "100 for a fully right answer; less for a nearly right one.",
                            "label": "Credit (%)",
                            "max_value": Decimal("100"),
                            "min_value": Decimal("0"),
                        },
                    ),
                    2: (
                        "wagtail.blocks.TextBlock",
                        (),
                        {"label": "Feedback", "required": False},
                    ),
                    3: (
                        "wagtail.blocks.StructBlock",
                        [[("text", 0), ("weight", 1), ("feedback", 2)]],
                        {},
                    ),
                },
                default=[],
                help_text="Case and spacing are ignored when grading. At least one answer earns full credit.",
                verbose_name="accepted answers",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(lines_to_answers, answers_to_lines),
        migrations.RemoveField(
            model_name="shortanswerquestion",
            name="accepted_answers",
        ),
        migrations.RunPython(grant_numerical, revoke_numerical),
    ]
