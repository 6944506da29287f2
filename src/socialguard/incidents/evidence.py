"""Evidence files: the sealed-file store (socialguard.storage.sealed: checked, encrypted at rest,
kept in the `evidence` store of STORAGES) under the names the incidents app has always used, and
the one step that needs the case's own rows: encrypting in place the files stored before
evidence was encrypted."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction

from socialguard.accounts import crypto, vault
from socialguard.storage import backends, sealed
from socialguard.storage.sealed import (
    EXTENSIONS,
    IMAGE_TYPES,
    NAMES,
    CheckedFile,
    StoredFile,
    check,
    max_bytes,
    read,
    remove,
    storage_dir,
    store,
)

__all__ = [
    "EXTENSIONS", "IMAGE_TYPES", "NAMES", "CheckedFile", "StoredFile", "check", "encrypt_in_place",
    "max_bytes", "read", "remove", "storage_dir", "store",
]  # fmt: skip


def encrypt_in_place(pk: int) -> bool:
    """Encrypt one file stored before evidence was encrypted; False if there was nothing to do.

    Interruptible at any point without losing the file or a read: the data key is committed to
    the row first (a plain file still reads as plain), then the encrypted file replaces the plain
    one in one atomic rename. Run again, it reuses the committed key."""
    from socialguard.incidents.models import Evidence

    with transaction.atomic():
        item = Evidence.objects.select_for_update().filter(pk=pk).first()
        if item is None:
            return False  # deleted meanwhile (anonymised)
        if not item.key_id:
            _, wrapped = crypto.new_data_key(vault.current_key(), item.aad)
            item.wrapped_key, item.key_nonce, item.key_id = (
                wrapped.wrapped_key,
                wrapped.key_nonce,
                wrapped.key_id,
            )
            item.save(update_fields=["wrapped_key", "key_nonce", "key_id"])
    store, name = sealed.store_of(), sealed.name_in_store(item.stored_name)
    # The header tells, without reading a done file whole.
    if crypto.is_encrypted_blob(backends.read_start(store, name, len(crypto.BLOB_MAGIC))):
        return False
    data = backends.read(store, name)
    if hashlib.sha256(data).hexdigest() != item.sha256:
        raise ValidationError(f"evidence {item.pk}: the stored file has been altered; it was left as it is")
    data_key = crypto.unwrap_key(vault.wrapped_of(item), vault.keyring(), item.aad)
    backends.replace(store, name, crypto.encrypt_blob(data_key, data, item.aad))
    return True
