"""Reads of the audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from socialguard.audit import chain
from socialguard.audit.models import AuditEvent, AuditHead


@dataclass(frozen=True)
class AuditFilter:
    q: str = ""
    action: str = ""
    object_type: str = ""
    actor: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def audit_events(*, filters: AuditFilter | None = None) -> QuerySet[AuditEvent]:
    """Events newest first, narrowed by the filter. Callers check `audit.view` first."""
    events = AuditEvent.objects.all()
    f = filters or AuditFilter()
    if f.action:
        events = events.filter(action=f.action)
    if f.object_type:
        events = events.filter(object_type=f.object_type)
    if f.actor:
        events = events.filter(actor_label__icontains=f.actor)
    if f.since:
        events = events.filter(at__date__gte=f.since)
    if f.until:
        events = events.filter(at__date__lte=f.until)
    if f.q:
        events = events.filter(Q(object_repr__icontains=f.q) | Q(action__icontains=f.q) | Q(object_id=f.q))
    return events


def audit_action_names() -> list[str]:
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


def audit_object_types() -> list[str]:
    return list(
        AuditEvent.objects.exclude(object_type="")
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )


def _stored_rows() -> Iterator[tuple[int, str, str, dict[str, Any]]]:
    rows = AuditEvent.objects.order_by("seq").values_list(
        "seq",
        "prev_hash",
        "hash",
        "at",
        "actor_id",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "before",
        "after",
        "ip_address",
    )
    for (
        seq,
        prev_hash,
        stored_hash,
        at,
        actor_id,
        actor_label,
        action,
        object_type,
        object_id,
        object_repr,
        before,
        after,
        ip_address,
    ) in rows.iterator(chunk_size=2000):
        fields = chain.hashed_fields(
            seq=seq,
            at=at.astimezone(dt.UTC).isoformat(),
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr,
            before=before,
            after=after,
            ip_address=ip_address,
        )
        yield seq, prev_hash, stored_hash, fields


def audit_verify() -> chain.VerifyResult:
    head = AuditHead.objects.filter(singleton=1).values_list("last_seq", "last_hash").first()
    return chain.verify_events(_stored_rows(), head)
