"""Policy versions, reviews, declarations, training and the legislation register over the API.

No `from __future__ import annotations` here: ninja reads a paged operation's parameters
(`@paginate` wraps the function) from their evaluated types, which a string cannot give it."""

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from socialguard.api.auth import requires
from socialguard.api.contract import Id, In, ObjectId, Paging, Text, stored_length
from socialguard.api.lazy import Mapped, PageMapped
from socialguard.api.problems import Problem, problem
from socialguard.audit.context import current_ip
from socialguard.people.models import StaffMember
from socialguard.people.selectors import staff_in_post
from socialguard.policies import access, selectors, services, transitions
from socialguard.policies.legislation import load_register
from socialguard.policies.models import (
    Audience,
    Course,
    Declaration,
    PolicyVersion,
    TrainingCompletion,
    VersionStatus,
)

router = Router(tags=["policy"])


class VersionOut(Schema):
    id: int
    number: int
    title: str
    status: VersionStatus
    text_hash: str
    issue_date: dt.date | None
    next_review_date: dt.date | None
    owner_role: str
    change_summary: str
    published_at: dt.datetime | None


class ClauseOut(Schema):
    key: str
    number: str
    heading: str
    label: str
    level: int
    parent: str
    text: str


class VersionDetailOut(VersionOut):
    clauses: list[ClauseOut]
    allowed_actions: list[str] = []  # the steps the caller may take now (policies.transitions)


def _version(v: PolicyVersion) -> dict[str, Any]:
    return {
        "id": v.pk,
        "number": v.number,
        "title": v.title,
        "status": v.status,
        "text_hash": v.text_hash,
        "issue_date": v.issue_date,
        "next_review_date": v.next_review_date,
        "owner_role": v.owner_role,
        "change_summary": v.change_summary,
        "published_at": v.published_at,
    }


def _visible(request: HttpRequest, version_id: int) -> PolicyVersion:
    try:  # drafts are for the people reviewing them (access.py), as on the web
        return access.versions_visible(request.user).get(pk=version_id)
    except PolicyVersion.DoesNotExist:
        raise HttpError(404, "Not found.") from None


@router.get(
    "/versions", response=list[VersionOut], operation_id="list_policy_versions", auth=requires("policy.view")
)
@paginate(Paging)
def list_versions(request: HttpRequest) -> Any:
    return Mapped(access.versions_visible(request.user), _version)


@router.get(
    "/versions/{version_id}",
    response=VersionDetailOut,
    operation_id="get_policy_version",
    auth=requires("policy.view"),
)
def get_version(request: HttpRequest, version_id: ObjectId) -> Any:
    version = _visible(request, version_id)
    clauses = [
        {
            "key": c.key,
            "number": c.number,
            "heading": c.heading,
            "label": c.label,
            "level": c.level,
            "parent": c.parent_key,
            "text": c.text,
        }
        for c in version.clauses.all()
    ]
    return {
        **_version(version),
        "clauses": clauses,
        "allowed_actions": transitions.allowed_actions(version, request.user),
    }


class ChangeOut(Schema):
    key: str
    label: str
    kind: str
    old_text: str
    new_text: str


@router.get(
    "/versions/{version_id}/diff/{other_id}",
    response=list[ChangeOut],
    operation_id="diff_policy_versions",
    auth=requires("policy.view"),
)
@paginate(Paging)
def diff_versions(request: HttpRequest, version_id: ObjectId, other_id: ObjectId, all: bool = False) -> Any:
    """Clause by clause from `other_id` (older) to `version_id` (newer)."""
    changes = selectors.version_diff(_visible(request, other_id), _visible(request, version_id))
    return [c.__dict__ for c in changes if all or c.kind != "unchanged"]


@router.post(
    "/versions",
    response={201: VersionOut, 400: Problem},
    operation_id="import_policy_version",
    auth=requires("policy.manage"),
)
def import_version(request: HttpRequest, file: UploadedFile = File(...), title: Text = Form("")) -> Any:  # noqa: B008
    try:
        version = services.policy_import(
            actor=request.user, data=file.read(), filename=file.name or "policy.md", title=title
        )
    except services.PolicyImportError as exc:
        return Status(400, problem(str(exc)))
    return Status(201, _version(version))


