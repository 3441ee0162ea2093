"""Credential readiness: every requirement of each credential, met or missing."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from cms.models import User

from ..models import (
    Credential,
    Requirement,
    RequirementFacts,
    RequirementProgress,
    requirements_prepare,
)


@dataclass(frozen=True)
class RequirementStatus:
    """One rule of a credential and where the trainee stands on it."""

    requirement: Requirement
    description: str
    progress: RequirementProgress


@dataclass
class CredentialProgress:
    credential: Credential
    requirements: list[RequirementStatus]

    @property
    def total(self) -> int:
        return len(self.requirements)

    @property
    def met_count(self) -> int:
        return sum(1 for item in self.requirements if item.progress.met)

    @property
    def is_met(self) -> bool:
        """Ready only when there are rules and every one of them is met."""
        return bool(self.requirements) and self.met_count == self.total


def credential_progress(
    *,
    trainee: User,
    credentials: Iterable[Credential] | None = None,
    today: datetime.date | None = None,
) -> list[CredentialProgress]:
    """Each credential (all of them, by name, unless given) with every one of
    its requirements measured for the trainee.

    A fixed number of queries whatever the number of rules: one for the
    rules plus one per requirement type present (polymorphic rows), then
    each type's bulk ``prepare`` and the trainee's facts, each read once.
    """
    if credentials is None:
        credentials = Credential.objects.order_by("name")
    credentials = list(credentials)
    if not credentials:
        return []
    requirements: dict[int, list[Requirement]] = defaultdict(list)
    rules = list(
        Requirement.objects.filter(credential__in=credentials).order_by(
            "sort_order", "pk"
        )
    )
    facts = RequirementFacts(trainee, today=today)
    requirements_prepare(rules, facts=facts)
    for rule in rules:
        requirements[rule.credential_id].append(rule)
    return [
        CredentialProgress(
            credential=credential,
            requirements=[
                RequirementStatus(
                    requirement=rule,
                    description=str(rule.describe()),
                    progress=rule.progress(trainee, facts=facts),
                )
                for rule in requirements[credential.pk]
            ],
        )
        for credential in credentials
    ]
