"""How django-axes counts failed sign-ins (settings: AXES_*).

Two limits apply, each over the cool-off period:
- AXES_FAILURE_LIMIT wrong passwords for one account from one address pause that pair;
- LOCKOUT_ACCOUNT_FAILURES for one account from any number of addresses pause the account,
  so guessing spread over many addresses (a botnet, a proxy pool) is bounded too.
Both count the address as it is normalised for sign-in, so "Gareth.Price@DMM.example" and
"gareth.price@dmm.example" are one account to the lockout as they are to the sign-in.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

from socialguard.identity.models import normalise_email


def username(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> str:
    """AXES_USERNAME_CALLABLE: the tried address, in the form the sign-in looks it up by."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        raw = credentials.get(field)
    else:
        raw = getattr(request, "POST", {}).get(field) if request is not None else None
    return normalise_email(str(raw) if raw is not None else "")


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with the account-wide limit added (AXES_HANDLER)."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        failures: int = super().get_failures(request, credentials)
        account = get_client_username(request, credentials)
        if not account:
            return failures
        attempts = AccessAttempt.objects.filter(username=account)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        everywhere = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
        if everywhere >= settings.LOCKOUT_ACCOUNT_FAILURES:
            # Axes compares one number with one limit: report the account as at its limit.
            return max(failures, get_failure_limit(request, credentials))
        return failures
