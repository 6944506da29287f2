from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from socialguard import csvfiles
from socialguard.audit.changes import Summary, as_json, summaries
from socialguard.audit.labels import action_label, object_type_label, record_kind
from socialguard.audit.models import AuditEvent
from socialguard.audit.selectors import (
    VERIFIED,
    AuditFilter,
    audit_action_names,
    audit_events,
    audit_object_types,
    audit_reader,
    audit_verify,
)
from socialguard.audit.services import audit_record
from socialguard.web.access import requires

CHUNK = 2000


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def filters_from(request: HttpRequest) -> AuditFilter:
    g = request.GET
    return AuditFilter(
        q=g.get("q", "").strip(),
        action=g.get("action", ""),
        object_type=g.get("object_type", ""),
        actor=g.get("actor", "").strip(),
        since=_date(g.get("since")),
        until=_date(g.get("until")),
    )


@dataclass(frozen=True)
class Row:
    """One line of the page: the event, its change, and its codes in words."""

    event: AuditEvent
    change: Summary
    what: str
    kind: str


@requires("audit.view")
def event_list(request: HttpRequest) -> HttpResponse:
    events = audit_events(filters=filters_from(request)).select_related("actor")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    events_read = list(map(audit_reader(viewer=request.user), page.object_list))
    # Each row carries its change as per-field lines, people named (one query per kind of id).
    rows = [
        Row(e, change, action_label(e.action), record_kind(e.object_type, e.object_repr))
        for e, change in zip(events_read, summaries(events_read), strict=True)
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {
            "page": page,
            "rows": rows,
            "chosen": request.GET,
            # The filters choose by code (as the API and old links do) and read in words.
            "actions": sorted(((a, action_label(a)) for a in audit_action_names()), key=lambda c: c[1]),
            "object_types": sorted(
                ((t, object_type_label(t)) for t in audit_object_types()), key=lambda c: c[1]
            ),
            "query": query.urlencode(),
        },
    )


@requires("audit.view")
def event_export(request: HttpRequest) -> StreamingHttpResponse:
    filters = filters_from(request)
    audit_record(
        actor=request.user,
        action="audit.exported",
        object_type="audit.auditevent",
        after={"filters": {k: str(v) for k, v in vars(filters).items() if v}},
    )
    writer = csvfiles.writer(csvfiles.LineEcho())

    def rows() -> Iterator[str]:
        yield writer.writerow(
            [
                "seq",
                "at",
                "actor",
                "action",
                "action_label",
                "object_type",
                "object_type_label",
                "object_id",
                "object",
                "change",
                "before",
                "after",
                "ip_address",
                "hash",
            ]
        )
        read = audit_reader(viewer=request.user)
        events = map(read, audit_events(filters=filters).order_by("seq").iterator(chunk_size=CHUNK))
        # In chunks, so that the people the events hold by id are named in one query per chunk.
        while chunk := list(itertools.islice(events, CHUNK)):
            for e, summary in zip(chunk, summaries(chunk, limit=None), strict=True):
                yield writer.writerow(
                    [
                        e.seq,
                        e.at.isoformat(),
                        e.actor_label,
                        e.action,
                        action_label(e.action),
                        e.object_type,
                        object_type_label(e.object_type),
                        e.object_id,
                        e.object_repr,
                        summary.text(),
                        as_json(e.before),
                        as_json(e.after),
                        e.ip_address,
                        e.hash,
                    ]
                )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    return response


@requires("audit.verify")
def verify(request: HttpRequest) -> HttpResponse:
    result = audit_verify()
    # That someone checked the trail, and what they found, is itself on the record (and clears the
    # auditor's "check the trail" item until new events arrive).
    audit_record(
        actor=request.user,
        action=VERIFIED,
        object_type="audit.audithead",
        after={"checked": result.checked, "intact": result.ok, "checkpoints": result.checkpoints},
    )
    return render(request, "audit/verify.html", {"result": result}, status=200 if result.ok else 409)
