"""The demo data's oral-exam slots: the two demo examiners' panel, a few days
after the load date, bookable, and loaded once."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from exams import selectors
from exams.models import OralExam, Slot

pytestmark = pytest.mark.django_db

LOAD_DAY = datetime.datetime(2026, 12, 3, 8, 0, tzinfo=datetime.UTC)


def test_demo_slots_are_bookable_by_the_two_demo_examiners_and_loaded_once():
    with time_machine.travel(LOAD_DAY, tick=False):
        call_command("load_demo_data", verbosity=0)
        call_command("load_demo_data", verbosity=0)
        exam = OralExam.objects.get(course__slug="kps", title="KPS oral test")
        slots = list(Slot.objects.filter(oral_exam=exam).prefetch_related("examiners"))
        assert len(slots) == 5
        for slot in slots:
            assert {e.email for e in slot.examiners.all()} == {
                "examiner@example.org",
                "examiner2@example.org",
            }
            assert slot.lead_examiner.email == "examiner@example.org"
            days_ahead = (
                timezone.localdate(slot.starts_at) - timezone.localdate()
            ).days
            assert 3 <= days_ahead <= 5
        assert sum(bool(slot.video_link) for slot in slots) == 1
        assert {s.pk for s in selectors.slots_open(oral_exam=exam)} == {
            s.pk for s in slots
        }
