from django.db import migrations


def create_home_page(apps, schema_editor):
    """Replace Wagtail's placeholder page with the site's home page."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("cms.HomePage")

    Page.objects.filter(
        content_type__app_label="wagtailcore", content_type__model="page", depth=2
    ).delete()
    content_type, _ = ContentType.objects.get_or_create(
        app_label="cms", model="homepage"
    )
    root = Page.objects.get(depth=1)
    home = HomePage.objects.create(
        title="Peer Specialist Training",
        draft_title="Peer Specialist Training",
        slug="home",
        content_type=content_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=Locale.objects.get(language_code__in=["en", "en-us"])
        if Locale.objects.filter(language_code__in=["en", "en-us"]).exists()
        else Locale.objects.first(),
        live=True,
    )
    root.numchild = 1
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page_id": home.pk,
            "site_name": "Peer Specialist Training",
        },
    )


def remove_home_page(apps, schema_editor):
    apps.get_model("cms.HomePage").objects.filter(depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_site_pages_and_footer"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_home_page, remove_home_page)]
