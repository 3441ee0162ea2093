"""Loading the supervision fixtures: supervisor credential types, the
supervision domains and frequency rules. Idempotent: rows are matched by
what identifies them, created when missing and never overwritten."""

from __future__ import annotations

from django.db import transaction

from cms.services import LoadReport

from .models import Credential, HourCategory
from .models.supervision import (
    SupervisionDomain,
    SupervisionGapRule,
    SupervisorCompetency,
    SupervisorCredentialType,
)


@transaction.atomic
def supervision_load(*, data: dict, report: LoadReport) -> None:
    for position, spec in enumerate(data.get("supervisor_credentials", [])):
        _, created = SupervisorCredentialType.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "abbreviation": spec.get("abbreviation", ""),
                "may_give_reference": spec.get("may_give_reference", False),
                "source_citation": spec["source_citation"],
                "sort_order": (position + 1) * 10,
            },
        )
        if created:
            report.add(f"supervisor credential {spec['name']}")
    for position, spec in enumerate(data.get("domains", [])):
        _, created = SupervisionDomain.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "hour_category": HourCategory.objects.get(slug=spec["hour_category"]),
                "source_citation": spec["source_citation"],
                "sort_order": (position + 1) * 10,
            },
        )
        if created:
            report.add(f"supervision domain {spec['name']}")
    for spec in data.get("gap_rules", []):
        credential = Credential.objects.filter(slug=spec["credential"]).first()
        if credential is None:
            continue
        _, created = SupervisionGapRule.objects.get_or_create(
            credential=credential,
            max_days=spec["max_days"],
            defaults={
                "description": spec["description"],
                "source_citation": spec["source_citation"],
            },
        )
        if created:
            report.add(f"supervision rule for {credential.slug}")
    for position, spec in enumerate(data.get("competencies", [])):
        _, created = SupervisorCompetency.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "source_citation": spec["source_citation"],
                "sort_order": (position + 1) * 10,
            },
        )
        if created:
            report.add(f"supervisor competency {spec['name']}")
