"""Drafts → check → approval → scheduling. Each write is one transaction with its audit event
and a line in the draft's history; the publishing task is enqueued after commit.

Publishing itself (the task, the manual path, deletions on the platform) is content.publishing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from socialguard.accounts.models import OrgAccount
from socialguard.audit.services import audit_record
from socialguard.connectors.accounts import has_connector
from socialguard.content import access, media, routing
from socialguard.content.checking import Composition, MediaInfo, check_composition, content_hash
from socialguard.content.models import (
    EDITABLE,
    Approval,
    CheckResult,
    Draft,
    DraftEvent,
    DraftMedia,
    EventKind,
    FindingOverride,
    Kind,
    PublishedPost,
    State,
)
from socialguard.policies.models import FindingDismissal
from socialguard.rules import Severity
from socialguard.rules.model import MAX_TEXT_CHARS, UNPAIRED_SURROGATE

MIN_REASON = 10
MAX_LINKS = 20
MAX_MEDIA = 4  # Bluesky's limit, and plenty for any organisational post


def composition(draft: Draft) -> Composition:
    return Composition(
        account=draft.account,
        author=draft.author,
        text=draft.text,
        links=tuple(draft.links or ()),
        is_reply=draft.is_reply,
        reply_to=draft.reply_to,
        media=tuple(
            MediaInfo(
                sha256=m.sha256,
                content_type=m.content_type,
                alt_text=m.alt_text,
                people_shown=tuple(m.people_shown or ()),
                metadata_kept=m.metadata_kept,
                shown_answer=m.shown_answer,
                faces_found=m.faces_found,
            )
            for m in draft.media.all()
        ),
        kind=draft.kind,
        corrects_id=draft.corrects_id,
    )


def draft_hash(draft: Draft) -> str:
    return content_hash(composition(draft))


def _event(draft: Draft, kind: str, actor: Any, comment: str = "") -> DraftEvent:
    return DraftEvent.objects.create(draft=draft, kind=kind, actor=actor, comment=comment, at=timezone.now())


def _audit(actor: Any, action: str, draft: Draft, **after: Any) -> None:
    audit_record(
        actor=actor,
        action=f"content.{action}",
        target=draft,
        object_type="content.draft",
        after={"state": draft.state, "account": str(draft.account), **after},
    )


def _run_check(draft: Draft) -> CheckResult:
    outcome = check_composition(composition(draft))
    result, _ = CheckResult.objects.update_or_create(
        draft=draft,
        defaults={
            "verdict": outcome.verdict,
            "findings": outcome.findings,
            "content_hash": draft_hash(draft),
            "checked_at": timezone.now(),
        },
    )
    return result


def _links(values: Sequence[str]) -> list[str]:
    links = [str(v).strip() for v in values if str(v).strip()]
    if len(links) > MAX_LINKS:
        raise ValidationError({"links": f"at most {MAX_LINKS} links"})
    for link in links:
        if len(link) > 2048 or not link.lower().startswith(("http://", "https://")):
            raise ValidationError({"links": f"{link[:80]!r} is not a web address (http:// or https://)"})
    return links


def _approved_hash(draft: Draft) -> str | None:
    current = draft.approvals.filter(withdrawn_at__isnull=True).first()
    return current.content_hash if current else None


def _send_back_if_changed(draft: Draft, actor: Any) -> bool:
    """An approval covers exact content: if the content changed since, withdraw it and send the
    draft back for approval. True if it was sent back."""
    approved = _approved_hash(draft)
    if approved is None or approved == draft_hash(draft):
        return False
    draft.approvals.filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    draft.state = State.SUBMITTED
    draft.record_key = ""
    draft.save(update_fields=["state", "record_key", "updated_at"])
    _event(
        draft,
        EventKind.APPROVAL_WITHDRAWN,
        actor,
        "The content changed after approval: it needs approving again.",
    )
    _audit(actor, "approval_withdrawn", draft, content_hash=draft_hash(draft))
    return True


def _lock(draft: Draft) -> Draft:
    return Draft.objects.select_for_update(of=("self",)).select_related("account", "author").get(pk=draft.pk)


def draft_save(
    *,
    actor: Any,
    draft: Draft | None = None,
    account: OrgAccount | None = None,
    text: str,
    links: Sequence[str] = (),
    is_reply: bool = False,
    reply_to: str = "",
    reply_to_criticism: bool = False,
    publish_at: dt.datetime | None = None,
    kind: str = Kind.POST,
    corrects: PublishedPost | None = None,
) -> Draft:
    """Create a draft (`draft` None) or change one, and check it. Only the author changes a
    draft; an edit to approved content sends it back for approval."""
    author = access.staff_of(actor)
    if author is None:
        raise ValidationError("your sign-in is not linked to a staff record; ask SMT to link it")
    errors: dict[str, str] = {}
    reply_to = reply_to.strip()
    if is_reply and not reply_to:
        errors["reply_to"] = "say which post this replies to (its link or platform address)"
    if len(reply_to) > 500:
        errors["reply_to"] = "the reply target is longer than 500 characters"
    if publish_at is not None and timezone.is_naive(publish_at):
        errors["publish_at"] = "give the publish time with its time zone"
    try:
        clean_links = _links(links)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if "\x00" in text:
        errors["text"] = "the text contains a NUL character"
    elif UNPAIRED_SURROGATE.search(text):
        # JSON can spell half a character; no database or model takes one.
        errors["text"] = "the text holds half of a character (an unpaired surrogate); send it as whole UTF-8"
    elif len(text) > MAX_TEXT_CHARS:
        # Longer than any platform takes (Facebook's 63,206): not a post, and the check is bounded.
        errors["text"] = (
            f"the text is {len(text):,} characters; no platform takes more than {MAX_TEXT_CHARS:,}"
        )
    with transaction.atomic():
        if draft is None:
            if account is None:
                raise ValidationError({"account": "choose the account to post on"})
            if not access.may_draft_for(actor, account):
                raise PermissionDenied(
                    f"only the current runners of {account} and SMT draft posts for it"
                    if account.status == "active"
                    else f"{account} is {account.get_status_display().lower()}: nobody posts on it"
                )
            if kind not in Kind.values:
                errors["kind"] = f"choose one of {', '.join(Kind.values)}"
            elif kind != Kind.POST:
                if corrects is None:
                    errors["corrects"] = f"say which published post the {kind} is for"
                elif corrects.account_id != account.pk:
                    errors["corrects"] = "that post was published on another account"
                elif corrects.deleted_at is not None:
                    errors["corrects"] = "that post has already been deleted"
            elif corrects is not None:
                errors["corrects"] = "only a correction or a deletion refers to a published post"
            if errors:
                raise ValidationError(errors)
            draft = Draft.objects.create(
                account=account,
                author=author,
                kind=kind,
                corrects=corrects if kind != Kind.POST else None,
                text=text,
                links=clean_links,
                is_reply=is_reply,
                reply_to=reply_to if is_reply else "",
                reply_to_criticism=reply_to_criticism and is_reply,
                publish_at=publish_at,
            )
            _event(draft, EventKind.CREATED, actor)
            result = _run_check(draft)
            _audit(
                actor,
                "draft_created",
                draft,
                kind=kind,
                verdict=result.verdict,
                content_hash=result.content_hash,
            )
            return draft
        draft = _lock(draft)
        if draft.author_id != author.pk:
            raise PermissionDenied("only the author changes a draft; ask for changes instead")
        if draft.state not in EDITABLE:
            raise ValidationError(
                f"this post is {draft.get_state_display().lower()}: it can no longer be changed"
            )
        if errors:
            raise ValidationError(errors)
        if draft.criticism_marked_by_id and not reply_to_criticism:
            reply_to_criticism = True  # marked by SMT: only SMT take it back
        draft.text = text
        draft.links = clean_links
        draft.is_reply = is_reply
        draft.reply_to = reply_to if is_reply else ""
        draft.reply_to_criticism = reply_to_criticism and is_reply
        rescheduled = draft.publish_at != publish_at
        draft.publish_at = publish_at
        # A failed post keeps its approval (and can be tried again) unless its content changed,
        # which _send_back_if_changed below sends back for approval.
        draft.save()
        _event(draft, EventKind.SAVED, actor)
        result = _run_check(draft)
        sent_back = _send_back_if_changed(draft, actor)
        _audit(actor, "draft_saved", draft, verdict=result.verdict, content_hash=result.content_hash)
        if rescheduled and not sent_back and draft.state == State.SCHEDULED:
            _schedule(draft, actor)
    return draft


def draft_add_media(
    *,
    actor: Any,
    draft: Draft,
    name: str,
    stream: IO[bytes],
    size: int | None = None,
    alt_text: str = "",
    people_shown: Sequence[dict[str, str]] = (),
    shown_answer: str = "",
) -> DraftMedia:
    """Attach a photo or video, checked by content (images re-encoded without metadata).
    `people_shown` names register entries: {"kind": "learner"|"staff"|"guardian", "id": ...};
    with nobody named, `shown_answer` says why ("none": no identifiable people, "crowd": a crowd
    at a public event). Faces in a photo are counted (the count only) for the check."""
    from socialguard.consent.faces import ANSWERS, count_faces
    from socialguard.content.checking import register_names

    author = access.staff_of(actor)
    if author is None or draft.author_id != author.pk:
        raise PermissionDenied("only the author changes a draft")
    people = [{"kind": str(p.get("kind", "")), "id": str(p.get("id", ""))} for p in people_shown]
    _, unknown = register_names(people)
    if unknown:
        raise ValidationError({"people_shown": f"not in the register: {', '.join(unknown)}"})
    if len(alt_text) > 1000:
        raise ValidationError({"alt_text": "the description is longer than 1,000 characters"})
    if shown_answer and (shown_answer not in ANSWERS or people):
        raise ValidationError(
            {"shown_answer": "answer “none” or “crowd” only when nobody is named"
             if shown_answer in ANSWERS else f"{shown_answer!r} is not an answer; use none or crowd"}
        )  # fmt: skip
    checked = media.check(name, stream, size)
    faces = count_faces(checked.data, checked.content_type)
    stored = media.store(checked)
    try:
        with transaction.atomic():
            draft = _lock(draft)
            if draft.state not in EDITABLE:
                raise ValidationError(
                    f"this post is {draft.get_state_display().lower()}: it can no longer be changed"
                )
            if draft.media.count() >= MAX_MEDIA:
                raise ValidationError({"media": f"at most {MAX_MEDIA} photos or videos per post"})
            item = DraftMedia.objects.create(
                draft=draft,
                original_name=checked.name,
                stored_name=stored,
                content_type=checked.content_type,
                size=len(checked.data),
                sha256=checked.sha256,
                alt_text=alt_text,
                people_shown=people,
                shown_answer=shown_answer,
                faces_found=faces,
                metadata_kept=checked.metadata_kept,
                position=draft.media.count(),
            )
            _event(draft, EventKind.MEDIA_ADDED, actor, checked.name)
            result = _run_check(draft)
            _send_back_if_changed(draft, actor)
            _audit(
                actor, "media_added", draft, file=checked.name, sha256=checked.sha256, verdict=result.verdict
            )
    except BaseException:
        media.remove(stored)  # nothing half-saved: no row, no file
        raise
    return item


def draft_remove_media(*, actor: Any, item: DraftMedia) -> None:
    author = access.staff_of(actor)
    if author is None or item.draft.author_id != author.pk:
        raise PermissionDenied("only the author changes a draft")
    with transaction.atomic():
        draft = _lock(item.draft)
        if draft.state not in EDITABLE:
            raise ValidationError(
                f"this post is {draft.get_state_display().lower()}: it can no longer be changed"
            )
        stored, name = item.stored_name, item.original_name
        item.delete()
        _event(draft, EventKind.MEDIA_REMOVED, actor, name)
        _run_check(draft)
        _send_back_if_changed(draft, actor)
        _audit(actor, "media_removed", draft, file=name)
        transaction.on_commit(lambda: media.remove(stored))


def draft_submit(*, actor: Any, draft: Draft) -> Draft:
    author = access.staff_of(actor)
    with transaction.atomic():
        draft = _lock(draft)
        if author is None or draft.author_id != author.pk:
            raise PermissionDenied("only the author submits a draft for approval")
        if draft.state not in (State.DRAFT, State.CHANGES_REQUESTED):
            raise ValidationError(
                f"this post is {draft.get_state_display().lower()}; only a draft is submitted"
            )
        result = _run_check(draft)
        draft.state = State.SUBMITTED
        draft.save(update_fields=["state", "updated_at"])
        _event(draft, EventKind.SUBMITTED, actor)
        _audit(actor, "submitted", draft, verdict=result.verdict, content_hash=result.content_hash)
    return draft


MAX_DISCARD_REASON = 1000


# Apps above content that hold a draft (monitoring: an alert's reply) hear of its discard here,
# inside the discard's transaction: (actor, draft).
DISCARD_HOOKS: list[Callable[[Any, Draft], None]] = []


QUOTING_EVENTS = (
    EventKind.MEDIA_ADDED,
    EventKind.MEDIA_REMOVED,
    EventKind.CHANGES_REQUESTED,
    EventKind.OVERRIDDEN,
    EventKind.DISMISSED,
    EventKind.MARKED_CRITICISM,
    EventKind.FAILED,
)


def draft_discard(*, actor: Any, draft: Draft, reason: str = "", not_done_by_hand: bool = False) -> Draft:
    """Discard a post nobody will publish. Its words, links, reply target, photos and videos and
    its policy check are deleted, and the excerpts quoted by overrides and dismissals with them: a
    draft may hold what should never have been written down (a learner's disclosure, say), and it
    stayed readable by the account's runners and SMT. Its history and the audit trail keep that
    it existed, who discarded it and why, not its text.

    The author discards their own; an SMT member any, saying why. Not once publishing began,
    nor after a try that may have reached the platform: a published post is removed by a
    deletion, which the archive records. The audit trail is hash-chained and not rewritten: the
    excerpts an override or dismissal quoted, and media file names, stay in its earlier entries."""
    reason = reason.strip()
    if len(reason) > MAX_DISCARD_REASON:
        raise ValidationError({"reason": f"say why in at most {MAX_DISCARD_REASON:,} characters"})
    if "\x00" in reason or UNPAIRED_SURROGATE.search(reason):
        raise ValidationError({"reason": "the reason holds a character no database takes"})
    with transaction.atomic():
        draft = _lock(draft)
        author = access.staff_of(actor)
        is_author = author is not None and draft.author_id == author.pk
        if not (is_author or access.is_senior(actor)):
            raise PermissionDenied("only its author or an SMT member discards a draft")
        if draft.state not in EDITABLE:
            raise ValidationError(
                f"this post is {draft.get_state_display().lower()}: it can no longer be discarded"
                + (" (a deletion removes a published post)" if draft.state == State.PUBLISHED else "")
            )
        if draft.record_key:
            # The key is stored before the platform is called and cleared when the content
            # changes: publishing this content was tried, and may have reached the platform.
            raise ValidationError(
                f"publishing this post was tried, and it may be on {draft.account}: look there first. "
                "If it is there, try it again (the retry finds it and records it); if not, change "
                "the draft, then discard it"
            )
        if (
            draft.state == State.APPROVED
            and not has_connector(draft.account.platform)
            and not not_done_by_hand
        ):
            # Done by hand: a runner may have published it (or, for a deletion, removed the post)
            # and not yet recorded that.
            if draft.kind == Kind.DELETION:
                done = f"the post may already have been removed from {draft.account} by hand: look there"
            else:
                done = f"an approved post may already be on {draft.account}, published by hand: look there"
            raise ValidationError(
                {"not_done_by_hand": f"{done}, then say it was not done (or record it, if it was)"}
            )
        if not is_author and not reason:
            raise ValidationError({"reason": "say why you discard someone else's draft"})
        was = draft.state
        stored = list(draft.media.values_list("stored_name", flat=True))
        draft.media.all().delete()
        CheckResult.objects.filter(draft=draft).delete()
        draft.overrides.update(excerpt="")
        FindingDismissal.objects.filter(draft=draft).update(excerpt="")
        draft.approvals.filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
        # The history's comments that may quote the post or name people: file names, reviewers'
        # requests, override and dismissal reasons, a consent pull-back's or failure's learner.
        draft.events.filter(kind__in=QUOTING_EVENTS).update(comment="")
        draft.text = ""
        draft.links = []
        draft.reply_to = ""
        draft.last_error = ""
        draft.record_key = ""
        draft.state = State.DISCARDED
        draft.save()
        _event(draft, EventKind.DISCARDED, actor, reason)
        _audit(actor, "discarded", draft, was=was, media_deleted=len(stored), reason=reason)
        for hook in DISCARD_HOOKS:  # after the discard's own entry, so the trail reads in order
            hook(actor, draft)

        def remove_files() -> None:
            for name in stored:
                media.remove(name)

        transaction.on_commit(remove_files)
    return draft


@dataclass(frozen=True)
class Approver:
    """What approval asks about the person, read once: a queue asks it for every post."""

    staff_id: int | None
    senior: bool
    may_approve: bool  # holds posts.approve
    runs: frozenset[int]  # the accounts they currently run, not having left


def approver(actor: Any) -> Approver:
    me = access.staff_of(actor)
    runs = frozenset(access.runner_places(actor).values_list("account_id", flat=True))
    return Approver(me.pk if me else None, access.is_senior(actor), _may(actor, "posts.approve"), runs)


def approval_refusal(
    actor: Any, draft: Draft, need: routing.Requirement, who: Approver | None = None
) -> Exception | None:
    """Why `actor` may not approve `draft` now (a PermissionDenied for who they are, a
    ValidationError for what the post is), or None. `who`: `approver(actor)`, when already read."""
    who = who or approver(actor)
    if (who.staff_id is not None and who.staff_id == draft.author_id) or (
        draft.author.user_id and draft.author.user_id == actor.pk
    ):
        return PermissionDenied("a post is never approved by its author: another person must approve it")
    if need.blocking:
        codes = ", ".join(sorted({f"{f['rule']} ({f['name']})" for f in need.blocking}))
        return ValidationError(
            f"blocked by the policy check ({codes}): change the post, "
            "or an SMT member overrides each finding with a written reason"
        )
    if who.senior:
        return None
    if need.senior:
        return PermissionDenied("this post needs a senior leader (SMT): " + "; ".join(need.reasons))
    if not (draft.account_id in who.runs and who.may_approve):
        return PermissionDenied(f"only another current runner of {draft.account} or SMT may approve it")
    return None


def _may(actor: Any, action: str) -> bool:
    from socialguard.identity.permissions import can

    return can(actor, action)


def draft_approve(*, actor: Any, draft: Draft) -> Draft:
    """Approve the exact content now checked; schedule it (a connector) or hand it to the
    runners (the manual path)."""
    with transaction.atomic():
        draft = _lock(draft)
        if draft.state != State.SUBMITTED:
            raise ValidationError(
                f"this post is {draft.get_state_display().lower()}; only a submitted post is approved"
            )
        result = _run_check(draft)  # the register may have changed since the last save
        need = routing.requirement(draft, result.findings)
        refusal = approval_refusal(actor, draft, need)
        if refusal is not None:
            raise refusal
        Approval.objects.create(
            draft=draft,
            approver=actor,
            content_hash=result.content_hash,
            as_smt=access.is_senior(actor),
            approved_at=timezone.now(),
        )
        draft.state = State.APPROVED
        draft.save(update_fields=["state", "updated_at"])
        _event(draft, EventKind.APPROVED, actor, "; ".join(need.reasons))
        _audit(
            actor,
            "approved",
            draft,
            content_hash=result.content_hash,
            verdict=result.verdict,
            reasons=need.reasons,
        )
        _schedule(draft, actor)
    return draft


def _schedule(draft: Draft, actor: Any) -> None:
    """Approved posts on a platform with a connector go to the publishing task at their time;
    the others wait for a runner to publish them by hand (content.publishing)."""
    from socialguard.content import publishing

    if not has_connector(draft.account.platform):
        return
    draft.state = State.SCHEDULED
    draft.enqueued_at = timezone.now()
    draft.save(update_fields=["state", "enqueued_at", "updated_at"])
    when = draft.publish_at or timezone.now()
    on = date_format(timezone.localtime(when), "j M Y, H:i")
    _event(draft, EventKind.SCHEDULED, actor, f"to publish on {on}")
    _audit(actor, "scheduled", draft, publish_at=when.isoformat())
    draft_id = draft.pk
    transaction.on_commit(lambda: publishing.enqueue(draft_id, when))


def draft_request_changes(*, actor: Any, draft: Draft, comment: str) -> Draft:
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": "say what should change"})
    with transaction.atomic():
        draft = _lock(draft)
        if draft.state != State.SUBMITTED:
            raise ValidationError(
                f"this post is {draft.get_state_display().lower()}; changes are asked of a submitted post"
            )
        me = access.staff_of(actor)
        if me is not None and me.pk == draft.author_id:
            raise PermissionDenied("you wrote this post: change it yourself")
        if not (access.is_senior(actor) or access.runs_account(actor, draft.account)):
            raise PermissionDenied(f"only another runner of {draft.account} or SMT ask for changes")
        draft.state = State.CHANGES_REQUESTED
        draft.save(update_fields=["state", "updated_at"])
        _event(draft, EventKind.CHANGES_REQUESTED, actor, comment)
        _audit(actor, "changes_requested", draft, comment=comment)
    return draft


def _finding_at(findings: Any, rule: str, start: int, end: int) -> dict[str, Any]:
    """The finding a reviewer acts on, as the post's latest check reported it."""
    for f in findings:
        if f["rule"] == rule and int(f["start"]) == start and int(f["end"]) == end:
            return f
    raise ValidationError({"rule": f"the post has no {rule} finding at {start} to {end} now"})


def draft_override(
    *, actor: Any, draft: Draft, rule: str, start: int, end: int, reason: str
) -> FindingOverride:
    """An SMT member lets one blocking finding through, with a written reason."""
    if not access.is_senior(actor):
        raise PermissionDenied("only an SMT member overrides a finding")
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON:
        raise ValidationError({"reason": f"say why this is acceptable (at least {MIN_REASON} characters)"})
    with transaction.atomic():
        draft = _lock(draft)
        if draft.state not in (State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED):
            raise ValidationError(f"this post is {draft.get_state_display().lower()}: nothing to override")
        finding = _finding_at(_run_check(draft).findings, rule, start, end)
        if finding["severity"] != Severity.BLOCK:
            raise ValidationError({"rule": f"{rule} does not block the post: nothing to override"})
        if routing.override_for(finding, draft.text, draft.overrides.all()):
            raise ValidationError({"rule": "that finding is already overridden"})
        item = FindingOverride.objects.create(
            draft=draft,
            rule=rule,
            start=start,
            end=end,
            excerpt=routing.excerpt_of(draft.text, finding),
            reason=reason,
            by=actor,
            at=timezone.now(),
        )
        _event(draft, EventKind.OVERRIDDEN, actor, f"{rule} ({finding['name']}): {reason}")
        _audit(actor, "finding_overridden", draft, rule=rule, excerpt=item.excerpt, reason=reason)
    return item


def draft_mark_criticism(*, actor: Any, draft: Draft, comment: str = "") -> Draft:
    """SMT mark a reply as answering adverse criticism: from then on only SMT approve it (5.1)."""
    if not access.is_senior(actor):
        raise PermissionDenied("only an SMT member marks a reply as answering criticism")
    with transaction.atomic():
        draft = _lock(draft)
        if not draft.is_reply:
            raise ValidationError("only a reply answers criticism")
        if draft.state not in EDITABLE:
            raise ValidationError(f"this post is {draft.get_state_display().lower()}")
        draft.reply_to_criticism = True
        draft.criticism_marked_by = actor
        draft.save(update_fields=["reply_to_criticism", "criticism_marked_by", "updated_at"])
        _event(draft, EventKind.MARKED_CRITICISM, actor, comment)
        if (
            draft.state in (State.APPROVED, State.SCHEDULED, State.FAILED)
            and not draft.approvals.filter(withdrawn_at__isnull=True, as_smt=True).exists()
        ):
            # Approved by a runner before it was known to answer criticism: SMT must approve it
            # (a failed one too, or a retry would publish it). A record key belongs to an
            # approval: a later approval, perhaps of other words, gets its own.
            draft.approvals.filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
            draft.state = State.SUBMITTED
            draft.record_key = ""
            draft.save(update_fields=["state", "record_key", "updated_at"])
            _event(draft, EventKind.APPROVAL_WITHDRAWN, actor, "It answers criticism: SMT must approve it.")
        _audit(actor, "marked_criticism", draft, comment=comment)
    return draft


def finding_dismiss(
    *, actor: Any, draft: Any, rule: str, start: int, end: int, reason: str
) -> FindingDismissal:
    """An approver records that a review finding was a false alarm for this post. It changes
    nothing about the post's approval; it is what the rule-quality page learns from."""
    reason = " ".join(reason.split())
    with transaction.atomic():
        # Read under the draft's lock: an edit or a discard at the same moment must not leave a
        # dismissal quoting words the draft no longer holds.
        draft = _lock(draft)
        if not (access.is_senior(actor) or access.runs_account(actor, draft.account)):
            raise PermissionDenied(f"only a runner of {draft.account} or SMT judge its findings")
        me = access.staff_of(actor)
        if me is not None and me.pk == draft.author_id:
            raise PermissionDenied("you wrote this post: another approver judges its findings")
        if len(reason) < 10:
            raise ValidationError({"reason": "say why the finding is wrong here (at least 10 characters)"})
        if draft.state not in (State.SUBMITTED, State.CHANGES_REQUESTED, State.DRAFT):
            raise ValidationError(
                f"this post is {draft.get_state_display().lower()}: its findings are settled"
            )
        result = CheckResult.objects.filter(draft=draft).first()
        finding = _finding_at(result.findings if result is not None else [], rule, start, end)
        if finding["severity"] != Severity.REVIEW:
            raise ValidationError({"rule": f"{rule} is not a review finding; SMT override a blocking one"})
        if FindingDismissal.objects.filter(draft=draft, rule=rule, start=start, end=end).exists():
            raise ValidationError({"rule": "that finding is already dismissed"})
        item = FindingDismissal.objects.create(
            draft=draft,
            rule=rule,
            start=start,
            end=end,
            excerpt=routing.excerpt_of(draft.text, finding),
            reason=reason,
            by=actor,
            at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="rules.finding_dismissed",
            target=item,
            after={"draft": draft.pk, "rule": rule, "excerpt": item.excerpt, "reason": reason},
        )
        _event(draft, EventKind.DISMISSED, actor, f"{rule} ({finding['name']}): {reason}")
    return item
