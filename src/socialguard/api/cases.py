"""Concerns and breaches over the API, through the same access rules as the web: a case is
returned in the detail its reader may see (`incidents.access`), and restricted reads are audited."""

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from socialguard.api.auth import requires
from socialguard.api.contract import In, ObjectId, Paging, Text, stored_length
from socialguard.api.lazy import PageMapped
from socialguard.api.problems import Problem, problem
from socialguard.identity.models import User
from socialguard.incidents import evidence as files
from socialguard.incidents import selectors, services
from socialguard.incidents.access import Access, access, may_manage
from socialguard.incidents.downloads import EvidenceUnavailable, evidence_response
from socialguard.incidents.models import (
    Agency,
    Case,
    Category,
    EntryKind,
    Outcome,
    Party,
    PartyRole,
    Referral,
    Severity,
    Source,
)
from socialguard.incidents.models import Status as CaseStatus

router = Router(tags=["cases"])


class PartyIn(In):
    person: Text = Field(max_length=stored_length(Party, "name"))  # a register id (S012, L0042) or a name
    role: PartyRole = PartyRole.OTHER


class ReportIn(In):
    category: Category
    summary: Text = Field(max_length=10_000)  # as a case made from an alert (CaseIn)
    platform: Text = Field("", max_length=stored_length(Case, "platform"))
    url: Text = ""  # the service says how long (web_address)
    account: Text = Field("", max_length=stored_length(Case, "account"))
    happened_on: dt.date | None = None
    people: list[PartyIn] = []
    reporter_affected: bool = False
    source: Source = Source.API
    source_ref: Text = Field("", max_length=stored_length(Case, "source_ref"))


class CasePartyOut(Schema):
    name: str
    role: PartyRole
    kind: Literal["staff", "learner", "guardian", "other"]


class CaseEntryOut(Schema):
    on: dt.date
    kind: EntryKind
    text: str
    restricted: bool


class CaseEvidenceOut(Schema):
    id: int
    name: str
    type: str  # its content type
    size: int  # bytes
    sha256: str


class CaseReferralOut(Schema):
    id: int
    agency: Agency
    referred_on: dt.date
    reference: str
    response: str
    response_on: dt.date | None


class CaseTaskOut(Schema):
    id: int
    text: str
    due_on: dt.date
    done: bool


class CaseOut(Schema):
    id: int
    reference: str
    access: Literal["full", "stub", "reporter"]
    restricted: bool
    # Readers without full access see only whether the case is open or closed.
    status: CaseStatus | Literal["open"]
    category: Category | None = None
    severity: Severity | None = None
    summary: str | None = None
    created_at: dt.datetime
    closed_at: dt.datetime | None = None
    outcome: Outcome | None = None
    investigator: str | None = None
    people: list[CasePartyOut] = []
    entries: list[CaseEntryOut] = []
    evidence: list[CaseEvidenceOut] = []
    referrals: list[CaseReferralOut] = []
    tasks: list[CaseTaskOut] = []
    hidden_parts: int = 0
    # The steps the caller may take now (incidents.transitions), read from one case.
    allowed_actions: list[str] = []


def _case(request: HttpRequest, case_id: ObjectId, manage: bool = False) -> Case:
    case = get_object_or_404(Case, pk=case_id)
    level = access(request.user, case)
    if level == Access.NONE:
        raise Http404
    if manage and not may_manage(request.user, case):
        raise HttpError(403, "You may not work on this case.")
    return case


@router.get("", response=list[CaseOut], operation_id="list_cases", auth=requires("signed-in"))
@paginate(Paging)
def list_cases(request: HttpRequest, q: Text = "", status: CaseStatus | Literal["open"] | None = None) -> Any:
    cases = selectors.case_list(request.user, query=q, status=status or "")
    return PageMapped(cases, lambda page: selectors.case_dicts(request.user, page))


@router.post(
    "", response={201: CaseOut, 400: Problem}, operation_id="report_case", auth=requires("cases.report")
)
def report(request: HttpRequest, payload: ReportIn) -> Any:
    people = [services.party_from_text(p.person, str(p.role)) for p in payload.people]
    case = services.report_submit(actor=request.user, parties=people, **payload.dict(exclude={"people"}))
    return Status(201, selectors.case_dict(request.user, case))


class CaseStatsOut(Schema):
    total: int
    open: int
    restricted: int
    by_category: dict[str, int]
    by_outcome: dict[str, int]
    by_month: dict[str, dict[str, int]]
    open_by_age: dict[str, int]
    median_days_to_triage: float | None
    median_days_to_close: float | None