class PublishIn(In):
    issue_date: dt.date | None = None
    next_review_date: dt.date | None = None


@router.post(
    "/versions/{version_id}/publish",
    response={200: VersionOut, 400: Problem},
    operation_id="publish_policy_version",
    auth=requires("policy.manage"),
)
def publish_version(request: HttpRequest, version_id: ObjectId, payload: PublishIn) -> Any:
    version = get_object_or_404(PolicyVersion, pk=version_id)
    version = services.version_publish(actor=request.user, version=version, **payload.dict())
    return Status(200, _version(version))


class ReviewCommentOut(Schema):
    clause: str  # the clause key (4.1)
    version: int
    text: str
    author: str  # their email; empty if the account was removed
    at: dt.datetime


class ReviewOut(Schema):
    state: Literal["unknown", "overdue", "due-soon", "ok"]
    next_review_date: dt.date | None
    describe: str
    open_review_id: int | None
    comments: list[ReviewCommentOut]


def _review_out() -> dict[str, Any]:
    document = selectors.policy_document()
    if document is None:
        raise HttpError(404, "No policy has been imported yet.")
    state = selectors.review_state(document)
    review = selectors.open_review(document)
    comments = (
        [
            {
                "clause": c.clause_key,
                "version": c.version.number,
                "text": c.text,
                "author": c.author.email if c.author else "",
                "at": c.created_at,
            }
            for c in review.comments.select_related("author", "version")
        ]
        if review
        else []
    )
    return {
        "state": state.state,
        "next_review_date": state.next_review_date,
        "describe": state.describe,
        "open_review_id": review.pk if review else None,
        "comments": comments,
    }


@router.get(
    "/review",
    response={200: ReviewOut, 404: Problem},
    operation_id="get_policy_review",
    auth=requires("policy.review"),
)
def get_review(request: HttpRequest) -> Any:
    return _review_out()


@router.post(
    "/review",
    response={201: ReviewOut, 400: Problem, 404: Problem},
    operation_id="start_policy_review",
    auth=requires("policy.manage"),
)
def start_review(request: HttpRequest) -> Any:
    document = selectors.policy_document()
    if document is None:
        raise HttpError(404, "No policy has been imported yet.")
    services.review_start(actor=request.user, document=document)
    return Status(201, _review_out())


class CommentIn(In):
    clause: Text
    text: Text
    version_id: Id | None = None


@router.post(
    "/review/comments",
    response={201: ReviewOut, 400: Problem, 404: Problem},
    operation_id="comment_policy_review",
    auth=requires("policy.comment"),
)
def comment(request: HttpRequest, payload: CommentIn) -> Any:
    document = selectors.policy_document()
    review = selectors.open_review(document) if document else None
    if review is None:
        return Status(400, problem("No review is open."))
    version = (
        get_object_or_404(PolicyVersion, pk=payload.version_id) if payload.version_id else review.version
    )
    clause = services.outline.find_clause(services.clauses_of(version), payload.clause)
    services.review_comment_add(
        actor=request.user,
        review=review,
        version=version,
        clause_key=clause.key if clause else payload.clause,
        text=payload.text,
    )
    return Status(201, _review_out())


class ReconfirmIn(In):
    next_review_date: dt.date
    note: Text = ""


@router.post(
    "/review/reconfirm",
    response={200: ReviewOut, 400: Problem},
    operation_id="reconfirm_policy",
    auth=requires("policy.manage"),
)
def reconfirm(request: HttpRequest, payload: ReconfirmIn) -> Any:
    document = selectors.policy_document()
    review = selectors.open_review(document) if document else None
    if review is None:
        return Status(400, problem("Start a review first."))
    services.review_reconfirm(actor=request.user, review=review, **payload.dict())
    return Status(200, _review_out())


class ReferenceOut(Schema):
    key: str
    title: str
    status: str
    verdict: str
    clauses: list[str]
    summary: str
    superseded_by: str
    sources: list[str]


class LegislationOut(ReferenceOut):
    """An entry of the legislation register (its own name: each paged list names its page after it)."""


