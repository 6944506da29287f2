from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest


def validation_messages(exc: ValidationError) -> list[str]:
    """A service's ValidationError as lines a person can read: "field name: what is wrong"."""
    if hasattr(exc, "error_dict"):
        return [f"{field.replace('_', ' ')}: {m}" for field, ms in exc.message_dict.items() for m in ms]
    return list(exc.messages)


def attempt(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Run a service call for a posted form: on success show `success`; otherwise show each
    problem (a ValidationError's fields named, a PermissionDenied's reason). True if it worked."""
    try:
        action()
    except ValidationError as exc:
        for message in validation_messages(exc):
            messages.error(request, message)
        return False
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "You may not do that.")
        return False
    messages.success(request, success)
    return True
