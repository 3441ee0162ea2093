"""The site's own records: users, the base page types, site settings, the
audit log."""

import json

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
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
        permissions = [
            ("unlock_sign_in", _("Can see and unlock sign-in lockouts")),
            ("reset_mfa", _("Can reset another person's two-step verification")),
        ]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="cms_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        # A new password signs the person out everywhere else: Django already
        # refuses sessions made under the old one, and this removes them.
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            from .tasks import sessions_end_stale

            user_id = self.pk
            transaction.on_commit(lambda: sessions_end_stale.enqueue(user_id))

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


class AuditLogImmutable(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    """Audit events are written once and never changed or removed."""

    def update(self, **kwargs):
        raise AuditLogImmutable("Audit events cannot be changed.")

    def delete(self):
        raise AuditLogImmutable("Audit events cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditLogImmutable("Audit events cannot be changed.")

    def _raw_delete(self, using):
        raise AuditLogImmutable("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One thing a person (or the platform) did that a state board may ask
    about: a grade changed, hours verified, a seat decided, a sign-in.

    This is a small model of the platform's own rather than a field-diff log
    (django-auditlog): what is recorded is a domain action with its meaning
    ("exam.grade_changed" with the old and new score and the grader's
    reason), often spanning several rows, and actions that change no row at
    all (a failed sign-in, an import refused) must be recorded too.

    Append-only: ``save()`` refuses to update a stored event, ``delete()``
    and the queryset's ``update()``/``delete()`` refuse, and on PostgreSQL a
    trigger rejects UPDATE and DELETE of the table whatever the client. The
    actor and target are kept as text beside their ids, and the ids carry no
    database constraint, so deleting a user or a record leaves its history
    readable.
    """

    occurred_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    action = models.CharField(
        _("action"),
        max_length=100,
        db_index=True,
        help_text=_('A dotted code such as "exam.grade_changed".'),
    )
    actor = models.ForeignKey(
        "cms.User",
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_repr = models.CharField(_("by (as recorded)"), max_length=254, blank=True)
    target_content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("target type"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    target_object_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_repr = models.CharField(_("target"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(
        _("details"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-occurred_at", "-pk"]
        # Only reading is a permission: nobody adds, changes or deletes.
        default_permissions = ("view",)
        indexes = [
            models.Index(
                fields=["target_content_type", "target_object_id"],
                name="cms_audit_target_idx",
            ),
            models.Index(fields=["actor", "occurred_at"], name="cms_audit_actor_idx"),
        ]

    def __str__(self):
        return f"{self.action} {self.target_repr}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update"):
            raise AuditLogImmutable("Audit events cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable("Audit events cannot be deleted.")

    @property
    def details_text(self) -> str:
        """The details as one line of JSON, for exports."""
        return json.dumps(self.details, sort_keys=True, cls=DjangoJSONEncoder)


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
