"""Tokens sent in emailed links (cohort invitations, letters of reference):
the link carries the token, the database only its SHA-256, so a copy of the
database opens no link."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