@router.get(
    "/references",
    response={200: list[ReferenceOut], 404: Problem},
    operation_id="list_policy_references",
    auth=requires("policy.view"),
)
@paginate(Paging)
def references(request: HttpRequest, version_id: Id | None = None) -> Any:
    """The current (or given) version's legislation references with their status; missing ones last."""
    version = _visible(request, version_id) if version_id else selectors.current_version()
    if version is None:
        raise HttpError(404, "No policy is published yet.")
    report = selectors.references_for(version)
    rows = [
        {
            "key": c.reference.key,
            "title": c.reference.title,
            "status": c.reference.status,
            "verdict": c.verdict,
            "clauses": c.clauses,
            "summary": c.reference.summary,
            "superseded_by": c.reference.superseded_by,
            "sources": list(c.reference.sources),
        }
        for c in report.cited
    ]
    rows += [
        {
            "key": r.key,
            "title": r.title,
            "status": r.status,
            "verdict": "missing",
            "clauses": [],
            "summary": r.summary,
            "superseded_by": r.superseded_by,
            "sources": list(r.sources),
        }
        for r in report.missing
    ]
    return rows


@router.get(
    "/legislation",
    response=list[LegislationOut],
    operation_id="list_legislation",
    auth=requires("policy.view"),
)
@paginate(Paging)
def legislation(request: HttpRequest) -> Any:
    """The legislation register (it ships with the application), paged like every list."""
    return [
        {
            "key": r.key,
            "title": r.title,
            "status": r.status,
            "verdict": r.status,
            "clauses": [],
            "summary": r.summary,
            "superseded_by": r.superseded_by,
            "sources": list(r.sources),
        }
        for r in load_register(settings.LEGISLATION_FILE)
    ]


# --- Declarations ------------------------------------------------------------------------------


class CoverageGroupOut(Schema):
    group: str  # a department, or an employment type in words
    declared: int
    in_post: int
    percent: int


class OutstandingOut(Schema):
    staff_id: str
    name: str
    owed_since: dt.date | None
    days: int


class CoverageOut(Schema):
    version: int
    declared: int
    in_post: int
    percent: int
    by_department: list[CoverageGroupOut]
    by_employment_type: list[CoverageGroupOut]
    outstanding: int  # how many owe it: the people are GET /declarations/outstanding, paged


@router.get(
    "/declarations/status",
    response={200: CoverageOut, 404: Problem},
    operation_id="declaration_status",
    auth=requires("declarations.view"),
)
def declaration_status(request: HttpRequest) -> Any:
    version = selectors.current_version()
    if version is None:
        raise HttpError(404, "No policy is published yet.")
    # Counted in the database (as the coverage page is): a fixed number of queries for any staff.
    summary = selectors.declaration_summary(version)

    def groups(found: list[selectors.CoverageGroup]) -> list[dict[str, Any]]:
        return [{"group": g.label, "declared": g.declared, "in_post": g.total, "percent": g.percent}
                for g in found]  # fmt: skip

    return {
        "version": version.number,
        "declared": summary.overall.declared,
        "in_post": summary.overall.total,
        "percent": summary.overall.percent,
        "by_department": groups(summary.by_department),
        "by_employment_type": groups(summary.by_type),
        "outstanding": summary.outstanding.count(),
    }


@router.get(
    "/declarations/outstanding",
    response={200: list[OutstandingOut], 404: Problem},
    operation_id="declarations_outstanding",
    auth=requires("declarations.view"),
)
@paginate(Paging)
def declarations_outstanding(request: HttpRequest) -> Any:
    """Staff in post who have not declared the current version, paged in the database (one
    list in the status answer grew with the staff: 3,000 rows at a large college group)."""
    version = selectors.current_version()
    if version is None:
        raise HttpError(404, "No policy is published yet.")
    owing = staff_in_post().exclude(pk__in=Declaration.objects.filter(version=version).values("staff_id"))
    today = timezone.localdate()
    return PageMapped(
        owing,
        lambda page: [
            {
                "staff_id": r.staff.external_id,
                "name": r.staff.full_name,
                "owed_since": r.owed_since,
                "days": r.days_owed(today),
            }
            for r in selectors.declaration_rows(version, page)
        ],
    )


