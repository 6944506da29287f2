"""Uploads that never touch the disk, for the connection self-check.

Django spools an upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file. A person's
friends list must not be written anywhere, even briefly, so the self-check view declares its own
upload handler (through ui.uploads; web.limits.RequestSizeLimitMiddleware installs it before the
body is parsed): it keeps the file in memory whatever its size and stops reading, with a 413 that
says the limit, once the file passes SOCIALGUARD_SELF_CHECK_MAX_MB (4 MB by default: a LinkedIn
export of 30,000 connections is about 3 MB).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from socialguard.privacy.retention import self_check_max_bytes
from socialguard.ui.uploads import STOPPED, with_upload_handlers


class InMemoryOnlyUploadHandler(FileUploadHandler):
    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.buffer = io.BytesIO()
        self.size = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.size = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.size += len(raw_data)
        limit = self_check_max_bytes()
        if self.size > limit:
            if self.request is not None:
                self.request.META[STOPPED] = (
                    f"The file is larger than {limit // (1024 * 1024)} MB, the most a connection check "
                    "reads. Upload only the connections, friends, followers or following file, not the "
                    "whole download, or paste the handles instead."
                )
            raise StopUpload(connection_reset=True)
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def in_memory_uploads(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view whose uploads must stay in memory (read by the request-size middleware)."""
    return with_upload_handlers(view, [InMemoryOnlyUploadHandler])
