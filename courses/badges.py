"""Certificates as Open Badges 3.0 credentials (1EdTech), in the W3C
Verifiable Credentials 2.0 data model, signed as VC-JWT (JOSE, EdDSA with
an Ed25519 key) with joserfc.

The issuer is identified as ``did:web`` on the site's own host; its public
key is published as a DID document (``/.well-known/did.json``) and a JWKS
(``/.well-known/jwks.json``). The private key is 32 random bytes in
base64url in ``settings.OPEN_BADGES_ISSUER_KEY`` (``manage.py
generate_issuer_key`` makes one).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import secrets
import warnings
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Certificate, certificate_code_normalise

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ALGORITHM = "EdDSA"
KEY_ID = "key-1"
SCHEMA_PATH = settings.BASE_DIR / "courses" / "schemas" / "ob_v3p0_credential.json"


def issuer_key_new() -> str:
    """A fresh issuer key: 32 random bytes (an Ed25519 seed), base64url."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()


def _seed() -> bytes:
    text = settings.OPEN_BADGES_ISSUER_KEY.strip()
    if not text:
        raise ImproperlyConfigured(
            "Set OPEN_BADGES_ISSUER_KEY (manage.py generate_issuer_key prints one)."
        )
    try:
        seed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError as error:
        raise ImproperlyConfigured(
            "OPEN_BADGES_ISSUER_KEY is not base64url."
        ) from error
    if len(seed) != 32:
        raise ImproperlyConfigured("OPEN_BADGES_ISSUER_KEY must be 32 bytes.")
    return seed


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def issuer_private_jwk(seed: bytes | None = None):
    """The issuer's signing key as a joserfc key."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
    )
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        PublicFormat,
    )
    from joserfc.jwk import OKPKey

    seed = seed if seed is not None else _seed()
    public = (
        Ed25519PrivateKey.from_private_bytes(seed)
        .public_key()
        .public_bytes(Encoding.Raw, PublicFormat.Raw)
    )
    return OKPKey.import_key(
        {"kty": "OKP", "crv": "Ed25519", "d": _b64(seed), "x": _b64(public)}
    )


def issuer_public_jwk() -> dict:
    key = issuer_private_jwk().as_dict(private=False)
    return {**key, "kid": issuer_key_id(), "alg": ALGORITHM, "use": "sig"}


def site_base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def issuer_did() -> str:
    """``did:web`` for the site's host (a port is percent-encoded)."""
    return "did:web:" + quote(urlsplit(site_base_url()).netloc, safe="")


def issuer_key_id() -> str:
    return f"{issuer_did()}#{KEY_ID}"


def did_document() -> dict:
    did = issuer_did()
    return {
        "@context": ["https://www.w3.org/ns/did/v1"],
        "id": did,
        "verificationMethod": [
            {
                "id": issuer_key_id(),
                "type": "JsonWebKey2020",
                "controller": did,
                "publicKeyJwk": {
                    k: v
                    for k, v in issuer_public_jwk().items()
                    if k in {"kty", "crv", "x"}
                },
            }
        ],
        "assertionMethod": [issuer_key_id()],
        "authentication": [issuer_key_id()],
    }


def jwks() -> dict:
    return {"keys": [issuer_public_jwk()]}


def _absolute(path: str) -> str:
    return site_base_url() + path


def credential_id(certificate: Certificate) -> str:
    return _absolute(reverse("courses:verify_code", args=[certificate.code]))


def status_url(certificate: Certificate) -> str:
    return _absolute(reverse("courses:credential_status", args=[certificate.code]))


def _moment(value: datetime.datetime) -> str:
    return (
        value.astimezone(datetime.UTC)
        .replace(microsecond=0)
        .isoformat()
        .replace("+00:00", "Z")
    )


def issuer_profile(certificate: Certificate) -> dict:
    from cms.services import certificate_settings

    return {
        "id": issuer_did(),
        "type": ["Profile"],
        "name": certificate.issuer_name,
        "url": certificate_settings().issuer_url_or_default(),
    }


def certificate_credential(
    certificate: Certificate, *, valid_until: datetime.datetime | None = None
) -> dict:
    """The certificate as an unsigned OpenBadgeCredential (a dict that
    serialises to its JSON)."""
    email = (certificate.trainee.email or "").lower()
    email_hash = hashlib.sha256(
        (email + certificate.subject_salt).encode("utf-8")
    ).hexdigest()
    achievement_id = _absolute(
        reverse("courses:achievement", args=[certificate.course_id])
    )
    narrative = "\n".join(f"- {item}" for item in certificate.requirements_met) or (
        _("Completed every requirement of the course.")
    )
    results = []
    descriptions = []
    for topic in certificate.hours_by_topic:
        description_id = f"{achievement_id}#hours-{topic['category']}"
        descriptions.append(
            {
                "id": description_id,
                "type": ["ResultDescription"],
                "name": _("Training hours: %(topic)s") % {"topic": topic["name"]},
                "resultType": "ext:TrainingHours",
            }
        )
        results.append(
            {
                "type": ["Result"],
                "resultDescription": description_id,
                "value": topic["hours"],
            }
        )
    credential = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": _("%(course)s: certificate of completion")
        % {"course": certificate.course_title},
        "issuer": issuer_profile(certificate),
        "validFrom": _moment(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": f"sha256${email_hash}",
                    "salt": certificate.subject_salt,
                },
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.legal_name,
                },
            ],
            "activityEndDate": certificate.completed_on.isoformat() + "T00:00:00Z",
            "creditsEarned": float(Decimal(certificate.total_hours)),
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": certificate.course_title,
                "description": _(
                    "Completion of %(course)s, a training program for peer "
                    "specialists, with the training hours earned by topic."
                )
                % {"course": certificate.course_title},
                "criteria": {"narrative": narrative},
                "creditsAvailable": float(Decimal(certificate.total_hours)),
                "resultDescription": descriptions,
            },
            "result": results,
        },
        "credentialStatus": {
            "id": status_url(certificate),
            "type": "1EdTechRevocationList",
        },
        "credentialSchema": [
            {
                "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
                "ob_v3p0_achievementcredential_schema.json",
                "type": "1EdTechJsonSchemaValidator2019",
            }
        ],
    }
    if valid_until is not None:
        credential["validUntil"] = _moment(valid_until)
    return credential


