"""Certificates as Open Badges 3.0 credentials: the JSON validates against
the schema shipped in the repo, the VC-JWT verifies with the published key,
and a tampered, foreign, expired or revoked credential is refused."""

import base64
import datetime
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import KeySet
from jsonschema import Draft201909Validator

from courses import badges, services
from courses.checks import open_badges_issuer_key
from tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    (
        Path(__file__).resolve().parents[2]
        / "courses"
        / "schemas"
        / "ob_v3p0_credential.json"
    ).read_text()
)


def _validator():
    Draft201909Validator.check_schema(SCHEMA)
    return Draft201909Validator(
        SCHEMA, format_checker=Draft201909Validator.FORMAT_CHECKER
    )


@pytest.fixture
def certificate(db):
    return CertificateFactory(legal_name="Jordan Example")


def _public_keys(client) -> KeySet:
    return KeySet.import_key_set(client.get(reverse("courses:jwks")).json())


def _reencode(token: str, change) -> str:
    """The token with its payload changed and the signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    change(claims)
    encoded = (
        base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    )
    return f"{header}.{encoded}.{signature}"


def test_the_credential_validates_against_the_shipped_schema(certificate):
    credential = badges.certificate_credential(certificate)
    errors = list(_validator().iter_errors(credential))
    assert errors == [], [error.message for error in errors]
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert "OpenBadgeCredential" in credential["type"]
    subject = credential["credentialSubject"]
    email_id = subject["identifier"][0]
    assert email_id["hashed"] and email_id["identityHash"].startswith("sha256$")
    assert certificate.trainee.email not in json.dumps(credential)
    assert subject["achievement"]["criteria"]["narrative"]
    assert [r["value"] for r in subject["result"]] == ["16.00", "10.00"]
    assert credential["credentialStatus"]["id"].endswith(
        reverse("courses:credential_status", args=[certificate.code])
    )


@pytest.mark.parametrize(
    "breakage",
    [
        lambda c: c.pop("credentialSubject"),
        lambda c: c.__setitem__("type", ["VerifiableCredential"]),
        lambda c: c["credentialSubject"]["achievement"].pop("criteria"),
        lambda c: c["credentialSubject"]["identifier"][0].pop("identityType"),
        lambda c: c.pop("validFrom"),
        lambda c: c["issuer"].pop("id"),
    ],
)
def test_the_schema_refuses_a_credential_missing_what_it_requires(
    certificate, breakage
):
    credential = badges.certificate_credential(certificate)
    breakage(credential)
    assert list(_validator().iter_errors(credential))


@pytest.mark.filterwarnings("ignore:EdDSA is deprecated")
def test_the_jwt_verifies_with_the_published_key(client, certificate):
    token = badges.credential_jwt(certificate)
    decoded = jwt.decode(token, _public_keys(client), algorithms=["EdDSA"])
    assert decoded.header["alg"] == "EdDSA"
    assert decoded.header["kid"] == badges.issuer_key_id()
    assert decoded.claims["iss"] == badges.issuer_did()
    assert decoded.claims["credentialSubject"]["identifier"][1]["identityHash"] == (
        "Jordan Example"
    )
    assert badges.credential_verify(token).ok


def test_the_did_document_publishes_the_same_key(client):
    document = client.get(reverse("courses:did_document")).json()
    assert document["id"] == "did:web:testserver"
    method = document["verificationMethod"][0]
    assert method["publicKeyJwk"]["x"] == badges.issuer_public_jwk()["x"]
    assert "d" not in method["publicKeyJwk"]
    assert "d" not in client.get(reverse("courses:jwks")).json()["keys"][0]


@pytest.mark.parametrize(
    ("label", "change"),
    [
        (
            "name",
            lambda c: c["credentialSubject"]["identifier"][1].update(
                identityHash="Someone Else"
            ),
        ),
        ("hours", lambda c: c["credentialSubject"]["result"][0].update(value="99.00")),
        ("issuer", lambda c: c.update(iss="did:web:elsewhere.example")),
    ],
)
def test_a_tampered_credential_is_refused(certificate, label, change):
    token = _reencode(badges.credential_jwt(certificate), change)
    check = badges.credential_verify(token)
    assert not check.ok
    assert "signature does not match" in check.problems[0]


def test_a_credential_signed_with_another_key_is_refused(certificate):
    other = badges.issuer_private_jwk(b"\x01" * 32)
    check = badges.credential_verify(badges.credential_jwt(certificate, key=other))
    assert not check.ok
    assert "signature does not match" in check.problems[0]


def test_an_expired_credential_is_refused(certificate):
    past = timezone.now() - datetime.timedelta(days=1)
    check = badges.credential_verify(
        badges.credential_jwt(certificate, valid_until=past)
    )
    assert check.problems == ["The credential has expired."]


def test_a_revoked_credential_is_refused_and_its_status_says_so(
    client, certificate, make_user
):
    token = badges.credential_jwt(certificate)
    status_url = reverse("courses:credential_status", args=[certificate.code])
    assert client.get(status_url).json()["revokedCredentials"] == []
    services.certificate_revoke(
        certificate=certificate, by=make_user("administrator"), reason="Withdrawn"
    )
    check = badges.credential_verify(token)
    assert check.problems == ["The certificate was revoked: Withdrawn"]
    listed = client.get(status_url).json()["revokedCredentials"]
    assert listed[0]["id"] == badges.credential_id(certificate)
    assert listed[0]["revocationReason"] == "Withdrawn"


def test_garbage_is_refused_with_a_message():
    for text in ["", "not a jwt", "a.b.c", "x" * 10]:
        check = badges.credential_verify(text)
        assert not check.ok and check.problems


def test_an_unknown_status_code_is_not_found(client):
    url = reverse("courses:credential_status", args=["A" * 32])
    assert client.get(url).status_code == 404


# Downloads and the verify page ----------------------------------------------


@pytest.mark.parametrize("name", ["certificate_badge_json", "certificate_badge_jwt"])
def test_the_trainee_downloads_the_credential(client, certificate, name):
    client.force_login(certificate.trainee)
    response = client.get(reverse(f"courses:{name}", args=[certificate.code]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("role", ["trainee", "trainer", "examiner", "supervisor"])
@pytest.mark.parametrize("name", ["certificate_badge_json", "certificate_badge_jwt"])
def test_someone_elses_credential_is_not_found(client_as, certificate, role, name):
    response = client_as(role).get(reverse(f"courses:{name}", args=[certificate.code]))
    assert response.status_code == 404


def test_the_credential_download_sends_visitors_to_sign_in(client, certificate):
    url = reverse("courses:certificate_badge_jwt", args=[certificate.code])
    assert client.get(url).status_code == 302


@override_settings(OPEN_BADGES_ISSUER_KEY="")
def test_without_an_issuer_key_the_signed_download_says_so(client, certificate):
    client.force_login(certificate.trainee)
    response = client.get(
        reverse("courses:certificate_badge_jwt", args=[certificate.code]), follow=True
    )
    assert "no issuer key" in response.content.decode()
    assert client.get(reverse("courses:jwks")).status_code == 404


def test_the_verify_page_checks_an_uploaded_credential(client, certificate):
    token = badges.credential_jwt(certificate)
    upload = SimpleUploadedFile("c.jwt", token.encode(), "application/vc+jwt")
    response = client.post(
        reverse("courses:verify_credential"), {"credential_file": upload}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The credential is genuine and the certificate is valid." in page
    assert "Jordan Example" in page


def test_the_verify_page_refuses_a_tampered_upload(client, certificate):
    token = _reencode(
        badges.credential_jwt(certificate),
        lambda c: c["credentialSubject"]["result"][0].update(value="99.00"),
    )
    response = client.post(reverse("courses:verify_credential"), {"credential": token})
    page = response.content.decode()
    assert "The credential does not check out" in page
    assert "signature does not match" in page
    assert "Jordan Example" not in page


@pytest.mark.parametrize(
    "data",
    [{}, {"credential": "   "}, {"credential": "{not json"}, {"credential": "[1]"}],
)
def test_the_verify_page_explains_bad_uploads(client, data):
    response = client.post(reverse("courses:verify_credential"), data)
    assert response.status_code == 200
    assert "The credential does not check out" in response.content.decode()


def test_a_binary_upload_is_refused_with_a_message(client):
    upload = SimpleUploadedFile("c.jwt", b"\xff\xfe\x00", "application/octet-stream")
    response = client.post(
        reverse("courses:verify_credential"), {"credential_file": upload}
    )
    assert "The file is not a credential." in response.content.decode()


# The key ------------------------------------------------------------------------


def test_generate_issuer_key_prints_a_usable_key(capsys):
    call_command("generate_issuer_key")
    printed = capsys.readouterr().out.strip()
    name, _, value = printed.partition("=")
    assert name == "OPEN_BADGES_ISSUER_KEY"
    assert badges.issuer_private_jwk(
        base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    )


def test_the_deploy_check_warns_without_a_key():
    with override_settings(OPEN_BADGES_ISSUER_KEY=""):
        assert [w.id for w in open_badges_issuer_key(None)] == ["courses.W001"]
    with override_settings(OPEN_BADGES_ISSUER_KEY="short"):
        assert [w.id for w in open_badges_issuer_key(None)] == ["courses.W002"]
    assert open_badges_issuer_key(None) == []
