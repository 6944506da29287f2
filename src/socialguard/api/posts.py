"""Posts over the API: drafts and their media, the policy check, approval, manual publication
and the archive. The same services and access rules as the web pages and the CLI."""

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from socialguard.accounts.models import OrgAccount, Platform
from socialguard.api.auth import requires
from socialguard.api.check import FindingSeverity
from socialguard.api.contract import MAX_ID, Id, In, ObjectId, Paging, PostText, Text
from socialguard.api.lazy import Mapped
from socialguard.api.problems import Problem, problem
from socialguard.content import access, archive, publishing, selectors, services
from socialguard.content.checking import check_text
from socialguard.content.models import Draft, Kind, PublishedPost, State
from socialguard.rules import Verdict

router = Router(tags=["posts"])
Link = Annotated[Text, Field(max_length=2048)]


class PostFindingOut(Schema):
    rule: str
    name: str
    category: str
    clause: str
    severity: FindingSeverity
    message: str
    start: int
    end: int
    fix: str | None = None
    excerpt: str = ""
    override_reason: str | None = None
    overridden_by: str | None = None


class EventOut(Schema):
    kind: str
    at: dt.datetime
    actor: str | None
    comment: str


class PersonShownOut(Schema):
    kind: Literal["learner", "staff", "guardian"]
    id: str  # their register id (L012)


class MediaOut(Schema):
    id: int
    name: str
    content_type: str
    sha256: str
    alt_text: str
    people_shown: list[PersonShownOut]
    shown_answer: str
    faces_found: int | None
    metadata_kept: bool


class DraftOut(Schema):
    id: int
    account_id: int
    account: str
    kind: Kind
    state: State
    author_id: str
    author: str
    text: str
    links: list[str]
    is_reply: bool
    reply_to: str
    reply_to_criticism: bool
    publish_at: dt.datetime | None
    corrects_id: int | None
    verdict: Verdict | None
    findings: list[PostFindingOut]
    needs_smt: bool
    needs_smt_because: list[str]
    blocked: bool
    last_error: str
    media: list[MediaOut]
    history: list[EventOut]


class DraftSummaryOut(Schema):
    id: int
    account: str
    kind: Kind
    state: State
    author: str
    verdict: Verdict | None
    publish_at: dt.datetime | None
    updated_at: dt.datetime


def _findings(draft: Draft) -> list[dict[str, Any]]:
    out = []
    for view in selectors.findings_of(draft):
        o = view.override
        out.append(
            {
                **view.finding,
                "excerpt": view.excerpt,
                "override_reason": o.reason if o else None,
                "overridden_by": (o.by.get_full_name() or o.by.email) if o else None,
            }
        )
    return out


def _draft_out(draft: Draft) -> dict[str, Any]:
    draft = Draft.objects.select_related("account", "author", "check_result").get(pk=draft.pk)
    result = getattr(draft, "check_result", None)
    need = selectors.requirement_of(draft)
    return {
        "id": draft.pk,
        "account_id": draft.account_id,
        "account": str(draft.account),
        "kind": draft.kind,
        "state": draft.state,
        "author_id": draft.author.external_id,
        "author": draft.author.full_name,
        "text": draft.text,
        "links": list(draft.links or []),
        "is_reply": draft.is_reply,
        "reply_to": draft.reply_to,
        "reply_to_criticism": draft.reply_to_criticism,
        "publish_at": draft.publish_at,
        "corrects_id": draft.corrects_id,
        "verdict": result.verdict if result else None,
        "findings": _findings(draft),
        "needs_smt": need.senior,
        "needs_smt_because": need.reasons,
        "blocked": bool(need.blocking),
        "last_error": draft.last_error,
        "media": [
            {
                "id": m.pk,
                "name": m.original_name,
                "content_type": m.content_type,
                "sha256": m.sha256,
                "alt_text": m.alt_text,
                "people_shown": m.people_shown,
                "shown_answer": m.shown_answer,
                "faces_found": m.faces_found,
                "metadata_kept": m.metadata_kept,
            }
            for m in draft.media.all()
        ],
        "history": [
            {
                "kind": e.kind,
                "at": e.at,
                "actor": (e.actor.get_full_name() or e.actor.email) if e.actor else None,
                "comment": e.comment,
            }
            for e in draft.events.select_related("actor")
        ],
    }


