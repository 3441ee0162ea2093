"""The oral-exam pages: who may use each, bad input, what a trainee never
sees, fixed query budgets and the roster export."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cms import roles
from exams import services
from exams.models import Booking, Sitting, Slot
from tests.factories import (
    BookingFactory,
    EnrollmentFactory,
    OralExamFactory,
    SlotFactory,
    UserFactory,
    WrittenExamFactory,
    in_days,
    oral_ready_trainee,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 3, 14, 0, tzinfo=datetime.UTC)  # 9:00 Eastern


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


class World:
    """An oral exam with one booked video slot and one open one, and a
    person for every role the pages must tell apart."""

    def __init__(self):
        written = WrittenExamFactory()
        self.exam = OralExamFactory(course=written.course, written_exam=written)
        self.panel_examiner = UserFactory(role=roles.EXAMINER)
        self.slot = SlotFactory(
            oral_exam=self.exam,
            starts_at=in_days(4),
            place="",
            video_link="https://meet.example.org/secret-room-4417",
            lead_examiner=self.panel_examiner,
        )
        self.open_slot = SlotFactory(
            oral_exam=self.exam,
            starts_at=in_days(6),
            lead_examiner=self.panel_examiner,
        )
        self.trainee = oral_ready_trainee(self.exam)
        self.booking = services.booking_create(slot=self.slot, trainee=self.trainee)
        self.people = {
            "trainee": self.trainee,
            "other_trainee": oral_ready_trainee(self.exam),
            "trainer": UserFactory(role=roles.TRAINER),
            "panel_examiner": self.panel_examiner,
            "other_examiner": UserFactory(role=roles.EXAMINER),
            "supervisor": UserFactory(role=roles.SUPERVISOR),
            "administrator": UserFactory(role=roles.ADMINISTRATOR),
            "anonymous": None,
        }


@pytest.fixture
def world():
    return World()


ROLES = [
    "trainee",
    "other_trainee",
    "trainer",
    "panel_examiner",
    "other_examiner",
    "supervisor",
    "administrator",
    "anonymous",
]
TRAINEES = {"trainee", "other_trainee"}
EXAMINERS = {"panel_examiner", "other_examiner", "administrator"}
PANEL = {"panel_examiner", "administrator"}

# (method, url, roles that get 200 (or the redirect of a done POST), roles
# that get 404; every other signed-in role gets 403, anonymous the sign-in).
PAGES = {
    "oral_exam": ("get", "/exams/oral/{exam}/", TRAINEES, set()),
    "oral_slots": ("get", "/exams/oral/{exam}/slots/", TRAINEES, set()),
    "cancel": (
        "get",
        "/exams/oral/bookings/{booking}/cancel/",
        {"trainee"},
        {"other_trainee"},
    ),
    "calendar": (
        "get",
        "/exams/oral/bookings/{booking}/calendar.ics",
        {"trainee"},
        {"other_trainee"},
    ),
    "examiner": ("get", "/exams/oral/examiner/", EXAMINERS, set()),
    "slot_new": ("get", "/exams/oral/examiner/slots/new/", EXAMINERS, set()),
    "series": ("get", "/exams/oral/examiner/slots/series/", EXAMINERS, set()),
    "day": ("get", "/exams/oral/examiner/day/", EXAMINERS, set()),
    "roster": ("get", "/exams/oral/examiner/roster.xlsx", EXAMINERS, set()),
    "slot": ("get", "/exams/oral/examiner/slots/{slot}/", PANEL, {"other_examiner"}),
    "mark": (
        "post",
        "/exams/oral/examiner/bookings/{booking}/attendance/",
        PANEL,
        {"other_examiner"},
    ),
    "withdraw": (
        "post",
        "/exams/oral/examiner/slots/{open_slot}/withdraw/",
        PANEL,
        {"other_examiner"},
    ),
    "manage": (
        "get",
        "/exams/oral/examiner/bookings/{booking}/manage/",
        {"administrator"},
        set(),
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_role_matrix(client, world, page, role):
    method, pattern, allowed, not_found = PAGES[page]
    url = pattern.format(
        exam=world.exam.pk,
        booking=world.booking.pk,
        slot=world.slot.pk,
        open_slot=world.open_slot.pk,
    )
    person = world.people[role]
    if person is not None:
        client.force_login(person)
    response = getattr(client, method)(
        url, {"action": "no_show"} if method == "post" else None
    )
    if person is None:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif role in allowed:
        assert response.status_code == (302 if method == "post" else 200)
    elif role in not_found:
        assert response.status_code == 404
    else:
        assert response.status_code == 403


def test_the_menu_shows_oral_exams_to_examiners_only(client, world):
    for role, expected in (("panel_examiner", True), ("trainee", False)):
        client.force_login(world.people[role])
        page = client.get("/exams/oral/examiner/" if expected else "/exams/")
        assert ('href="/exams/oral/examiner/"' in page.content.decode()) is expected


# What a trainee sees ---------------------------------------------------------------


def test_my_exams_shows_the_oral_exam_and_the_booking(client, world):
    client.force_login(world.trainee)
    page = client.get("/exams/").content.decode()
    assert world.exam.title in page
    assert "Booked for" in page and "Eastern time" in page


def test_the_trainee_sees_their_booking_with_link_and_changes(client, world):
    client.force_login(world.trainee)
    page = client.get(f"/exams/oral/{world.exam.pk}/").content.decode()
    assert "https://meet.example.org/secret-room-4417" in page
    assert "Add to calendar" in page
    assert f"/exams/oral/bookings/{world.booking.pk}/cancel/" in page
    assert "Move to another time" in page
    assert "Eastern time" in page


def test_another_trainee_never_sees_the_booking_nor_the_video_link(client, world):
    client.force_login(world.people["other_trainee"])
    for url in (f"/exams/oral/{world.exam.pk}/", f"/exams/oral/{world.exam.pk}/slots/"):
        page = client.get(url).content.decode()
        assert "secret-room-4417" not in page
        assert world.trainee.legal_name not in page
        assert world.trainee.email not in page
    # The booked slot is full, so it is not even offered.
    slots = client.get(f"/exams/oral/{world.exam.pk}/slots/").content.decode()
    assert f'value="{world.slot.pk}"' not in slots
    assert f'value="{world.open_slot.pk}"' in slots


def test_video_slots_are_listed_without_their_link(client, world):
    video = SlotFactory(
        oral_exam=world.exam,
        starts_at=in_days(7),
        place="",
        video_link="https://meet.example.org/unbooked-9921",
    )
    client.force_login(world.people["other_trainee"])
    page = client.get(f"/exams/oral/{world.exam.pk}/slots/").content.decode()
    assert f'value="{video.pk}"' in page
    assert "by video" in page
    assert "unbooked-9921" not in page


def test_an_ineligible_trainee_is_told_which_requirement_is_missing(client, world):
    newcomer = UserFactory(role=roles.TRAINEE)
    client.force_login(newcomer)
    page = client.get(f"/exams/oral/{world.exam.pk}/").content.decode()
    assert "You cannot book yet" in page
    assert f"Enroll in {world.exam.course.title}" in page
    assert "Choose a time" not in page


def test_booking_from_the_list(client, world, django_capture_on_commit_callbacks):
    trainee = world.people["other_trainee"]
    client.force_login(trainee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/exams/oral/{world.exam.pk}/slots/", {"slot": world.open_slot.pk}
        )
    assert response.status_code == 302
    assert trainee.oral_bookings.get().slot == world.open_slot
    assert {tuple(m.to) for m in mail.outbox} >= {(trainee.email,)}


def test_moving_from_the_list(client, world):
    client.force_login(world.trainee)
    response = client.post(
        f"/exams/oral/{world.exam.pk}/slots/",
        {"slot": world.open_slot.pk, "move": "1"},
    )
    assert response.status_code == 302
    assert world.trainee.oral_bookings.get(status=Booking.Status.BOOKED).slot == (
        world.open_slot
    )


def test_cancelling_from_the_page(client, world):
    client.force_login(world.trainee)
    response = client.post(f"/exams/oral/bookings/{world.booking.pk}/cancel/")
    assert response.status_code == 302
    world.booking.refresh_from_db()
    assert world.booking.status == Booking.Status.CANCELLED


# Bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize("tampered", ["999999", "abc", "", "-1"])
def test_a_tampered_slot_id_is_refused_by_name(client, world, tampered):
    trainee = world.people["other_trainee"]
    client.force_login(trainee)
    response = client.post(f"/exams/oral/{world.exam.pk}/slots/", {"slot": tampered})
    assert response.status_code == 400
    assert (
        "Slot: Choose a slot from the list of open slots." in response.content.decode()
    )
    assert not trainee.oral_bookings.exists()


def test_a_slot_of_another_exam_is_refused(client, world):
    elsewhere = SlotFactory(oral_exam=OralExamFactory(), starts_at=in_days(5))
    trainee = world.people["other_trainee"]
    client.force_login(trainee)
    response = client.post(
        f"/exams/oral/{world.exam.pk}/slots/", {"slot": elsewhere.pk}
    )
    assert response.status_code == 400
    assert not trainee.oral_bookings.exists()


def test_booking_a_full_slot_says_so(client, world):
    trainee = world.people["other_trainee"]
    client.force_login(trainee)
    response = client.post(
        f"/exams/oral/{world.exam.pk}/slots/", {"slot": world.slot.pk}
    )
    assert response.status_code == 400
    assert (
        "Slot: This slot has just been taken: it is full." in response.content.decode()
    )
    assert not trainee.oral_bookings.exists()


def test_booking_a_past_slot_says_so(client, world):
    past = SlotFactory(oral_exam=world.exam, starts_at=in_days(-2))
    trainee = world.people["other_trainee"]
    client.force_login(trainee)
    response = client.post(f"/exams/oral/{world.exam.pk}/slots/", {"slot": past.pk})
    assert response.status_code == 400
    assert "Slot: This slot has passed" in response.content.decode()


def test_double_booking_from_a_stale_page_is_refused(client, world):
    client.force_login(world.trainee)
    response = client.post(
        f"/exams/oral/{world.exam.pk}/slots/", {"slot": world.open_slot.pk}
    )
    assert response.status_code == 400
    assert "You already have a booking" in response.content.decode()
    assert world.trainee.oral_bookings.get().slot == world.slot


def test_booking_while_ineligible_is_refused_with_the_reason(client, world):
    newcomer = UserFactory(role=roles.TRAINEE)
    client.force_login(newcomer)
    response = client.post(
        f"/exams/oral/{world.exam.pk}/slots/", {"slot": world.open_slot.pk}
    )
    assert response.status_code == 400
    assert "Enroll in" in response.content.decode()
    assert not Booking.objects.filter(trainee=newcomer).exists()


def test_cancelling_after_the_cutoff_is_refused_and_changes_nothing(
    client, world, clock
):
    clock.move_to(world.slot.starts_at - datetime.timedelta(hours=47))
    client.force_login(world.trainee)
    page = client.get(f"/exams/oral/{world.exam.pk}/").content.decode()
    assert "ask an administrator" in page
    assert "/cancel/" not in page
    response = client.post(f"/exams/oral/bookings/{world.booking.pk}/cancel/")
    assert response.status_code == 400
    assert "Booking: Bookings can be cancelled or moved until 48 hours" in (
        response.content.decode()
    )
    world.booking.refresh_from_db()
    assert world.booking.status == Booking.Status.BOOKED


def test_a_series_that_overlaps_is_listed_and_nothing_is_published(client, world):
    second = UserFactory(role=roles.EXAMINER)
    client.force_login(world.panel_examiner)
    day = (in_days(4)).astimezone(datetime.UTC)
    before = Slot.objects.count()
    data = {
        "oral_exam": world.exam.pk,
        "weekdays": [in_days(4).astimezone().weekday()],
        "first_date": (NOW + datetime.timedelta(days=1)).date().isoformat(),
        "weeks": 1,
        "day_start": "09:00",
        "day_end": "12:00",
        "every_minutes": 30,
        "place": "Room 4",
        "capacity": 1,
        "examiners": [world.panel_examiner.pk, second.pk],
        "lead_examiner": world.panel_examiner.pk,
    }
    response = client.post("/exams/oral/examiner/slots/series/", data)
    assert response.status_code == 400, day
    page = response.content.decode()
    assert "Nothing was published" in page
    assert "10 a.m." in page  # the booked slot's time on that day
    assert Slot.objects.count() == before
    response = client.post(
        "/exams/oral/examiner/slots/series/", {**data, "skip_overlaps": "on"}
    )
    assert response.status_code == 302
    assert Slot.objects.count() == before + 5  # six half-hours less the overlap


@pytest.mark.parametrize(
    ("change", "field_error"),
    [
        ({"video_link": "javascript:alert(1)", "place": ""}, "Enter a valid URL."),
        ({"place": "", "video_link": ""}, "Give a place, a video link, or both."),
        ({"examiners": []}, "This field is required."),
        ({"date": "2026-13-45"}, "Enter a valid date."),
        ({"capacity": "0"}, "greater than or equal to 1"),
        ({"lead_examiner": "999999"}, "Choose the lead examiner from the list."),
    ],
)
def test_a_bad_slot_form_names_the_field_and_publishes_nothing(
    client, world, change, field_error
):
    second = UserFactory(role=roles.EXAMINER)
    client.force_login(world.panel_examiner)
    data = {
        "oral_exam": world.exam.pk,
        "date": "2026-12-10",
        "start_time": "13:00",
        "place": "Room 4",
        "capacity": 1,
        "examiners": [world.panel_examiner.pk, second.pk],
        "lead_examiner": world.panel_examiner.pk,
        **change,
    }
    before = Slot.objects.count()
    response = client.post("/exams/oral/examiner/slots/new/", data)
    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert Slot.objects.count() == before


def test_publishing_one_slot_in_eastern_time(client, world):
    second = UserFactory(role=roles.EXAMINER)
    client.force_login(world.panel_examiner)
    response = client.post(
        "/exams/oral/examiner/slots/new/",
        {
            "oral_exam": world.exam.pk,
            "date": "2026-12-10",
            "start_time": "13:00",
            "place": "Room 4",
            "capacity": 1,
            "examiners": [world.panel_examiner.pk, second.pk],
            "lead_examiner": second.pk,
        },
    )
    assert response.status_code == 302
    slot = Slot.objects.get(place="Room 4")
    assert slot.starts_at == datetime.datetime(2026, 12, 10, 18, 0, tzinfo=datetime.UTC)
    assert slot.lead_examiner == second


def test_an_unknown_attendance_action_changes_nothing(client, world, clock):
    clock.move_to(world.slot.starts_at)
    client.force_login(world.panel_examiner)
    response = client.post(
        f"/exams/oral/examiner/bookings/{world.booking.pk}/attendance/",
        {"action": "passed"},
        follow=True,
    )
    assert response.status_code == 200
    assert (
        "Attendance: Mark the trainee attended or absent." in response.content.decode()
    )
    world.booking.refresh_from_db()
    assert world.booking.status == Booking.Status.BOOKED


def test_marking_attended_on_the_day_opens_the_sitting(client, world, clock):
    clock.move_to(world.slot.starts_at)
    client.force_login(world.panel_examiner)
    response = client.post(
        f"/exams/oral/examiner/bookings/{world.booking.pk}/attendance/",
        {"action": "attended", "next": "/exams/oral/examiner/day/"},
    )
    assert response["Location"] == "/exams/oral/examiner/day/"
    assert Sitting.objects.filter(booking=world.booking).exists()
    day = client.get("/exams/oral/examiner/day/").content.decode()
    assert world.trainee.legal_name in day
    assert "Attended" in day


def test_marking_attended_too_early_is_refused_by_name(client, world):
    client.force_login(world.panel_examiner)
    response = client.post(
        f"/exams/oral/examiner/bookings/{world.booking.pk}/attendance/",
        {"action": "attended"},
        follow=True,
    )
    assert "Attendance: Attendance is marked on the day" in response.content.decode()
    assert not Sitting.objects.exists()


def test_a_bad_day_shows_today_with_a_message(client, world):
    client.force_login(world.panel_examiner)
    response = client.get("/exams/oral/examiner/day/?date=yesterday")
    assert response.status_code == 200
    assert "Date: \u201cyesterday\u201d is not a date" in response.content.decode()


def test_the_examiner_withdraws_a_booked_slot_only_through_an_administrator(
    client, world
):
    client.force_login(world.panel_examiner)
    response = client.post(
        f"/exams/oral/examiner/slots/{world.slot.pk}/withdraw/",
        {"note": "I am away."},
        follow=True,
    )
    assert "only an administrator can withdraw it" in response.content.decode()
    world.slot.refresh_from_db()
    assert world.slot.cancelled_at is None


def test_an_administrator_moves_a_booking_with_a_note(client, world, clock):
    clock.move_to(world.slot.starts_at - datetime.timedelta(hours=5))
    client.force_login(world.people["administrator"])
    url = f"/exams/oral/examiner/bookings/{world.booking.pk}/manage/"
    response = client.post(url, {"action": "move", "slot": world.open_slot.pk})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = client.post(
        url, {"action": "move", "slot": world.open_slot.pk, "note": "Panel change."}
    )
    assert response.status_code == 302
    assert world.trainee.oral_bookings.get(status=Booking.Status.BOOKED).slot == (
        world.open_slot
    )


# Query budgets ---------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


def _more_slots(world, count: int) -> None:
    for n in range(count):
        slot = SlotFactory(
            oral_exam=world.exam,
            starts_at=in_days(2 + n % 5, hour=9 + n % 8),
            examiners=list(world.slot.examiners.all()),
            lead_examiner=world.panel_examiner,
            capacity=3,
        )
        for _ in range(n % 3):
            BookingFactory(slot=slot)


# Reading the user's permissions is two queries on every page; the trainee's
# oral-exam page measures eligibility twice (to book, and to move), and looks
# for released results.
@pytest.mark.parametrize(
    ("role", "url", "budget"),
    [
        ("other_trainee", "/exams/oral/{exam}/slots/", 16),
        ("trainee", "/exams/oral/{exam}/", 21),
        ("trainee", "/exams/", 11),
        ("panel_examiner", "/exams/oral/examiner/", 12),
        ("panel_examiner", "/exams/oral/examiner/day/?date={day}", 11),
        ("panel_examiner", "/exams/oral/examiner/slots/{slot}/", 11),
        ("administrator", "/exams/oral/examiner/", 14),
    ],
)
def test_pages_do_a_fixed_number_of_queries(client, world, role, url, budget):
    url = url.format(
        exam=world.exam.pk,
        slot=world.slot.pk,
        day=world.slot.starts_at.astimezone().date().isoformat(),
    )
    client.force_login(world.people[role])
    few = _queries(client, url)
    _more_slots(world, 20)
    for _ in range(3):
        BookingFactory(slot=SlotFactory(oral_exam=world.exam, starts_at=in_days(4)))
    assert _queries(client, url) == few
    assert few <= budget


# The roster export -----------------------------------------------------------------


def test_the_roster_downloads_as_a_workbook_read_back(client, world):
    client.force_login(world.panel_examiner)
    response = client.get("/exams/oral/examiner/roster.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0].startswith("Oral-exam roster")
    assert rows[1][:3] == ("Date", "Starts (Eastern time)", "Ends (Eastern time)")
    (booked,) = [r for r in rows[2:] if r[8]]
    assert booked[1:3] == ("10:00", "10:30")
    assert booked[5] == "https://meet.example.org/secret-room-4417"
    assert (booked[8], booked[9], booked[10]) == (
        world.trainee.legal_name,
        world.trainee.email,
        "Booked",
    )
    # The open slot is on the panel examiner's roster only if they sit on it.
    other = client.get("/exams/oral/examiner/roster.xlsx?date_from=bad")
    assert other.status_code == 302


def test_another_examiners_roster_leaves_out_slots_they_do_not_run(client, world):
    client.force_login(world.people["other_examiner"])
    response = client.get("/exams/oral/examiner/roster.xlsx")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[2:] == []


# "My exams" lists oral exams beside written ones ----------------------------------


def test_my_exams_lists_an_oral_exam_when_the_course_has_no_written_one(client):
    oral = OralExamFactory()
    enrollment = EnrollmentFactory(course=oral.course)
    client.force_login(enrollment.trainee)

    page = client.get(reverse("exams:exam_list")).content.decode()

    assert oral.title in page
    assert "No exams are open" not in page
    assert "Written exams" not in page


def test_my_exams_says_so_when_nothing_is_open(client):
    client.force_login(EnrollmentFactory().trainee)

    page = client.get(reverse("exams:exam_list")).content.decode()

    assert "No exams are open for your courses yet." in page
