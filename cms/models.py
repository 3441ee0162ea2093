"""The site's own records: users, the base page types, site settings."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import RICH_TEXT_FEATURES, ContentStreamBlock


class UserManager(BaseUserManager):
    """Users sign in with their email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """A person using the platform, identified by email address.

    ``first_name`` and ``last_name`` are the name the person goes by;
    ``legal_name`` is the name exactly as it must appear on certificates and
    board paperwork, which is often different.
    """

    username = None
    email = models.EmailField(_("email address"), unique=True)
    legal_name = models.CharField(
        _("legal name"),
        max_length=200,
        help_text=_("Your full name exactly as it should appear on certificates."),
    )
    date_of_birth = models.DateField(
        _("date of birth"),
        null=True,
        blank=True,
        help_text=_("Credentials require applicants to be 18 or older."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["legal_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="cms_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        full = f"{self.first_name} {self.last_name}".strip()
        return full or self.legal_name


class BasePage(Page):
    """Fields and behaviour every page on the site shares."""

    summary = models.TextField(
        _("summary"),
        blank=True,
        max_length=500,
        help_text=_("One or two sentences shown in listings and search results."),
    )

    search_fields = [*Page.search_fields, index.SearchField("summary")]
    promote_panels = [
        *Page.promote_panels,
        FieldPanel("summary"),
    ]

    class Meta:
        abstract = True


class HomePage(BasePage):
    """The front door: what the programs are and where to start."""

    hero_heading = models.CharField(_("hero heading"), max_length=200, blank=True)
    hero_text = RichTextField(_("hero text"), blank=True, features=RICH_TEXT_FEATURES)
    call_to_action_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("call-to-action page"),
        help_text=_("Where the hero's main button leads, such as the catalogue."),
    )
    call_to_action_label = models.CharField(
        _("call-to-action label"), max_length=80, blank=True
    )
    body = StreamField(ContentStreamBlock(), blank=True, verbose_name=_("body"))

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("hero_text"),
                FieldPanel("call_to_action_page"),
                FieldPanel("call_to_action_label"),
            ],
            heading=_("Hero"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]

    class Meta:
        verbose_name = _("home page")


class ContentPage(BasePage):
    """A general page: about the programs, policies, contact details."""

    body = StreamField(ContentStreamBlock(), blank=True, verbose_name=_("body"))

    subpage_types = ["cms.ContentPage"]

    content_panels = [*BasePage.content_panels, FieldPanel("body")]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]

    class Meta:
        verbose_name = _("content page")


@register_setting(icon="list-ul")
class FooterSettings(BaseSiteSetting):
    """What the footer says on every page."""

    text = RichTextField(
        _("footer text"), blank=True, features=["bold", "italic", "link"]
    )
    contact_email = models.EmailField(_("contact email"), blank=True)

    panels = [FieldPanel("text"), FieldPanel("contact_email")]

    class Meta:
        verbose_name = _("footer")


@register_setting(icon="doc-full")
class CertificateSettings(BaseSiteSetting):
    """Who issues the site's certificates and who signs them."""

    issuer_name = models.CharField(
        _("issuer name"),
        max_length=200,
        blank=True,
        help_text=_(
            "The program that issues certificates, as printed on them; the "
            "site name when empty."
        ),
    )
    issuer_url = models.URLField(
        _("issuer website"),
        blank=True,
        help_text=_("Printed on certificates; the site's address when empty."),
    )
    signatory_name = models.CharField(_("signatory name"), max_length=200, blank=True)
    signatory_title = models.CharField(_("signatory title"), max_length=200, blank=True)
    signature_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("signature image"),
        help_text=_("A scanned signature, printed above the signatory's name."),
    )

    panels = [
        FieldPanel("issuer_name"),
        FieldPanel("issuer_url"),
        MultiFieldPanel(
            [
                FieldPanel("signatory_name"),
                FieldPanel("signatory_title"),
                FieldPanel("signature_image"),
            ],
            heading=_("Signature"),
        ),
    ]

    class Meta:
        verbose_name = _("certificates")

    def issuer_name_or_default(self) -> str:
        from django.conf import settings

        return self.issuer_name or str(settings.WAGTAIL_SITE_NAME)

    def issuer_url_or_default(self) -> str:
        from django.conf import settings

        return self.issuer_url or settings.WAGTAILADMIN_BASE_URL