def _summary(draft: Draft) -> dict[str, Any]:
    result = getattr(draft, "check_result", None)
    return {
        "id": draft.pk,
        "account": str(draft.account),
        "kind": draft.kind,
        "state": draft.state,
        "author": draft.author.full_name,
        "verdict": result.verdict if result else None,
        "publish_at": draft.publish_at,
        "updated_at": draft.updated_at,
    }


@router.get(
    "/drafts", response=list[DraftSummaryOut], operation_id="list_drafts", auth=requires("posts.view")
)
@paginate(Paging)
def list_drafts(request: HttpRequest, state: State | None = None, mine: bool = False) -> Any:
    """The drafts the caller may see (their own, their accounts', all for SMT), newest change
    first; `mine`: only those the caller wrote."""
    drafts = selectors.my_drafts(request.user) if mine else access.drafts_visible(request.user)
    drafts = drafts.select_related("account", "author", "check_result")
    if state:
        drafts = drafts.filter(state=state)
    return Mapped(drafts, _summary)


@router.get("/drafts/{draft_id}", response=DraftOut, operation_id="get_draft", auth=requires("posts.view"))
def get_draft(request: HttpRequest, draft_id: ObjectId) -> Any:
    """A draft with its findings (and any override's reason), who must approve it and its history."""
    return _draft_out(get_object_or_404(access.drafts_visible(request.user), pk=draft_id))


class DraftIn(In):
    account_id: Id
    text: PostText = ""
    links: list[Link] = Field([], max_length=20)
    is_reply: bool = False
    reply_to: Annotated[Text, Field(max_length=500)] = ""
    reply_to_criticism: bool = False
    publish_at: dt.datetime | None = None
    kind: Kind = Kind.POST
    corrects_id: Id | None = None


class DraftChangeIn(In):
    text: PostText = ""
    links: list[Link] = Field([], max_length=20)
    is_reply: bool = False
    reply_to: Annotated[Text, Field(max_length=500)] = ""
    reply_to_criticism: bool = False
    publish_at: dt.datetime | None = None


@router.post(
    "/drafts",
    response={201: DraftOut, 400: Problem},
    operation_id="create_draft",
    auth=requires("posts.draft"),
)
def create_draft(request: HttpRequest, payload: DraftIn) -> Any:
    """Draft a post for an account the caller runs (or any, for SMT); it is checked at once."""
    account = OrgAccount.objects.filter(pk=payload.account_id).first()
    if account is None:
        return Status(400, problem("no such account", field="account_id"))
    corrects = None
    if payload.corrects_id is not None:
        corrects = access.archive_visible(request.user).filter(pk=payload.corrects_id).first()
        if corrects is None:
            return Status(400, problem("no such published post", field="corrects_id"))
    values = payload.dict(exclude={"account_id", "corrects_id"})
    draft = services.draft_save(actor=request.user, account=account, corrects=corrects, **values)
    return Status(201, _draft_out(draft))


@router.put(
    "/drafts/{draft_id}",
    response={200: DraftOut, 400: Problem},
    operation_id="change_draft",
    auth=requires("posts.draft"),
)
def change_draft(request: HttpRequest, draft_id: ObjectId, payload: DraftChangeIn) -> Any:
    """Change a draft (its author only) and check it again; an approved post goes back for approval."""
    draft = get_object_or_404(access.drafts_visible(request.user), pk=draft_id)
    draft = services.draft_save(actor=request.user, draft=draft, **payload.dict())
    return Status(200, _draft_out(draft))


class CheckTextIn(In):
    account_id: Id
    text: PostText
    links: list[Link] = Field([], max_length=20)
    is_reply: bool = False
    reply_to: Annotated[Text, Field(max_length=500)] = ""


