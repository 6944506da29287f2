"""Start-up check: refuse to run with a vault master key that cannot open the vault's secrets.

Restoring a backup without its vault key used to start quietly with a freshly generated key,
leaving every stored credential unopenable. `serve`, the task worker, `setup`, `demo` and every
`socialguard manage` command run this check and stop with its message instead.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.db import DatabaseError

VAULT_TAG = "vault"
RESTORE_HINT = (
    "Restore the vault key that sealed them from your backup (docs/backup.md): put it in "
    "DATA_DIR/vault_key or name its file in SOCIALGUARD_VAULT_KEY_FILE (mid-rotation, the old one in "
    "SOCIALGUARD_VAULT_PREVIOUS_KEY_FILE too). Do not run with a new key: the secrets cannot be "
    "opened without the old one."
)


@register(VAULT_TAG)
def vault_key_opens_the_vault(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from socialguard.accounts import crypto, vault

    # Vault secrets and evidence files' data keys alike: both are lost without the key.
    holders = [model for model, _ in vault.wrapped_key_holders()]
    try:
        sealed_with = {
            key_id
            for model in holders
            for key_id in model.objects.order_by()
            .exclude(key_id="")
            .values_list("key_id", flat=True)
            .distinct()  # one row per key, not one per sealed file: this runs at every start
        }
    except DatabaseError:
        return []  # no database yet, or not migrated: nothing is sealed
    if not sealed_with:
        return []  # a fresh vault: a generated key is fine
    source = settings.VAULT_KEY_SOURCE
    try:
        keys = vault.keyring()
    except crypto.VaultKeyError as exc:
        return [Error(f"the credential vault's master key from {source} is unusable: {exc}", id="vault.E002")]
    unopenable = sorted(sealed_with - set(keys))
    if not unopenable:
        return []
    count = sum(model.objects.filter(key_id__in=unopenable).count() for model in holders)
    return [
        Error(
            f"the database holds {count} secret{'s' if count != 1 else ''} (credentials, evidence file "
            f"keys) sealed with master key "
            f"{', '.join(unopenable)}, but the configured key (from {source}) is "
            f"{vault.current_key().key_id}: socialguard will not start with a key that cannot open them.",
            hint=RESTORE_HINT,
            id="vault.E001",
        )
    ]
