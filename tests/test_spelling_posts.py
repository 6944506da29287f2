"""The hand-written spelling set (training/data/spelling_posts.jsonl) is well formed. How the rules
do on it is training/check_spelling.py's business, never a test's."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "training" / "data" / "spelling_posts.jsonl"


def test_spelling_posts_are_well_formed_and_split_by_their_text() -> None:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 150
    assert len({r["text"] for r in rows}) == len(rows), "a post is written twice"
    for r in rows:
        assert set(r) == {"id", "text", "account", "expected", "split", "note"}, r
        digest = hashlib.sha256(r["text"].encode()).hexdigest()
        assert r["id"] == digest[:10], r["text"]
        assert r["split"] == ("holdout" if int(digest[:8], 16) % 10 < 3 else "tune"), r["text"]
        assert r["expected"] in {"misspelt", "grammar", "clean"}
        assert r["account"] == "organisational"  # the rules check organisational posts only
    counts = Counter((r["split"], r["expected"]) for r in rows)
    for split in ("tune", "holdout"):
        assert counts[split, "misspelt"] >= 15 and counts[split, "clean"] >= 25, counts
