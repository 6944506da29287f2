"""Recent re-authentication: a second factor proved within SOCIALGUARD_REAUTH_SECONDS.

Sensitive actions (revealing a credential, replacing an authenticator) ask for it. Passing the
two-factor check at sign-in counts, as does entering a fresh code on the action's own form.
Setting up a new authenticator does not: it proves only that the person knows the password.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest

SESSION_KEY = "sg_reauth_at"


def mark(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = time.time()


def is_recent(request: HttpRequest) -> bool:
    at = request.session.get(SESSION_KEY)
    return isinstance(at, float | int) and time.time() - at < settings.REAUTH_SECONDS
