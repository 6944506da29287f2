"""Monitoring over the API: the sources and their health, polling one now (SMT), and the alerts
a person may see with their triage. The same services and access rules as the web and the CLI."""

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from socialguard.api.auth import requires
from socialguard.api.check import FindingOut
from socialguard.api.contract import Id, In, ObjectId, Paging, PostText, Text
from socialguard.api.lazy import Mapped
from socialguard.api.problems import Problem
from socialguard.identity.models import User
from socialguard.monitoring import access, selectors, services
from socialguard.monitoring.models import Alert, AlertKind, AlertState, Health, Source

router = Router(tags=["monitoring"])


SourceKind = Literal[
    "bluesky_own", "bluesky_mentions", "bluesky_lookalikes", "bluesky_stream", "feed", "export"
]


class SourceOut(Schema):
    id: int
    name: str
    kind: SourceKind  # monitoring.models.Kind's codes (content has a Kind of its own)
    account: str | None
    url: str
    health: Health
    last_error: str
    warning: str = Field(description="A problem that does not stop the source but needs someone to look.")
    last_ok_at: dt.datetime | None
    next_poll_at: dt.datetime | None


class PollOut(Schema):
    source: str
    stored: int
    checked: int
    alerts: int
    error: str


class AlertOut(Schema):
    id: int
    kind: AlertKind
    state: AlertState
    author: str
    url: str
    uri: str
    text: str
    reasons: list[str]
    findings: list[FindingOut]  # the policy check's, as `check_posts` answers them
    created_at: dt.datetime
    assignee: str | None
    dismiss_reason: str
    case: str | None
    reply_draft: int | None


class DismissIn(In):
    reason: Text = Field(min_length=1, max_length=2000)


class AssignIn(In):
    assignee: Text = Field(description="The email of the person to assign it to.", max_length=254)


class CaseIn(In):
    summary: Text = Field("", max_length=10_000)


class RespondIn(In):
    text: PostText = Field(min_length=1)
    account: Id | None = None


def _source_out(s: Source) -> dict[str, Any]:
    return {
        "id": s.pk, "name": s.name, "kind": s.kind, "account": str(s.account) if s.account else None,
        "url": s.config.get("url", ""), "health": s.health, "last_error": s.last_error,
        "warning": s.warning, "last_ok_at": s.last_ok_at, "next_poll_at": s.next_poll_at,
    }  # fmt: skip


def _alert_out(a: Alert) -> dict[str, Any]:
    return {
        "id": a.pk, "kind": a.kind, "state": a.state, "author": a.author, "url": a.url, "uri": a.uri,
        "text": a.text, "reasons": a.reasons, "findings": a.findings, "created_at": a.created_at,
        "assignee": a.assignee.email if a.assignee else None, "dismiss_reason": a.dismiss_reason,
        "case": a.case.reference if a.case else None, "reply_draft": a.reply_draft_id,
    }  # fmt: skip


@router.get("/sources", response=list[SourceOut], operation_id="list_monitoring_sources",
            auth=requires("monitoring.view"))  # fmt: skip
@paginate(Paging)
def list_sources(request: HttpRequest) -> Any:
    return Mapped(selectors.sources(), _source_out)


@router.post("/sources/{source_id}/poll", response=PollOut, operation_id="poll_monitoring_source",
             auth=requires("monitoring.manage"))  # fmt: skip
def poll_source(request: HttpRequest, source_id: ObjectId) -> Any:
    source = get_object_or_404(Source, pk=source_id)
    result = services.poll(source)
    return {"source": result.source, "stored": result.stored, "checked": result.checked,
            "alerts": result.alerts, "error": result.error}  # fmt: skip


@router.get("/alerts", response=list[AlertOut], operation_id="list_monitoring_alerts",
            auth=requires("monitoring.view"))  # fmt: skip
@paginate(Paging)
def list_alerts(
    request: HttpRequest,
    state: Literal["open", "all", "new", "assigned", "dismissed", "case", "responded"] = "open",
    kind: AlertKind | None = None,
) -> Any:
    # Converted for the page only: the whole inbox was read and converted for every page.
    return Mapped(selectors.alerts_for(request.user, state=state, kind=kind or ""), _alert_out)


def _alert(request: HttpRequest, alert_id: int) -> Alert:
    alert = Alert.objects.filter(pk=alert_id).first()
    if alert is None or not access.may_see(request.user, alert):
        raise Http404
    return alert


@router.get("/alerts/{alert_id}", response=AlertOut, operation_id="get_monitoring_alert",
            auth=requires("monitoring.view"))  # fmt: skip
def get_alert(request: HttpRequest, alert_id: ObjectId) -> Any:
    return _alert_out(_alert(request, alert_id))


def _decide(request: HttpRequest, alert: Alert, call: Any) -> Any:
    call()
    alert.refresh_from_db()
    return Status(200, _alert_out(alert))


@router.post("/alerts/{alert_id}/dismiss", response={200: AlertOut, 400: Problem},
             operation_id="dismiss_monitoring_alert", auth=requires("monitoring.triage"))  # fmt: skip
def dismiss(request: HttpRequest, alert_id: ObjectId, payload: DismissIn) -> Any:
    alert = _alert(request, alert_id)
    return _decide(
        request, alert, lambda: services.alert_dismiss(actor=request.user, alert=alert, reason=payload.reason)
    )


@router.post("/alerts/{alert_id}/assign", response={200: AlertOut, 400: Problem},
             operation_id="assign_monitoring_alert", auth=requires("monitoring.triage"))  # fmt: skip
def assign(request: HttpRequest, alert_id: ObjectId, payload: AssignIn) -> Any:
    alert = _alert(request, alert_id)
    person = User.objects.filter(email__iexact=payload.assignee, is_active=True).first()
    return _decide(
        request, alert, lambda: services.alert_assign(actor=request.user, alert=alert, assignee=person)
    )


@router.post("/alerts/{alert_id}/case", response={200: AlertOut, 400: Problem},
             operation_id="monitoring_alert_to_case", auth=requires("monitoring.triage"))  # fmt: skip
def to_case(request: HttpRequest, alert_id: ObjectId, payload: CaseIn) -> Any:
    alert = _alert(request, alert_id)
    return _decide(
        request,
        alert,
        lambda: services.alert_to_case(actor=request.user, alert=alert, summary=payload.summary),
    )


@router.post("/alerts/{alert_id}/respond", response={200: AlertOut, 400: Problem},
             operation_id="respond_to_monitoring_alert", auth=requires("monitoring.triage"))  # fmt: skip
def respond(request: HttpRequest, alert_id: ObjectId, payload: RespondIn) -> Any:
    from socialguard.accounts.models import OrgAccount

    alert = _alert(request, alert_id)
    account = OrgAccount.objects.filter(pk=payload.account).first() if payload.account else None
    return _decide(
        request,
        alert,
        lambda: services.alert_respond(actor=request.user, alert=alert, text=payload.text, account=account),
    )
