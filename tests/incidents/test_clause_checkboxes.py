"""Triage chooses policy clauses with checkboxes grouped by section, not a <select multiple> that
needs Ctrl-click (impossible on a phone); the ticked ones are the case's clauses when it reopens."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from socialguard.incidents import services
from socialguard.policies.selectors import clause_sections
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def test_clauses_group_under_their_top_level_section(published: dict[str, Any]) -> None:
    sections = clause_sections(published["v1"])
    assert all(section.level == 1 and items[0] == section for section, items in sections)
    assert [c.key for _, items in sections for c in items] == [
        c.key for c in published["v1"].clauses.order_by("order")
    ]
    policy = next(items for section, items in sections if section.key == "5")
    assert "5.2" in [c.key for c in policy]
    assert clause_sections(None) == []


def test_triage_ticks_clauses_in_sections(published: dict[str, Any], team: dict[str, Any]) -> None:
    case = services.report_submit(
        actor=team["tutor"].user,
        category="offensive",
        summary="x",
        parties=[services.party_from_text("S1", "subject")],
    )
    client = sign_in(Client(), team["smt"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert not re.search(r"<select[^>]*name=\"clauses\"", page)
    assert re.search(r'<fieldset class="checklist" id="clauses" data-filter-list="Find a clause">', page)
    boxes = re.findall(r'<input type="checkbox" id="clause-\d+" name="clauses" value="([^"]+)"', page)
    assert "5.2" in boxes and "5" in boxes
    assert '<p class="picker-heading">5 The Policy</p>' in page
    client.post(
        f"/cases/{case.pk}/triage/",
        {"severity": "high", "investigator": team["smt"].pk, "clauses": ["5.2", "1.1"]},
    )
    assert sorted(c.key for c in case.clauses.all()) == ["1.1", "5.2"]
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert re.search(r'name="clauses" value="5\.2" checked>', page)
    assert not re.search(r'name="clauses" value="5\.1" checked>', page)