class DeclareIn(In):
    read_and_understood: bool
    agrees_to_comply: bool
    accepts_monitoring: bool


class DeclarationOut(Schema):
    staff_id: str
    version: int
    version_hash: str
    declared_at: dt.datetime


@router.post(
    "/declarations",
    response={201: DeclarationOut, 400: Problem},
    operation_id="declare_policy",
    auth=requires("declarations.make"),
)
def declare(request: HttpRequest, payload: DeclareIn) -> Any:
    """Declare the current version for yourself (the token's owner)."""
    version = selectors.current_version()
    staff = selectors.staff_for_user(request.user)
    if version is None or staff is None:
        return Status(400, problem("No published policy, or your sign-in has no staff record."))
    d = services.declaration_make(
        actor=request.user,
        staff=staff,
        version=version,
        confirmations=payload.dict(),
        ip_address=current_ip.get(),
    )
    return Status(
        201,
        {
            "staff_id": staff.external_id,
            "version": version.number,
            "version_hash": d.version_hash,
            "declared_at": d.declared_at,
        },
    )


# --- Training ----------------------------------------------------------------------------------


class TrainingGapOut(Schema):
    staff_id: str
    name: str
    state: Literal["overdue", "expired", "due", "expiring"]
    due_on: dt.date | None


class CourseOut(Schema):
    id: int
    code: str
    name: str
    required_for: Audience
    refresher_months: int | None
    required: int
    up_to_date: int
    gaps: list[TrainingGapOut]


@router.get(
    "/training", response=list[CourseOut], operation_id="training_status", auth=requires("training.view")
)
@paginate(Paging)
def training_status(request: HttpRequest) -> Any:
    """One row per course, each with its gaps."""
    return [
        {
            "id": c.course.pk,
            "code": c.course.code,
            "name": c.course.name,
            "required_for": c.course.required_for,
            "refresher_months": c.course.refresher_months,
            "required": c.required,
            "up_to_date": c.current,
            "gaps": [
                {
                    "staff_id": s.staff.external_id,
                    "name": s.staff.full_name,
                    "state": s.state,
                    "due_on": s.due_on,
                }
                for s in c.gaps
            ],
        }
        for c in selectors.training_coverage()
    ]


class CompletionIn(In):
    staff_id: Text
    course: Text  # the course code
    completed_on: dt.date
    evidence: Text = Field("", max_length=stored_length(TrainingCompletion, "evidence"))


class CompletionOut(Schema):
    staff_id: str
    course: str
    completed_on: dt.date
    expires_on: dt.date | None


@router.post(
    "/training/completions",
    response={201: CompletionOut, 400: Problem},
    operation_id="record_training",
    auth=requires("training.manage"),
)
def record_training(request: HttpRequest, payload: CompletionIn) -> Any:
    staff = StaffMember.objects.filter(external_id=payload.staff_id).first()
    course = Course.objects.filter(code=payload.course).first()
    if staff is None or course is None:
        field = "staff_id" if staff is None else "course"
        value = payload.staff_id if staff is None else payload.course
        return Status(
            400, {"detail": f"unknown {field} {value!r}", "errors": [{"field": field, "message": "unknown"}]}
        )
    c = services.completion_record(
        actor=request.user,
        staff=staff,
        course=course,
        completed_on=payload.completed_on,
        evidence=payload.evidence,
    )
    return Status(
        201,
        {
            "staff_id": staff.external_id,
            "course": course.code,
            "completed_on": c.completed_on,
            "expires_on": c.expires_on,
        },
    )


class TrainingImportOut(Schema):
    recorded: int
    already_recorded: int


@router.post(
    "/training/import",
    response={200: TrainingImportOut, 400: Problem},
    operation_id="import_training",
    auth=requires("training.manage"),
)
def import_training(request: HttpRequest, file: UploadedFile = File(...)) -> Any:  # noqa: B008
    recorded, existing = services.completions_import(
        actor=request.user, data=file.read(), filename=file.name or "training.csv"
    )
    return Status(200, {"recorded": recorded, "already_recorded": existing})
