"""Sealed files (case evidence, signed consent forms): checked by what they contain (not by
their name), kept in the `evidence` store (STORAGES; by default DATA_DIR/evidence, outside the
web root, owner-only) under a random name, encrypted at rest, and read back only after their
hash matches.

Each file is encrypted (AES-256-GCM) with its own data key, which is stored on its `Evidence`
row wrapped by the vault's master key, the envelope scheme of `accounts.crypto`: a copy of
DATA_DIR, or of the database, alone reveals nothing, and a master-key rotation re-wraps the data
keys without rewriting any file. Files stored before this are encrypted in place by
`incidents.evidence.encrypt_in_place` (`socialguard cases encrypt-evidence`); until then they are
read as they are. The store holds only ciphertext, so a remote (S3-compatible) one sees nothing.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, storages
from PIL import Image, UnidentifiedImageError

from socialguard.accounts import crypto, vault
from socialguard.storage import backends

# What people send as evidence: screenshots and photos, and PDFs (e.g. a saved page).
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
EXTENSIONS = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
}
NAMES = {"image/png": "PNG image", "image/jpeg": "JPEG image", "image/gif": "GIF image",
         "image/webp": "WebP image", "application/pdf": "PDF"}  # fmt: skip


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))


STORE = "evidence"  # the STORAGES alias


def store_of() -> Storage:
    return storages[STORE]


def storage_dir() -> Path:
    """The local directory of the store (DATA_DIR/evidence by default), for backups and tests;
    a ValueError when the store is remote."""
    path = backends.local_path(store_of())
    if path is None:
        raise ValueError("the evidence store is not a local directory")
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()  # reads the whole file: a truncated or corrupt image fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return IMAGE_TYPES.get(kind or "")


def check(name: str, stream: IO[bytes], size: int | None = None) -> CheckedFile:
    """The file, if it is a screenshot, photo or PDF no larger than the limit; otherwise a
    ValidationError that says which file and what is wrong with it."""
    name = Path(name or "file").name[:200]
    limit = max_bytes()
    if size is not None and size > limit:
        raise ValidationError(f"{name} is {_mb(size)}; evidence files may be at most {_mb(limit)}")
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(f"{name} is larger than {_mb(limit)}, the most an evidence file may be")
    if not data:
        raise ValidationError(f"{name} is empty")
    extension = Path(name).suffix.lower()
    expected = EXTENSIONS.get(extension)
    if expected is None:
        raise ValidationError(
            f"{name}: only screenshots, photos and PDFs are accepted (.png, .jpg, .gif, .webp, .pdf)"
        )
    actual = _sniff(data)
    if actual is None:
        raise ValidationError(
            f"{name} is named {extension} but is not a readable {NAMES[expected]}; "
            "attach the original screenshot, photo or PDF"
        )
    if actual != expected and not {actual, expected} <= {"image/jpeg"}:
        raise ValidationError(f"{name} is named {extension} but is really a {NAMES[actual]}; rename it")
    return CheckedFile(name, actual, data)


def _mb(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


@dataclass(frozen=True)
class StoredFile:
    """Where a file was written and its data key, wrapped, for its `Evidence` row."""

    name: str
    key: crypto.WrappedKey


def _aad(stored_name: str) -> bytes:
    # The same as Evidence.aad, which binds a file and its key to their record.
    return f"socialguard-evidence:{stored_name}".encode()


def name_in_store(stored_name: str) -> str:
    return Path(stored_name).name  # never a path out of the store


def store(checked: CheckedFile) -> StoredFile:
    """Encrypt the file under a new data key and write it under a new random name."""
    stored = secrets.token_hex(20)
    data_key, wrapped = crypto.new_data_key(vault.current_key(), _aad(stored))
    backends.save_new(store_of(), stored, crypto.encrypt_blob(data_key, checked.data, _aad(stored)))
    return StoredFile(stored, wrapped)


def read(item: Any) -> bytes:
    """What an `Evidence` row's file holds, decrypted; a ValidationError if it was altered, or
    a VaultKeyError if the key that opens it is not configured."""
    blob = backends.read(store_of(), name_in_store(item.stored_name))
    if crypto.is_encrypted_blob(blob):
        if not item.key_id:
            raise ValidationError("this evidence file has been altered since it was stored")
        try:
            data_key = crypto.unwrap_key(vault.wrapped_of(item), vault.keyring(), item.aad)
        except crypto.KeyNotConfigured:
            raise
        except crypto.VaultKeyError:
            raise ValidationError("this evidence file has been altered since it was stored") from None
        try:
            data = crypto.decrypt_blob(data_key, blob, item.aad)
        except crypto.VaultKeyError:
            raise ValidationError("this evidence file has been altered since it was stored") from None
    else:
        data = blob  # stored before encryption, and not yet encrypted in place
    if hashlib.sha256(data).hexdigest() != item.sha256:
        raise ValidationError("this evidence file has been altered since it was stored")
    return data


def remove(stored_name: str) -> None:
    store = store_of()
    store.delete(name_in_store(stored_name))
    store.delete(name_in_store(stored_name) + ".tmp")  # left by an interrupted encrypt_in_place