class CheckTextOut(Schema):
    verdict: Verdict
    findings: list[PostFindingOut]


@router.post(
    "/check",
    response={200: CheckTextOut, 400: Problem},
    operation_id="check_post_text",
    auth=requires("posts.draft"),
)
def check_post_text(request: HttpRequest, payload: CheckTextIn) -> Any:
    """Check unsaved text as it would be posted on an account the caller may draft for: the
    same findings the draft gets when saved. Saves nothing."""
    account = access.accounts_for_drafting(request.user).filter(pk=payload.account_id).first()
    if account is None:
        return Status(400, problem("no account you may draft for has this id", field="account_id"))
    outcome = check_text(
        account=account,
        author=access.staff_of(request.user),
        text=payload.text,
        links=payload.links,
        is_reply=payload.is_reply,
        reply_to=payload.reply_to,
    )
    return {
        "verdict": outcome.verdict,
        "findings": [{**f, "excerpt": payload.text[f["start"] : f["end"]]} for f in outcome.findings],
    }


def _act(request: HttpRequest, draft_id: int, call: Any) -> Any:
    draft = get_object_or_404(access.drafts_visible(request.user), pk=draft_id)
    draft = call(draft)
    return Status(200, _draft_out(draft))


@router.post(
    "/drafts/{draft_id}/submit",
    response={200: DraftOut, 400: Problem},
    operation_id="submit_draft",
    auth=requires("posts.draft"),
)
def submit_draft(request: HttpRequest, draft_id: ObjectId) -> Any:
    """Send the draft for approval (its author only)."""
    return _act(request, draft_id, lambda d: services.draft_submit(actor=request.user, draft=d))


@router.post(
    "/drafts/{draft_id}/approve",
    response={200: DraftOut, 400: Problem},
    operation_id="approve_draft",
    auth=requires("posts.approve"),
)
def approve_draft(request: HttpRequest, draft_id: ObjectId) -> Any:
    """Approve the content as it is now; never the author's own post. 403 says who must approve
    it instead; 400 names the blocking findings."""
    return _act(request, draft_id, lambda d: services.draft_approve(actor=request.user, draft=d))


class ChangesIn(In):
    comment: Annotated[Text, Field(max_length=5000)]


@router.post(
    "/drafts/{draft_id}/request-changes",
    response={200: DraftOut, 400: Problem},
    operation_id="request_draft_changes",
    auth=requires("posts.approve"),
)
def request_changes(request: HttpRequest, draft_id: ObjectId, payload: ChangesIn) -> Any:
    return _act(
        request,
        draft_id,
        lambda d: services.draft_request_changes(actor=request.user, draft=d, comment=payload.comment),
    )


class DiscardIn(In):
    reason: Annotated[Text, Field(max_length=services.MAX_DISCARD_REASON)] = ""
    # An approved post (or deletion) on an account published by hand: true once you have looked
    # and it was not done by hand (it may have been, and not yet recorded).
    not_done_by_hand: bool = False


@router.post(
    "/drafts/{draft_id}/discard",
    response={200: DraftOut, 400: Problem},
    operation_id="discard_draft",
    auth=requires("posts.draft"),
)
def discard_draft(request: HttpRequest, draft_id: ObjectId, payload: DiscardIn) -> Any:
    """Discard a post nobody will publish: its text, links, reply target, media and check are
    deleted; its history keeps who discarded it and why. The author discards their own; an SMT
    member any, giving a `reason`. Not once publishing has begun (a deletion removes a published
    post), nor after a try that may have reached the platform; an approved post on an account
    published by hand needs `not_done_by_hand`: true."""
    return _act(
        request,
        draft_id,
        lambda d: services.draft_discard(
            actor=request.user, draft=d, reason=payload.reason, not_done_by_hand=payload.not_done_by_hand
        ),
    )


class OverrideIn(In):
    rule: Annotated[Text, Field(max_length=20)]
    start: int = Field(ge=0, le=MAX_ID)
    end: int = Field(ge=0, le=MAX_ID)
    reason: Annotated[Text, Field(max_length=5000)]


