"""The labelled policy posts (benchmarks/data/policy_posts.jsonl) are well formed. Accuracy is
benchmarks/policy.py's business, never a test's."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from socialguard.rules import Post
from socialguard.rules.catalogue import all_rules

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "policy_posts.jsonl"
REGISTER = DATA.with_name("policy_register.json")
# Categories the labels use that the engine does not have yet (see benchmarks/data/README.md).
NEW_CATEGORIES = {"defamation", "disrepute", "commercial", "data-request"}
LABEL_FIELDS = {"id", "expected", "kind", "note", "split"}
# What an ordinary post is about, named first in its note ("ordinary (results day): ..."), so the set can be
# counted by the kinds of post the issue asks for.
ORDINARY_TOPICS = {
    "results day",
    "inspection",
    "awareness",
    "fundraiser",
    "job advert",
    "safeguarding",
    "event",
    "condolence",
    "religious festival",
    "webinar",
    "notice",
    "course info",
    "achievement",
    "news",
    "thanks",
    "reply",
    "photo",
    "personal",
    "wellbeing",
}
# A near miss names the category it looks like ("near miss (grievance): ..."); a note, not a field,
# because the benchmark hands every other field to Post.from_dict, which refuses unknown ones.
NOTE = re.compile(r"^(near miss|ordinary) \(([a-z -]+)\)(: .+)?$")


def rows() -> list[dict[str, object]]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]


def test_rows_are_complete_and_posts_parse() -> None:
    data = rows()
    assert len(data) >= 400
    for row in data:
        assert set(row) >= LABEL_FIELDS, row
        assert row["kind"] in {"ordinary", "near-miss", "breach"}, row
        assert (row["expected"] == "pass") == (row["kind"] != "breach"), row
        assert isinstance(row["note"], str) and row["note"], row
        text = row["text"]
        assert isinstance(text, str)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        # The split is fixed by the text's hash, so nobody can move a post between splits.
        assert row["split"] == ("test" if int(digest[:8], 16) % 10 < 3 else "dev"), row
        assert row["id"] == digest[:10]
        Post.from_dict({k: v for k, v in row.items() if k not in LABEL_FIELDS})


def known_categories() -> set[str]:
    return {r.category for r in all_rules().values()} | NEW_CATEGORIES


def test_notes_name_the_near_miss_category_or_the_ordinary_topic() -> None:
    known = known_categories()
    for row in rows():
        match = NOTE.match(str(row["note"]))
        if row["kind"] == "breach":
            assert match is None, row
            continue
        assert match is not None, row
        prefix, name = match.group(1), match.group(2)
        if row["kind"] == "near-miss":
            assert (prefix, name in known) == ("near miss", True), row
        else:
            assert (prefix, name in ORDINARY_TOPICS) == ("ordinary", True), row


def test_labels_are_known_and_every_category_is_in_both_splits() -> None:
    known = known_categories()
    data = rows()
    labels = {str(r["expected"]) for r in data} - {"pass"}
    assert labels <= known, labels - known
    assert labels >= NEW_CATEGORIES
    for split in ("dev", "test"):
        present = {r["expected"] for r in data if r["split"] == split}
        assert labels | {"pass"} <= present, (split, labels - present)
        assert {r["kind"] for r in data if r["split"] == split} == {"ordinary", "near-miss", "breach"}


# Each category needs enough posts in the held-out split for its recall to mean something; issue 15 asks
# for breaches and near misses everywhere, and ordinary posts of the kinds a college publishes.
MIN_TEST_BREACHES, MIN_TEST_NEAR_MISSES = 10, 4
ISSUE_TOPICS = {
    "results day",
    "inspection",
    "awareness",
    "fundraiser",
    "job advert",
    "safeguarding",
    "event",
    "condolence",
    "religious festival",
    "webinar",
}


def named(row: dict[str, object]) -> str:
    """The category a breach is labelled with, the one a near miss resembles, or an ordinary post's topic."""
    if row["kind"] == "breach":
        return str(row["expected"])
    match = NOTE.match(str(row["note"]))
    assert match is not None, row
    return match.group(2)


def test_every_category_has_breaches_and_near_misses_in_both_splits() -> None:
    data = rows()
    count = Counter((str(r["kind"]), named(r), str(r["split"])) for r in data)
    for category in sorted({named(r) for r in data if r["kind"] == "breach"}):
        for kind, least in (("breach", MIN_TEST_BREACHES), ("near-miss", MIN_TEST_NEAR_MISSES)):
            assert count[(kind, category, "test")] >= least, (kind, category)
            # dev holds more than test, so tuning has more to learn from than the held-out figures rest on
            assert count[(kind, category, "dev")] > count[(kind, category, "test")], (kind, category)
    for topic in sorted(ISSUE_TOPICS):
        assert count[("ordinary", topic, "test")] >= 2, topic
        assert count[("ordinary", topic, "dev")] >= 4, topic


def test_no_duplicate_texts() -> None:
    texts = Counter(" ".join(str(r["text"]).casefold().split()) for r in rows())
    assert [t for t, n in texts.items() if n > 1] == []


