"""audit/changes.py: an event's before/after as per-field lines."""

from __future__ import annotations

from typing import Any

from socialguard.audit.changes import Change, as_json, summarise
from socialguard.audit.models import AuditEvent
from socialguard.audit.selectors import WITHHELD


def _event(before: dict[str, Any], after: dict[str, Any]) -> AuditEvent:
    return AuditEvent(before=before, after=after)


def test_changed_set_removed_and_unchanged_fields() -> None:
    summary = summarise(
        _event(
            {"next_review_date": "2026-01-01", "old": 1, "same": "x"},
            {"next_review_date": None, "same": "x", "n": 3},
        ),
        {},
    )
    assert summary.changes == (
        Change("n", None, "3"),
        Change("next review date", "2026-01-01", "—"),
        Change("old", "1", None),
    )
    assert summary.text() == "n: 3\nnext review date: 2026-01-01 → —\nold: 1 → —"


def test_values_read_as_words_not_python() -> None:
    summary = summarise(
        _event({}, {"restricted": False, "clauses": ["4.1", "4.2"], "filters": {"q": "x"}, "none": []}), {}
    )
    # "none", set to nothing, is left out.
    assert summary.text() == 'clauses: 4.1, 4.2\nfilters: {"q": "x"}\nrestricted: no'


def test_people_are_named_where_known() -> None:
    names = {("staff", "S1"): "Ada Boss", ("user", "a@x.example"): "Aud Itor"}
    summary = summarise(_event({"lead": "S1"}, {"lead": "S2", "assignee": "a@x.example"}), names)
    assert summary.text() == "assignee: Aud Itor (a@x.example)\nlead: Ada Boss (S1) → S2"


def test_a_withheld_event_reads_as_one_note() -> None:
    summary = summarise(_event({}, dict(WITHHELD)), {})
    assert summary.changes == () and summary.withheld == WITHHELD["withheld"]
    assert summary.text() == f"withheld: {WITHHELD['withheld']}"


def test_json_for_the_export() -> None:
    assert as_json({"b": "é", "a": None}) == '{"a": null, "b": "é"}'