@router.post(
    "/drafts/{draft_id}/overrides",
    response={200: DraftOut, 400: Problem},
    operation_id="override_finding",
    auth=requires("posts.approve_senior"),
)
def override_finding(request: HttpRequest, draft_id: ObjectId, payload: OverrideIn) -> Any:
    """Let one blocking finding through, with a written reason (SMT); shown wherever the post is."""

    def call(d: Draft) -> Draft:
        services.draft_override(actor=request.user, draft=d, **payload.dict())
        return d

    return _act(request, draft_id, call)


class ManualIn(In):
    url: Annotated[Text, Field(max_length=500)] = ""
    published_at: dt.datetime | None = None


@router.post(
    "/drafts/{draft_id}/publication",
    response={200: DraftOut, 400: Problem},
    operation_id="record_manual_publication",
    auth=requires("posts.draft"),
)
def record_publication(request: HttpRequest, draft_id: ObjectId, payload: ManualIn) -> Any:
    """The manual path: record where an approved post was published by hand."""

    def call(d: Draft) -> Draft:
        publishing.draft_record_manual_publication(actor=request.user, draft=d, **payload.dict())
        return d

    return _act(request, draft_id, call)


@router.post(
    "/drafts/{draft_id}/retry",
    response={200: DraftOut, 400: Problem},
    operation_id="retry_publication",
    auth=requires("posts.draft"),
)
def retry_publication(request: HttpRequest, draft_id: ObjectId) -> Any:
    """Try a failed post again (after the app password was replaced, say)."""
    return _act(request, draft_id, lambda d: publishing.draft_retry(actor=request.user, draft=d))


def _people(refs: str) -> list[dict[str, str]]:
    people = []
    for ref in filter(None, (r.strip() for r in refs.split(","))):
        kind, _, external_id = ref.partition(":")
        if kind not in ("learner", "staff", "guardian") or not external_id:
            raise ValidationError(
                {"people_shown": f"{ref!r}: write KIND:ID, e.g. learner:L012 or staff:S004"}
            )
        people.append({"kind": kind, "id": external_id})
    return people


@router.post(
    "/drafts/{draft_id}/media",
    response={200: DraftOut, 400: Problem},
    operation_id="add_draft_media",
    auth=requires("posts.draft"),
)
def add_media(
    request: HttpRequest,
    draft_id: ObjectId,
    file: File[UploadedFile],
    alt_text: Annotated[Text, Field(max_length=1000)] = "",
    people_shown: Annotated[Text, Field(max_length=2000, description="e.g. learner:L012,staff:S004")] = "",
    shown_answer: Literal["", "none", "crowd"] = "",
) -> Any:
    """Attach a photo or video (its author only): checked by content; a photo is stored without
    its EXIF and GPS data, a video as sent. `people_shown` names who appears, from the register;
    with nobody named, `shown_answer` says why: `none` (no identifiable people) or `crowd` (a
    crowd at a public event). Faces in a photo are counted; the check asks for each one."""

    def call(d: Draft) -> Draft:
        services.draft_add_media(
            actor=request.user,
            draft=d,
            name=file.name or "file",
            stream=file,
            size=file.size,
            alt_text=alt_text,
            people_shown=_people(people_shown),
            shown_answer=shown_answer,
        )
        return d

    return _act(request, draft_id, call)


@router.delete(
    "/drafts/{draft_id}/media/{media_id}",
    response={200: DraftOut, 400: Problem},
    operation_id="remove_draft_media",
    auth=requires("posts.draft"),
)
def remove_media(request: HttpRequest, draft_id: ObjectId, media_id: ObjectId) -> Any:
    def call(d: Draft) -> Draft:
        item = get_object_or_404(d.media, pk=media_id)
        services.draft_remove_media(actor=request.user, item=item)
        return d

    return _act(request, draft_id, call)


