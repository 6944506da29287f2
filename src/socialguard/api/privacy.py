"""Personal accounts and data protection over the API: the same services, selectors and
permission layer as the privacy pages and `socialguard privacy`.

A connection self-check sends the export's text in the JSON body (held in memory, as every JSON
body is; never stored) and gets the matches back; only the count is recorded.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from socialguard.api.auth import requires
from socialguard.api.contract import In, ObjectId, Paging, Text, stored_length
from socialguard.api.problems import Problem, problem
from socialguard.privacy import exports, matching, processing, selectors, services, subject_access
from socialguard.privacy.models import Erasure, LawfulBasis, PersonKind, ScreeningRecord, ScreeningStatus
from socialguard.privacy.retention import self_check_max_bytes

router = Router(tags=["privacy"])
Source = Annotated[str, Field(pattern="^(|linkedin|facebook|instagram|x|pasted)$")]


class SelfCheckIn(In):
    source: Source = Field("", description="The export's format, or '' to recognise it, or 'pasted'.")
    content: Text = Field(
        description="The export file's text (Connections.csv, friends JSON, follower.js) or pasted handles."
    )


class MatchOut(Schema):
    connection: str
    matched_by: str
    why: str
    people_in_register: int


class SelfCheckOut(Schema):
    check_id: int
    format: str
    read: int
    note: str
    clause: str
    matches: list[MatchOut]


@router.post(
    "/self-check", response={200: SelfCheckOut, 400: Problem, 413: Problem},
    operation_id="check_my_connections", auth=requires("privacy.self_check"),
)  # fmt: skip
def self_check(request: HttpRequest, payload: SelfCheckIn) -> Any:
    data = payload.content.encode("utf-8")
    if len(data) > self_check_max_bytes():
        return Status(413, problem(f"the export is larger than {self_check_max_bytes() // (1024 * 1024)} MB"))
    try:
        if payload.source == "pasted":
            parsed = exports.parse_pasted(payload.content)
        else:
            parsed = exports.parse(data, expected=payload.source)
    except exports.ExportError as exc:
        return Status(400, problem(str(exc), "body.content"))
    found = matching.match(parsed.connections, selectors.register_index())
    check = services.self_check_done(actor=request.user, matches=len(found), source=parsed.format)
    return {
        "check_id": check.pk,
        "format": parsed.format,
        "read": len(parsed.connections),
        "note": parsed.note,
        "clause": f"{matching.CLAUSE}: {matching.CLAUSE_TEXT}",
        "matches": [
            {
                "connection": m.shown_as,
                "matched_by": m.how,
                "why": m.why,
                "people_in_register": m.register_count,
            }
            for m in found
        ],
    }


class ReviewIn(In):
    platforms: list[Text]
    ticked: dict[Text, list[Text]] = Field(
        description="For each platform, the keys of the checklist items done."
    )


class PrivacyReviewOut(Schema):
    id: int
    done_at: dt.datetime
    platforms: list[str]


@router.post(
    "/reviews", response={201: PrivacyReviewOut, 400: Problem}, operation_id="complete_privacy_review",
    auth=requires("privacy.review"),
)  # fmt: skip
def review(request: HttpRequest, payload: ReviewIn) -> Any:
    done = services.privacy_review_complete(
        actor=request.user, platforms=payload.platforms, ticked=payload.ticked
    )
    return Status(201, {"id": done.pk, "done_at": done.done_at, "platforms": done.platforms})


class PrivacyCoverageOut(Schema):
    department: str
    staff: int
    reviewed: int
    checked: int
    matches_resolved: int


@router.get(
    "/coverage",
    response=list[PrivacyCoverageOut],
    operation_id="privacy_coverage",
    auth=requires("privacy.coverage"),
)
@paginate(Paging)
def coverage(request: HttpRequest) -> Any:
    return selectors.coverage()


class ScreeningIn(In):
    candidate: Text = Field(max_length=stored_length(ScreeningRecord, "candidate"))
    role_applied_for: Text = Field(max_length=stored_length(ScreeningRecord, "role_applied_for"))
    lawful_basis: LawfulBasis | None = None
    candidate_told: bool = False
    platforms: list[Text]
    exception_reason: Text = ""


class ScreeningOut(Schema):
    id: int
    candidate: str
    role_applied_for: str
    lawful_basis: str
    candidate_told: bool
    platforms: list[str]
    exception_reason: str
    status: ScreeningStatus
    looked_at: str
    outcome: str
    decided_on: dt.date | None
    expires_on: dt.date | None


def _screening(record_id: int) -> ScreeningRecord:
    return get_object_or_404(ScreeningRecord, pk=record_id)


def _write(call: Any, status: int = 200) -> Any:
    return Status(status, call())


@router.get(
    "/recruitment",
    response=list[ScreeningOut],
    operation_id="list_recruitment_checks",
    auth=requires("recruitment.screen"),
)
@paginate(Paging)
def screening_list(request: HttpRequest) -> Any:
    return selectors.screening_records(request.user)


@router.post(
    "/recruitment", response={201: ScreeningOut, 400: Problem}, operation_id="record_recruitment_check",
    auth=requires("recruitment.screen"),
)  # fmt: skip
def screening_create(request: HttpRequest, payload: ScreeningIn) -> Any:
    data = payload.dict()
    data["lawful_basis"] = data["lawful_basis"] or ""
    return _write(lambda: services.screening_create(actor=request.user, **data), 201)


@router.post(
    "/recruitment/{record_id}/approve", response={200: ScreeningOut, 400: Problem},
    operation_id="approve_recruitment_exception", auth=requires("recruitment.screen"),
)  # fmt: skip
def screening_approve(request: HttpRequest, record_id: ObjectId) -> Any:
    record = _screening(record_id)
    return _write(lambda: services.screening_approve_exception(actor=request.user, record=record))


class CheckResultIn(In):
    looked_at: Text
    outcome: Text


@router.post(
    "/recruitment/{record_id}/result", response={200: ScreeningOut, 400: Problem},
    operation_id="record_recruitment_result", auth=requires("recruitment.screen"),
)  # fmt: skip
def screening_result(request: HttpRequest, record_id: ObjectId, payload: CheckResultIn) -> Any:
    record = _screening(record_id)
    return _write(
        lambda: services.screening_record_check(actor=request.user, record=record, **payload.dict())
    )


class RecruitmentDecisionIn(In):
    decided_on: dt.date


@router.post(
    "/recruitment/{record_id}/decision", response={200: ScreeningOut, 400: Problem},
    operation_id="record_recruitment_decision", auth=requires("recruitment.screen"),
)  # fmt: skip
def screening_decision(request: HttpRequest, record_id: ObjectId, payload: RecruitmentDecisionIn) -> Any:
    record = _screening(record_id)
    return _write(
        lambda: services.screening_decide(actor=request.user, record=record, decided_on=payload.decided_on)
    )


class SubjectAccessOut(Schema):
    filename: str
    zip_base64: str = Field(description="The ZIP (data.json and summary.html), base64-encoded.")


@router.post(
    "/subject-access/{kind}/{subject_id}", response=SubjectAccessOut, operation_id="subject_access_export",
    auth=requires("privacy.subject_access"),
)  # fmt: skip
def subject_access_export(request: HttpRequest, kind: PersonKind, subject_id: ObjectId) -> Any:
    get_object_or_404(selectors.person_model(kind), pk=subject_id)
    export = subject_access.subject_access_export(actor=request.user, kind=kind, pk=subject_id)
    return {"filename": export.filename, "zip_base64": base64.b64encode(export.content).decode()}


class DueOut(Schema):
    kind: str
    id: int
    name: str
    rule: str
    due_since: dt.date
    legal_holds: list[str]


@router.get(
    "/retention", response=list[DueOut], operation_id="retention_due", auth=requires("privacy.retention")
)
@paginate(Paging)
def retention_due(request: HttpRequest) -> Any:
    return [
        {
            "kind": r.kind,
            "id": r.pk,
            "name": r.name,
            "rule": r.rule,
            "due_since": r.due_since,
            "legal_holds": r.holds,
        }
        for r in selectors.retention_due(reader=request.user)
    ]


class EraseIn(In):
    reason: Text = Field(max_length=stored_length(Erasure, "reason"))


class ErasureOut(Schema):
    kind: str
    id: int
    pseudonym: str


@router.post(
    "/retention/{kind}/{subject_id}/erase", response={200: ErasureOut, 400: Problem},
    operation_id="erase_person", auth=requires("privacy.retention"),
)  # fmt: skip
def erase(request: HttpRequest, kind: PersonKind, subject_id: ObjectId, payload: EraseIn) -> Any:
    get_object_or_404(selectors.person_model(kind), pk=subject_id)

    def call() -> dict[str, Any]:
        done = services.person_erase(actor=request.user, kind=kind, pk=subject_id, reason=payload.reason)
        return {"kind": done.kind, "id": done.record_id, "pseudonym": done.pseudonym}

    return _write(call)


class ProcessingOut(Schema):
    part: str
    why: str
    lawful_basis: str
    how_long: str
    who_can_see: str
    records: dict[str, list[str]]


@router.get(
    "/processing",
    response=list[ProcessingOut],
    operation_id="record_of_processing",
    auth=requires("privacy.processing"),
)
@paginate(Paging)
def record_of_processing(request: HttpRequest) -> Any:
    return [
        {
            "part": e.purpose.part,
            "why": e.purpose.why,
            "lawful_basis": e.purpose.basis,
            "how_long": e.purpose.how_long,
            "who_can_see": e.purpose.who,
            "records": {m.label: m.fields for m in e.models},
        }
        for e in processing.record_of_processing()
    ]
