"""The chain functions alone, without a database."""

from socialguard.audit import chain


def _events(n: int) -> list[tuple[int, str, str, dict]]:
    rows, prev = [], chain.GENESIS_HASH
    for seq in range(1, n + 1):
        fields = {"seq": seq, "x": seq * 2}
        digest = chain.event_hash(prev, fields)
        rows.append((seq, prev, digest, fields))
        prev = digest
    return rows


def test_empty_chain_is_fine() -> None:
    assert chain.verify_events([], (0, chain.GENESIS_HASH)).ok


def test_hash_depends_on_key_order_not_at_all() -> None:
    assert chain.event_hash("a", {"x": 1, "y": 2}) == chain.event_hash("a", {"y": 2, "x": 1})


def test_inserted_event_is_caught() -> None:
    rows = _events(3)
    forged = (2, rows[0][2], chain.event_hash(rows[0][2], {"seq": 2, "x": 0}), {"seq": 2, "x": 0})
    tampered = [rows[0], forged, (3, *rows[2][1:])]
    result = chain.verify_events(tampered, (3, rows[2][2]))
    assert result.problem is not None and result.problem.seq == 3


def test_repeated_sequence_is_caught() -> None:
    rows = _events(3)
    result = chain.verify_events([rows[0], rows[1], rows[1]], None)
    assert result.problem is not None and "repeated" in result.problem.reason
