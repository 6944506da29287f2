from __future__ import annotations

from django.core.exceptions import ValidationError


def validation_messages(exc: ValidationError) -> list[str]:
    """A service's ValidationError as lines a person can read: "field name: what is wrong"."""
    if hasattr(exc, "error_dict"):
        return [f"{field.replace('_', ' ')}: {m}" for field, ms in exc.message_dict.items() for m in ms]
    return list(exc.messages)
