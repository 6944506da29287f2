"""The posts pages: compose with findings as you type, my drafts, one post with its actions, the
approval queue, the calendar and the archive. Views are thin: content.access decides who sees
what, content.services and content.publishing write, content.pages and selectors read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from socialguard.accounts.models import OrgAccount
from socialguard.content import access, archive, media, pages, publishing, selectors, services
from socialguard.content.checking import Composition, check_composition
from socialguard.content.forms import (
    ArchiveForm,
    CommentForm,
    ComposeForm,
    MediaForm,
    OverrideForm,
    RecordForm,
)
from socialguard.content.models import EDITABLE, Draft, DraftMedia, Kind, PublishedPost, State
from socialguard.identity.access import current_user, requires
from socialguard.identity.permissions import can
from socialguard.ids import parse_id
from socialguard.people.models import StaffMember
from socialguard.rules.model import MAX_TEXT_CHARS
from socialguard.ui.errors import add_service_errors, attempt, sentence

# --- Compose -------------------------------------------------------------------------------------


def _visible_draft(request: HttpRequest, pk: int) -> Draft:
    draft = get_object_or_404(Draft.objects.select_related("account", "author", "corrects"), pk=pk)
    if not access.may_see_draft(request.user, draft):
        raise Http404  # a draft is work in progress: those who may not see it are not told it exists
    return draft


def _is_author(request: HttpRequest, draft: Draft) -> bool:
    staff = access.staff_of(request.user)
    return staff is not None and staff.pk == draft.author_id


def _own_draft(request: HttpRequest, pk: int) -> Draft:
    draft = _visible_draft(request, pk)
    if not _is_author(request, draft):
        raise PermissionDenied("only the author changes a draft; ask for changes instead")
    return draft


def _not_yours(request: HttpRequest, draft: Draft) -> HttpResponse:
    # A reviewer who followed an edit link lands on the post with the way forward, not a refusal.
    messages.error(request, "Only its author changes a post: ask for changes instead.")
    return redirect("posts:draft", pk=draft.pk)


def _compose_page(request: HttpRequest, form: ComposeForm, draft: Draft | None, **extra: Any) -> HttpResponse:
    account = draft.account if draft else _chosen_account(form)
    text = form.data.get("text", "") if form.is_bound else form.initial.get("text", "")
    kind = extra.get("kind", draft.kind if draft else Kind.POST)
    if kind == Kind.DELETION:
        form.fields["text"].label = "Why it should be removed"
    # Findings as you type: the text (and the account, when it can be chosen) post the form to the
    # check after half a second's pause; without JavaScript, saving runs the same check.
    live = {
        "hx-post": reverse("posts:check"),
        "hx-target": "#findings",
        "hx-include": "closest form",
        "hx-swap": "innerHTML",
    }
    form.fields["text"].widget.attrs.update({**live, "hx-trigger": "keyup changed delay:500ms"})
    # What else the check reads: a link (TL001) or being a reply changes the findings too.
    for name in ("links", "reply_to"):
        if name in form.fields:
            form.fields[name].widget.attrs.update({**live, "hx-trigger": "keyup changed delay:500ms, change"})
    for name in ("account", "is_reply"):
        if name in form.fields:
            form.fields[name].widget.attrs.update({**live, "hx-trigger": "change"})
    return render(
        request,
        "content/compose.html",
        {
            "form": form,
            "draft": draft,
            "kind": kind,
            "corrects": extra.get("corrects", draft.corrects if draft else None),
            "check": _check_context(request, account, text, kind=kind) if account else None,
            "limits": _limits(form, draft),
        },
    )


def _chosen_account(form: ComposeForm) -> OrgAccount | None:
    field = form.fields.get("account")
    if field is None:
        return None
    value = form.data.get("account") if form.is_bound else form.initial.get("account")
    if isinstance(value, OrgAccount):
        return value
    try:
        return field.queryset.filter(pk=int(value)).first() if value else None  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return None


def _limits(form: ComposeForm, draft: Draft | None) -> dict[int, int]:
    """Each account's length limit, for the live counter (by account id)."""
    accounts = [draft.account] if draft else list(form.fields["account"].queryset)  # type: ignore[attr-defined]
    return {a.pk: pages.length("", a.platform).limit or 0 for a in accounts}


