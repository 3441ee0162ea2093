"""The five roles as groups, with the permissions each needs.

Trainers author curriculum but cannot publish it: their changes go through the
approval workflow, where Administrators approve and publish. Examiners,
supervisors and trainees work on the public site and never reach the admin.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["Trainees", "Trainers", "Examiners", "Supervisors", "Administrators"]
TRAINER_PAGE_PERMISSIONS = ["add_page", "change_page"]
ADMIN_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
]
TRAINER_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
ADMIN_COLLECTION_PERMISSIONS = [
    *TRAINER_COLLECTION_PERMISSIONS,
    ("wagtailimages", "delete_image"),
    ("wagtaildocs", "delete_document"),
]
# Whole-app permissions for administrators (users, groups, sites, settings).
ADMIN_APPS = ["auth", "cms", "wagtailcore", "wagtailredirects", "wagtailforms"]


def _ensure_permissions(apps):
    # Permissions are normally created after migrations finish; create them
    # now so the groups can be given them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_role_groups(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore.Workflow")

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLES}
    trainers, admins = groups["Trainers"], groups["Administrators"]
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    trainers.permissions.add(access_admin)
    admins.permissions.add(
        access_admin,
        *Permission.objects.filter(content_type__app_label__in=ADMIN_APPS),
    )

    root_page = Page.objects.get(depth=1)
    for group, codenames in (
        (trainers, TRAINER_PAGE_PERMISSIONS),
        (admins, ADMIN_PAGE_PERMISSIONS),
    ):
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root_page,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )

    root_collection = Collection.objects.get(depth=1)
    for group, pairs in (
        (trainers, TRAINER_COLLECTION_PERMISSIONS),
        (admins, ADMIN_COLLECTION_PERMISSIONS),
    ):
        for app_label, codename in pairs:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )

    # Wagtail's default workflow asks its "Moderators" group to approve; here
    # administrators approve what trainers submit.
    for task in GroupApprovalTask.objects.filter(name="Moderators approval"):
        task.name = "Administrator approval"
        task.save(update_fields=["name"])
        task.groups.set([admins])
    Workflow.objects.filter(name="Moderators approval").update(
        name="Administrator approval"
    )
    Group.objects.filter(name__in=["Moderators", "Editors"]).delete()


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_create_home_page"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("wagtailforms", "0005_alter_formsubmission_form_data"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