@router.get("/stats", response=CaseStatsOut, operation_id="case_stats", auth=requires("cases.reports"))
def stats(request: HttpRequest) -> Any:
    figures = selectors.stats(request.user)
    return {
        "total": figures.total,
        "open": figures.open,
        "restricted": figures.restricted,
        "by_category": dict(figures.by_category),
        "by_outcome": dict(figures.by_outcome),
        "by_month": {m: dict(c) for m, c in figures.by_month.items()},
        "open_by_age": dict(figures.open_by_age),
        "median_days_to_triage": figures.days_to_triage,
        "median_days_to_close": figures.days_to_close,
    }


@router.get(
    "/evidence/{evidence_id}",
    response={200: None, 410: Problem},
    operation_id="download_evidence",
    auth=requires("signed-in"),
    description="The file itself, with its stored content type.",
)
def download(request: HttpRequest, evidence_id: ObjectId) -> HttpResponse:
    try:
        return evidence_response(request.user, evidence_id, where="api evidence")
    except EvidenceUnavailable:
        raise HttpError(410, "This file is missing or has been altered.") from None


@router.get("/{case_id}", response=CaseOut, operation_id="get_case", auth=requires("signed-in"))
def get_case(request: HttpRequest, case_id: ObjectId) -> Any:
    case = _case(request, case_id)
    services.restricted_viewed(actor=request.user, case=case, where="api")
    return selectors.case_dict(request.user, case, detail=True)


class TriageIn(In):
    severity: Severity
    investigator: Text  # their email
    clauses: list[Text] = []
    note: Text = ""


def _write(request: HttpRequest, case: Case, call: Any) -> Any:
    call()
    case.refresh_from_db()
    return Status(200, selectors.case_dict(request.user, case, detail=True))


@router.post(
    "/{case_id}/triage", response={200: CaseOut, 400: Problem}, operation_id="triage_case",
    auth=requires("cases.manage"),
)  # fmt: skip
def triage(request: HttpRequest, case_id: ObjectId, payload: TriageIn) -> Any:
    case = _case(request, case_id, manage=True)
    investigator = User.objects.filter(email__iexact=payload.investigator).first()
    return _write(
        request,
        case,
        lambda: services.triage(
            actor=request.user,
            case=case,
            severity=payload.severity,
            investigator=investigator,
            clause_keys=payload.clauses,
            note=payload.note,
        ),
    )


class EntryIn(In):
    kind: Literal[EntryKind.NOTE, EntryKind.ACTION, EntryKind.CONTACT] = EntryKind.NOTE
    text: Text
    happened_on: dt.date | None = None
    restricted: bool = False


@router.post(
    "/{case_id}/entries", response={200: CaseOut, 400: Problem}, operation_id="add_case_entry",
    auth=requires("cases.manage"),
)  # fmt: skip
def add_entry(request: HttpRequest, case_id: ObjectId, payload: EntryIn) -> Any:
    case = _case(request, case_id, manage=True)
    return _write(request, case, lambda: services.entry_add(actor=request.user, case=case, **payload.dict()))


@router.post(
    "/{case_id}/evidence", response={200: CaseOut, 400: Problem}, operation_id="add_case_evidence",
    auth=requires("cases.manage"),
)  # fmt: skip
def add_evidence(
    request: HttpRequest, case_id: ObjectId, file: File[UploadedFile], restricted: bool = False
) -> Any:
    case = _case(request, case_id, manage=True)

    def call() -> None:
        checked = files.check(file.name or "file", file, file.size)
        services.entry_add(
            actor=request.user,
            case=case,
            kind="evidence",
            text="",
            restricted=restricted,
            attachments=[checked],
        )

    return _write(request, case, call)


class ReferralIn(In):
    agency: Agency
    referred_on: dt.date
    reference: Text = Field("", max_length=stored_length(Referral, "reference"))
    notes: Text = ""


@router.post(
    "/{case_id}/referrals", response={200: CaseOut, 400: Problem}, operation_id="add_case_referral",
    auth=requires("cases.manage"),
)  # fmt: skip
def add_referral(request: HttpRequest, case_id: ObjectId, payload: ReferralIn) -> Any:
    case = _case(request, case_id, manage=True)
    return _write(
        request, case, lambda: services.referral_add(actor=request.user, case=case, **payload.dict())
    )


class CaseCloseIn(In):
    outcome: Outcome
    note: Text = ""
    subject: Text | None = None  # staff register id


@router.post(
    "/{case_id}/close", response={200: CaseOut, 400: Problem}, operation_id="close_case",
    auth=requires("cases.manage"),
)  # fmt: skip
def close(request: HttpRequest, case_id: ObjectId, payload: CaseCloseIn) -> Any:
    case = _case(request, case_id, manage=True)
    party = case.parties.filter(staff__external_id=payload.subject).select_related("staff").first()
    if payload.subject and party is None:
        return Status(400, problem(f"{payload.subject} is not recorded as involved in this case", "subject"))
    return _write(
        request,
        case,
        lambda: services.case_close(
            actor=request.user,
            case=case,
            outcome=payload.outcome,
            note=payload.note,
            subject=party.staff if party else None,
        ),
    )
