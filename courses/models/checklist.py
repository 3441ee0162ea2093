"""Requirement types of the alcohol and drug application checklist that read
supervision records: a supervisory agreement signed by both and approved by
the board, and a signed supervision evaluation."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from .credentials import Requirement, RequirementProgress
from .supervision import (
    Signature,
    SupervisionEvaluation,
    SupervisoryAgreement,
)

BOTH = {Signature.Role.TRAINEE, Signature.Role.SUPERVISOR}
PANELS = [
    FieldPanel("credential"),
    FieldPanel("source_citation"),
    FieldPanel("effective_date"),
    FieldPanel("sort_order"),
]


def _supervision_facts(facts) -> dict:
    """The trainee's agreements (by credential) with the roles that signed
    their current version, and which agreements have a signed evaluation:
    three queries, once for every rule measured."""

    def load() -> dict:
        agreements = list(
            SupervisoryAgreement.objects.filter(trainee=facts.trainee).select_related(
                "trainee", "supervisor", "credential", "supervisor_credential_type"
            )
        )
        evaluations = list(
            SupervisionEvaluation.objects.filter(
                agreement__in=agreements
            ).select_related("agreement__trainee", "agreement__supervisor")
        )
        signatures: dict[tuple[int, int], set[str]] = {}
        types = ContentType.objects.get_for_models(
            SupervisoryAgreement, SupervisionEvaluation
        )
        wanted = {
            (types[SupervisoryAgreement].pk, a.pk): a.signed_text_hash()
            for a in agreements
        } | {
            (types[SupervisionEvaluation].pk, e.pk): e.signed_text_hash()
            for e in evaluations
        }
        if wanted:
            for signature in Signature.objects.filter(
                content_type__in=types.values(),
                object_id__in={pk for _t, pk in wanted},
            ).only("content_type_id", "object_id", "role", "text_sha256"):
                key = (signature.content_type_id, signature.object_id)
                if wanted.get(key) == signature.text_sha256:
                    signatures.setdefault(key, set()).add(signature.role)
        by_credential: dict[int, list] = {}
        for agreement in agreements:
            roles = signatures.get(
                (types[SupervisoryAgreement].pk, agreement.pk), set()
            )
            by_credential.setdefault(agreement.credential_id, []).append(
                (agreement, roles)
            )
        # The day of the first signed evaluation, by credential.
        evaluated: dict[int, datetime.date] = {}
        for e in sorted(evaluations, key=lambda e: e.created_at):
            if Signature.Role.SUPERVISOR in signatures.get(
                (types[SupervisionEvaluation].pk, e.pk), set()
            ):
                evaluated.setdefault(
                    e.agreement.credential_id, timezone.localdate(e.created_at)
                )
        return {"agreements": by_credential, "evaluated": evaluated}

    return facts.remember("courses.supervision", load)


class SupervisionAgreementRequirement(Requirement):
    """A supervisory agreement for this credential, signed by the trainee
    and the supervisor and approved by the board."""

    panels = PANELS

    class Meta:
        verbose_name = _("supervisory-agreement requirement")
        verbose_name_plural = _("supervisory-agreement requirements")

    def describe(self) -> str:
        return str(
            _("A supervisory agreement with a board-approved supervisor, signed")
        )

    def progress(self, trainee, *, facts=None):
        facts = self._facts_for(trainee, facts)
        agreements = _supervision_facts(facts)["agreements"].get(self.credential_id, [])
        url = reverse("courses:my_supervision")
        approved = [a for a, roles in agreements if roles >= BOTH and a.is_approved]
        if approved:
            return RequirementProgress(
                met=True,
                status=str(_("Signed and approved")),
                fraction=1.0,
                met_on=min(a.board_approved_on for a in approved),
            )
        if any(roles >= BOTH for _a, roles in agreements):
            return RequirementProgress(
                met=False,
                status=str(_("Signed by both; board approval not recorded")),
                fraction=0.66,
                next_step=str(
                    _("An administrator records the board's approval when it comes.")
                ),
                next_url=url,
            )
        if agreements:
            return RequirementProgress(
                met=False,
                status=str(_("Waiting for a signature")),
                fraction=0.33,
                next_step=str(_("Both you and your supervisor sign the agreement.")),
                next_url=url,
            )
        return RequirementProgress(
            met=False,
            status=str(_("No supervisory agreement yet")),
            next_step=str(
                _("Ask your supervisor to draw up the agreement on this site.")
            ),
            next_url=url,
        )


class SupervisionEvaluationRequirement(Requirement):
    """A supervision evaluation written and signed by the supervisor."""

    panels = PANELS

    class Meta:
        verbose_name = _("supervision-evaluation requirement")
        verbose_name_plural = _("supervision-evaluation requirements")

    def describe(self) -> str:
        return str(_("A supervision evaluation signed by your supervisor"))

    def progress(self, trainee, *, facts=None):
        facts = self._facts_for(trainee, facts)
        evaluated = _supervision_facts(facts)["evaluated"]
        if self.credential_id in evaluated:
            return RequirementProgress(
                met=True,
                status=str(_("Signed by your supervisor")),
                fraction=1.0,
                met_on=evaluated[self.credential_id],
            )
        return RequirementProgress(
            met=False,
            status=str(_("Not written yet")),
            next_step=str(
                _("Your supervisor writes and signs it from your agreement's page.")
            ),
            next_url=reverse("courses:my_supervision"),
        )
