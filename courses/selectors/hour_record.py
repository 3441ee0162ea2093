"""The verification of training hours: per trainee and credential, every
certificate from this platform and every verified training from elsewhere,
hours by topic, against the credential's minimums."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from cms.models import User

from ..models import Certificate, Credential, HourCategory, HourEntry, Requirement


@dataclass
class RecordRow:
    """One training: a certificate or a verified training from elsewhere."""

    kind: str  # "certificate" or "external"
    date: object
    title: str
    provider: str
    hours: dict[int, Decimal]
    reference: str = ""

    def hours_in(self, category_id: int) -> Decimal:
        return self.hours.get(category_id, Decimal(0))

    @property
    def total(self) -> Decimal:
        return sum(self.hours.values(), Decimal(0))


@dataclass
class RecordTopic:
    category: HourCategory
    minimum: Decimal | None
    total: Decimal = Decimal(0)

    @property
    def shortfall(self) -> Decimal:
        if self.minimum is None:
            return Decimal(0)
        return max(self.minimum - self.total, Decimal(0))


@dataclass
class HourRecord:
    trainee: User
    credential: Credential | None
    topics: list[RecordTopic] = field(default_factory=list)
    rows: list[RecordRow] = field(default_factory=list)
    total_minimum: Decimal | None = None

    @property
    def total(self) -> Decimal:
        return sum((row.total for row in self.rows), Decimal(0))

    @property
    def shortfall(self) -> Decimal:
        by_topic = sum((topic.shortfall for topic in self.topics), Decimal(0))
        if self.total_minimum is None:
            return by_topic
        return max(by_topic, self.total_minimum - self.total, Decimal(0))

    @property
    def is_met(self) -> bool:
        return self.shortfall == 0


def hour_verification_record(
    *, trainee: User, credential: Credential | None
) -> HourRecord:
    """The record, in a fixed number of queries whatever the number of
    certificates and trainings: categories, the credential's rules (one per
    rule type), the trainee's valid certificates, their verified trainings
    from elsewhere."""
    categories = {c.pk: c for c in HourCategory.objects.all()}
    by_slug = {c.slug: c for c in categories.values()}
    record = HourRecord(trainee=trainee, credential=credential)
    minimums: dict[int, Decimal] = {}
    if credential is not None:
        for rule in Requirement.objects.filter(credential=credential).order_by(
            "sort_order", "pk"
        ):
            hour_rule = rule.hour_rule()
            if hour_rule is None or hour_rule.kind != HourEntry.Kind.TRAINING:
                continue
            if hour_rule.category_id is None:
                record.total_minimum = hour_rule.minimum
            else:
                minimums[hour_rule.category_id] = hour_rule.minimum
    for certificate in Certificate.objects.filter(
        trainee=trainee, status=Certificate.Status.VALID
    ).order_by("completed_on", "pk"):
        hours: dict[int, Decimal] = defaultdict(Decimal)
        for topic in certificate.hours_by_topic:
            category = by_slug.get(topic["category"])
            if category is not None:
                hours[category.pk] += Decimal(topic["hours"])
        record.rows.append(
            RecordRow(
                kind="certificate",
                date=certificate.completed_on,
                title=certificate.course_title,
                provider=certificate.issuer_name,
                hours=dict(hours),
                reference=certificate.grouped_code,
            )
        )
    for entry in HourEntry.objects.filter(
        trainee=trainee,
        kind=HourEntry.Kind.TRAINING,
        source=HourEntry.Source.EXTERNAL_UPLOAD,
        status=HourEntry.Status.VERIFIED,
        reverses__isnull=True,
        reversed_by__isnull=True,
    ).order_by("earned_on", "pk"):
        record.rows.append(
            RecordRow(
                kind="external",
                date=entry.earned_on,
                title=entry.description,
                provider=entry.provider,
                hours={entry.category_id: entry.hours},
            )
        )
    record.rows.sort(key=lambda row: (row.date, row.kind, row.title))
    used = {pk for row in record.rows for pk in row.hours}
    shown = list(minimums) + sorted(
        (pk for pk in used if pk not in minimums),
        key=lambda pk: (categories[pk].sort_order, categories[pk].name),
    )
    for pk in shown:
        record.topics.append(
            RecordTopic(
                category=categories[pk],
                minimum=minimums.get(pk),
                total=sum((row.hours_in(pk) for row in record.rows), Decimal(0)),
            )
        )
    return record
