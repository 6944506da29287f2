"""Issue 21: the audit trail's pages at a million events. The whole trail is paged by seq, so a
deep page reads no more than the first (OFFSET read and skipped every row before it) and nothing
counts the table; a filtered trail counts and pages up to TrailPaginator.MAX_PAGES pages; the
filters' lists of actions and record types are found by index probes, not DISTINCT over it all."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from socialguard.audit.models import AuditEvent
from socialguard.audit.selectors import TrailPaginator, audit_action_names, audit_object_types
from socialguard.audit.services import EventSpec, audit_append_many
from socialguard.identity.roles import Role

pytestmark = pytest.mark.django_db

SEQ = re.compile(r'<td data-label="#">(\d+)</td>')


def _events(count: int) -> None:
    begin = dt.datetime(2025, 9, 1, tzinfo=dt.UTC)
    actions = ["people.updated", "policy.declared", "training.recorded"]
    audit_append_many(
        EventSpec(
            at=begin + dt.timedelta(minutes=i),
            action=actions[i % 3],
            object_type="people.staffmember" if i % 2 else "policies.declaration",
            object_id=str(i),
            object_repr=f"S{i:05d}",
            after={"n": i},
        )
        for i in range(count)
    )


def _get(client: Client, url: str) -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries], response.content.decode()


def test_a_deep_page_reads_no_more_than_the_first(client_for: Any) -> None:
    client = client_for(Role.AUDITOR)
    _events(260)
    first_sql, first = _get(client, "/audit/")
    deep_sql, _ = _get(client, "/audit/?page=5")
    assert len(deep_sql) == len(first_sql)
    assert not [q for q in first_sql + deep_sql if "OFFSET" in q.upper() or "COUNT(" in q.upper()]
    total = AuditEvent.objects.count()
    assert f"{total} events" in first
    assert SEQ.findall(first)[0] == str(total) and len(SEQ.findall(first)) == 50
    # Every event is on exactly one page, newest first.
    seen: list[int] = []
    for number in range(1, total // 50 + 2):
        seen += [int(s) for s in SEQ.findall(client.get(f"/audit/?page={number}").content.decode())]
    assert seen == sorted(AuditEvent.objects.values_list("seq", flat=True), reverse=True)


def test_a_filtered_trail_is_counted_and_paged_up_to_a_limit(
    client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for(Role.AUDITOR)
    _events(260)
    page = client.get("/audit/?action=policy.declared").content.decode()
    assert f"{AuditEvent.objects.filter(action='policy.declared').count()} events" in page
    monkeypatch.setattr(TrailPaginator, "MAX_PAGES", 1)
    page = client.get("/audit/?action=policy.declared&page=2").content.decode()
    assert "More than 50 events: the newest 50 are paged here; choose dates to see older ones" in page
    newest = AuditEvent.objects.filter(action="policy.declared").order_by("-seq")[:50]
    assert [int(s) for s in SEQ.findall(page)] == [e.seq for e in newest]  # page 2 is past the limit


def test_the_filters_list_every_action_and_record_type(db: Any) -> None:
    _events(30)
    events = AuditEvent.objects.all()
    assert audit_action_names() == sorted({e.action for e in events})
    assert audit_object_types() == sorted({e.object_type for e in events if e.object_type})