@router.post(
    "/drafts/{draft_id}/criticism",
    response={200: DraftOut, 400: Problem},
    operation_id="mark_reply_to_criticism",
    auth=requires("posts.approve_senior"),
)
def mark_criticism(request: HttpRequest, draft_id: ObjectId, payload: ChangesIn) -> Any:
    """Mark a reply as answering adverse criticism (SMT): only SMT approve it from then on (5.1)."""
    return _act(
        request,
        draft_id,
        lambda d: services.draft_mark_criticism(actor=request.user, draft=d, comment=payload.comment),
    )


class QueueItemOut(DraftSummaryOut):
    needs_smt_because: list[str]


@router.get(
    "/queue", response=list[QueueItemOut], operation_id="approval_queue", auth=requires("posts.approve")
)
@paginate(Paging)
def approval_queue(request: HttpRequest) -> Any:
    """Submitted posts the caller may approve now, oldest first."""
    return [
        {**_summary(item.draft), "needs_smt_because": item.requirement.reasons}
        for item in selectors.approval_queue(request.user)
    ]


class ArchivedMediaOut(Schema):
    name: str
    content_type: str
    sha256: str
    alt_text: str = ""


class ArchivedOverrideOut(Schema):
    """A finding a senior leader let through before publishing, as it stood then."""

    rule: str
    excerpt: str
    reason: str
    by: str
    at: dt.datetime


class PublishedOut(Schema):
    id: int
    account_id: int
    account: str
    platform: Platform
    kind: Kind
    text: str
    links: list[str]
    media: list[ArchivedMediaOut]
    reply_to: str
    url: str
    uri: str
    platform_id: str
    content_hash: str
    drafter: str
    approvers: list[str]
    verdict: Verdict | Literal[""]  # empty: published without a check (recorded by hand)
    findings: list[PostFindingOut]
    overrides: list[ArchivedOverrideOut]
    published_at: dt.datetime
    manual: bool
    deleted_at: dt.datetime | None
    corrects_id: int | None


def _published_out(post: PublishedPost) -> dict[str, Any]:
    return {
        "id": post.pk,
        "account_id": post.account_id,
        "account": str(post.account),
        "platform": post.platform,
        "kind": post.kind,
        "text": post.text,
        "links": post.links,
        "media": post.media,
        "reply_to": post.reply_to,
        "url": post.url,
        "uri": post.uri,
        "platform_id": post.platform_id,
        "content_hash": post.content_hash,
        "drafter": post.drafter_name,
        "approvers": post.approvers,
        "verdict": post.verdict,
        "findings": post.findings,
        "overrides": post.overrides,
        "published_at": post.published_at,
        "manual": post.manual,
        "deleted_at": post.deleted_at,
        "corrects_id": post.draft.corrects_id,
    }


SearchText = Annotated[Text, Field(max_length=500)]
StaffId = Annotated[Text, Field(max_length=64)]
CategoryCode = Annotated[Text, Field(max_length=40)]


@router.get(
    "/archive", response=list[PublishedOut], operation_id="search_archive", auth=requires("posts.archive")
)
@paginate(Paging)
def search_archive(
    request: HttpRequest,
    q: SearchText = "",
    account_id: Id | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    author: StaffId = "",
    category: CategoryCode = "",
) -> Any:
    """Published posts the caller may read, newest first. `q`: words (all must appear),
    "a phrase", -word (must not appear), word* (a prefix). `author`: a staff register id;
    `category`: a finding category code."""
    posts = archive.archive_search(
        request.user,
        q=q,
        account_id=account_id,
        date_from=date_from,
        date_to=date_to,
        author=author,
        category=category,
    )
    return Mapped(posts, _published_out)


@router.get(
    "/archive/{post_id}",
    response=PublishedOut,
    operation_id="get_published_post",
    auth=requires("posts.archive"),
)
def get_published(request: HttpRequest, post_id: ObjectId) -> Any:
    post = get_object_or_404(
        access.archive_visible(request.user).select_related("account", "draft"), pk=post_id
    )
    return _published_out(post)
