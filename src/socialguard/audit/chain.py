"""Hashing of audit events and checkpoints. Plain functions, so verification is easy to read and test.

Two schemes seal an event (its `scheme` column says which):

- LEGACY (1): SHA-256 of the previous hash and the event. Anyone can recompute it, so it only shows
  accidental corruption and naive edits. Events written before the chain was keyed keep it.
- KEYED (2): HMAC-SHA256 with the audit key, which lives outside the database. Rewriting an event and
  re-sealing everything after it needs the key.

Once the chain is keyed it stays keyed: a legacy event after a keyed one, or a non-empty chain with
no keyed event at all, is a downgrade and fails verification. The first keyed event seals the hash
of the last legacy one, so the legacy prefix cannot be changed afterwards without the key either.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

GENESIS_HASH = "0" * 64
LEGACY = 1
KEYED = 2
SCHEMES = (LEGACY, KEYED)
# Domain separation: an event MAC can never be replayed as a checkpoint MAC or the other way round.
_EVENT_CONTEXT = b"socialguard-audit-event/2\n"
_CHECKPOINT_CONTEXT = b"socialguard-audit-checkpoint/1\n"
CHECKPOINT_VERSION = 1


def canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str).encode()


def event_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """The LEGACY seal. Kept unchanged so that events written with it still verify."""
    return hashlib.sha256(prev_hash.encode() + canonical(fields)).hexdigest()


def keyed_hash(key: bytes, prev_hash: str, fields: dict[str, Any]) -> str:
    """The KEYED seal: HMAC-SHA256 over the previous hash and the event."""
    return hmac.new(key, _EVENT_CONTEXT + prev_hash.encode() + canonical(fields), hashlib.sha256).hexdigest()


def seal(scheme: int, key: bytes, prev_hash: str, fields: dict[str, Any]) -> str:
    if scheme == KEYED:
        return keyed_hash(key, prev_hash, fields)
    if scheme == LEGACY:
        return event_hash(prev_hash, fields)
    raise ValueError(f"unknown audit hash scheme {scheme!r}")


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
class Checkpoint:
    """The chain's head at a moment, signed with the audit key and kept outside the database."""

    seq: int
    hash: str
    at: str  # ISO 8601, UTC
    mac: str
    source: str = field(default="", compare=False)  # where it was read from, for messages

    def body(self) -> dict[str, Any]:
        return {"v": CHECKPOINT_VERSION, "seq": self.seq, "hash": self.hash, "at": self.at}

    def line(self) -> str:
        return json.dumps({**self.body(), "mac": self.mac}, sort_keys=True, separators=(",", ":"))


def checkpoint_mac(key: bytes, *, seq: int, hash: str, at: str) -> str:
    body = {"v": CHECKPOINT_VERSION, "seq": seq, "hash": hash, "at": at}
    return hmac.new(key, _CHECKPOINT_CONTEXT + canonical(body), hashlib.sha256).hexdigest()


def checkpoint_sign(key: bytes, *, seq: int, hash: str, at: str) -> Checkpoint:
    return Checkpoint(seq=seq, hash=hash, at=at, mac=checkpoint_mac(key, seq=seq, hash=hash, at=at))