def credential_json(certificate: Certificate) -> str:
    return json.dumps(certificate_credential(certificate), indent=2, sort_keys=False)


def _sign(header: dict, claims: dict, key) -> str:
    from joserfc import jwt
    from joserfc.errors import SecurityWarning

    with warnings.catch_warnings():
        # RFC 9864 names "Ed25519" as the fully specified algorithm, but the
        # VC-JWT verifiers of Open Badges 3.0 expect "EdDSA".
        warnings.simplefilter("ignore", SecurityWarning)
        return jwt.encode(header, claims, key, algorithms=[ALGORITHM])


def credential_jwt(
    certificate: Certificate,
    *,
    valid_until: datetime.datetime | None = None,
    key=None,
) -> str:
    """The credential signed as a compact VC-JWT: the claims are the
    credential itself with the JWT's registered claims beside it."""
    credential = certificate_credential(certificate, valid_until=valid_until)
    claims = {
        **credential,
        "iss": issuer_did(),
        "jti": credential["id"],
        "sub": credential["credentialSubject"]["identifier"][0]["identityHash"],
        "nbf": int(certificate.issued_at.timestamp()),
        "iat": int(certificate.issued_at.timestamp()),
    }
    if valid_until is not None:
        claims["exp"] = int(valid_until.timestamp())
    header = {"alg": ALGORITHM, "typ": "vc+jwt", "cty": "vc", "kid": issuer_key_id()}
    return _sign(header, claims, key or issuer_private_jwk())


def revocation_list(certificate: Certificate) -> dict:
    """What the credential's status URL answers: a 1EdTech revocation list
    naming the credential when it no longer stands."""
    revoked = []
    if certificate.status == Certificate.Status.REVOKED:
        revoked.append(
            {
                "id": credential_id(certificate),
                "revocationReason": certificate.revocation_reason,
                "revokedAt": _moment(certificate.revoked_at),
            }
        )
    elif certificate.status == Certificate.Status.SUPERSEDED:
        revoked.append(
            {
                "id": credential_id(certificate),
                "revocationReason": _("Superseded by a reissued certificate."),
            }
        )
    return {
        "id": status_url(certificate),
        "issuer": issuer_did(),
        "revokedCredentials": revoked,
    }


@dataclass
class CredentialCheck:
    """What checking an uploaded credential found: every problem in words a
    visitor reads, and the certificate when it is one of ours."""

    problems: list[str] = field(default_factory=list)
    certificate: Certificate | None = None
    claims: dict | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def credential_verify(token: str, *, now: datetime.datetime | None = None):
    """Check a compact VC-JWT: signed by this issuer's key, issued by this
    issuer, within its validity, and not revoked or superseded."""
    from joserfc import jwt
    from joserfc.errors import JoseError, SecurityWarning

    check = CredentialCheck()
    token = token.strip()
    if token.count(".") != 2 or len(token) > 200_000:
        check.problems.append(
            _("This is not a signed credential: upload the .jwt file you downloaded.")
        )
        return check
    try:
        key = issuer_private_jwk()
    except ImproperlyConfigured:
        check.problems.append(_("This site cannot check credentials at the moment."))
        return check
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SecurityWarning)
            decoded = jwt.decode(token, key, algorithms=[ALGORITHM])
    except (JoseError, ValueError, TypeError, UnicodeDecodeError):
        check.problems.append(
            _(
                "The signature does not match: the credential was changed after "
                "it was issued, or it was not signed by this issuer."
            )
        )
        return check
    claims = decoded.claims
    check.claims = claims
    if decoded.header.get("kid") not in (None, issuer_key_id()):
        check.problems.append(_("The credential names another signing key."))
    issuer = claims.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if claims.get("iss") != issuer_did() or issuer_id != issuer_did():
        check.problems.append(_("The credential was not issued by this site."))
    moment = int((now or timezone.now()).timestamp())
    if isinstance(claims.get("exp"), int) and claims["exp"] <= moment:
        check.problems.append(_("The credential has expired."))
    if isinstance(claims.get("nbf"), int) and claims["nbf"] > moment + 300:
        check.problems.append(_("The credential is not valid yet."))
    code = str(claims.get("id", "")).rstrip("/").rsplit("/", 1)[-1]
    certificate = (
        Certificate.objects.filter(code=certificate_code_normalise(code)[:64])
        .select_related("superseded_by")
        .first()
    )
    if certificate is None:
        check.problems.append(_("No certificate of this site matches the credential."))
        return check
    check.certificate = certificate
    if certificate.status == Certificate.Status.REVOKED:
        check.problems.append(
            _("The certificate was revoked: %(reason)s")
            % {"reason": certificate.revocation_reason}
        )
    elif certificate.status == Certificate.Status.SUPERSEDED:
        check.problems.append(
            _("The certificate was superseded by a reissued certificate.")
        )
    return check
