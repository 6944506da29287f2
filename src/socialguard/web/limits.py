"""Request body limits that stop reading at the limit, instead of reading a body and then refusing it.

- `RequestSizeLimitMiddleware` answers 413 from the Content-Length header alone, before a byte
  of the body is read, when it is over REQUEST_MAX_BYTES (a 300 MB upload used to be read whole
  before the evidence check said "at most 10 MB"). It then parses multipart bodies itself,
  before any view or the CSRF check, so that the upload handler below can end them.
- `LimitedUploadHandler`, the first upload handler, counts each file's bytes as the multipart
  parser streams them and stops the upload (StopUpload without draining the rest) once one
  file passes UPLOAD_FILE_MAX_BYTES or the files together pass REQUEST_MAX_BYTES.

The same middleware refuses (400) a query string or a posted form holding a NUL character, which
PostgreSQL cannot compare with text (every list filter ended in a server error on one).

Django reads a WSGI body only up to its Content-Length (none means an empty body), so a
chunked body without one is never read at all; non-file bodies (forms, JSON) are bounded by
DATA_UPLOAD_MAX_MEMORY_SIZE, which Django also checks against Content-Length before reading.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string

from socialguard.ui.uploads import STOPPED, UPLOAD_HANDLERS_ATTR

API_PREFIX = "/api/"  # answered in JSON, and the API validates its own parameters


def request_max_bytes() -> int:
    return int(settings.REQUEST_MAX_BYTES)


def file_max_bytes() -> int:
    return int(settings.UPLOAD_FILE_MAX_BYTES)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


def too_large(request: HttpRequest, message: str) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": message, "errors": []}, status=413)
    html = render_to_string("413.html", {"message": message}, request=request)
    return HttpResponse(html, status=413)


class LimitedUploadHandler(FileUploadHandler):
    """Passes every chunk on to the next handler, counting, and stops at the limits."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.total = 0
        self.this_file = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.this_file = 0

    def _stop(self, why: str) -> None:
        if self.request is not None:
            self.request.META[STOPPED] = why
        # connection_reset: do not read (drain) the rest of the body.
        raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.total += len(raw_data)
        self.this_file += len(raw_data)
        if self.this_file > file_max_bytes():
            self._stop(
                f"{self.file_name or 'A file'} is larger than {_mb(file_max_bytes())}, "
                "the most one uploaded file may be."
            )
        if self.total > request_max_bytes():
            self._stop(
                f"The files together are larger than {_mb(request_max_bytes())}, the most one "
                "request may carry. Send fewer files at a time."
            )
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler builds the file


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # PostgreSQL cannot store or compare text holding NUL, so a filter such as ?q=%00 would
        # end in a server error; no real address has one. The API refuses it itself, with the
        # documented 422 naming the parameter.
        if not request.path.startswith(API_PREFIX) and any(
            "\x00" in key + "".join(values) for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                "The address contains a NUL character (%00), which no page accepts.",
                content_type="text/plain; charset=utf-8",
            )
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django then reads no body at all
        if length > request_max_bytes():
            return too_large(
                request,
                f"This request is {_mb(length)}; the most this server accepts is "
                f"{_mb(request_max_bytes())} (one file at most {_mb(file_max_bytes())}).",
            )
        in_memory = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        # Bodies other than file uploads (JSON, forms) are read into memory whole; Django would
        # refuse them with a bare 400 once read was attempted.
        if in_memory is not None and length > in_memory and request.content_type != "multipart/form-data":
            return too_large(
                request,
                f"This request is {_mb(length)}; a request without files may be at most {_mb(in_memory)}. "
                "Send less at a time.",
            )
        return self.get_response(request)

    def process_view(self, request: HttpRequest, *args: Any) -> HttpResponse | None:
        if request.method == "POST" and request.content_type == "multipart/form-data":
            handlers = getattr(args[0] if args else None, UPLOAD_HANDLERS_ATTR, None)
            if handlers is not None:
                request.upload_handlers = [handler(request) for handler in handlers]
            try:
                request.POST  # noqa: B018 (parse now, through LimitedUploadHandler, before any view)
            except RequestDataTooBig:
                # The form's text fields (not its files) passed DATA_UPLOAD_MAX_MEMORY_SIZE.
                return too_large(
                    request,
                    f"The text in this form adds up to more than "
                    f"{_mb(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}. Shorten it and send it again.",
                )
            if STOPPED in request.META:
                return too_large(request, request.META[STOPPED])
        if (
            request.method == "POST"
            and not request.path.startswith(API_PREFIX)
            and request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded")
            and any("\x00" in key + "".join(values) for key, values in request.POST.lists())
        ):
            # As for the address above: a form field read straight from request.POST (the people
            # involved in a report) skips the form's own NUL check, and PostgreSQL cannot store it.
            return HttpResponseBadRequest(
                "The form contains a NUL character (\\0), which no field accepts. Nothing was saved.",
                content_type="text/plain; charset=utf-8",
            )
        return None
