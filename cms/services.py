"""Writes for the site itself: initial site content and demo accounts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from wagtail.models import Page, Site

from .models import CertificateSettings, ContentPage, FooterSettings, HomePage, User

DEMO_PASSWORD = "kps-demo-pass"  # noqa: S105 - published in the README on purpose


@dataclass
class LoadReport:
    """What a loader created; rerunning a loader creates nothing new."""

    created: list[str] = field(default_factory=list)

    def add(self, label: str) -> None:
        self.created.append(label)


def page_publish_child(*, parent: Page, page: Page) -> Page:
    """Add a page under its parent and publish it with a first revision."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def home_page_get() -> HomePage:
    site = Site.objects.select_related("root_page").get(is_default_site=True)
    return site.root_page.specific


@transaction.atomic
def home_page_content_load(
    *, data: dict, report: LoadReport, call_to_action: Page | None = None
) -> HomePage:
    """Fill the home page once; editors' later changes survive a reload."""
    home = home_page_get()
    spec = data["home"]
    if not home.hero_heading:
        home.title = spec["title"]
        home.hero_heading = spec["hero_heading"]
        home.hero_text = spec["hero_text"]
        home.summary = spec.get("summary", "")
        home.body = [{"type": "text", "value": spec["body"]}]
        home.call_to_action_page = call_to_action
        home.call_to_action_label = spec.get("call_to_action_label", "")
        home.save_revision().publish()
        report.add("home page text")
    return home


@transaction.atomic
def site_pages_load(*, data: dict, report: LoadReport) -> None:
    """Create the general pages and footer that are missing."""
    home = home_page_get()
    for spec in data.get("pages", []):
        if home.get_children().filter(slug=spec["slug"]).exists():
            continue
        page_publish_child(
            parent=home,
            page=ContentPage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec.get("summary", ""),
                body=[{"type": "text", "value": spec["body"]}],
                show_in_menus=True,
            ),
        )
        report.add(f"page {spec['title']}")
    footer = FooterSettings.for_site(Site.objects.get(is_default_site=True))
    if not footer.text and "footer" in data:
        footer.text = data["footer"]["text"]
        footer.contact_email = data["footer"].get("contact_email", "")
        footer.save()
        report.add("footer")


@transaction.atomic
def demo_users_load(*, users: list[dict], report: LoadReport) -> list[User]:
    """Create one demo account per role. Refused where demo data is not allowed."""
    if not settings.DEMO_DATA_ALLOWED:
        raise ImproperlyConfigured(
            "Demo users have a published password and are never created under "
            "these settings."
        )
    created = []
    for spec in users:
        user = User.objects.filter(email__iexact=spec["email"]).first()
        if user is None:
            user = User.objects.create_user(
                email=spec["email"],
                password=DEMO_PASSWORD,
                first_name=spec.get("first_name", ""),
                last_name=spec.get("last_name", ""),
                legal_name=spec["legal_name"],
                date_of_birth=(
                    datetime.date.fromisoformat(spec["date_of_birth"])
                    if spec.get("date_of_birth")
                    else None
                ),
                is_superuser=spec.get("superuser", False),
                is_staff=spec.get("superuser", False),
            )
            report.add(f"user {user.email}")
            created.append(user)
        user.groups.add(Group.objects.get(name=spec["role"]))
    return created


def account_sign_up(*, cleaned_data: dict, password: str, next_url: str = "") -> None:
    """Sign-up that never says whether an email address has an account.

    A new address gets an inactive trainee account and an email with a link
    that confirms the address and signs the person in. An address that
    already has an account gets an email saying so (with the links to sign
    in and to reset the password); nothing is created or changed. Either
    way the person is told to check their email, and the email goes out
    from a background task.
    """
    from django.contrib.auth.hashers import make_password

    from . import roles
    from .tasks import signup_email_send

    email = cleaned_data["email"].strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    pending = (
        existing is not None and not existing.is_active and existing.last_login is None
    )
    if existing is not None and not pending:
        # Hash the unused password anyway, so both answers take as long.
        make_password(password)
        kind, user_id = "exists", existing.pk
    elif pending:
        # Signing up again before confirming: the latest sign-up's details
        # and password replace the unconfirmed ones (which also voids the
        # earlier link). Confirming asks for the password, so whoever
        # signed up last and reads the mail is who gets the account.
        with transaction.atomic():
            existing.first_name = cleaned_data.get("first_name", "")
            existing.last_name = cleaned_data.get("last_name", "")
            existing.legal_name = cleaned_data["legal_name"]
            existing.date_of_birth = cleaned_data.get("date_of_birth")
            existing.set_password(password)
            existing.save()
        kind, user_id = "activate", existing.pk
    else:
        with transaction.atomic():
            user = User(
                email=email,
                first_name=cleaned_data.get("first_name", ""),
                last_name=cleaned_data.get("last_name", ""),
                legal_name=cleaned_data["legal_name"],
                date_of_birth=cleaned_data.get("date_of_birth"),
                is_active=False,
            )
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=roles.TRAINEE))
        kind, user_id = "activate", user.pk
    transaction.on_commit(lambda: signup_email_send.enqueue(user_id, kind, next_url))


def signup_activate_path(user) -> str:
    """The path of a new account's confirmation link."""
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return reverse(
        "signup_activate",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )


def signup_email_send(*, user_id: int, kind: str, next_url: str = "") -> int:
    """The email a sign-up sends: the confirmation link of a new account,
    or "you already have an account"."""
    from urllib.parse import urlencode

    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils.translation import gettext as _

    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return 0
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {
        "user": user,
        "login_url": base + reverse("login"),
        "reset_url": base + reverse("password_reset"),
    }
    if kind == "activate":
        path = signup_activate_path(user)
        if next_url:
            path += "?" + urlencode({"next": next_url})
        context["activate_url"] = base + path
        subject = _("Confirm your email address")
        template = "registration/signup_activate_email.txt"
    else:
        subject = _("You already have an account")
        template = "registration/signup_exists_email.txt"
    return send_mail(
        subject,
        render_to_string(template, context),
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )


def certificate_settings() -> CertificateSettings:
    """The default site's certificate settings (issuer, signatory); blank
    settings, not saved, when there is no site yet."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return CertificateSettings()
    return CertificateSettings.for_site(site)
