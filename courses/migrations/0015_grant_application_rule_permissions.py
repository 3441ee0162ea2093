"""Administrators edit the supervision and application rules in the admin:
supervisor credential types, supervision domains and gap rules, document
kinds, and the checklist's requirement types (agreement, evaluation,
documents, suicide-prevention training, fee)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = [
    "supervisorcredentialtype",
    "supervisiondomain",
    "supervisiongaprule",
    "documentkind",
    "supervisionagreementrequirement",
    "supervisionevaluationrequirement",
    "documentrequirement",
    "suicidepreventionrequirement",
    "feerequirement",
]
CODENAMES = [
    f"{action}_{model}"
    for model in MODELS
    for action in ("add", "change", "delete", "view")
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
        ("courses", "0014_application_fee_payments"),
        ("cms", "0004_create_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
