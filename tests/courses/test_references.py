"""Letters of reference: the trainee names a referee, the referee gets an
emailed single-use link, writes or uploads the letter and signs it; the
trainee sees only that it arrived; only administrators allowed to view
sensitive documents read it, and every reading and refusal is audited."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cms import roles
from cms.models import AuditEvent
from courses.models import ReferenceRequest, ReferenceRequirement, Signature
from courses.selectors.references import letters_for_packet
from courses.services import references as services
from courses.services.supervision import SigningContext
from tests.factories import (
    adpss_credential,
    make_agreement,
    supervisor_credential_type,
    user_with_role,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LETTER = "I have known the applicant for five years; a reliable colleague."
START = datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock(private_media):
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def rule() -> ReferenceRequirement:
    return ReferenceRequirement.objects.create(
        credential=adpss_credential(),
        minimum_letters=2,
        source_citation="KRS 309.0831",
        effective_date=datetime.date(2026, 1, 1),
    )


@pytest.fixture
def trainee():
    return user_with_role(roles.TRAINEE, legal_name="Tess Trainee")


def ask(trainee, *, name="Rae Referee", email="rae@example.org", kind="cadc"):
    return services.reference_request_create(
        trainee=trainee,
        credential=adpss_credential(),
        referee_name=name,
        referee_email=email,
        credential_type=supervisor_credential_type(kind),
        credential_number="CADC-77",
    )


def link_in(message) -> str:
    """The path of the link in an email."""
    match = re.search(r"https?://[^/\s]+(/reference/[^\s]+/)", message.body)
    assert match, message.body
    return match[1]


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def fresh_link(reference) -> str:
    """A new link for ``reference`` made as the worker makes it."""
    mail.outbox.clear()
    services.reference_request_send(reference_id=reference.pk)
    return link_in(mail.outbox[-1])


def sign_post(**fields) -> dict:
    data = {"letter_text": LETTER, "typed_name": "Rae Referee", "confirm": "on"}
    data.update(fields)
    return data


def administrator(*, sensitive=False):
    person = user_with_role(roles.ADMINISTRATOR)
    if sensitive:
        person.user_permissions.add(
            Permission.objects.get(
                content_type__app_label="courses", codename="view_sensitive_document"
            )
        )
    return person


def received(trainee, **ask_fields) -> ReferenceRequest:
    reference = ask(trainee, **ask_fields)
    path = fresh_link(reference)
    response = Client().post(path, sign_post(typed_name=reference.referee_name))
    assert response.status_code == 200, response.content
    reference.refresh_from_db()
    assert reference.status == ReferenceRequest.Status.RECEIVED
    return reference


# The whole flow -----------------------------------------------------------------


def test_flow_end_to_end_email_link_letter_and_checklist(
    client, rule, trainee, django_capture_on_commit_callbacks
):
    client.force_login(trainee)
    assert rule.progress(trainee).status == "0 of 2 letters received"
    assert rule.progress(trainee).next_url == reverse("courses:my_references")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("courses:my_references"),
            {
                "credential": rule.credential_id,
                "referee_name": "Rae Referee",
                "referee_email": "Rae@Example.org",
                "credential_type": supervisor_credential_type("cadc").pk,
                "credential_number": "CADC-77",
            },
        )
    assert response.status_code == 302
    # The immediate task backend ran the emailing task after the commit.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rae@example.org"]
    assert "Tess Trainee" in message.subject
    path = link_in(message)
    reference = ReferenceRequest.objects.get()
    # Only the token's hash is stored.
    assert token_of(path) not in reference.token_hash
    assert reference.token_hash == services.token_hash(token_of(path))
    assert reference.expires_at == START + datetime.timedelta(days=30)

    referee = Client()
    page = referee.get(path)
    assert page.status_code == 200
    assert "Tess Trainee" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    done = referee.post(path, sign_post(), HTTP_USER_AGENT="Referee browser")
    assert done.status_code == 200
    assert "has been received" in done.content.decode()

    reference.refresh_from_db()
    assert reference.status == ReferenceRequest.Status.RECEIVED
    assert reference.letter_text == LETTER
    signature = Signature.objects.get(object_id=reference.pk, role="referee")
    assert signature.signer is None
    assert signature.typed_name == "Rae Referee"
    assert signature.user_agent == "Referee browser"
    assert signature.text_sha256 == reference.signed_text_hash()
    assert LETTER in signature.signed_text
    assert AuditEvent.objects.filter(action="reference.received").exists()

    mine = client.get(reverse("courses:my_references")).content.decode()
    assert "Received on" in mine
    assert "1 of 2 letters received" in mine
    assert LETTER not in mine
    assert reverse("courses:reference_letter", args=[reference.pk]) not in mine
    progress = rule.progress(trainee)
    assert not progress.met
    assert progress.status == "1 of 2 letters received"

    received(trainee, name="Lee Counselor", email="lee@example.org", kind="lcadc")
    progress = rule.progress(trainee)
    assert progress.met
    assert progress.status == "2 of 2 letters received"


def test_an_uploaded_letter_is_stored_privately_with_its_hash(trainee):
    reference = ask(trainee)
    path = fresh_link(reference)
    response = Client().post(
        path,
        sign_post(letter_text="", letter_file=SimpleUploadedFile("my.pdf", PDF)),
    )
    assert response.status_code == 200
    reference.refresh_from_db()
    assert reference.letter_file.name.startswith(f"references/{trainee.pk}/")
    assert "my.pdf" not in reference.letter_file.name
    import hashlib

    assert reference.letter_file_sha256 == hashlib.sha256(PDF).hexdigest()
    assert reference.signed_text_hash() == Signature.objects.get().text_sha256


def test_letters_from_an_ineligible_credential_do_not_count(rule, trainee):
    first = received(trainee)
    received(trainee, name="Lee Counselor", email="lee@example.org")
    kind = first.referee_credential_type
    kind.may_give_reference = False
    kind.save()
    assert rule.progress(trainee).status == "0 of 2 letters received"


def test_a_received_letter_is_never_changed(trainee):
    reference = received(trainee)
    reference.letter_text = "Something else"
    with pytest.raises(ValidationError):
        reference.save()
    assert ReferenceRequest.objects.get().letter_text == LETTER


# Links that cannot be used ----------------------------------------------------------


def refused(problem: str) -> list[AuditEvent]:
    return [
        event
        for event in AuditEvent.objects.filter(action="reference.link_refused")
        if event.details.get("problem") == problem
    ]


def test_a_reused_link_answers_410_changes_nothing_and_is_audited(trainee):
    reference = ask(trainee)
    path = fresh_link(reference)
    assert Client().post(path, sign_post()).status_code == 200
    again = Client().post(path, sign_post(letter_text="A second letter"))
    assert again.status_code == 410
    assert "already been sent" in again.content.decode()
    reference.refresh_from_db()
    assert reference.letter_text == LETTER
    assert Signature.objects.count() == 1
    assert refused("used")


def test_an_expired_link_answers_410_and_is_audited(trainee, clock):
    reference = ask(trainee)
    path = fresh_link(reference)
    clock.shift(datetime.timedelta(days=30, seconds=1))
    response = Client().post(path, sign_post())
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    reference.refresh_from_db()
    assert reference.status == ReferenceRequest.Status.SENT
    assert reference.letter_text == ""
    assert refused("expired")
    client = Client()
    client.force_login(trainee)
    assert "Expired" in client.get(reverse("courses:my_references")).content.decode()
    # Sending it again gives the referee another 30 days.
    services.reference_request_resend(reference=reference, by=trainee)
    assert Client().get(fresh_link(reference)).status_code == 200


def test_a_withdrawn_request_answers_410(trainee):
    reference = ask(trainee)
    path = fresh_link(reference)
    services.reference_request_withdraw(reference=reference, by=trainee)
    response = Client().get(path)
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    assert refused("withdrawn")


def test_a_tampered_token_answers_404_and_is_audited(trainee):
    reference = ask(trainee)
    path = fresh_link(reference)
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    response = Client().post(tampered, sign_post())
    assert response.status_code == 404
    assert "not valid" in response.content.decode()
    assert ReferenceRequest.objects.get().status == ReferenceRequest.Status.SENT
    assert refused("unknown")


def test_sending_again_kills_the_old_link(
    client, trainee, django_capture_on_commit_callbacks
):
    reference = ask(trainee)
    old = fresh_link(reference)
    mail.outbox.clear()
    client.force_login(trainee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("courses:reference_resend", args=[reference.pk]))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    new = link_in(mail.outbox[0])
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_the_referee_page_is_csrf_protected(trainee):
    path = fresh_link(ask(trainee))
    response = Client(enforce_csrf_checks=True).post(path, sign_post())
    assert response.status_code == 403
    assert ReferenceRequest.objects.get().status == ReferenceRequest.Status.SENT


def test_the_referee_page_is_rate_limited(settings, trainee):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "codes": "2/m"}
    path = "/reference/no-such-token/"
    client = Client()
    assert client.get(path).status_code == 404
    assert client.get(path).status_code == 404
    assert client.get(path).status_code == 429


# Bad input on the referee's page ------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"letter_text": ""}, "letter_text", "Write the letter here"),
        ({"typed_name": ""}, "typed_name", "required"),
        ({"confirm": ""}, "confirm", "Tick the box to sign"),
        ({"typed_name": "Someone Else"}, "typed_name", "Type your name as"),
        (
            {"letter_text": "", "letter_file": SimpleUploadedFile("a.pdf", b"MZ\x90")},
            "letter_file",
            "PDF, PNG or JPEG",
        ),
        (
            {"letter_text": "", "letter_file": SimpleUploadedFile("a.pdf", b"")},
            "letter_file",
            "empty",
        ),
    ],
    ids=["empty-letter", "no-name", "no-intent", "wrong-name", "wrong-type", "empty"],
)
def test_bad_letter_input_names_the_field_and_changes_nothing(
    trainee, fields, field, message
):
    path = fresh_link(ask(trainee))
    response = Client().post(path, sign_post(**fields))
    assert response.status_code == 200
    form = response.context["form"]
    errors = " ".join(form.errors.get(field, []) + form.non_field_errors())
    assert message in errors
    reference = ReferenceRequest.objects.get()
    assert reference.status == ReferenceRequest.Status.SENT
    assert not reference.letter_file
    assert not Signature.objects.exists()


def test_an_oversize_letter_is_refused(settings, trainee):
    settings.EVIDENCE_MAX_UPLOAD_SIZE = 20
    path = fresh_link(ask(trainee))
    response = Client().post(
        path,
        sign_post(letter_text="", letter_file=SimpleUploadedFile("a.pdf", PDF)),
    )
    assert response.status_code == 200
    assert "the limit is" in " ".join(response.context["form"].errors["letter_file"])
    assert ReferenceRequest.objects.get().status == ReferenceRequest.Status.SENT


# Bad input on the trainee's page ------------------------------------------------


def request_post(**fields) -> dict:
    data = {
        "credential": adpss_credential().pk,
        "referee_name": "Rae Referee",
        "referee_email": "rae@example.org",
        "credential_type": supervisor_credential_type("cadc").pk,
        "credential_number": "CADC-77",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"referee_email": "not-an-address"}, "referee_email", "valid email"),
        ({"credential_number": "  "}, "credential_number", "required"),
        ({"referee_name": ""}, "referee_name", "required"),
        ({"credential_type": "ineligible"}, "credential_type", "valid choice"),
        ({"credential_type": str(2**70)}, "credential_type", "valid choice"),
    ],
)
def test_bad_request_input_names_the_field_and_changes_nothing(
    client, rule, trainee, fields, field, message
):
    if fields.get("credential_type") == "ineligible":
        fields = {"credential_type": supervisor_credential_type("rpss-2y").pk}
    client.force_login(trainee)
    response = client.post(reverse("courses:my_references"), request_post(**fields))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ReferenceRequest.objects.exists()
    assert not mail.outbox


def test_the_same_referee_twice_is_refused(client, rule, trainee):
    client.force_login(trainee)
    client.post(reverse("courses:my_references"), request_post())
    response = client.post(
        reverse("courses:my_references"), request_post(referee_email="RAE@example.org")
    )
    assert response.status_code == 200
    assert "already asked this referee" in response.content.decode()
    assert ReferenceRequest.objects.count() == 1


def test_no_more_than_five_open_requests(client, rule, trainee):
    for number in range(5):
        ask(trainee, email=f"r{number}@example.org")
    client.force_login(trainee)
    response = client.post(
        reverse("courses:my_references"), request_post(referee_email="six@example.org")
    )
    assert response.status_code == 200
    assert "withdraw one" in response.content.decode()
    assert ReferenceRequest.objects.count() == 5


def test_an_expired_request_does_not_count_as_waiting(client, rule, trainee, clock):
    for number in range(5):
        services.reference_token_issue(
            reference=ask(trainee, email=f"r{number}@example.org")
        )
    clock.shift(datetime.timedelta(days=31))
    client.force_login(trainee)
    response = client.post(
        reverse("courses:my_references"), request_post(referee_email="six@example.org")
    )
    assert response.status_code == 302
    assert ReferenceRequest.objects.count() == 6


def test_a_withdrawn_or_received_request_cannot_be_withdrawn_again(client, trainee):
    reference = received(trainee)
    client.force_login(trainee)
    response = client.post(
        reverse("courses:reference_withdraw", args=[reference.pk]), follow=True
    )
    assert "cannot be withdrawn" in response.content.decode()
    reference.refresh_from_db()
    assert reference.status == ReferenceRequest.Status.RECEIVED


# Who may do what ------------------------------------------------------------------


@pytest.fixture
def people(trainee):
    supervisor = user_with_role(roles.SUPERVISOR)
    make_agreement(trainee, supervisor)
    return {
        "anonymous": None,
        "trainee": trainee,
        "other_trainee": user_with_role(roles.TRAINEE),
        "supervisor": supervisor,
        "other_supervisor": user_with_role(roles.SUPERVISOR),
        "trainer": user_with_role(roles.TRAINER),
        "examiner": user_with_role(roles.EXAMINER),
        "administrator": administrator(),
        "sensitive_administrator": administrator(sensitive=True),
    }


def as_person(person) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


LOGIN = "login"


def answer(response):
    if response.status_code == 302 and "/login/" in response["Location"]:
        return LOGIN
    return response.status_code


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        (
            "my_references",
            {
                "anonymous": LOGIN,
                "trainee": 200,
                "other_trainee": 200,
                "supervisor": 403,
                "other_supervisor": 403,
                "trainer": 403,
                "examiner": 403,
                "administrator": 403,
                "sensitive_administrator": 403,
            },
        ),
        (
            "reference_letters",
            {
                "anonymous": LOGIN,
                "trainee": 403,
                "other_trainee": 403,
                "supervisor": 403,
                "other_supervisor": 403,
                "trainer": 403,
                "examiner": 403,
                "administrator": 403,
                "sensitive_administrator": 200,
            },
        ),
        (
            "reference_letter",
            {
                "anonymous": LOGIN,
                "trainee": 404,
                "other_trainee": 404,
                "supervisor": 404,
                "other_supervisor": 404,
                "trainer": 404,
                "examiner": 404,
                "administrator": 404,
                "sensitive_administrator": 200,
            },
        ),
    ],
)
def test_role_matrix_for_the_trainee_and_staff_pages(people, trainee, view, expected):
    reference = received(trainee)
    args = [reference.pk] if view == "reference_letter" else []
    url = reverse(f"courses:{view}", args=args)
    answers = {name: answer(as_person(p).get(url)) for name, p in people.items()}
    assert answers == expected


@pytest.mark.parametrize("action", ["reference_resend", "reference_withdraw"])
def test_role_matrix_for_resend_and_withdraw(people, trainee, action):
    reference = ask(trainee)
    url = reverse(f"courses:{action}", args=[reference.pk])
    expected = {
        "anonymous": LOGIN,
        "trainee": 302,
        "other_trainee": 404,
        "supervisor": 403,
        "other_supervisor": 403,
        "trainer": 403,
        "examiner": 403,
        "administrator": 403,
        "sensitive_administrator": 403,
    }
    answers = {}
    # The owner goes last: a withdrawal would change what the others meet.
    for name in sorted(people, key=lambda name: name == "trainee"):
        answers[name] = answer(as_person(people[name]).post(url))
    assert answers == expected
    assert as_person(trainee).get(url).status_code == 405


def test_the_referee_page_answers_everyone_the_same(people, trainee):
    path = fresh_link(ask(trainee))
    for person in people.values():
        assert as_person(person).get(path).status_code == 200


def test_opening_a_letter_is_audited_and_served_as_an_attachment(people, trainee):
    reference = received(trainee)
    url = reverse("courses:reference_letter", args=[reference.pk])
    response = as_person(people["sensitive_administrator"]).get(url)
    assert response.status_code == 200
    assert response.content.decode() == LETTER
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="reference_letter.downloaded")
    assert event.actor == people["sensitive_administrator"]


def test_an_uploaded_letter_is_served_as_the_file(people, trainee):
    reference = ask(trainee)
    path = fresh_link(reference)
    Client().post(
        path, sign_post(letter_text="", letter_file=SimpleUploadedFile("l.pdf", PDF))
    )
    url = reverse("courses:reference_letter", args=[reference.pk])
    response = as_person(people["sensitive_administrator"]).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("who", ["trainee", "supervisor", "administrator"])
def test_a_refused_letter_is_audited(people, trainee, who):
    reference = received(trainee)
    url = reverse("courses:reference_letter", args=[reference.pk])
    response = as_person(people[who]).get(url)
    assert response.status_code == 404
    assert LETTER not in response.content.decode()
    event = AuditEvent.objects.get(action="reference_letter.refused")
    assert event.actor == people[who]
    assert not AuditEvent.objects.filter(action="reference_letter.downloaded")


def test_the_staff_list_shows_letters_by_trainee_without_content(people, trainee):
    reference = received(trainee)
    page = as_person(people["sensitive_administrator"]).get(
        reverse("courses:reference_letters")
    )
    text = page.content.decode()
    assert "Tess Trainee" in text
    assert reverse("courses:reference_letter", args=[reference.pk]) in text
    assert LETTER not in text


def test_letters_for_the_packet_only_when_sensitive_documents_are_included(trainee):
    reference = received(trainee)
    ask(trainee, email="waiting@example.org")
    assert letters_for_packet(trainee, include_sensitive=False) == []
    letters = letters_for_packet(trainee, include_sensitive=True)
    assert letters == [reference]
    assert letters[0].signature.typed_name == "Rae Referee"


# Query budget --------------------------------------------------------------------


# Session, user, permissions, the form's two choice lists, the requests, the
# rule and the letters it counts.
BUDGET = 14


def test_the_references_page_query_budget_does_not_grow(
    client, django_assert_max_num_queries, rule, trainee
):
    client.force_login(trainee)
    url = reverse("courses:my_references")
    ask(trainee)
    client.get(url)
    with django_assert_max_num_queries(BUDGET):
        assert client.get(url).status_code == 200
    for number in range(3):
        ask(trainee, email=f"more{number}@example.org", kind="lcadc")
    received(trainee, email="done@example.org")
    with django_assert_max_num_queries(BUDGET):
        assert client.get(url).status_code == 200


# Navigation, second factor, signatures --------------------------------------------


def test_the_trainee_and_the_letter_readers_find_their_pages_in_the_menu(people):
    trainee_page = as_person(people["trainee"]).get(reverse("courses:my_documents"))
    assert reverse("courses:my_references") in trainee_page.content.decode()
    reader = as_person(people["sensitive_administrator"]).get(
        reverse("courses:reference_letters")
    )
    assert reverse("courses:reference_letters") in reader.content.decode()
    plain = as_person(people["administrator"]).get(reverse("courses:fees"))
    assert reverse("courses:reference_letters") not in plain.content.decode()


def test_the_referee_page_asks_signed_in_staff_for_no_second_factor(
    settings, people, trainee
):
    settings.MFA_REQUIRED_FOR_STAFF = True
    path = fresh_link(ask(trainee))
    administrator = as_person(people["administrator"])
    # Any other page sends unverified staff to set up a second factor.
    assert administrator.get(reverse("courses:fees")).status_code == 302
    assert administrator.get(path).status_code == 200


def test_the_signature_covers_the_exact_letter(trainee):
    reference = received(trainee)
    signature = Signature.objects.get()
    assert signature.text_is_intact
    assert signature.ip_address == "127.0.0.1"
    assert signature.intent.startswith("I, Rae Referee, sign")
    # Had the letter been different, the signature would not match it.
    reference.letter_text = LETTER + " Edited."
    assert reference.signed_text_hash() != signature.text_sha256


def test_an_unknown_link_submitted_to_the_service_changes_nothing(trainee):
    reference = ask(trainee)
    fresh_link(reference)
    with pytest.raises(ValidationError):
        services.reference_letter_submit(
            token="not-the-token",
            letter_text=LETTER,
            typed_name="Rae Referee",
            signing=SigningContext(),
        )
    reference.refresh_from_db()
    assert reference.status == ReferenceRequest.Status.SENT
    assert not Signature.objects.exists()
