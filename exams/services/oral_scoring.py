"""Scoring oral exams: opening a sitting with its frozen rubric, the panel's
score sheets, reconciliation, the pass rule and releasing results."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Booking, Sitting


@transaction.atomic
def sitting_open(*, booking: Booking) -> Sitting:
    """The sitting of an attended booking, opened once: the rubric is frozen
    into it now, so editing the rubric later never changes its result."""
    existing = Sitting.objects.filter(booking=booking).first()
    if existing is not None:
        return existing
    oral_exam = booking.oral_exam
    try:
        with transaction.atomic():
            return Sitting.objects.create(
                booking=booking,
                rubric=oral_exam.rubric.freeze(pass_percent=oral_exam.pass_percent),
                examiners_required=oral_exam.examiners_per_sitting,
                opened_at=timezone.now(),
            )
    except IntegrityError:  # opened by a concurrent request
        return Sitting.objects.get(booking=booking)
