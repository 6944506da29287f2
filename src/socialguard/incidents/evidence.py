"""Evidence files: checked by what they contain (not by their name), kept outside the web root
under a random name with owner-only permissions, and read back only after their hash matches."""

from __future__ import annotations

import hashlib
import io
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

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


def store(checked: CheckedFile) -> str:
    """Write the file under a new random name; returns that name."""
    stored = secrets.token_hex(20)
    path = storage_dir() / stored
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(checked.data)
    return stored


def read(stored_name: str, sha256: str) -> bytes:
    path = storage_dir() / Path(stored_name).name
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ValidationError("this evidence file has been altered since it was stored")
    return data


def remove(stored_name: str) -> None:
    (storage_dir() / Path(stored_name).name).unlink(missing_ok=True)
