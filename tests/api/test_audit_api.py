"""The audit events list pages by key (`before` = the previous page's `next`), not by offset: the
trail holds about a million events and a deep offset read every row before it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from socialguard.api.contract import MAX_LIMIT
from socialguard.audit.models import AuditEvent
from socialguard.audit.services import EventSpec, audit_append_many
from socialguard.identity.models import TokenScope
from socialguard.identity.roles import Role
from socialguard.identity.services import token_create


def _auditor(make_user: Callable[..., Any]) -> dict[str, str]:
    secret = token_create(user=make_user(Role.AUDITOR), name="trail", scope=TokenScope.READ).secret
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_walking_the_pages_reads_every_event_once_newest_first(
    client: Client, make_user: Callable[..., Any]
) -> None:
    auth = _auditor(make_user)
    at = timezone.now()
    audit_append_many(EventSpec(at=at, action="people.updated", object_id=str(n)) for n in range(7))
    seen: list[int] = []
    before: int | None = None
    pages = 0
    while True:
        query = {"limit": 3} if before is None else {"limit": 3, "before": before}
        body = client.get("/api/v1/audit/events", query, **auth).json()
        assert set(body) == {"items", "next"}
        assert len(body["items"]) <= 3
        seen += [e["seq"] for e in body["items"]]
        pages += 1
        before = body["next"]
        if before is None:
            break
    everything = list(AuditEvent.objects.order_by("-seq").values_list("seq", flat=True))
    assert seen == everything
    assert pages == -(-len(everything) // 3)


def test_a_deep_page_skips_by_key_not_by_offset(client: Client, make_user: Callable[..., Any]) -> None:
    auth = _auditor(make_user)
    audit_append_many(EventSpec(at=timezone.now(), action="people.updated") for _ in range(5))
    newest = AuditEvent.objects.order_by("-seq").first()
    assert newest is not None
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/audit/events", {"before": newest.seq - 2}, **auth).json()
    assert body["items"][0]["seq"] == newest.seq - 3
    page = [q["sql"] for q in queries if "audit_auditevent" in q["sql"] and "OFFSET" not in q["sql"].upper()]
    assert any('"seq" <' in sql for sql in page), "the page is found by its key"
    assert not any("COUNT(" in q["sql"].upper() and "audit_auditevent" in q["sql"] for q in queries)


def test_the_page_size_has_a_maximum(client: Client, make_user: Callable[..., Any]) -> None:
    auth = _auditor(make_user)
    assert client.get("/api/v1/audit/events", {"limit": MAX_LIMIT}, **auth).status_code == 200
    refused = client.get("/api/v1/audit/events", {"limit": MAX_LIMIT + 1}, **auth)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "query.limit"
