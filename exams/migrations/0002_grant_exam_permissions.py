"""Give the role groups their permissions on exam records.

Trainers build question banks and exams; administrators also manage
accommodations.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TRAINER_MODELS = [
    "question",
    "questioncategory",
    "singlechoicequestion",
    "multipleresponsequestion",
    "truefalsequestion",
    "shortanswerquestion",
    "matchingquestion",
    "orderingquestion",
    "essayquestion",
    "writtenexam",
    "blueprintrule",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("exams")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    exam_permissions = Permission.objects.filter(content_type__app_label="exams")
    Group.objects.get(name="Administrators").permissions.add(*exam_permissions)
    Group.objects.get(name="Trainers").permissions.add(
        *exam_permissions.filter(content_type__model__in=TRAINER_MODELS),
        *exam_permissions.filter(codename="view_accommodation"),
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    exam_permissions = Permission.objects.filter(content_type__app_label="exams")
    for group in Group.objects.filter(name__in=["Administrators", "Trainers"]):
        group.permissions.remove(*exam_permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0001_question_bank_exams_attempts"),
        ("cms", "0004_create_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
