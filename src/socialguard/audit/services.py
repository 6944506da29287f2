"""The one service that writes the audit trail. Every state change in socialguard calls it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from socialguard.audit import chain
from socialguard.audit.context import current_ip
from socialguard.audit.models import AuditEvent, AuditHead

SYSTEM_LABEL = "system"


def _jsonable(summary: dict[str, Any] | None) -> dict[str, Any]:
    # Stored and hashed in the same shape, so verification after a database round trip agrees.
    result: dict[str, Any] = json.loads(json.dumps(summary or {}, default=str, sort_keys=True))
    return result


def actor_label_for(actor: Any) -> str:
    if actor is None:
        return SYSTEM_LABEL
    return f"{actor.get_full_name() or actor.email} <{actor.email}>"


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one event. Runs inside the caller's transaction, so the event and the change
    it records commit together or not at all."""
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
        object_repr = object_repr or str(target)[:200]
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(singleton=1)
        at = timezone.now().astimezone(dt.UTC)
        fields = chain.hashed_fields(
            seq=head.last_seq + 1,
            at=at.isoformat(),
            actor_id=actor.pk if actor is not None else None,
            actor_label=actor_label_for(actor),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=object_repr[:200],
            before=_jsonable(before),
            after=_jsonable(after),
            ip_address=ip_address if ip_address is not None else current_ip.get(),
        )
        digest = chain.event_hash(head.last_hash, fields)
        event = AuditEvent.objects.create(
            seq=fields["seq"],
            at=at,
            actor=actor,
            actor_label=fields["actor_label"],
            action=action,
            object_type=fields["object_type"],
            object_id=fields["object_id"],
            object_repr=fields["object_repr"],
            before=fields["before"],
            after=fields["after"],
            ip_address=fields["ip_address"],
            prev_hash=head.last_hash,
            hash=digest,
        )
        head.last_seq = fields["seq"]
        head.last_hash = digest
        head.save(update_fields=["last_seq", "last_hash"])
    return event


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed, as (before, after) summaries."""
    keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
