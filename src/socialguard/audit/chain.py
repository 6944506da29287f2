"""Hashing of audit events. Plain functions, so verification logic is easy to read and test."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


def canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str).encode()


def event_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical(fields)).hexdigest()


def hashed_fields(
    *,
    seq: int,
    at: str,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    before: dict[str, Any],
    after: dict[str, Any],
    ip_address: str,
) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": at,
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr,
        "before": before,
        "after": after,
        "ip_address": ip_address,
    }


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"event #{self.seq}: {self.reason}"


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_events(
    events: Iterable[tuple[int, str, str, dict[str, Any]]],
    head: tuple[int, str] | None,
) -> VerifyResult:
    """Check (seq, prev_hash, hash, fields) rows, in stored seq order, against the chain head.

    Reports the first broken link: a gap in sequence numbers (deletion), a predecessor hash
    that does not match (reordering or insertion), or a recomputed hash that differs from the
    stored one (alteration).
    """
    expected_seq = 1
    prev = GENESIS_HASH
    checked = 0
    for seq, prev_hash, stored_hash, fields in events:
        if seq != expected_seq:
            if seq > expected_seq:
                reason = f"events #{expected_seq}..#{seq - 1} are missing (deleted)"
                return VerifyResult(checked, ChainProblem(expected_seq, reason))
            return VerifyResult(checked, ChainProblem(seq, "sequence number repeated"))
        if prev_hash != prev:
            return VerifyResult(
                checked,
                ChainProblem(seq, "does not follow the event before it (reordered or inserted)"),
            )
        if event_hash(prev_hash, fields) != stored_hash:
            return VerifyResult(checked, ChainProblem(seq, "content does not match its hash (altered)"))
        prev = stored_hash
        expected_seq += 1
        checked += 1
    if head is not None:
        head_seq, head_hash = head
        if head_seq != checked:
            reason = f"the chain ends at #{checked} but #{head_seq} was written (events deleted)"
            return VerifyResult(checked, ChainProblem(checked + 1, reason))
        if head_hash != prev:
            return VerifyResult(checked, ChainProblem(checked, "last event differs from the chain head"))
    return VerifyResult(checked, None)
