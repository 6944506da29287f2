"""Logging filters named in settings.LOGGING (no Django imports: logging is configured before apps load)."""

from __future__ import annotations

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """Django logs a refused request (403 PermissionDenied, 400 SuspiciousOperation) at WARNING with
    the exception attached, so every click on a page someone's role does not allow printed a whole
    traceback. A 4xx is the product working as meant: keep the one line ("Forbidden (Permission
    denied): /audit/") and drop the traceback. Server errors (5xx) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
