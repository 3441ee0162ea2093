"""Site views of the cms app, one module per subject; the URLconf names them
here.

- ``accounts``: sign-up and the account page
- ``mfa``: two-step verification for staff: setting it up, the code asked
  after signing in, backup codes
- ``health``: the load balancer's health check
- ``sessions``: the keep-alive an open exam page calls
"""

from .accounts import account, signup, signup_activate, signup_done
from .health import health
from .mfa import mfa_backup_codes, mfa_recovery, mfa_setup, mfa_verify
from .sessions import session_keepalive

__all__ = [
    "account",
    "health",
    "mfa_backup_codes",
    "mfa_recovery",
    "mfa_setup",
    "mfa_verify",
    "session_keepalive",
    "signup",
    "signup_activate",
    "signup_done",
]
