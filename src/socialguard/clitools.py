"""What every `socialguard` command group shares: setting Django up (only for the commands that
need it), acting as a named person through the permission layer (`--as EMAIL`), and turning a
service's refusal into a clear CLI error. Nothing here imports a command group, so each group
can import it at the top."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

import click

SETTINGS = "socialguard.settings"
T = TypeVar("T")

as_option = click.option("--as", "as_email", envvar="SOCIALGUARD_AS", help="Email of the person acting.")


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def acting_user(email: str | None, action: str) -> Any:
    """The CLI acts as a named person, checked by the same permission layer as the web and API."""
    from socialguard.identity.backends import not_left
    from socialguard.identity.permissions import can, describe

    if not email:
        raise click.UsageError("say who is acting: --as EMAIL (or set SOCIALGUARD_AS)")
    # A leaver, from their leave date, acts here no more than on the web or the API.
    user = not_left().filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise click.UsageError(f"no active sign-in for {email}")
    if not can(user, action):
        raise click.ClickException(f"{email} may not {describe(action)}")
    return user


def row_or_fail(model: Any, what: str, **lookup: Any) -> Any:
    """The row of `model` matching `lookup`, or a CLI error saying there is no `what`."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        raise click.ClickException(f"there is no {what}")
    return row


def service_call(call: Callable[[], T]) -> T:
    """Run a service; a ValidationError or PermissionDenied becomes a ClickException (exit 1)
    that says what is wrong, field by field."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from socialguard.ui.errors import validation_messages

    try:
        return call()
    except ValidationError as exc:
        raise click.ClickException("; ".join(validation_messages(exc))) from None
    except PermissionDenied as exc:
        raise click.ClickException(str(exc) or "not allowed") from None


# The checks that stop a process from starting with the wrong keys (vault.E001, audit.E001).
KEY_CHECK_TAGS = ["vault", "audit"]


def refuse_unsafe_start(tags: list[str] | None = None) -> None:
    """Run Django's system checks (all of them, or those with `tags`) and stop with their
    messages on any error, such as a vault key that cannot open the vault (vault.E001)."""
    from django.core import checks

    errors = [m for m in checks.run_checks(tags=tags) if m.level >= checks.ERROR]
    if errors:
        lines = []
        for message in errors:
            lines.append(f"({message.id}) {message.msg}")
            if message.hint:
                lines.append(f"  {message.hint}")
        raise click.ClickException("socialguard cannot start:\n" + "\n".join(lines))
