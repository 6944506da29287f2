"""Serving an evidence file, the same way for the web page and the API: the permission check,
the hash check, the audit of a restricted read, and headers that keep the file inert and
uncached."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from socialguard.accounts.crypto import KeyNotConfigured
from socialguard.incidents import evidence as files
from socialguard.incidents import selectors, services
from socialguard.incidents.models import Evidence

logger = logging.getLogger(__name__)


class EvidenceUnavailable(Exception):
    """The stored file is missing, no longer matches its hash, or its key is not configured."""


def evidence_response(user: Any, evidence_id: int, where: str, inline: bool = False) -> HttpResponse:
    """The file as a response; Http404 when this person may not have it (not even whether it
    exists), EvidenceUnavailable when it is missing or altered."""
    item = get_object_or_404(Evidence.objects.select_related("case"), pk=evidence_id)
    if not selectors.may_download(user, item):
        raise Http404
    try:
        data = files.read(item)
    except KeyNotConfigured:
        # The operator's problem, not the reader's: name the key (its public id), never a key.
        logger.error("evidence %s: its master key %s is not configured", item.pk, item.key_id)
        raise EvidenceUnavailable from None
    except (ValidationError, OSError):
        raise EvidenceUnavailable from None
    services.restricted_viewed(actor=user, case=item.case, where=f"{where} {item.pk}")
    response = HttpResponse(data, content_type=item.content_type)
    safe_name = "".join(c for c in item.original_name if c.isalnum() or c in "._- ")[:100] or "evidence"
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{safe_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    response["Cache-Control"] = "private, no-store"
    return response
