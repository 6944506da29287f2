"""The chain functions alone, without a database."""

from __future__ import annotations

from typing import Any

from socialguard.audit import chain

KEY = b"k" * 32
Row = tuple[int, int, str, str, dict[str, Any]]


def _events(n: int, scheme: int = chain.KEYED, key: bytes = KEY, start: int = 1, prev: str = "") -> list[Row]:
    rows, prev = [], prev or chain.GENESIS_HASH
    for seq in range(start, start + n):
        fields = {"seq": seq, "x": seq * 2}
        digest = chain.seal(scheme, key, prev, fields)
        rows.append((seq, scheme, prev, digest, fields))
        prev = digest
    return rows


def _verify(rows: list[Row], **kwargs: Any) -> chain.VerifyResult:
    head = (rows[-1][0], rows[-1][3]) if rows else (0, chain.GENESIS_HASH)
    return chain.verify_events(rows, head, key=KEY, **kwargs)


def test_empty_chain_is_fine() -> None:
    assert chain.verify_events([], (0, chain.GENESIS_HASH), key=KEY).ok


def test_hash_depends_on_key_order_not_at_all() -> None:
    assert chain.event_hash("a", {"x": 1, "y": 2}) == chain.event_hash("a", {"y": 2, "x": 1})
    assert chain.keyed_hash(KEY, "a", {"x": 1, "y": 2}) == chain.keyed_hash(KEY, "a", {"y": 2, "x": 1})


def test_the_keyed_seal_depends_on_the_key_and_differs_from_the_legacy_one() -> None:
    fields = {"seq": 1}
    assert chain.keyed_hash(KEY, "a", fields) != chain.keyed_hash(b"j" * 32, "a", fields)
    assert chain.keyed_hash(KEY, "a", fields) != chain.event_hash("a", fields)


def test_inserted_event_is_caught() -> None:
    rows = _events(3)
    fields = {"seq": 2, "x": 0}
    forged = (2, chain.KEYED, rows[0][3], chain.keyed_hash(KEY, rows[0][3], fields), fields)
    tampered = [rows[0], forged, (3, *rows[2][1:])]
    result = chain.verify_events(tampered, (3, rows[2][3]), key=KEY)
    assert result.problem is not None and result.problem.seq == 3


def test_repeated_sequence_is_caught() -> None:
    rows = _events(3)
    result = chain.verify_events([rows[0], rows[1], rows[1]], None, key=KEY)
    assert result.problem is not None and "repeated" in result.problem.reason


def test_a_legacy_prefix_then_keyed_events_verify() -> None:
    legacy = _events(3, scheme=chain.LEGACY)
    rows = legacy + _events(2, start=4, prev=legacy[-1][3])
    result = _verify(rows)
    assert result.ok and result.checked == 5 and result.last_hash == rows[-1][3]


def test_a_chain_sealed_with_another_key_is_caught() -> None:
    result = _verify(_events(3, key=b"guess" * 8))
    assert result.problem is not None and result.problem.seq == 1
    assert "audit key" in result.problem.reason


def test_an_all_legacy_chain_is_a_downgrade() -> None:
    result = _verify(_events(3, scheme=chain.LEGACY))
    assert result.problem is not None and "no event is sealed with the audit key" in result.problem.reason
    assert _verify(_events(3, scheme=chain.LEGACY), require_keyed=False).ok


def test_a_legacy_event_after_a_keyed_one_is_a_downgrade() -> None:
    keyed = _events(2)
    rows = keyed + _events(2, scheme=chain.LEGACY, start=3, prev=keyed[-1][3])
    result = _verify(rows)
    assert result.problem is not None and result.problem.seq == 3
    assert "unkeyed after the chain was keyed" in result.problem.reason


def test_an_unknown_scheme_is_caught() -> None:
    seq, _, prev, digest, fields = _events(1)[0]
    result = _verify([(seq, 7, prev, digest, fields)])
    assert result.problem is not None and "unknown hash scheme" in result.problem.reason


def test_checkpoints_pin_the_chain() -> None:
    rows = _events(5)
    at = "2026-12-01T00:00:00+00:00"
    good = chain.checkpoint_sign(KEY, seq=3, hash=rows[2][3], at=at)
    assert chain.checkpoint_signed_by(KEY, good)
    assert not chain.checkpoint_signed_by(b"x" * 32, good)
    assert _verify(rows, checkpoints=[good]).checkpoints == 1
    # A chain rewritten from #2 with the key itself still differs from what the checkpoint saw.
    rewritten = rows[:1] + _events(4, start=2, prev=rows[0][3], key=KEY)
    rewritten = rows[:1] + [(s, k, p, h, {**f, "x": -1}) for s, k, p, h, f in rewritten[1:]]
    resealed = rows[:1]
    for seq, scheme, _, _, fields in rewritten[1:]:
        prev = resealed[-1][3]
        resealed.append((seq, scheme, prev, chain.keyed_hash(KEY, prev, fields), fields))
    assert _verify(resealed).ok
    problem = _verify(resealed, checkpoints=[good]).problem
    assert problem is not None and problem.seq == 3 and "rewritten" in problem.reason
    # Cut short below the checkpoint, with the head moved back to match.
    problem = _verify(rows[:2], checkpoints=[good]).problem
    assert problem is not None and problem.seq == 3 and "events deleted" in problem.reason
