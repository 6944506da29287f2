"""The credential vault's services: store, reveal (SMT, with a reason, audited) and master-key
rotation, which also re-wraps the data keys of evidence files (encrypted at rest with the same
envelope scheme).

Secrets never reach the audit trail, logs or error messages: events record who, which secret,
when and why, never the value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from socialguard.accounts import crypto
from socialguard.accounts.models import OrgAccount, SecretKind, VaultSecret
from socialguard.audit.services import audit_record
from socialguard.identity.permissions import can

MIN_REASON = 10


def current_key() -> crypto.MasterKey:
    return crypto.MasterKey.from_text(settings.VAULT_KEY, "SOCIALGUARD_VAULT_KEY")


def keyring() -> dict[str, crypto.MasterKey]:
    """Every key that may open a secret: the current one, and the previous one mid-rotation."""
    keys = {k.key_id: k for k in [current_key()]}
    if settings.VAULT_PREVIOUS_KEY:
        previous = crypto.MasterKey.from_text(settings.VAULT_PREVIOUS_KEY, "SOCIALGUARD_VAULT_PREVIOUS_KEY")
        keys.setdefault(previous.key_id, previous)
    return keys


def sealed_of(secret: VaultSecret) -> crypto.Sealed:
    return crypto.Sealed(
        bytes(secret.ciphertext),
        bytes(secret.nonce),
        bytes(secret.wrapped_key),
        bytes(secret.key_nonce),
        secret.key_id,
    )


def _apply(secret: VaultSecret, sealed: crypto.Sealed) -> None:
    secret.ciphertext, secret.nonce = sealed.ciphertext, sealed.nonce
    secret.wrapped_key, secret.key_nonce, secret.key_id = sealed.wrapped_key, sealed.key_nonce, sealed.key_id


def secret_store(
    *,
    actor: Any,
    account: OrgAccount,
    kind: str,
    value: str,
    label: str = "",
    rotate_every_days: int | None = 180,
) -> VaultSecret:
    """Add a secret, or replace the one of this kind and label (a new value is a rotation)."""
    if not can(actor, "vault.manage"):
        raise PermissionDenied("only SMT store account credentials")
    if kind not in SecretKind.values:
        raise ValidationError({"kind": f"{kind!r} is not one of {', '.join(SecretKind.values)}"})
    if not value.strip():
        raise ValidationError({"value": "the secret is empty"})
    with transaction.atomic():
        secret = (
            VaultSecret.objects.select_for_update().filter(account=account, kind=kind, label=label).first()
        )
        created = secret is None
        if secret is None:
            secret = VaultSecret(account=account, kind=kind, label=label)
        _apply(secret, crypto.seal(value, current_key(), secret.aad))
        secret.changed_at = timezone.now()
        secret.changed_by = actor
        secret.rotate_every_days = rotate_every_days
        secret.save()
        audit_record(
            actor=actor,
            action="vault.secret_added" if created else "vault.secret_changed",
            target=secret,
            after={"account": str(account), "kind": kind, "label": label, "key_id": secret.key_id},
        )
        from socialguard.accounts.lifecycle import tasks_refresh_on_commit  # lifecycle reads the vault's rows

        tasks_refresh_on_commit(account)  # a changed credential may finish a leaver task
    return secret


def secret_reveal(
    *, actor: Any, secret: VaultSecret, reason: str, reauthenticated: bool, for_staff: Any = None
) -> str:
    """The plaintext, for SMT who have just proved their second factor and say why. `for_staff`
    names the runner it is handed to, so it is changed when they leave."""
    if not can(actor, "vault.reveal"):
        raise PermissionDenied("only SMT may reveal account credentials")
    if not reauthenticated:
        raise PermissionDenied("confirm your authenticator code before revealing a secret")
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON:
        raise ValidationError({"reason": f"say why you need it (at least {MIN_REASON} characters)"})
    value = crypto.unseal(sealed_of(secret), keyring(), secret.aad)
    audit_record(
        actor=actor,
        action="vault.secret_revealed",
        target=secret,
        after={
            "account": str(secret.account),
            "kind": secret.kind,
            "label": secret.label,
            "reason": reason,
            "for_staff": for_staff.external_id if for_staff is not None else None,
        },
    )
    return value


def secret_open_for_connector(*, account: OrgAccount, kind: str = SecretKind.APP_PASSWORD) -> str | None:
    """The plaintext for the publishing worker alone (never shown to a person), or None if the
    account has no such secret. Audited as used by the connector, which is not a reveal: no
    person saw it, so nobody needs to change it when they leave."""
    secret = VaultSecret.objects.filter(account=account, kind=kind).order_by("-changed_at").first()
    if secret is None:
        return None
    value = crypto.unseal(sealed_of(secret), keyring(), secret.aad)
    audit_record(
        actor=None,
        action="vault.secret_used_by_connector",
        target=secret,
        after={"account": str(account), "kind": kind, "label": secret.label},
    )
    return value


def rotation_due(secret: VaultSecret, today: dt.date | None = None) -> dt.date | None:
    if not secret.rotate_every_days:
        return None
    return timezone.localdate(secret.changed_at) + dt.timedelta(days=secret.rotate_every_days)


# Every model whose rows hold a data key wrapped by the master key: fields `wrapped_key`,
# `key_nonce` and `key_id` ("" where a row has none yet) and an `aad` property. Named by label
# so that the vault does not import the apps that use it.
WRAPPED_KEY_MODELS = {
    "accounts.VaultSecret": "secret",
    "incidents.Evidence": "file",
    "consent.ConsentForm": "file",
}


def wrapped_key_holders() -> list[tuple[type[Any], str]]:
    return [(apps.get_model(label), what) for label, what in WRAPPED_KEY_MODELS.items()]


def wrapped_of(row: Any) -> crypto.WrappedKey:
    return crypto.WrappedKey(bytes(row.wrapped_key), bytes(row.key_nonce), row.key_id)


def rotate_master_key(
    *, new_key: crypto.MasterKey, progress: Callable[[int, int], object] = lambda done, total: None
) -> int:
    """Re-wrap every data key under `new_key` (vault secrets', evidence files'), one row per
    transaction. What the data keys encrypt never changes, so no file is rewritten.

    Safe to interrupt and run again: rows already under the new key are skipped, and until the
    rotation completes both keys must be configured (the new one as SOCIALGUARD_VAULT_KEY, the old
    as SOCIALGUARD_VAULT_PREVIOUS_KEY) or kept as the current key plus `new_key` here.
    """
    keys = {**keyring(), new_key.key_id: new_key}
    pending = [
        (model, what, pk)
        for model, what in wrapped_key_holders()
        for pk in model.objects.exclude(key_id__in=[new_key.key_id, ""]).values_list("pk", flat=True)
    ]
    done = 0
    counts = {what: 0 for _, what in wrapped_key_holders()}
    for model, what, pk in pending:
        with transaction.atomic():
            row = model.objects.select_for_update().filter(pk=pk).first()
            if row is None or row.key_id in (new_key.key_id, ""):
                continue  # deleted (e.g. anonymised) or re-wrapped by another run meanwhile
            wrapped = crypto.rewrap_key(wrapped_of(row), keys, new_key, row.aad, what=what)
            row.wrapped_key, row.key_nonce, row.key_id = (
                wrapped.wrapped_key,
                wrapped.key_nonce,
                wrapped.key_id,
            )
            row.save(update_fields=["wrapped_key", "key_nonce", "key_id"])
        done += 1
        counts[what] += 1
        progress(done, len(pending))
    audit_record(
        actor=None,
        action="vault.master_key_rotated",
        object_type="accounts.vaultsecret",
        object_repr="all secrets and evidence files",
        after={
            "new_key_id": new_key.key_id,
            "rewrapped": done,
            "secrets": counts["secret"],
            "files": counts["file"],
        },
    )
    return done
