import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from socialguard.api.auth import requires
from socialguard.api.contract import Keyset, Text
from socialguard.api.lazy import Mapped
from socialguard.audit.models import AuditEvent, VerificationScope
from socialguard.audit.selectors import AuditFilter, audit_events, audit_reader
from socialguard.audit.services import verification_run

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    seq: int
    at: dt.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    object: str
    before: dict[str, Any]
    after: dict[str, Any]
    ip_address: str
    hash: str


class VerifyOut(Schema):
    ok: bool
    checked: int
    first_broken_seq: int | None
    problem: str | None


@router.get(
    "/events", response=list[AuditEventOut], operation_id="list_audit_events", auth=requires("audit.view")
)
@paginate(Keyset, key="seq")
def list_events(
    request: HttpRequest,
    action: Text = "",
    object_type: Text = "",
    actor: Text = "",
    q: Text = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Any:
    events = audit_events(
        filters=AuditFilter(
            q=q, action=action, object_type=object_type, actor=actor, since=since, until=until
        )
    )
    read = audit_reader(viewer=request.user)
    return Mapped(events, lambda e: _event_out(read(e)))


def _event_out(e: AuditEvent) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "at": e.at,
        "actor": e.actor_label,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "object": e.object_repr,
        "before": e.before,
        "after": e.after,
        "ip_address": e.ip_address,
        "hash": e.hash,
    }


@router.get("/verify", response=VerifyOut, operation_id="verify_audit_chain", auth=requires("audit.verify"))
def verify(request: HttpRequest) -> Any:
    """The quick check, as the web page runs it: the events after the newest signed checkpoint,
    each older checkpoint matched against its event. The whole trail is read by the worker nightly."""
    result = verification_run(scope=VerificationScope.SINCE_CHECKPOINT, actor=request.user).result
    return {
        "ok": result.ok,
        "checked": result.checked,
        "first_broken_seq": result.problem.seq if result.problem else None,
        "problem": str(result.problem) if result.problem else None,
    }
