"""Sign-in events go to the audit trail. Django and axes announce them only through signals."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from socialguard.audit.services import audit_record


@receiver(user_logged_in)
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action="user.signed_in", target=user)


@receiver(user_logged_out)
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action="user.signed_out", target=user)


@receiver(user_login_failed)
def _sign_in_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # Only the address tried; Django already masks the password in `credentials`.
    tried = str(credentials.get("username") or credentials.get("email") or "")[:200]
    audit_record(actor=None, action="user.sign_in_failed", object_type="identity.user", object_repr=tried)


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any, username: str | None = None, **kwargs: Any) -> None:
    audit_record(
        actor=None, action="user.locked_out", object_type="identity.user", object_repr=(username or "")[:200]
    )
