"""The default storage for socialguard's files: a directory under DATA_DIR (or MEDIA_ROOT) that
only the service account can read, written durably.

The directory is found from the setting on each use rather than once at start-up, so that
changing DATA_DIR (as the tests do) moves it, as it moved the files before they went through
STORAGES."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage
from django.utils.deconstruct import deconstructible


@deconstructible(path="socialguard.storage.backends.PrivateFileSystemStorage")
class PrivateFileSystemStorage(FileSystemStorage):
    """FileSystemStorage at `location`, or else at <root_setting>/<subdir> (DATA_DIR/evidence,
    MEDIA_ROOT/content-media); files 0600 and directories 0700 unless told otherwise; each
    file flushed to disk before `save` returns."""

    def __init__(self, *, root_setting: str = "DATA_DIR", subdir: str = "", **options: Any) -> None:
        options.setdefault("file_permissions_mode", 0o600)
        options.setdefault("directory_permissions_mode", 0o700)
        super().__init__(**options)
        self._fixed_location = options.get("location")
        self._root_setting = root_setting
        self._subdir = subdir

    @property  # type: ignore[override]
    def base_location(self) -> str:
        if self._fixed_location:
            return str(self._fixed_location)
        return str(Path(getattr(settings, self._root_setting)) / self._subdir)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def save(self, name: str | None, content: Any, max_length: int | None = None) -> str:
        name = super().save(name, content, max_length)
        descriptor = os.open(self.path(name), os.O_RDONLY)
        try:
            os.fsync(descriptor)  # a file recorded in the database survives a power cut
        finally:
            os.close(descriptor)
        return name


def save_new(storage: Storage, name: str, data: bytes) -> None:
    """Write a new file under exactly this name (names are random: a clash is a fault)."""
    saved = storage.save(name, ContentFile(data))
    if saved != name:
        storage.delete(saved)
        raise FileExistsError(f"{name} already exists in the file store")


def read(storage: Storage, name: str) -> bytes:
    with storage.open(name, "rb") as handle:
        data: bytes = handle.read()
    return data


def read_start(storage: Storage, name: str, size: int) -> bytes:
    with storage.open(name, "rb") as handle:
        data: bytes = handle.read(size)
    return data


def local_path(storage: Storage, name: str = "") -> Path | None:
    """The file's path when the store is a local directory; None for any other store (an object
    store has no paths; Django's in-memory one has paths that are not on disk)."""
    if not isinstance(storage, FileSystemStorage):
        return None
    return Path(storage.path(name))


def replace(storage: Storage, name: str, data: bytes) -> None:
    """Put new content under an existing name. On a local directory the new file is written
    beside the old one and renamed over it, so a reader sees the old file or the new one, never
    half of either; an object store replaces an object whole in any case."""
    path = local_path(storage, name)
    if path is None:
        storage.delete(name)
        save_new(storage, name, data)
        return
    temporary = path.with_name(path.name + ".tmp")
    temporary.unlink(missing_ok=True)  # left by an interrupted run
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
