"""What a person may do with other people's accounts (see the README's
permissions table); asked of permissions, never of groups."""

from __future__ import annotations

UNLOCK_SIGN_IN = "cms.unlock_sign_in"
RESET_MFA = "cms.reset_mfa"


def user_can_unlock_sign_ins(user) -> bool:
    """See who is locked out of signing in, and unlock them."""
    return user.is_authenticated and user.has_perm(UNLOCK_SIGN_IN)


def user_can_reset_mfa(user) -> bool:
    """Remove another person's two-step verification, so they enrol again."""
    return user.is_authenticated and user.has_perm(RESET_MFA)
