"""Someone who can write the database but lacks the audit key cannot re-seal a rewritten chain, even
with the product's own hashing functions; a chain from before the key existed stays verifiable."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from socialguard.audit import chain
from socialguard.audit.keys import audit_key
from socialguard.audit.models import AuditEvent, AuditHead
from socialguard.audit.rekey import key_legacy_chain
from socialguard.audit.selectors import audit_verify
from socialguard.audit.services import audit_record
from tests.audit.attacker import reseal_from
from tests.audit.tamper import tamper


def test_new_events_are_sealed_with_the_audit_key(five_events: list[AuditEvent]) -> None:
    assert {e.scheme for e in five_events} == {chain.KEYED}
    first = AuditEvent.objects.get(seq=1)
    assert first.hash != chain.event_hash(first.prev_hash, chain.hashed_fields(**_stored(first)))


def test_reseal_forward_with_the_unkeyed_function_is_caught(five_events: list[AuditEvent]) -> None:
    tamper("UPDATE audit_auditevent SET object_repr = 'forged' WHERE seq = 3")
    reseal_from(3, chain.event_hash, scheme=chain.LEGACY)
    problem = audit_verify().problem
    assert problem is not None and problem.seq == 3, problem


def test_reseal_of_the_whole_chain_with_the_unkeyed_function_is_caught(five_events: list[AuditEvent]) -> None:
    tamper("UPDATE audit_auditevent SET object_repr = 'forged' WHERE seq = 1")
    reseal_from(1, chain.event_hash, scheme=chain.LEGACY)
    problem = audit_verify().problem
    assert problem is not None and "no event is sealed with the audit key" in problem.reason, problem


def test_reseal_forward_with_the_keyed_function_but_not_the_key_is_caught(
    five_events: list[AuditEvent],
) -> None:
    guess = b"\0" * 32
    tamper("UPDATE audit_auditevent SET object_repr = 'forged' WHERE seq = 3")
    reseal_from(3, lambda prev, fields: chain.keyed_hash(guess, prev, fields))
    problem = audit_verify().problem
    assert problem is not None and problem.seq == 3 and "altered" in problem.reason, problem


def test_with_the_key_a_reseal_passes_the_chain_alone(five_events: list[AuditEvent]) -> None:
    # What the key does not protect against, and why checkpoints exist (test_checkpoints.py).
    tamper("UPDATE audit_auditevent SET object_repr = 'forged' WHERE seq = 3")
    reseal_from(3, lambda prev, fields: chain.keyed_hash(audit_key(), prev, fields))
    assert audit_verify().ok


# --- A chain written before the audit key existed ------------------------------------------------


def _stored(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at.astimezone(dt.UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "ip_address": event.ip_address,
    }


def legacy_chain(n: int) -> None:
    """Events as the product wrote them before this change: unkeyed SHA-256, scheme 1."""
    prev = chain.GENESIS_HASH
    for seq in range(1, n + 1):
        at = timezone.now().astimezone(dt.UTC)
        fields = chain.hashed_fields(
            seq=seq,
            at=at.isoformat(),
            actor_id=None,
            actor_label="system",
            action="old.step",
            object_type="test",
            object_id=str(seq),
            object_repr=f"old {seq}",
            before={},
            after={"n": seq},
            ip_address="",
        )
        digest = chain.event_hash(prev, fields)
        AuditEvent.objects.create(
            seq=seq,
            at=at,
            actor_label="system",
            action="old.step",
            object_type="test",
            object_id=str(seq),
            object_repr=f"old {seq}",
            after={"n": seq},
            prev_hash=prev,
            hash=digest,
            scheme=chain.LEGACY,
        )
        prev = digest
    AuditHead.objects.update_or_create(singleton=1, defaults={"last_seq": n, "last_hash": prev})


def _key_it() -> int | None:
    return key_legacy_chain(event_model=AuditEvent, head_model=AuditHead, key=audit_key())


def test_an_old_chain_is_keyed_by_one_event_and_its_history_still_verifies(db: Any) -> None:
    legacy_chain(3)
    problem = audit_verify().problem
    assert problem is not None and "`migrate` has not run" in problem.reason
    assert _key_it() == 4
    marker = AuditEvent.objects.get(seq=4)
    assert marker.action == "audit.rekeyed" and marker.scheme == chain.KEYED
    assert marker.after == {
        "legacy_through": 3,
        "legacy_head": AuditEvent.objects.get(seq=3).hash,
        "legacy_chain": "intact",
    }
    audit_record(actor=None, action="test.after", object_type="test")
    result = audit_verify()
    assert result.ok and result.checked == 5
    assert _key_it() is None  # once only


def test_after_keying_the_old_prefix_cannot_be_rewritten_with_the_old_function(db: Any) -> None:
    legacy_chain(3)
    _key_it()
    audit_record(actor=None, action="test.after", object_type="test")
    tamper("UPDATE audit_auditevent SET object_repr = 'forged' WHERE seq = 2")
    reseal_from(2, chain.event_hash, through=3)  # the keyed marker #4 is relinked but cannot be re-sealed
    problem = audit_verify().problem
    assert problem is not None and problem.seq == 4, problem


def test_an_old_chain_already_broken_is_keyed_as_found_and_stays_broken(db: Any) -> None:
    legacy_chain(3)
    tamper("UPDATE audit_auditevent SET object_repr = 'forged' WHERE seq = 2")
    _key_it()
    assert AuditEvent.objects.get(seq=4).after["legacy_chain"].startswith("broken: event #2")
    problem = audit_verify().problem
    assert problem is not None and problem.seq == 2
