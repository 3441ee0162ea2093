"""Calendar invitations (RFC 5545) for oral-exam bookings.

One booking is one calendar event. Its UID is the booking's ``uid`` and never
changes; every change sends the next ``sequence``, so a calendar replaces the
event it already holds instead of adding another. A cancellation is the same
event with METHOD:CANCEL. Times are written in the site's zone with its
VTIMEZONE, so a calendar shows them as the site does.
"""

from __future__ import annotations

import datetime
import zoneinfo

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Booking

REQUEST = "REQUEST"
CANCEL = "CANCEL"

PRODID = "-//Peer Specialist Training//Oral exams//EN"

# Kentucky spans two zones, so every time shown names its zone.
ZONE_NAMES = {
    "America/New_York": gettext_lazy("Eastern time"),
    "America/Kentucky/Louisville": gettext_lazy("Eastern time"),
    "America/Chicago": gettext_lazy("Central time"),
}


def site_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def site_zone_name() -> str:
    """The site's zone as people say it ("Eastern time")."""
    return str(ZONE_NAMES.get(settings.TIME_ZONE, settings.TIME_ZONE))


def booking_uid(booking: Booking) -> str:
    return f"{booking.uid}@oral-exams.peer-specialist-training"


def booking_ics(
    *, booking: Booking, method: str, now: datetime.datetime | None = None
) -> bytes:
    """The invitation (``REQUEST``) or its cancellation (``CANCEL``) for a
    booking, as its trainee and panel receive it and as "Add to calendar"
    downloads it. The booking's slot, oral exam, trainee and panel are read
    from it (select or prefetch them when building many)."""
    if method not in (REQUEST, CANCEL):
        raise ValueError(f"Unknown calendar method {method!r}")
    now = now or timezone.now()
    zone = site_zone()
    slot = booking.slot
    panel = list(slot.examiners.all())

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)

    event = icalendar.Event()
    event.add("uid", booking_uid(booking))
    event.add("sequence", booking.sequence)
    event.add("dtstamp", now.astimezone(datetime.UTC))
    event.add("dtstart", slot.starts_at.astimezone(zone))
    event.add("dtend", slot.ends_at.astimezone(zone))
    event.add("summary", booking.oral_exam.title)
    if slot.place:
        event.add("location", slot.place)
    elif slot.video_link:
        event.add("location", slot.video_link)
    if slot.video_link:
        event.add("url", slot.video_link)
    event.add("description", _event_description(booking=booking, panel=panel))
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED", encode=False)
    organizer = icalendar.vCalAddress(f"mailto:{_organizer_email()}")
    organizer.params["cn"] = icalendar.vText(_("Oral exams"))
    event.add("organizer", organizer, encode=False)
    for person, role in [(booking.trainee, "REQ-PARTICIPANT")] + [
        (
            examiner,
            "CHAIR" if examiner.pk == slot.lead_examiner_id else "REQ-PARTICIPANT",
        )
        for examiner in panel
    ]:
        attendee = icalendar.vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = icalendar.vText(_person_name(person))
        attendee.params["role"] = icalendar.vText(role)
        event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    # The zone's rules around the sitting only: enough for any calendar to
    # place it, without fifty years of transitions.
    calendar.add_missing_timezones(
        first_date=datetime.date(slot.starts_at.year - 1, 1, 1),
        last_date=datetime.date(slot.starts_at.year + 2, 1, 1),
    )
    return calendar.to_ical()


def _event_description(*, booking: Booking, panel: list) -> str:
    slot = booking.slot
    lines = [
        _("%(exam)s, %(minutes)s minutes.")
        % {"exam": booking.oral_exam.title, "minutes": slot.duration_minutes},
        _("Trainee: %(name)s") % {"name": _person_name(booking.trainee)},
        _("Panel: %(names)s")
        % {"names": ", ".join(_person_name(examiner) for examiner in panel)},
    ]
    if slot.place:
        lines.append(_("Place: %(place)s") % {"place": slot.place})
    if slot.video_link:
        lines.append(_("Video link: %(link)s") % {"link": slot.video_link})
    lines.append(_("Times are in %(zone)s.") % {"zone": site_zone_name()})
    return "\n".join(lines)


def _person_name(user) -> str:
    return user.get_full_name() or user.email


def _organizer_email() -> str:
    address = settings.DEFAULT_FROM_EMAIL
    if "<" in address:
        address = address.split("<", 1)[1].rstrip(">")
    return address.strip()
