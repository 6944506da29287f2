"""The audit key, from settings (env.audit_key). Kept out of the database, logs and error messages."""

from __future__ import annotations

import base64

from django.conf import settings


def audit_key() -> bytes:
    return base64.urlsafe_b64decode(str(settings.AUDIT_KEY).encode("ascii"))
