"""An attacker with write access to the database who re-seals the chain with the product's own code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import connection

from socialguard.audit import chain
from socialguard.audit.models import AuditEvent
from tests.audit.tamper import triggers_off

Seal = Callable[[str, dict[str, Any]], str]


def _fields(event: AuditEvent) -> dict[str, Any]:
    return chain.hashed_fields(
        seq=event.seq,
        at=event.at.astimezone(dt.UTC).isoformat(),
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        object_repr=event.object_repr,
        before=event.before,
        after=event.after,
        ip_address=event.ip_address,
    )


def _has_scheme_column() -> bool:
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, "audit_auditevent")
    return any(c.name == "scheme" for c in columns)


def reseal_from(seq: int, seal: Seal, *, scheme: int | None = None, through: int | None = None) -> None:
    """Re-seal events #seq..#through (default: to the end) with `seal`, relinking each to its
    predecessor, and move the head, as someone who can write the tables would after editing or
    deleting events. With `through`, the event after it is relinked but cannot be re-sealed."""
    events = list(AuditEvent.objects.order_by("seq"))
    last = events[-1].seq if events else 0
    through = last if through is None else through
    prev = chain.GENESIS_HASH
    with triggers_off(), connection.cursor() as cursor:
        for event in events:
            if seq <= event.seq <= through:
                digest = seal(prev, _fields(event))
                cursor.execute(
                    "UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE seq = %s",
                    [prev, digest, event.seq],
                )
                if scheme is not None and _has_scheme_column():
                    cursor.execute(
                        "UPDATE audit_auditevent SET scheme = %s WHERE seq = %s", [scheme, event.seq]
                    )
                prev = digest
            elif event.seq == through + 1:
                cursor.execute("UPDATE audit_auditevent SET prev_hash = %s WHERE seq = %s", [prev, event.seq])
                prev = event.hash
            else:
                prev = event.hash
        if through == last:
            cursor.execute(
                "UPDATE audit_audithead SET last_seq = %s, last_hash = %s WHERE singleton = 1", [last, prev]
            )
