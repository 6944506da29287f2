"""The handshake between the request-size middleware (web.limits) and views with their own
upload handlers (privacy.uploads: a connection self-check never touches the disk). It sits in
the UI kit so that an app can declare its handlers without importing the web dashboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Set in request.META by an upload handler: why it stopped the upload.
STOPPED = "socialguard.upload_stopped"
# A view may name its own upload handlers, read by the middleware before the body is parsed.
UPLOAD_HANDLERS_ATTR = "sg_upload_handlers"


def with_upload_handlers(view: Callable[..., Any], handlers: list[type]) -> Callable[..., Any]:
    """Mark a view whose uploads go through these handlers instead of Django's defaults."""
    setattr(view, UPLOAD_HANDLERS_ATTR, list(handlers))
    return view
