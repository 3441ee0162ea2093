"""Certificate pages: "My certificates", the PDF (only for the trainee, their
trainers and administrators), the public verify pages, and the admin's
certificate pages, each for every role."""

import io

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_ratelimit.exceptions import Ratelimited
from pypdf import PdfReader

from courses import services
from courses.certificate_pdf import (
    certificate_pdf_build,
    certificate_qr_svg,
    certificate_verify_url,
)
from courses.models import Certificate
from courses.views import certificates as certificate_views
from tests.factories import CertificateFactory, certificate_world

pytestmark = pytest.mark.django_db

ROLES = ["trainee", "trainer", "examiner", "supervisor", "administrator"]


@pytest.fixture
def world(db, private_media):
    world = certificate_world()
    world.finish()
    world.certificate, _ = services.certificate_issue(
        trainee=world.trainee, course=world.course
    )
    services.certificate_pdf_store(certificate=world.certificate)
    return world


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(page.extract_text() for page in reader.pages)


# My certificates -------------------------------------------------------------


def test_my_certificates_sends_visitors_to_sign_in(client):
    response = client.get(reverse("courses:my_certificates"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("examiner", 403),
        ("supervisor", 403),
        ("trainee", 200),
        ("trainer", 200),
        ("administrator", 200),
    ],
)
def test_my_certificates_for_each_role(client_as, role, status):
    assert client_as(role).get(reverse("courses:my_certificates")).status_code == (
        status
    )


def test_my_certificates_lists_the_trainees_own_with_downloads(client, world):
    CertificateFactory()  # someone else's
    client.force_login(world.trainee)
    response = client.get(reverse("courses:my_certificates"))
    page = response.content.decode()
    assert "Kentucky Peer Specialist Training" in page
    assert world.certificate.grouped_code in page
    assert reverse("courses:certificate_pdf", args=[world.certificate.code]) in page
    assert list(response.context["certificates"]) == [world.certificate]


def test_the_dashboard_shows_a_new_certificate(client, world):
    client.force_login(world.trainee)
    page = client.get(reverse("courses:dashboard")).content.decode()
    assert "New certificates" in page
    assert reverse("courses:certificate_pdf", args=[world.certificate.code]) in page


def test_the_menu_links_my_certificates(client, world):
    client.force_login(world.trainee)
    page = client.get(reverse("courses:dashboard")).content.decode()
    assert f'href="{reverse("courses:my_certificates")}"' in page


def test_my_certificates_queries_do_not_grow_with_certificates(
    client, make_user, django_assert_max_num_queries
):
    trainee = make_user("trainee")
    CertificateFactory(trainee=trainee)
    client.force_login(trainee)
    # Every test starts with empty caches: this first load also finds the
    # site's name and Wagtail's site root paths, and makes the footer settings.
    with django_assert_max_num_queries(13) as one:
        client.get(reverse("courses:my_certificates"))
    for _ in range(5):
        CertificateFactory(trainee=trainee)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("courses:my_certificates"))
    assert len(response.context["certificates"]) == 6


# The PDF -----------------------------------------------------------------------


def test_the_pdf_sends_visitors_to_sign_in(client, world):
    url = reverse("courses:certificate_pdf", args=[world.certificate.code])
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("role", ["trainee", "trainer", "examiner", "supervisor"])
def test_someone_elses_pdf_is_not_found(client_as, world, role):
    url = reverse("courses:certificate_pdf", args=[world.certificate.code])
    assert client_as(role).get(url).status_code == 404


def test_an_unknown_code_pdf_is_not_found(client_as):
    url = reverse("courses:certificate_pdf", args=["A" * 32])
    assert client_as("administrator").get(url).status_code == 404