def checkpoint_signed_by(key: bytes, checkpoint: Checkpoint) -> bool:
    expected = checkpoint_mac(key, seq=checkpoint.seq, hash=checkpoint.hash, at=checkpoint.at)
    return hmac.compare_digest(expected, checkpoint.mac)


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str
    where: str = ""  # set when the problem is in a checkpoint file rather than an event

    def __str__(self) -> str:
        return f"{self.where or f'event #{self.seq}'}: {self.reason}"


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    problem: ChainProblem | None
    checkpoints: int = 0  # how many outside checkpoints were matched against the chain
    last_hash: str = GENESIS_HASH  # the hash of event #checked, which a new checkpoint can sign

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_events(
    events: Iterable[tuple[int, int, str, str, dict[str, Any]]],
    head: tuple[int, str] | None,
    *,
    key: bytes,
    checkpoints: Sequence[Checkpoint] = (),
    require_keyed: bool = True,
    start: Checkpoint | None = None,
) -> VerifyResult:
    """Check (seq, scheme, prev_hash, hash, fields) rows, in stored seq order, against the chain head
    and against checkpoints kept outside the database.

    Reports the first broken link: a gap in sequence numbers (deletion), a predecessor hash that
    does not match (reordering or insertion), a recomputed hash that differs from the stored one
    (alteration, or a different key), a downgrade to the unkeyed scheme, or an event that differs
    from a checkpoint or is missing below one (the chain rewritten or cut short). Checkpoints must
    already be checked for their signature (`checkpoint_signed_by`).

    With `start` (a signed checkpoint whose event the caller has matched), the rows begin just after
    it: what the checkpoint vouches for is not read again, so a day's check costs a day's events.
    """
    anchors: dict[int, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        anchors.setdefault(checkpoint.seq, []).append(checkpoint)
    expected_seq = 1
    prev = GENESIS_HASH
    checked = 0
    keyed_seen = False
    if start is not None:
        # Checkpoints are signed with the audit key and only ever sign a verified, keyed chain.
        expected_seq, prev, checked, keyed_seen = start.seq + 1, start.hash, start.seq, True

    def broken(seq: int, reason: str) -> VerifyResult:
        return VerifyResult(checked, ChainProblem(seq, reason), last_hash=prev)

    for seq, scheme, prev_hash, stored_hash, fields in events:
        if seq != expected_seq:
            if seq > expected_seq:
                return broken(expected_seq, f"events #{expected_seq}..#{seq - 1} are missing (deleted)")
            return broken(seq, "sequence number repeated")
        if prev_hash != prev:
            return broken(seq, "does not follow the event before it (reordered or inserted)")
        if scheme not in SCHEMES:
            return broken(seq, f"unknown hash scheme {scheme!r} (altered)")
        if scheme == LEGACY and keyed_seen:
            return broken(seq, "unkeyed after the chain was keyed (re-sealed without the audit key)")
        if seal(scheme, key, prev_hash, fields) != stored_hash:
            reason = "content does not match its hash (altered"
            reason += ", or the audit key is not the one it was written with)" if scheme == KEYED else ")"
            return broken(seq, reason)
        for checkpoint in anchors.get(seq, ()):
            if checkpoint.hash != stored_hash:
                return broken(
                    seq,
                    f"differs from the checkpoint of {checkpoint.at}{_source(checkpoint)} "
                    "(the chain was rewritten)",
                )
        keyed_seen = keyed_seen or scheme == KEYED
        prev = stored_hash
        expected_seq += 1
        checked += 1
    beyond = [c for c in checkpoints if c.seq > checked]
    if beyond:
        last = max(beyond, key=lambda c: c.seq)
        reason = (
            f"the chain ends at #{checked} but the checkpoint of {last.at}{_source(last)} "
            f"covers #{last.seq} (events deleted)"
        )
        return broken(checked + 1, reason)
    if head is not None:
        head_seq, head_hash = head
        if head_seq != checked:
            return broken(
                checked + 1, f"the chain ends at #{checked} but #{head_seq} was written (events deleted)"
            )
        if head_hash != prev:
            return broken(checked, "last event differs from the chain head")
    if require_keyed and checked and not keyed_seen:
        # Nothing in an unkeyed chain can be vouched for, so none of it counts as checked.
        reason = "no event is sealed with the audit key (re-sealed without it, or `migrate` has not run)"
        return VerifyResult(0, ChainProblem(1, reason))
    return VerifyResult(checked, None, checkpoints=len(checkpoints), last_hash=prev)


def _source(checkpoint: Checkpoint) -> str:
    return f" ({checkpoint.source})" if checkpoint.source else ""
