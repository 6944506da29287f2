"""Photos and videos attached to drafts: checked by what they contain (not by their name), images
re-encoded so that no EXIF or GPS data survives, kept in the `media` store of STORAGES (by
default MEDIA_ROOT/content-media, outside the web root, owner-only, which backups copy) under a
random name, and read back only when their hash matches.

Unlike evidence files they are not encrypted at rest: they are made to be published. Videos are
checked (the container is what the name says) but stored as sent: socialguard cannot strip a
video's metadata, and says so on the draft (finding PB006).
"""

from __future__ import annotations

import hashlib
import io
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, storages
from PIL import Image, ImageOps, UnidentifiedImageError

from socialguard.storage import backends

IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
EXTENSIONS = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
    ".webm": "video/webm",
}
NAMES = {"image/png": "PNG image", "image/jpeg": "JPEG image", "image/webp": "WebP image",
         "image/gif": "GIF image", "video/mp4": "MP4 video", "video/quicktime": "QuickTime video",
         "video/webm": "WebM video"}  # fmt: skip


def max_bytes(content_type: str = "") -> int:
    if content_type.startswith("video/"):
        return int(getattr(settings, "CONTENT_VIDEO_MAX_BYTES", 100 * 1024 * 1024))
    return int(getattr(settings, "CONTENT_IMAGE_MAX_BYTES", 10 * 1024 * 1024))


STORE = "media"  # the STORAGES alias


def store_of() -> Storage:
    return storages[STORE]


def storage_dir() -> Path:
    """The local directory of the store: under MEDIA_ROOT (DATA_DIR/files, never served), which
    `socialguard backup` copies; a ValueError when the store is remote."""
    path = backends.local_path(store_of())
    if path is None:
        raise ValueError("the media store is not a local directory")
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class CheckedMedia:
    name: str
    content_type: str
    data: bytes  # what will be stored: the re-encoded image, or the video as sent
    metadata_kept: bool

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _video_type(data: bytes) -> str | None:
    if len(data) >= 12 and data[4:8] == b"ftyp":
        return "video/quicktime" if data[8:12] == b"qt  " else "video/mp4"
    if data.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in data[:64]:
        return "video/webm"
    return None


def _reencode(data: bytes) -> tuple[str, bytes] | None:
    """The image's type and its pixels written afresh: EXIF (with GPS), XMP, comments and any
    bytes hidden after the image are left behind. None if it is not a readable image."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format or ""
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            frames = getattr(image, "n_frames", 1)
            # A phone photo's orientation lives in EXIF: apply it before EXIF is dropped.
            upright = ImageOps.exif_transpose(image) if kind == "JPEG" else image
            out = io.BytesIO()
            if kind == "JPEG":
                upright.convert("RGB").save(out, "JPEG", quality=92)
            elif kind == "GIF" and frames > 1:
                image.save(out, "GIF", save_all=True)
            elif kind in IMAGE_FORMATS:
                upright.save(out, kind)
            else:
                return None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return IMAGE_FORMATS[kind], out.getvalue()


def check(name: str, stream: IO[bytes], size: int | None = None) -> CheckedMedia:
    """The file made ready to store, or a ValidationError naming the file and what is wrong."""
    name = Path(name or "file").name[:200]
    extension = Path(name).suffix.lower()
    expected = EXTENSIONS.get(extension)
    if expected is None:
        raise ValidationError(
            {"media": f"{name}: attach a photo or a video (.jpg, .png, .webp, .gif, .mp4, .mov, .webm)"}
        )
    limit = max_bytes(expected)
    if size is not None and size > limit:
        raise ValidationError(
            {"media": f"{name} is larger than {limit // (1024 * 1024)} MB, the most allowed"}
        )
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            {"media": f"{name} is larger than {limit // (1024 * 1024)} MB, the most allowed"}
        )
    if not data:
        raise ValidationError({"media": f"{name} is empty"})
    if expected.startswith("video/"):
        actual = _video_type(data)
        if actual is None:
            raise ValidationError({"media": f"{name} is named {extension} but is not a {NAMES[expected]}"})
        if actual != expected and {actual, expected} != {"video/mp4", "video/quicktime"}:
            raise ValidationError({"media": f"{name} is named {extension} but is really a {NAMES[actual]}"})
        return CheckedMedia(name, actual, data, metadata_kept=True)
    encoded = _reencode(data)
    if encoded is None:
        raise ValidationError(
            {
                "media": f"{name} is named {extension} but is not a readable {NAMES[expected]}; "
                "attach the original"
            }
        )
    actual, clean = encoded
    if actual != expected:
        raise ValidationError(
            {"media": f"{name} is named {extension} but is really a {NAMES[actual]}; rename it"}
        )
    return CheckedMedia(name, actual, clean, metadata_kept=False)


def store(checked: CheckedMedia) -> str:
    """Write the file owner-only under a new random name; returns that name."""
    stored = secrets.token_hex(20)
    backends.save_new(store_of(), stored, checked.data)
    return stored


def read(stored_name: str, sha256: str) -> bytes:
    data = backends.read(store_of(), Path(stored_name).name)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ValidationError("this media file has been altered since it was attached")
    return data


def remove(stored_name: str) -> None:
    store_of().delete(Path(stored_name).name)