def test_register_names_learners_staff_and_past_learners() -> None:
    register = json.loads(REGISTER.read_text(encoding="utf-8"))
    assert set(register) == {"learners", "past_learners", "staff", "dates_of_birth"}
    assert all(isinstance(p, list) and p and all(isinstance(x, str) for x in p) for p in register["learners"])
    # Dates of birth (YYYY-MM-DD) only for people the register has, as the web app's register keeps them.
    people = {p[0] for p in register["learners"] + register["past_learners"]}
    assert set(register["dates_of_birth"]) <= people
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in register["dates_of_birth"].values())


def test_people_shown_or_befriended_are_in_the_register() -> None:
    """Image and connection rules look people up in the register, so a post must not name a stranger."""
    register = json.loads(REGISTER.read_text(encoding="utf-8"))
    known = {n for person in register["learners"] + register["past_learners"] for n in person}
    known |= set(register["staff"])
    for row in rows():
        media = row.get("media") or []
        assert isinstance(media, list)
        named = [n for m in media for key in ("people_shown", "consent_recorded") for n in m.get(key, [])]
        named += list(row.get("connection_request_to") or [])  # type: ignore[call-overload]
        assert set(named) <= known, (row["id"], set(named) - known)


def _benchmark() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("policy_benchmark", DATA.parent.parent / "policy.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_passes_dates_of_birth_so_adult_past_learners_are_adults() -> None:
    """As the web app's register does: connecting with a past learner known to be 18 or over is allowed."""
    from socialguard.rules import Engine
    from socialguard.rules.engine import context_from_pack
    from socialguard.rules.pack import DMM_PACK, load_pack

    people = json.loads(REGISTER.read_text(encoding="utf-8"))
    register = {p.name: p for p in _benchmark().register_people(people)}
    assert register["Mo Hassan"].adult and register["Jade Fox"].adult
    assert not register["Connor Bates"].adult  # no date of birth: maybe under 18
    post = Post(
        text="Connected with Mo on LinkedIn - great to see him doing so well. Views my own.",
        account="personal",  # type: ignore[arg-type]
        connection_request_to=("Mo Hassan",),
    )
    pack = load_pack(DMM_PACK)
    engine = Engine(context_from_pack(pack, register=list(register.values())), pack, classifiers=False)
    assert not [f for f in engine.check(post).findings if f.category == "learner-contact"]
    without = [p.__class__(p.name, p.handles, p.kind) for p in register.values()]
    engine = Engine(context_from_pack(pack, register=without), pack, classifiers=False)
    assert [f for f in engine.check(post).findings if f.category == "learner-contact"]


PROBES = {
    # Session 15's posts, the rules tuned on them (a regression check).
    "policy_probe.jsonl": {"probe"},
    # Session 16's, by another writer: tuned on one half, the other half held out (README.md).
    "policy_probe2.jsonl": {"probe2-tune", "probe2-held"},
    # Session 17's, by a third writer, weighted to quality: the same halves.
    "policy_probe3.jsonl": {"probe3-tune", "probe3-held"},
    # Session 23's, by two more writers, weighted to harassment and disrepute: the same halves.
    "policy_probe4.jsonl": {"probe4-tune", "probe4-held"},
    # Session 25's, by two more writers, every category (as the test split is): the same halves.
    "policy_probe5.jsonl": {"probe5-tune", "probe5-held"},
    # Session 26's, by two more writers, every category: the same halves.
    "policy_probe6.jsonl": {"probe6-tune", "probe6-held"},
    # Session 29's, by two more writers told to be subtler: the same halves.
    "policy_probe7.jsonl": {"probe7-tune", "probe7-held"},
}


@pytest.mark.parametrize(("name", "splits"), PROBES.items())
def test_probe_posts_are_well_formed_and_none_is_a_benchmark_post(name: str, splits: set[str]) -> None:
    """The probe posts: none may be a benchmark post, whose test split must stay unseen."""
    probe = [
        json.loads(line) for line in DATA.with_name(name).read_text(encoding="utf-8").splitlines() if line
    ]
    assert len(probe) >= 200
    assert {row["split"] for row in probe} == splits
    benchmark = {" ".join(str(r["text"]).casefold().split()) for r in rows()}
    known = known_categories()
    for row in probe:
        assert set(row) >= LABEL_FIELDS and row["split"] in splits, row
        assert row["id"] == hashlib.sha256(row["text"].encode("utf-8")).hexdigest()[:10], row
        assert (row["expected"] == "pass") == (row["kind"] != "breach"), row
        assert row["expected"] == "pass" or row["expected"] in known, row
        match = NOTE.match(row["note"])
        assert (match is None) == (row["kind"] == "breach"), row
        if row["kind"] == "near-miss":
            assert match is not None and match.group(2) in known, row
        if row["kind"] == "ordinary":
            assert match is not None and match.group(2) in ORDINARY_TOPICS, row
        assert " ".join(row["text"].casefold().split()) not in benchmark, row
        Post.from_dict({k: v for k, v in row.items() if k not in LABEL_FIELDS})
