"""The organisation's rules pack and rule quality over the API (docs/rules.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from socialguard.api.auth import requires
from socialguard.api.contract import In, Paging
from socialguard.api.problems import Problem
from socialguard.policies import packs, services
from socialguard.rules.pack import MAX_PACK_CHARS, PackError

router = Router(tags=["rules"])


class ClauseMapOut(Schema):
    rule: str  # the rule's code
    rule_clause: str  # the clause the rule was written for
    clause: str  # the clause it cites in this organisation's policy
    text: str  # that clause's text


class PackOut(Schema):
    version: int | None
    source: str
    text: str
    saved_at: dt.datetime | None
    summary: str
    clauses: list[ClauseMapOut]


class PackIn(In):
    # Its length is checked with the rest of the pack, as in the web: a clear error, not a 422.
    text: str = Field(
        description=f"The pack as TOML, laid over the base pack; at most {MAX_PACK_CHARS:,} characters."
    )


class ValidOut(Schema):
    valid: bool
    errors: list[str]


class PostRefOut(Schema):
    kind: Literal["archive", "draft"]
    id: int


class RuleChangeOut(Schema):
    rule: str
    newly_flagged: list[PostRefOut]
    no_longer_flagged: list[PostRefOut]


class PostChangeOut(Schema):
    kind: Literal["archive", "draft"]
    id: int
    before: str  # its verdict with the pack in use
    after: str  # with the proposed pack
    newly_flagged: list[str]  # rule codes
    no_longer_flagged: list[str]


class PreviewOut(Schema):
    checked_archive: int
    checked_drafts: int
    rules: list[RuleChangeOut]
    posts: list[PostChangeOut]


class QualityOut(Schema):
    rule: str
    name: str
    fired: int
    overridden: int
    dismissed: int
    rate: int
    reasons: list[str]


def _pack_problem(exc: PackError) -> dict[str, Any]:
    return {
        "detail": "; ".join(exc.errors),
        "errors": [{"field": "body.text", "message": e} for e in exc.errors],
    }


@router.get("/pack", response=PackOut, operation_id="get_rules_pack", auth=requires("rules.pack_view"))
def get_pack(request: HttpRequest) -> Any:
    """The pack the checks use now, where it comes from, and the clause each rule cites."""
    version = packs.current_version()
    pack, source = packs.rules_pack()
    return {
        "version": version.number if version else None,
        "source": source,
        "text": version.text if version else packs.starting_text(),
        "saved_at": version.created_at if version else None,
        "summary": version.summary if version else "",
        "clauses": [
            {"rule": r.code, "rule_clause": r.engine_clause, "clause": r.cited, "text": r.text}
            for r in packs.mapping_rows(pack)
        ],
    }


@router.post(
    "/pack/validate", response=ValidOut, operation_id="validate_rules_pack", auth=requires("rules.pack_view")
)
def validate_pack(request: HttpRequest, payload: PackIn) -> Any:
    """Every problem in a proposed pack, each as "line N: [section] key: reason"."""
    try:
        packs.load_text(payload.text, "pack")
    except PackError as exc:
        return {"valid": False, "errors": exc.errors}
    return {"valid": True, "errors": []}


@router.post(
    "/pack/preview",
    response={200: PreviewOut, 400: Problem},
    operation_id="preview_rules_pack",
    auth=requires("rules.pack_manage"),
)
def preview_pack(request: HttpRequest, payload: PackIn) -> Any:
    """Re-check the archive and recent drafts with the proposed pack: what would change, per rule."""
    try:
        proposed = packs.load_text(payload.text, "pack")
    except PackError as exc:
        return Status(400, _pack_problem(exc))
    result = packs.preview(proposed)
    return Status(
        200,
        {
            "checked_archive": result.checked_archive,
            "checked_drafts": result.checked_drafts,
            "rules": [
                {
                    "rule": r.rule,
                    "newly_flagged": [{"kind": p.kind, "id": p.id} for p in r.newly],
                    "no_longer_flagged": [{"kind": p.kind, "id": p.id} for p in r.cleared],
                }
                for r in result.rules
            ],
            "posts": [
                {
                    "kind": p.kind,
                    "id": p.id,
                    "before": p.before,
                    "after": p.after,
                    "newly_flagged": p.newly,
                    "no_longer_flagged": p.cleared,
                }
                for p in result.posts
            ],
        },
    )


@router.post(
    "/pack",
    response={201: PackOut, 400: Problem},
    operation_id="save_rules_pack",
    auth=requires("rules.pack_manage"),
)
def save_pack(request: HttpRequest, payload: PackIn) -> Any:
    """Save a new version of the pack; checks use it at once. Audited."""
    try:
        services.pack_save(actor=request.user, text=payload.text)
    except PackError as exc:
        return Status(400, _pack_problem(exc))
    return Status(201, get_pack(request))


@router.get(
    "/quality", response=list[QualityOut], operation_id="rule_quality", auth=requires("rules.pack_view")
)
@paginate(Paging)
def rule_quality(request: HttpRequest, days: int = Query(90, ge=1, le=3660)) -> Any:  # type: ignore[type-arg]
    """Per rule over the last `days`: how often it fired, was overridden or dismissed, and why."""
    until = timezone.now()
    rows = packs.rule_quality(until - dt.timedelta(days=days), until)
    return [
        {"rule": r.rule, "name": r.name, "fired": r.fired, "overridden": r.overridden,
         "dismissed": r.dismissed, "rate": r.rate, "reasons": [reason for reason, _, _ in r.reasons]}
        for r in rows
    ]  # fmt: skip
