"""Keying a chain written before the audit key existed (migration 0003 runs this once).

Old events keep their LEGACY seal: re-sealing them would rewrite every stored hash, so exports and
copies taken before the upgrade would no longer match, and it would prove nothing more. Instead one
KEYED event, `audit.rekeyed`, is appended. It seals the hash of the last legacy event, so from then
on the legacy prefix cannot be changed without the key either, and verification refuses any legacy
event after it. What it cannot show is that the legacy prefix was not rewritten *before* the upgrade,
when anyone with database access could recompute the unkeyed hashes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from socialguard.audit import chain
from socialguard.audit.selectors import stored_rows


def key_legacy_chain(*, event_model: Any, head_model: Any, key: bytes) -> int | None:
    """Append the `audit.rekeyed` event if the chain has events and none is keyed; returns its seq."""
    last = event_model.objects.order_by("-seq").values_list("scheme", flat=True).first()
    if last is None or last == chain.KEYED:
        return None
    head, _ = head_model.objects.select_for_update().get_or_create(singleton=1)
    found = chain.verify_events(
        stored_rows(event_model.objects.all()), (head.last_seq, head.last_hash), key=key, require_keyed=False
    )
    # Recorded as found: a legacy chain already broken stays broken, and this says so.
    state = "intact" if found.ok else f"broken: {found.problem}"
    at = timezone.now().astimezone(dt.UTC)
    fields = chain.hashed_fields(
        seq=head.last_seq + 1,
        at=at.isoformat(),
        actor_id=None,
        actor_label="system",
        action="audit.rekeyed",
        object_type="audit.auditevent",
        object_id="",
        object_repr="audit trail sealed with the audit key from here on",
        before={},
        after={"legacy_through": head.last_seq, "legacy_head": head.last_hash, "legacy_chain": state},
        ip_address="",
    )
    digest = chain.keyed_hash(key, head.last_hash, fields)
    event_model.objects.create(
        seq=fields["seq"],
        at=at,
        actor=None,
        actor_label=fields["actor_label"],
        action=fields["action"],
        object_type=fields["object_type"],
        object_id=fields["object_id"],
        object_repr=fields["object_repr"],
        before=fields["before"],
        after=fields["after"],
        ip_address="",
        prev_hash=head.last_hash,
        hash=digest,
        scheme=chain.KEYED,
    )
    head.last_seq = fields["seq"]
    head.last_hash = digest
    head.save(update_fields=["last_seq", "last_hash"])
    return int(fields["seq"])
