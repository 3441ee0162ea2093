"""The application fee, recorded by an administrator when it is paid, and
the checklist item it meets."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from .credentials import Credential, Requirement, RequirementProgress


class FeePayment(models.Model):
    """One fee paid by a trainee for a credential's application. Never
    edited: a mistake is corrected by recording the payment again and
    saying so in the reference."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="fee_payments",
        verbose_name=_("trainee"),
    )
    credential = models.ForeignKey(
        Credential,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("credential"),
    )
    amount = models.DecimalField(
        _("amount (USD)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(
        _("reference"),
        max_length=200,
        help_text=_("Receipt, check or transaction number."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-pk"]
        verbose_name = _("fee payment")
        verbose_name_plural = _("fee payments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="courses_feepayment_positive"
            )
        ]

    def __str__(self):
        return f"{self.trainee} {self.credential} {self.amount}"


class FeeRequirement(Requirement):
    """The application fee, paid and recorded by an administrator."""

    panels = [
        FieldPanel("credential"),
        FieldPanel("source_citation"),
        FieldPanel("effective_date"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("fee requirement")
        verbose_name_plural = _("fee requirements")

    def describe(self) -> str:
        return str(_("The application fee, paid"))

    def progress(self, trainee, *, facts=None):
        facts = self._facts_for(trainee, facts)
        paid = facts.remember(
            "courses.fees",
            lambda: {
                p.credential_id: p
                for p in FeePayment.objects.filter(trainee=facts.trainee).order_by(
                    "paid_on", "pk"
                )
            },
        )
        payment = paid.get(self.credential_id)
        if payment is not None:
            return RequirementProgress(
                met=True,
                status=_("Paid on %(date)s") % {"date": date_format(payment.paid_on)},
                fraction=1.0,
                met_on=payment.paid_on,
            )
        return RequirementProgress(
            met=False,
            status=str(_("Not recorded")),
            next_step=str(
                _(
                    "Pay the board's application fee; an administrator records "
                    "it here when it is received."
                )
            ),
        )
