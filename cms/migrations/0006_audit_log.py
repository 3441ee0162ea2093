"""The append-only audit log.

Administrators read it (``cms.view_auditevent``, the only permission the
model has). On PostgreSQL a trigger refuses UPDATE and DELETE of its rows
whatever the client, so not even a database session outside Django can
rewrite history; on SQLite the model and its queryset refuse.
"""

import django.core.serializers.json
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

IMMUTABLE_FUNCTION = """
CREATE OR REPLACE FUNCTION cms_auditevent_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only: % of cms_auditevent refused',
        TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
IMMUTABLE_TRIGGER = """
CREATE TRIGGER cms_auditevent_append_only
BEFORE UPDATE OR DELETE ON cms_auditevent
FOR EACH ROW EXECUTE FUNCTION cms_auditevent_refuse_change();
"""
DROP_TRIGGER = """
DROP TRIGGER IF EXISTS cms_auditevent_append_only ON cms_auditevent;
DROP FUNCTION IF EXISTS cms_auditevent_refuse_change();
"""


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(IMMUTABLE_FUNCTION, params=None)
        schema_editor.execute(IMMUTABLE_TRIGGER, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER, params=None)


def grant_view(apps, schema_editor):
    # Permissions are normally created after migrations finish.
    app_config = apps.get_app_config("cms")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    view = Permission.objects.get(
        content_type__app_label="cms", codename="view_auditevent"
    )
    for group in Group.objects.filter(name="Administrators"):
        group.permissions.add(view)


def revoke_view(apps, schema_editor):
    Permission = apps.get_model("auth.Permission")
    Permission.objects.filter(
        content_type__app_label="cms", codename="view_auditevent"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0005_home_page_call_to_action"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cms", "0004_create_role_groups"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditEvent",
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
                    "occurred_at",
                    models.DateTimeField(
                        db_index=True,
                        default=django.utils.timezone.now,
                        verbose_name="when",
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        db_index=True,
                        help_text='A dotted code such as "exam.grade_changed".',
                        max_length=100,
                        verbose_name="action",
                    ),
                ),
                (
                    "actor_repr",
                    models.CharField(
                        blank=True, max_length=254, verbose_name="by (as recorded)"
                    ),
                ),
                (
                    "target_object_id",
                    models.CharField(
                        blank=True, max_length=64, verbose_name="target id"
                    ),
                ),
                (
                    "target_repr",
                    models.CharField(blank=True, max_length=255, verbose_name="target"),
                ),
                (
                    "ip_address",
                    models.GenericIPAddressField(
                        blank=True, null=True, verbose_name="IP address"
                    ),
                ),
                (
                    "user_agent",
                    models.CharField(
                        blank=True, max_length=300, verbose_name="user agent"
                    ),
                ),
                ("reason", models.TextField(blank=True, verbose_name="reason")),
                (
                    "details",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        encoder=django.core.serializers.json.DjangoJSONEncoder,
                        verbose_name="details",
                    ),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                (
                    "target_content_type",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="contenttypes.contenttype",
                        verbose_name="target type",
                    ),
                ),
            ],
            options={
                "verbose_name": "audit event",
                "verbose_name_plural": "audit log",
                "ordering": ["-occurred_at", "-pk"],
                "default_permissions": ("view",),
                "indexes": [
                    models.Index(
                        fields=["target_content_type", "target_object_id"],
                        name="cms_audit_target_idx",
                    ),
                    models.Index(
                        fields=["actor", "occurred_at"], name="cms_audit_actor_idx"
                    ),
                ],
            },
        ),
        migrations.RunPython(add_trigger, drop_trigger),
        migrations.RunPython(grant_view, revoke_view),
    ]
