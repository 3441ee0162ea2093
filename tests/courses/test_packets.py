"""The application packet: the trainee's "Ready to apply" page, the
administrators' packet pages, generating (refused while anything is
missing; sensitive documents only with the permission, audited), the PDF
and workbook read back, marking sent and downloading."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from cms import roles
from cms.models import AuditEvent
from courses.models import (
    ApplicationPacket,
)
from courses.permissions import (
    user_can_include_sensitive_in_packet,
    user_can_view_packet,
)
from courses.selectors.packets import packet_contents, readiness
from courses.services import packets as services
from tests.courses.packet_world import Checklist, administrator
from tests.factories import log_session, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklist(private_media):
    return Checklist()


@pytest.fixture
def ready(checklist):
    return checklist.meet_everything()


@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    """Generate a packet and run the task its commit queues."""

    def run(**kwargs) -> ApplicationPacket:
        with django_capture_on_commit_callbacks(execute=True):
            packet = services.packet_generate(**kwargs)
        packet.refresh_from_db()
        return packet

    return run


def pdf_text(packet: ApplicationPacket) -> str:
    with packet.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    # Table cells wrap; compare words, not line breaks.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


# Permissions (the refusals first) ------------------------------------------------


def test_only_administrators_allowed_sensitive_documents_may_include_them():
    assert user_can_include_sensitive_in_packet(administrator(sensitive=True))
    assert not user_can_include_sensitive_in_packet(administrator())
    for role in (roles.TRAINEE, roles.SUPERVISOR, roles.TRAINER, roles.EXAMINER):
        assert not user_can_include_sensitive_in_packet(user_with_role(role))


def test_a_packet_with_sensitive_documents_is_seen_only_with_that_permission():
    plain = ApplicationPacket(includes_sensitive=False)
    sensitive = ApplicationPacket(includes_sensitive=True)
    allowed = administrator(sensitive=True)
    admin = administrator()
    assert user_can_view_packet(allowed, sensitive)
    assert user_can_view_packet(admin, plain)
    assert not user_can_view_packet(admin, sensitive)
    for role in (roles.TRAINEE, roles.SUPERVISOR, roles.TRAINER, roles.EXAMINER):
        assert not user_can_view_packet(user_with_role(role), plain)


# Generating -------------------------------------------------------------------------


def test_generating_is_refused_while_any_item_is_missing(checklist):
    with pytest.raises(ValidationError) as refused:
        services.packet_generate(
            trainee=checklist.trainee,
            credential=checklist.credential,
            by=administrator(),
        )
    message = " ".join(refused.value.messages)
    assert "until every item is met" in message
    assert "Attestation of Recovery, verified" in message
    assert not ApplicationPacket.objects.exists()


def test_only_those_allowed_generate_packets(ready):
    for role in (roles.TRAINEE, roles.SUPERVISOR, roles.TRAINER):
        with pytest.raises(PermissionDenied):
            services.packet_generate(
                trainee=ready.trainee,
                credential=ready.credential,
                by=user_with_role(role),
            )
    assert not ApplicationPacket.objects.exists()


def test_ticking_sensitive_without_the_permission_is_refused_and_audited(ready):
    admin = administrator()
    with pytest.raises(ValidationError) as refused:
        services.packet_generate(
            trainee=ready.trainee,
            credential=ready.credential,
            by=admin,
            include_sensitive=True,
        )
    assert "include_sensitive" in refused.value.message_dict
    assert not ApplicationPacket.objects.exists()
    event = AuditEvent.objects.get(action="application_packet.sensitive_refused")
    assert event.actor == admin


def test_a_packet_without_sensitive_documents_reads_back(ready, generate):
    packet = generate(
        trainee=ready.trainee, credential=ready.credential, by=administrator()
    )
    assert packet.status == ApplicationPacket.Status.READY
    text = pdf_text(packet)
    assert "Jordan Avery Miles" in text
    assert "Casey Supervisor" in text
    assert "CADC-1234" in text  # the supervisor's credential number
    assert "KBADC-2026-17" in text  # the board's approval
    # Hours by domain: the first session's hour is shared by two domains,
    # the second's by the other two.
    assert "Advocacy 0.50" in text
    assert "Recovery and wellness support 0.50" in text
    assert "Direct: 2.00 hours" in text
    assert "Ready for the credential." in text  # the evaluation summary
    assert "Bluegrass Recovery Center" in text  # experience site
    assert "Attestation of Recovery, signed" not in text
    assert "Sensitive documents" not in text

    workbook = load_workbook(io.BytesIO(packet.workbook.open("rb").read()))
    assert workbook.sheetnames == [
        "Checklist",
        "Classroom hours",
        "Supervision",
        "Experience",
    ]
    checklist_rows = list(workbook["Checklist"].values)
    assert checklist_rows[1][:2] == ("Applicant (legal name)", "Jordan Avery Miles")
    items = [row for row in checklist_rows[7:] if row[0]]
    assert len(items) == 4 and all(row[1] == "Yes" for row in items)
    supervision = list(workbook["Supervision"].values)
    by_domain = {row[0]: row[1] for row in supervision[1:5]}
    assert by_domain == {
        "Advocacy": 0.5,
        "Ethical responsibility": 0.5,
        "Mentoring and education": 0.5,
        "Recovery and wellness support": 0.5,
    }
    assert any(row[2] == "CADC-1234" for row in supervision)
    experience = list(workbook["Experience"].values)
    assert experience[1][0] == "Bluegrass Recovery Center"
    assert experience[1][3] == 40.0


def test_a_packet_with_sensitive_documents_lists_them_and_is_audited(ready, generate):
    admin = administrator(sensitive=True)
    packet = generate(
        trainee=ready.trainee,
        credential=ready.credential,
        by=admin,
        include_sensitive=True,
    )
    assert packet.includes_sensitive and packet.sensitive_ticked_by == admin
    text = pdf_text(packet)
    assert "Sensitive documents" in text
    assert "Attestation of Recovery: Attestation of Recovery, signed" in text
    workbook = load_workbook(io.BytesIO(packet.workbook.open("rb").read()))
    assert "Sensitive documents" in workbook.sheetnames
    assert list(workbook["Sensitive documents"].values)[1][0] == (
        "Attestation of Recovery"
    )
    event = AuditEvent.objects.get(action="application_packet.sensitive_included")
    assert event.actor == admin


def test_regenerating_makes_a_new_packet_and_keeps_the_old(ready):
    admin = administrator()
    first = services.packet_generate(
        trainee=ready.trainee, credential=ready.credential, by=admin
    )
    second = services.packet_generate(
        trainee=ready.trainee, credential=ready.credential, by=admin
    )
    assert first.pk != second.pk
    assert ApplicationPacket.objects.filter(trainee=ready.trainee).count() == 2


def test_an_unsigned_session_is_not_in_the_packet(ready):
    log_session(ready.agreement, date=datetime.date(2026, 3, 3), minutes=45)
    contents = packet_contents(
        trainee=ready.trainee, credential=ready.credential, include_sensitive=False
    )
    assert [r.subject.date for r in contents.sessions] == [
        datetime.date(2026, 2, 2),
        datetime.date(2026, 2, 9),
    ]
    assert contents.direct_hours == Decimal("2.00")


# Marking sent -----------------------------------------------------------------------


def test_marking_sent_is_recorded_once_and_audited(ready, generate):
    admin = administrator()
    packet = generate(trainee=ready.trainee, credential=ready.credential, by=admin)
    today = datetime.date.today()
    services.packet_mark_sent(
        packet=packet, by=admin, sent_on=today, board_reference=" B-17 "
    )
    packet.refresh_from_db()
    assert (packet.sent_on, packet.sent_by, packet.board_reference) == (
        today,
        admin,
        "B-17",
    )
    assert AuditEvent.objects.filter(action="application_packet.sent").count() == 1
    with pytest.raises(ValidationError, match="already marked sent"):
        services.packet_mark_sent(packet=packet, by=admin, sent_on=today)


def test_a_sent_date_in_the_future_is_refused_naming_the_field(ready, generate):
    admin = administrator()
    packet = generate(trainee=ready.trainee, credential=ready.credential, by=admin)
    with pytest.raises(ValidationError) as refused:
        services.packet_mark_sent(
            packet=packet,
            by=admin,
            sent_on=datetime.date.today() + datetime.timedelta(days=3),
        )
    assert "sent_on" in refused.value.message_dict
    packet.refresh_from_db()
    assert packet.sent_on is None


# Readiness ------------------------------------------------------------------------


def test_readiness_counts_met_items_and_gives_the_action_for_missing_ones(checklist):
    progress = readiness(trainee=checklist.trainee, credential=checklist.credential)
    assert (progress.met_count, progress.total) == (0, 4)
    hours = progress.requirements[0]
    assert hours.progress.status == "1 of 2 hours"
    assert hours.progress.percent == 50
    document = progress.requirements[3]
    assert document.progress.next_url == reverse("courses:my_documents")


def test_the_checklist_says_when_each_item_was_met_where_it_is_known(ready):
    from django.utils import timezone

    progress = readiness(trainee=ready.trainee, credential=ready.credential)
    met_on = [item.progress.met_on for item in progress.requirements]
    today = timezone.localdate()
    # Hours: not known; the agreement: the board's approval; the evaluation
    # and the attestation: the day they were signed and verified.
    assert met_on == [None, datetime.date(2026, 1, 5), today, today]


def test_the_packet_shows_when_each_item_was_met(ready, generate):
    packet = generate(
        trainee=ready.trainee, credential=ready.credential, by=administrator()
    )
    assert "Signed and approved" in pdf_text(packet)
    assert "Jan. 5, 2026" in pdf_text(packet)
    workbook = load_workbook(io.BytesIO(packet.workbook.open("rb").read()))
    rows = list(workbook["Checklist"].values)
    assert rows[6] == ("Item", "Met", "Status", "Source", "Met on")
    agreement_row = next(row for row in rows if row[2] == "Signed and approved")
    assert agreement_row[4].date() == datetime.date(2026, 1, 5)


def test_the_packet_is_read_in_a_fixed_number_of_queries(ready):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            packet_contents(
                trainee=ready.trainee,
                credential=ready.credential,
                include_sensitive=True,
            )
        return len(queries)

    count()  # caches warmed (content types)
    few = count()
    for day in range(3, 13):
        log_session(ready.agreement, date=datetime.date(2026, 4, day), signed=True)
    assert count() == few


def _letter_from(trainee, credential):
    """A letter of reference an LCADC wrote and signed for the trainee."""
    from courses.models import ReferenceRequest
    from courses.services import references
    from tests.factories import signing_context, supervisor_credential_type

    reference = ReferenceRequest.objects.create(
        trainee=trainee,
        credential=credential,
        referee_name="Lee Counselor",
        referee_email="lee@example.org",
        referee_credential_type=supervisor_credential_type("lcadc"),
        referee_credential_number="LCADC-9",
    )
    return references.reference_letter_submit(
        token=references.reference_token_issue(reference=reference),
        letter_text="I have known the applicant for five years.",
        typed_name="Lee Counselor",
        signing=signing_context(),
    )


def test_letters_of_reference_join_the_packet_only_when_ticked(ready, generate):
    _letter_from(ready.trainee, ready.credential)
    plain = generate(
        trainee=ready.trainee, credential=ready.credential, by=administrator()
    )
    assert "Lee Counselor" not in pdf_text(plain)

    packet = generate(
        trainee=ready.trainee,
        credential=ready.credential,
        by=administrator(sensitive=True),
        include_sensitive=True,
    )
    text = " ".join(pdf_text(packet).split())
    assert "Letter of reference from Lee Counselor, LCADC LCADC-9" in text
    assert "Signed “Lee Counselor”" in text
    assert "five years" not in text  # the letter itself stays out
    workbook = load_workbook(io.BytesIO(packet.workbook.open("rb").read()))
    rows = [row[0] for row in workbook["Sensitive documents"].values]
    assert "Letter of reference from Lee Counselor, LCADC LCADC-9" in rows