def _check_context(
    request: HttpRequest,
    account: OrgAccount,
    text: str,
    *,
    links: tuple[str, ...] = (),
    is_reply: bool = False,
    reply_to: str = "",
    kind: str = Kind.POST,
) -> dict[str, Any]:
    author = access.staff_of(request.user)
    # A deletion's text is the reason for removing a post, and is checked as such (not published).
    outcome = check_composition(Composition(account, author, text, links, is_reply, reply_to, kind=kind))
    return {
        "account": account,
        "verdict": outcome.verdict,
        "verdict_words": pages.VERDICT_WORDS.get(outcome.verdict, outcome.verdict),
        "findings": pages.show_findings(text, outcome.findings),
        "length": pages.length(text, account.platform),
        "sign_off": pages.sign_off_hint(account, author),
        "text": text,
    }


@requires("posts.draft")
def compose(request: HttpRequest) -> HttpResponse:
    """A new draft. `?account=` picks the account; `?corrects=` with `kind` starts a correction or a
    deletion of a published post."""
    user = current_user(request)
    accounts = access.accounts_for_drafting(user)
    kind = request.GET.get("kind", Kind.POST)
    corrects = None
    if kind in (Kind.CORRECTION, Kind.DELETION):
        corrects = get_object_or_404(
            PublishedPost.objects.select_related("account"), pk=request.GET.get("corrects") or 0
        )
        if not access.may_see_published(user, corrects):
            raise Http404
        accounts = accounts.filter(pk=corrects.account_id)
    else:
        kind = Kind.POST
    initial: dict[str, Any] = {}
    chosen = parse_id(request.GET.get("account", ""))
    if chosen is not None:
        initial["account"] = accounts.filter(pk=chosen).first()
    elif corrects is not None or accounts.count() == 1:
        initial["account"] = accounts.first()
    if kind == Kind.CORRECTION and corrects is not None:
        initial["text"] = corrects.text
    form = ComposeForm(request.POST or None, accounts=accounts, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.draft_save(
                actor=user,
                account=form.cleaned_data["account"],
                text=form.cleaned_data["text"],
                links=form.link_list(),
                is_reply=form.cleaned_data["is_reply"],
                reply_to=form.cleaned_data["reply_to"],
                reply_to_criticism=form.cleaned_data["reply_to_criticism"],
                publish_at=form.cleaned_data["publish_at"],
                kind=kind,
                corrects=corrects,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _saved_message(draft))
            return redirect("posts:draft", pk=draft.pk)
    return _compose_page(request, form, None, kind=kind, corrects=corrects)


def _saved_message(draft: Draft) -> str:
    result = getattr(draft, "check_result", None)
    if result is None:
        return "Saved."
    return f"Saved. {pages.VERDICT_WORDS.get(result.verdict, result.verdict)}."


@requires("posts.draft")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _visible_draft(request, pk)
    if not _is_author(request, draft):
        return _not_yours(request, draft)
    if draft.state not in EDITABLE:
        messages.error(
            request, f"This post is {draft.get_state_display().lower()}: it can no longer be changed."
        )
        return redirect("posts:draft", pk=pk)
    form = ComposeForm(request.POST or None, fixed_account=True, initial=ComposeForm.initial_for(draft))
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.draft_save(
                actor=current_user(request),
                draft=draft,
                text=form.cleaned_data["text"],
                links=form.link_list(),
                is_reply=form.cleaned_data["is_reply"],
                reply_to=form.cleaned_data["reply_to"],
                reply_to_criticism=form.cleaned_data["reply_to_criticism"],
                publish_at=form.cleaned_data["publish_at"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _saved_message(draft))
            return redirect("posts:draft", pk=draft.pk)
    return _compose_page(request, form, draft)


@requires("posts.draft")
@require_POST
def check(request: HttpRequest) -> HttpResponse:
    """The findings for unsaved text (htmx, as the author types): the same check a save runs,
    writing nothing."""
    user = current_user(request)
    draft_id = parse_id(request.POST.get("draft", ""))
    kind = request.POST.get("kind", Kind.POST) if request.POST.get("kind") in Kind.values else Kind.POST
    if draft_id is not None:
        draft = _own_draft(request, draft_id)
        account, kind = draft.account, draft.kind
    else:
        account_id = parse_id(request.POST.get("account", ""))
        drafting = access.accounts_for_drafting(user)
        found = drafting.filter(pk=account_id).first() if account_id is not None else None
        if found is None:
            return render(request, "content/_findings.html", {"check": None})
        account = found
    text = request.POST.get("text", "")
    if len(text) > MAX_TEXT_CHARS:
        # Saving refuses it too; checking it would hold a worker for seconds (4 MB took 10 s).
        return render(request, "content/_findings.html", {"check": None, "too_long": f"{len(text):,}"})
    # As many links as a save takes, each as long (the save names the others).
    lines = request.POST.get("links", "").splitlines()
    links = tuple(line.strip() for line in lines if line.strip() and len(line) <= 2048)[: services.MAX_LINKS]
    is_reply = request.POST.get("is_reply") == "on"
    reply_to = request.POST.get("reply_to", "")[:500] if is_reply else ""
    context = _check_context(
        request, account, text, links=links, is_reply=is_reply, reply_to=reply_to, kind=kind
    )
    return render(request, "content/_findings.html", {"check": context})


# --- Media ---------------------------------------------------------------------------------------


@requires("posts.draft")
def add_media(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _visible_draft(request, pk)
    if not _is_author(request, draft):
        return _not_yours(request, draft)
    form = MediaForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.draft_add_media(
                actor=current_user(request),
                draft=draft,
                name=upload.name,
                stream=upload,
                size=upload.size,
                alt_text=form.cleaned_data["alt_text"],
                people_shown=form.people(),
                shown_answer=form.cleaned_data.get("shown_answer") or "",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{upload.name} attached; the post was checked again.")
            return redirect("posts:draft", pk=pk)
    return render(request, "content/media.html", {"form": form, "draft": draft})


@requires("posts.draft")
@require_POST
def remove_media(request: HttpRequest, pk: int, media_pk: int) -> HttpResponse:
    draft = _own_draft(request, pk)
    item = get_object_or_404(DraftMedia, pk=media_pk, draft=draft)
    attempt(
        request,
        lambda: services.draft_remove_media(actor=current_user(request), item=item),
        f"{item.original_name} removed.",
    )
    return redirect("posts:draft", pk=pk)


@requires("posts.view")
def download_media(request: HttpRequest, pk: int, media_pk: int) -> HttpResponse:
    """The stored file, for a runner publishing by hand (and for reviewers to look at)."""
    draft = _visible_draft(request, pk)
    item = get_object_or_404(DraftMedia, pk=media_pk, draft=draft)
    try:
        data = media.read(item.stored_name, item.sha256)
    except (OSError, ValidationError) as exc:
        raise Http404("the file is missing or does not match what was checked") from exc
    response = HttpResponse(data, content_type=item.content_type)
    safe = "".join(c for c in item.original_name if c.isalnum() or c in "._-") or "media"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response


# --- One post, and its actions ---------------------------------------------------------------------


@requires("posts.view")
def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _visible_draft(request, pk)
    user = current_user(request)
    staff = access.staff_of(user)
    is_author = staff is not None and staff.pk == draft.author_id
    result = getattr(draft, "check_result", None)
    overrides = list(draft.overrides.select_related("by"))
    need = selectors.requirement_of(draft)
    refusal = services.approval_refusal(user, draft, need) if draft.state == State.SUBMITTED else None
    senior = access.is_senior(user)
    runs = access.runs_account(user, draft.account)
    dismissals = list(draft.dismissals.select_related("by"))  # type: ignore[attr-defined]
    findings = pages.show_findings(draft.text, list(result.findings) if result else [], overrides, dismissals)
    manual = draft.state == State.APPROVED and not publishing.has_connector(draft.account.platform)
    # Discarding is the author's or SMT's while the words may change; a post whose publishing was
    # tried (its record key kept) may be on the platform, and its page says why it is held.
    may_discard = draft.state in EDITABLE and (is_author or senior)
    published = getattr(draft, "published", None) if draft.state == State.PUBLISHED else None
    return render(
        request,
        "content/draft.html",
        {
            "draft": draft,
            "state_sentence": pages.STATE_SENTENCES.get(State(draft.state), ""),
            "verdict_words": (
                "Blocking findings overridden by SMT, with their reasons"
                if result and result.verdict == "block" and not need.blocking
                else pages.VERDICT_WORDS.get(result.verdict, "")
                if result
                else ""
            ),
            "due_later": bool(draft.publish_at and draft.publish_at > timezone.now()),
            "result": result,
            "findings": findings,
            "need": need,
            "length": pages.length(draft.text, draft.account.platform),
            "media_items": list(draft.media.all()),
            "approvals": list(draft.approvals.select_related("approver")),
            "events": list(draft.events.select_related("actor")),
            "is_author": is_author,
            "can_edit": is_author and draft.state in EDITABLE,
            "can_submit": is_author and draft.state in (State.DRAFT, State.CHANGES_REQUESTED),
            "can_approve": draft.state == State.SUBMITTED and refusal is None,
            # Who may approve, when it is not this person (a blocked post says why in its state box).
            "refusal": sentence(refusal) if isinstance(refusal, PermissionDenied) and not is_author else "",
            "can_ask_changes": draft.state == State.SUBMITTED and not is_author and (senior or runs),
            "can_override": senior and draft.state in (State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED),
            # An approver may say a review finding was a false alarm (policies.FindingDismissal).
            "can_dismiss": draft.state == State.SUBMITTED and not is_author and (senior or runs),
            "can_mark_criticism": senior
            and draft.is_reply
            and not draft.reply_to_criticism
            and draft.state in EDITABLE,
            "can_record": manual and (senior or runs),
            # An approved post published by hand may be out already: discarding it asks first.
            "discard_asks_platform": manual,
            "can_retry": draft.state == State.FAILED and (senior or runs),
            "can_discard": may_discard and not draft.record_key,
            "discard_held": may_discard and bool(draft.record_key),
            "published": published,
            "comment_form": CommentForm(),
            "override_form": OverrideForm(),
            "record_form": RecordForm(),
        },
    )


def _act(request: HttpRequest, pk: int, action: Callable[[Draft], object], success: str) -> HttpResponse:
    draft = _visible_draft(request, pk)
    attempt(request, lambda: action(draft), success)
    return redirect("posts:draft", pk=pk)


@requires("posts.draft")
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda d: services.draft_submit(actor=current_user(request), draft=d),
        "Submitted: the people who may approve it see it in their queue.",
    )


@requires("posts.approve")
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _visible_draft(request, pk)
    if attempt(
        request, lambda: services.draft_approve(actor=current_user(request), draft=draft), "Approved."
    ):
        draft.refresh_from_db()
        if draft.state == State.SCHEDULED:
            messages.info(request, "socialguard publishes it at its time.")
        elif draft.state == State.APPROVED:
            messages.info(request, "A runner now publishes it by hand and records its link here.")
    return redirect("posts:draft", pk=pk)


@requires("posts.approve")
@require_POST
def request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    comment = request.POST.get("comment", "")
    return _act(
        request,
        pk,
        lambda d: services.draft_request_changes(actor=current_user(request), draft=d, comment=comment),
        "Sent back to its author with your comment.",
    )


@requires("posts.approve_senior")
@require_POST
def override(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        rule, start, end = request.POST["rule"], int(request.POST["start"]), int(request.POST["end"])
    except (KeyError, ValueError):
        messages.error(request, "Choose the finding to override.")
        return redirect("posts:draft", pk=pk)
    reason = request.POST.get("reason", "")
    return _act(
        request,
        pk,
        lambda d: services.draft_override(
            actor=current_user(request), draft=d, rule=rule, start=start, end=end, reason=reason
        ),
        f"{rule} overridden; your reason is shown wherever the post is shown.",
    )


@requires("posts.draft")
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    not_done_by_hand = request.POST.get("not_done_by_hand") == "yes"
    return _act(
        request,
        pk,
        lambda d: services.draft_discard(
            actor=current_user(request), draft=d, reason=reason, not_done_by_hand=not_done_by_hand
        ),
        "Discarded: its words, links, photos and check are deleted. Its history keeps who did it.",
    )


@requires("posts.approve_senior")
@require_POST
def mark_criticism(request: HttpRequest, pk: int) -> HttpResponse:
    comment = request.POST.get("comment", "")
    return _act(
        request,
        pk,
        lambda d: services.draft_mark_criticism(actor=current_user(request), draft=d, comment=comment),
        "Marked as a reply to criticism: only SMT approve it (5.1).",
    )


@requires("posts.draft")
@require_POST
def record_publication(request: HttpRequest, pk: int) -> HttpResponse:
    url = request.POST.get("url", "")
    return _act(
        request,
        pk,
        lambda d: publishing.draft_record_manual_publication(actor=current_user(request), draft=d, url=url),
        "Recorded in the archive.",
    )


@requires("posts.draft")
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda d: publishing.draft_retry(actor=current_user(request), draft=d),
        "socialguard will try to publish it again.",
    )


# --- Lists ---------------------------------------------------------------------------------------


@requires("posts.view")
def my_drafts(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    mine = list(selectors.my_drafts(user).prefetch_related("overrides")[:200])
    staff = access.staff_of(user)
    others = (
        access.drafts_visible(user)
        .exclude(author=staff)
        .exclude(state__in=(State.PUBLISHED, State.DISCARDED))
        .select_related("account", "author", "check_result")
        .prefetch_related("overrides")[:100]
        if staff is not None
        else access.drafts_visible(user).none()
    )
    return render(
        request,
        "content/drafts.html",
        {
            "open": [d for d in mine if d.state not in (State.PUBLISHED, State.DISCARDED)],
            "published": [d for d in mine if d.state == State.PUBLISHED][:5],
            "others": list(others),
            "can_draft": access.accounts_for_drafting(user).exists(),
            "queue_size": selectors.approval_queue_count(user).total,
            "verdicts": pages.VERDICT_WORDS,
        },
    )


@requires("posts.approve")
def queue(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    return render(
        request,
        "content/queue.html",
        {
            "items": selectors.approval_queue(user),
            "blocked": selectors.awaiting_override(user),
            "manual": selectors.manual_to_publish(user),
            "verdicts": pages.VERDICT_WORDS,
        },
    )


@requires("posts.view")
def calendar(request: HttpRequest) -> HttpResponse:
    """Approved and scheduled posts a week at a time, by day (a list, so it reads on a phone)."""
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = today - dt.timedelta(days=today.weekday())
    start -= dt.timedelta(days=start.weekday())
    by_day = selectors.calendar(current_user(request), start=start, days=7)
    days = [(start + dt.timedelta(days=n), by_day.get(start + dt.timedelta(days=n), [])) for n in range(7)]
    return render(
        request,
        "content/calendar.html",
        {
            "days": days,
            "start": start,
            "end": start + dt.timedelta(days=6),
            "today": today,
            "previous": (start - dt.timedelta(days=7)).isoformat(),
            "next": (start + dt.timedelta(days=7)).isoformat(),
            "this_week": start <= today <= start + dt.timedelta(days=6),
        },
    )


# --- Archive -------------------------------------------------------------------------------------


def _archive_search(request: HttpRequest) -> tuple[ArchiveForm, QuerySet[PublishedPost]]:
    """The archive form as submitted and what it finds (content.archive: the API's search too)."""
    user = current_user(request)
    visible = access.archive_visible(user)
    form = ArchiveForm(
        request.GET or None,
        accounts=OrgAccount.objects.filter(pk__in=visible.values("account_id")),
        authors=StaffMember.objects.filter(pk__in=visible.values("drafter_id")),
        categories=pages.archive_categories(user),
    )
    if not (form.is_bound and form.is_valid()):
        return form, archive.archive_search(user)
    data = form.cleaned_data
    return form, archive.archive_search(
        user,
        q=data["q"],
        account_id=data["account"].pk if data["account"] else None,
        author=data["author"].external_id if data["author"] else "",
        category=data["category"],
        date_from=data["since"],
        date_to=data["until"],
    )


@requires("posts.archive")
def archive_page(request: HttpRequest) -> HttpResponse:
    form, found = _archive_search(request)
    page = Paginator(found, pages.PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "content/archive.html",
        {"form": form, "page": page, "query_string": params.urlencode(), "total": page.paginator.count},
    )


def _download(body: str, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="posts-archive-{timezone.localdate()}.{extension}"'
    )
    return response


@requires("posts.archive")
def archive_csv(request: HttpRequest) -> HttpResponse:
    _, found = _archive_search(request)
    return _download(archive.export_csv(found), "text/csv", "csv")


@requires("posts.archive")
def archive_json(request: HttpRequest) -> HttpResponse:
    _, found = _archive_search(request)
    return _download(archive.export_json(found), "application/json", "json")


@requires("posts.archive")
def published_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(PublishedPost.objects.select_related("account", "drafter", "draft"), pk=pk)
    user = current_user(request)
    if not access.may_see_published(user, post):
        raise Http404
    may_follow_up = post.deleted_at is None and access.may_draft_for(user, post.account)
    return render(
        request,
        "content/published.html",
        {
            "post": post,
            "findings": pages.show_findings(post.text, list(post.findings)),
            "follow_ups": post.follow_ups.select_related("author").order_by("created_at"),
            "correct_url": f"{reverse('posts:new')}?kind=correction&corrects={post.pk}"
            if may_follow_up
            else "",
            "delete_url": f"{reverse('posts:new')}?kind=deletion&corrects={post.pk}" if may_follow_up else "",
            "can_see_draft": access.may_see_draft(user, post.draft),
            "can_draft": can(user, "posts.draft"),
        },
    )


@requires("posts.approve")
@require_POST
def dismiss_finding(request: HttpRequest, pk: int) -> HttpResponse:
    """An approver judges a review finding a false alarm; the rule-quality page learns from it."""
    draft = get_object_or_404(Draft.objects.select_related("account", "author"), pk=pk)
    if not access.may_see_draft(request.user, draft):
        raise Http404
    try:
        rule, start, end = request.POST["rule"], int(request.POST["start"]), int(request.POST["end"])
    except (KeyError, ValueError):
        messages.error(request, "Choose the finding to dismiss.")
        return redirect("posts:draft", pk=pk)
    attempt(
        request,
        lambda: services.finding_dismiss(
            actor=current_user(request),
            draft=draft,
            rule=rule,
            start=start,
            end=end,
            reason=request.POST.get("reason", ""),
        ),
        f"Recorded: {rule} was a false alarm here. The Quality Director sees it on the rule-quality page.",
    )
    return redirect("posts:draft", pk=pk)
