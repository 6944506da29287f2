"""Evidence files: checked by what they contain (not by their name), kept outside the web root
under a random name with owner-only permissions, encrypted at rest, and read back only after
their hash matches.

Each file is encrypted (AES-256-GCM) with its own data key, which is stored on its `Evidence`
row wrapped by the vault's master key, the envelope scheme of `accounts.crypto`: a copy of
DATA_DIR, or of the database, alone reveals nothing, and a master-key rotation re-wraps the data
keys without rewriting any file. Files stored before this are encrypted in place by
`encrypt_existing` (`socialguard cases encrypt-evidence`); until then they are read as they are.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from socialguard.accounts import crypto, vault

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


def storage_dir() -> Path:
    path = Path(settings.DATA_DIR) / "evidence"
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


def _path(stored_name: str) -> Path:
    return storage_dir() / Path(stored_name).name


def _write(path: Path, blob: bytes, *, replace: bool) -> None:
    """Write owner-only and durably; with `replace`, swap the new content in atomically, so a
    reader sees the old file or the new one, never half of either."""
    target = path.with_name(path.name + ".tmp") if replace else path
    if replace:
        target.unlink(missing_ok=True)  # left by an interrupted run
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(blob)
        handle.flush()
        os.fsync(handle.fileno())
    if replace:
        os.replace(target, path)


def store(checked: CheckedFile) -> StoredFile:
    """Encrypt the file under a new data key and write it under a new random name."""
    stored = secrets.token_hex(20)
    data_key, wrapped = crypto.new_data_key(vault.current_key(), _aad(stored))
    _write(_path(stored), crypto.encrypt_blob(data_key, checked.data, _aad(stored)), replace=False)
    return StoredFile(stored, wrapped)


def read(item: Any) -> bytes:
    """What an `Evidence` row's file holds, decrypted; a ValidationError if it was altered, or
    a VaultKeyError if the key that opens it is not configured."""
    blob = _path(item.stored_name).read_bytes()
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
    _path(stored_name).unlink(missing_ok=True)
    _path(stored_name + ".tmp").unlink(missing_ok=True)


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
    path = _path(item.stored_name)
    with path.open("rb") as handle:  # the header tells, without reading a done file whole
        if crypto.is_encrypted_blob(handle.read(len(crypto.BLOB_MAGIC))):
            return False
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != item.sha256:
        raise ValidationError(f"evidence {item.pk}: the stored file has been altered; it was left as it is")
    data_key = crypto.unwrap_key(vault.wrapped_of(item), vault.keyring(), item.aad)
    _write(path, crypto.encrypt_blob(data_key, data, item.aad), replace=True)
    return True