@pytest.mark.parametrize("who", ["trainee", "trainer", "administrator"])
def test_the_trainee_their_trainer_and_administrators_download_the_pdf(
    client, make_user, world, who
):
    user = {
        "trainee": world.trainee,
        "trainer": world.trainer,
        "administrator": make_user("administrator"),
    }[who]
    client.force_login(user)
    response = client.get(
        reverse("courses:certificate_pdf", args=[world.certificate.code])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_pdf_reads_back_name_course_hours_and_code(world):
    text = _pdf_text(certificate_pdf_build(certificate=world.certificate))
    assert "Alex Q. Trainee" in text
    assert "Kentucky Peer Specialist Training" in text
    assert "Kentucky Peer Specialist core training" in text
    assert "12.00" in text
    assert world.certificate.grouped_code in text
    assert "Terry Trainer" in text
    assert certificate_verify_url(world.certificate) in text.replace("\n", "")


def test_the_pdf_is_letter_landscape_and_tagged(world):
    reader = PdfReader(io.BytesIO(certificate_pdf_build(certificate=world.certificate)))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (792, 612)
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.metadata.title.startswith("Certificate of completion")


def test_the_qr_code_carries_the_verify_url(world):
    import segno

    url = certificate_verify_url(world.certificate)
    assert url == (
        "http://testserver"
        + reverse("courses:verify_code", args=[world.certificate.code])
    )
    qr = segno.make(url, error="m")
    # The same payload gives the same symbol: the one printed on the PDF.
    assert certificate_qr_svg(url) == qr.svg_inline(
        scale=3, border=0, dark="#000", omitsize=False
    )
    assert qr.designator.endswith("-M")


def test_rendering_again_gives_the_same_bytes(world):
    first = world.certificate.pdf_sha256
    world.certificate.refresh_from_db()
    services.certificate_pdf_store(certificate=world.certificate)
    assert world.certificate.pdf_sha256 == first
    assert certificate_pdf_build(
        certificate=world.certificate
    ) == certificate_pdf_build(certificate=world.certificate)


def test_a_missing_pdf_is_queued_not_rendered_in_the_request(
    client, world, monkeypatch
):
    Certificate.objects.filter(pk=world.certificate.pk).update(pdf="")
    queued = []
    from courses import tasks

    class Recorder:
        def enqueue(self, pk):
            queued.append(pk)

    monkeypatch.setattr(tasks, "certificate_pdf_render", Recorder())
    client.force_login(world.trainee)
    response = client.get(
        reverse("courses:certificate_pdf", args=[world.certificate.code])
    )
    assert response.status_code == 302
    assert queued == [world.certificate.pk]


# Verify -------------------------------------------------------------------------


def _verify(client, code):
    return client.get(reverse("courses:verify_code", args=[code]))


@pytest.mark.parametrize("role", [None, *ROLES])
def test_anyone_may_verify(client_as, role):
    certificate = CertificateFactory()
    assert _verify(client_as(role), certificate.code).status_code == 200


def test_a_valid_certificate_shows_what_was_certified_and_nothing_else(client):
    certificate = CertificateFactory(legal_name="Jordan Example")
    response = _verify(client, certificate.grouped_code.lower())
    page = response.content.decode()
    assert response.status_code == 200
    assert "This certificate is valid." in page
    for shown in (
        "Jordan Example",
        certificate.course_title,
        "Ethics",
        "16.00",
        "Advocacy",
        "26.00",
        "Peer Specialist Training",
        certificate.grouped_code,
    ):
        assert shown in page
    assert certificate.trainee.email not in page
    assert "Frankfort weekday cohort" not in page  # nothing else about them
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in page


def test_a_revoked_certificate_says_when_and_why(client, make_user):
    certificate = CertificateFactory()
    services.certificate_revoke(
        certificate=certificate, by=make_user("administrator"), reason="Issued in error"
    )
    page = _verify(client, certificate.code).content.decode()
    assert "This certificate was revoked on" in page
    assert "Issued in error" in page
    assert "This certificate is valid." not in page


def test_a_superseded_certificate_links_to_the_new_one(client, make_user):
    certificate = CertificateFactory()
    certificate.trainee.legal_name = "New Legal Name"
    certificate.trainee.save()
    new = services.certificate_reissue(
        certificate=certificate, by=make_user("administrator"), reason="Name change"
    )
    page = _verify(client, certificate.code).content.decode()
    assert "replaced by a reissued one" in page
    assert reverse("courses:verify_code", args=[new.code]) in page
    assert "New Legal Name" not in page  # the old page shows the old name
    assert "New Legal Name" in _verify(client, new.code).content.decode()


@pytest.mark.parametrize(
    "code", ["A" * 32, "not-a-code", "%3Cscript%3E", "0" * 200, "ABCD EFGH"]
)
def test_an_unknown_code_gets_the_same_page_and_queries(
    client, code, django_assert_num_queries, django_assert_max_num_queries
):
    certificate = CertificateFactory()
    _verify(client, certificate.code)  # the site's settings are made once
    with django_assert_max_num_queries(8) as known:
        found = _verify(client, certificate.code)
    with django_assert_num_queries(len(known.captured_queries)):
        unknown = _verify(client, code)
    assert unknown.status_code == found.status_code == 200
    assert [t.name for t in unknown.templates][:1] == [t.name for t in found.templates][
        :1
    ]
    page = unknown.content.decode()
    assert "No certificate has this code." in page
    assert unknown["X-Robots-Tag"] == "noindex, nofollow"
    assert "<script>" not in page


def test_the_verify_form_takes_a_typed_code_to_its_page(client):
    certificate = CertificateFactory()
    response = client.get(
        reverse("courses:verify"), {"code": f"  {certificate.grouped_code.lower()} "}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "courses:verify_code", args=[certificate.code]
    )
    form = client.get(reverse("courses:verify"))
    assert form.status_code == 200
    assert 'name="code"' in form.content.decode()


def test_the_verify_page_is_rate_limited(client, settings):
    settings.CERTIFICATE_VERIFY_RATE = "3/m"
    settings.RATELIMIT_ENABLE = True
    statuses = [_verify(client, "A" * 32).status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3] in (403, 429)
    request = RequestFactory().get("/verify/x/", REMOTE_ADDR="127.0.0.1")
    with pytest.raises(Ratelimited):
        certificate_views.verify_code(request, code="x")


def test_the_verify_page_queries_do_not_grow_with_hours(
    client, django_assert_max_num_queries
):
    many = CertificateFactory(
        hours_by_topic=[
            {"category": f"c{i}", "name": f"Topic {i}", "hours": "1.00"}
            for i in range(30)
        ]
    )
    few = CertificateFactory()
    _verify(client, few.code)
    with django_assert_max_num_queries(8) as one:
        _verify(client, few.code)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = _verify(client, many.code)
    assert "Topic 29" in response.content.decode()


# Admin pages ----------------------------------------------------------------------


ADMIN_PAGES = ["courses_certificates", "courses_certificates_due"]


@pytest.mark.parametrize("name", [*ADMIN_PAGES, "courses_certificates_review"])
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("trainee", False),
        ("trainer", False),
        ("examiner", False),
        ("supervisor", False),
        ("administrator", True),
    ],
)
def test_the_certificate_admin_pages_for_each_role(client_as, name, role, allowed):
    response = client_as(role).get(reverse(name))
    if allowed:
        assert response.status_code == 200
    else:
        assert response.status_code in (302, 403)


