"""The audit trail's pages: above identity (they check who may see them), so in the web layer;
the trail itself (models, chain, services, selectors) is the audit app, below every other app."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render

from socialguard import csvfiles
from socialguard.audit.changes import Summary, as_json, summaries
from socialguard.audit.labels import action_label, object_type_label, record_kind
from socialguard.audit.models import AuditEvent, VerificationScope
from socialguard.audit.selectors import (
    AuditFilter,
    audit_action_names,
    audit_events,
    audit_object_types,
    audit_page,
    audit_reader,
    latest_checkpoint,
    latest_verification,
    running_full_verification,
)
from socialguard.audit.services import audit_record, verification_request_full, verification_run
from socialguard.identity.access import requires

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
    page = audit_page(filters=filters_from(request), number=request.GET.get("page"))
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
    """The quick check (events since the last signed checkpoint) on every visit; the whole trail in
    the worker on request, its progress shown here."""
    if request.method == "POST":
        verification_request_full(actor=request.user)
        return redirect("audit:verify")
    outcome = verification_run(scope=VerificationScope.SINCE_CHECKPOINT, actor=request.user)
    context = {
        "result": outcome.result,
        "since": latest_checkpoint(),
        **_full_context(),
    }
    return render(request, "audit/verify.html", context, status=200 if outcome.result.ok else 409)


@requires("audit.verify")
def verify_progress(request: HttpRequest) -> HttpResponse:
    """The whole-trail check's progress, polled by the verify page while it runs."""
    return render(request, "audit/_full_verification.html", _full_context())


def _full_context() -> dict[str, Any]:
    return {
        "running": running_full_verification(),
        "last_full": latest_verification(scope=VerificationScope.FULL),
    }
