"""The hour ledger: totals, entries, what waits for verification, the
board's verification of training."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from ..models import (
    Credential,
    HourCategory,
    HourEntry,
    Requirement,
)


@dataclass
class CategoryTotal:
    category: HourCategory
    verified: Decimal
    pending: Decimal


def hour_totals(*, trainee) -> dict[int, CategoryTotal]:
    """Verified and pending hours per category: always the sum of entries."""
    categories = {c.pk: c for c in HourCategory.objects.all()}
    rows = (
        HourEntry.objects.filter(trainee=trainee, kind=HourEntry.Kind.TRAINING)
        .values("category_id")
        .annotate(
            verified=Sum("hours", filter=Q(status=HourEntry.Status.VERIFIED)),
            pending=Sum("hours", filter=Q(status=HourEntry.Status.PENDING)),
        )
        .order_by()
    )
    totals = {}
    for row in rows:
        totals[row["category_id"]] = CategoryTotal(
            category=categories[row["category_id"]],
            verified=row["verified"] or Decimal(0),
            pending=row["pending"] or Decimal(0),
        )
    return totals


def hour_entries(*, trainee) -> list[HourEntry]:
    """The trainee's entries, newest first; each knows whether a certificate
    covers it (``certified``), in the same query."""
    from django.db.models import Exists, OuterRef

    from ..models import Certificate

    covered = Certificate.entries.through.objects.filter(hourentry_id=OuterRef("pk"))
    return list(
        HourEntry.objects.filter(trainee=trainee)
        .annotate(certified=Exists(covered))
        .select_related(
            "category",
            "module",
            "session",
            "session__cohort",
            "verified_by",
            "reverses",
        )
        .order_by("-earned_on", "-created_at", "-pk")
    )


def pending_entries_for(*, user) -> list[HourEntry]:
    """Hours from elsewhere awaiting a decision that this user may decide."""
    from ..permissions import hour_entries_decidable_by

    entries = hour_entries_decidable_by(
        user, HourEntry.objects.filter(status=HourEntry.Status.PENDING)
    )
    return list(
        entries.select_related("trainee", "category").order_by("created_at", "pk")
    )


@dataclass
class LedgerTopic:
    label: str
    minimum: Decimal | None
    completed: Decimal
    entries: list[HourEntry]


def trainee_ledger_report(
    *, trainee, credential: Credential | None
) -> list[LedgerTopic]:
    """Each required topic of a credential with its minimum, verified hours and
    the entries behind them; other categories follow without a minimum."""
    entries = hour_entries(trainee=trainee)
    by_category = defaultdict(list)
    for entry in entries:
        by_category[entry.category_id].append(entry)
    verified = defaultdict(Decimal)
    for entry in entries:
        if entry.status == HourEntry.Status.VERIFIED:
            verified[entry.category_id] += entry.hours
    topics = []
    seen = set()
    if credential is not None:
        categories = {c.pk: c for c in HourCategory.objects.all()}
        for requirement in Requirement.objects.filter(credential=credential).order_by(
            "sort_order", "pk"
        ):
            rule = requirement.hour_rule()
            # The verification of training lists training minimums by topic.
            if (
                rule is None
                or rule.kind != HourEntry.Kind.TRAINING
                or rule.category_id is None
            ):
                continue
            seen.add(rule.category_id)
            topics.append(
                LedgerTopic(
                    label=categories[rule.category_id].name,
                    minimum=rule.minimum,
                    completed=verified[rule.category_id],
                    entries=by_category[rule.category_id],
                )
            )
    for category in HourCategory.objects.filter(pk__in=by_category).exclude(
        pk__in=seen
    ):
        topics.append(
            LedgerTopic(
                label=category.name,
                minimum=None,
                completed=verified[category.pk],
                entries=by_category[category.pk],
            )
        )
    return topics