def test_the_certificate_admin_sends_visitors_to_sign_in(client):
    response = client.get(reverse("courses_certificates"))
    assert response.status_code == 302


def test_an_administrator_sees_who_is_due_and_issues_by_hand(client_as, private_media):
    world = certificate_world()
    world.finish()
    client = client_as("administrator")
    page = client.get(reverse("courses_certificates_due")).content.decode()
    assert "Alex Q. Trainee" in page
    refused = client.post(
        reverse("courses_certificate_issue"),
        {"trainee": world.trainee.pk, "course": world.course.pk, "reason": ""},
        follow=True,
    )
    assert "Say why you issue this certificate by hand." in refused.content.decode()
    assert not Certificate.objects.exists()
    client.post(
        reverse("courses_certificate_issue"),
        {"trainee": world.trainee.pk, "course": world.course.pk, "reason": "Late"},
    )
    assert Certificate.objects.get().issue_reason == "Late"


def test_a_manual_issue_for_a_trainee_short_of_the_rule_names_what_is_missing(
    client_as, private_media
):
    world = certificate_world()
    response = client_as("administrator").post(
        reverse("courses_certificate_issue"),
        {"trainee": world.trainee.pk, "course": world.course.pk, "reason": "Try"},
        follow=True,
    )
    assert "Complete every module" in response.content.decode()
    assert not Certificate.objects.exists()


def test_bad_ids_in_a_manual_issue_are_refused_with_a_message(client_as):
    response = client_as("administrator").post(
        reverse("courses_certificate_issue"),
        {"trainee": "x", "course": "999999", "reason": "Try"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Choose a trainee and a course" in response.content.decode()


def test_an_administrator_revokes_once_and_a_second_time_is_refused(client_as):
    certificate = CertificateFactory()
    client = client_as("administrator")
    url = reverse("courses_certificate_action", args=[certificate.pk, "revoke"])
    empty = client.post(url, {"reason": " "}, follow=True)
    assert "Give the reason for revoking" in empty.content.decode()
    client.post(url, {"reason": "Issued in error"})
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    again = client.post(url, {"reason": "Again"}, follow=True)
    assert "already revoked" in again.content.decode()
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Issued in error"


@pytest.mark.parametrize("role", ["trainee", "trainer", "examiner", "supervisor"])
def test_only_administrators_may_revoke(client_as, role):
    certificate = CertificateFactory()
    response = client_as(role).post(
        reverse("courses_certificate_action", args=[certificate.pk, "revoke"]),
        {"reason": "No"},
    )
    assert response.status_code in (302, 403)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


def test_an_unknown_action_is_refused(client_as):
    certificate = CertificateFactory()
    response = client_as("administrator").post(
        reverse("courses_certificate_action", args=[certificate.pk, "delete"])
    )
    assert response.status_code in (302, 403)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


def test_the_admin_detail_shows_the_certificate(client_as):
    certificate = CertificateFactory(revoked_at=None)
    page = client_as("administrator").get(
        reverse("courses_certificate_detail", args=[certificate.pk])
    )
    assert page.status_code == 200
    assert certificate.grouped_code in page.content.decode()
    assert timezone.now()
