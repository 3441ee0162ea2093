"""How far a trainee or a curriculum is from a rule: the records that
requirement types measure with and report in."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Sum
from django.utils import timezone

if TYPE_CHECKING:
    from cms.models import User


@dataclass(frozen=True)
class AuditLine:
    """Training hours a curriculum offers, measured against one rule."""

    label: str
    offered: Decimal
    minimum: Decimal
    citation: str
    is_total: bool = False

    @property
    def is_short(self) -> bool:
        return self.offered < self.minimum

    @property
    def shortfall(self) -> Decimal:
        return max(self.minimum - self.offered, Decimal(0))

    @property
    def percent(self) -> int:
        if self.minimum <= 0:
            return 100
        return min(100, int(self.offered * 100 / self.minimum))


@dataclass(frozen=True)
class RequirementProgress:
    """Where one trainee stands on one requirement, in words a trainee reads.

    ``status`` is a short line ("12 of 16 hours"); ``fraction`` (0 to 1)
    fills a progress bar; when the requirement is not met, ``next_step`` says
    what to do and ``next_url`` where, if anywhere on the site. ``met_on`` is
    the day a met requirement was met, where the type knows it (the
    application packet's checklist shows it).
    """

    met: bool
    status: str
    fraction: float = 0.0
    next_step: str = ""
    next_url: str | None = None
    met_on: datetime.date | None = None

    @property
    def percent(self) -> int:
        if self.met:
            return 100
        # A bar never looks full while the requirement is still missing.
        return max(0, min(99, int(self.fraction * 100)))


@dataclass(frozen=True)
class HourRule:
    """What an hours requirement asks for: at least ``minimum`` hours of one
    kind, in one hour category, or in all of them when ``category_id`` is
    None."""

    kind: str
    category_id: int | None
    minimum: Decimal


class RequirementFacts:
    """What one trainee has done, read once and shared by every requirement
    measured for them.

    Each requirement type loads what its rules need in bulk in
    ``Requirement.prepare`` (called once per type with all its rules), and
    each kind of fact is read at most once, so measuring twenty rules costs
    no more queries than measuring one. Apps that add requirement types keep
    their own facts here too, under keys of their own (``remember``,
    ``about``).
    """

    def __init__(self, trainee: User, *, today: datetime.date | None = None):
        self.trainee = trainee
        self.today = today or timezone.localdate()
        self._facts: dict[str, Any] = {}

    def remember(self, key: str, load: Callable[[], Any]) -> Any:
        """The fact stored under ``key``, loaded by ``load()`` when first asked."""
        if key not in self._facts:
            self._facts[key] = load()
        return self._facts[key]

    def about(
        self,
        key: str,
        ids: Iterable[int],
        load: Callable[[set[int]], dict[int, Any]],
    ) -> dict[int, Any]:
        """Facts about several things (modules, exams) by id: those not known
        yet are loaded together by ``load(ids)``; an id it leaves out is None."""
        known: dict[int, Any] = self._facts.setdefault(key, {})
        wanted = list(dict.fromkeys(ids))
        missing = {pk for pk in wanted if pk not in known}
        if missing:
            loaded = load(missing)
            for pk in missing:
                known[pk] = loaded.get(pk)
        return {pk: known[pk] for pk in wanted}

    def verified_hours(self, *, kind: str, category_id: int | None = None) -> Decimal:
        """Verified hours of one kind, in one category or in all of them."""
        totals = self.remember("courses.verified_hours", self._verified_hours)
        if category_id is not None:
            return totals.get((kind, category_id), Decimal(0))
        return sum(
            (hours for (row_kind, _c), hours in totals.items() if row_kind == kind),
            Decimal(0),
        )

    def _verified_hours(self) -> dict[tuple[str, int], Decimal]:
        from .ledger import HourEntry

        rows = (
            HourEntry.objects.filter(
                trainee=self.trainee, status=HourEntry.Status.VERIFIED
            )
            .values("kind", "category_id")
            .annotate(total=Sum("hours"))
            .order_by()
        )
        return {(row["kind"], row["category_id"]): row["total"] for row in rows}

    def modules_completed(self, modules: Sequence[Any]) -> set[int]:
        """The ids of those modules the trainee has completed, by the one
        definition of a complete module (``courses.selectors.modules_completed``)."""
        by_id = {module.pk: module for module in modules}

        def load(ids: set[int]) -> dict[int, bool]:
            from ..selectors import modules_completed

            done = modules_completed(
                trainees=[self.trainee], modules=[by_id[pk] for pk in ids]
            )[self.trainee.pk]
            return {pk: pk in done for pk in ids}

        complete = self.about("courses.module_completed", by_id, load)
        return {pk for pk, is_complete in complete.items() if is_complete}
