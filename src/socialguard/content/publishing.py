"""Publishing approved posts, exactly once.

The task (content.tasks.publish_draft) runs at the post's time:

1. In its own committed transaction it locks the draft, checks it is still due and still the
   approved content, opens the app password from the vault (audited as used by the connector)
   and chooses and STORES the platform record key.
2. It calls the platform with that key. A connector answers a second publish under the same key
   with the record already there, so a worker killed between the platform's answer and step 3
   is retried (by the task's own retry or the scheduler's safety net) without posting twice.
3. In a second transaction it records the archived post.

Retryable failures (the platform unreachable) try again after 1, 5 and 25 minutes; the last
failure, or one that retrying cannot fix (a refused app password, a rejected post), marks the
draft failed and tells its author and SMT by email after commit.

Platforms without a connector take the manual path: an approved post waits for a runner, who
publishes it by hand and records the link (`draft_record_manual_publication`).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from socialguard.audit.services import audit_record
from socialguard.connectors import base as connectors
from socialguard.connectors.accounts import credentials_for, has_connector
from socialguard.content import access, media
from socialguard.content.models import Draft, EventKind, Kind, PublishedPost, State

logger = logging.getLogger(__name__)
BACKOFF_MINUTES = (1, 5, 25)  # waits before the 2nd, 3rd and 4th tries
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
# The safety net re-enqueues a due post whose task has not run for this long (lost or killed).
STALE_MINUTES = 10
REFUSED_PASSWORD = "the app password was refused; an SMT member must store a new one"


def enqueue(draft_id: int, when: dt.datetime | None = None) -> None:
    from socialguard.content.tasks import publish_draft

    task = publish_draft
    if when is not None and when > timezone.now():
        task = publish_draft.using(run_after=when)
    task.enqueue(draft_id=draft_id)


def _event(draft: Draft, kind: str, comment: str = "", actor: Any = None) -> None:
    from socialguard.content.models import DraftEvent

    DraftEvent.objects.create(draft=draft, kind=kind, actor=actor, comment=comment, at=timezone.now())


def _audit(action: str, draft: Draft, actor: Any = None, **after: Any) -> None:
    audit_record(
        actor=actor,
        action=f"content.{action}",
        target=draft,
        object_type="content.draft",
        after={"state": draft.state, "account": str(draft.account), **after},
    )


def _fail(draft: Draft, message: str) -> None:
    """Mark failed (inside the caller's transaction) and tell the author and SMT after commit."""
    from socialguard.content.tasks import send_publish_failed_notice

    draft.state = State.FAILED
    draft.last_error = message
    draft.save(update_fields=["state", "last_error", "updated_at"])
    _event(draft, EventKind.FAILED, message)
    _audit("publish_failed", draft, error=message, attempts=draft.attempts)
    draft_id = draft.pk
    transaction.on_commit(lambda: send_publish_failed_notice.enqueue(draft_id=draft_id))


def _current_approval_hash(draft: Draft) -> str | None:
    approval = draft.approvals.filter(withdrawn_at__isnull=True).first()
    return approval.content_hash if approval else None


def _prepare(draft_id: int) -> tuple[Draft, Any] | str:
    """Step 1: the draft, marked publishing with its record key stored, and a signed-in
    connector; or a word on why there is nothing to do."""
    from socialguard.content.services import draft_hash

    with transaction.atomic():
        draft = (
            Draft.objects.select_for_update(of=("self",))
            .select_related("account", "corrects")
            .filter(pk=draft_id)
            .first()
        )
        if draft is None or draft.state not in (State.SCHEDULED, State.PUBLISHING):
            return "nothing to publish"
        now = timezone.now()
        if draft.publish_at is not None and draft.publish_at > now + dt.timedelta(seconds=5):
            return "not due yet"  # rescheduled later: the task enqueued for the new time will run
        if _current_approval_hash(draft) != draft_hash(draft):
            _fail(draft, "the content is not the approved content; it must be approved again")
            return "failed"
        refused = _without_consent(draft)
        if refused:
            # A withdrawal since approval stops the publish (consent.services.sweep takes the
            # same lock, so it either pulled the draft back already or finds it failed here).
            _fail(draft, f"not published: no current consent to show {', '.join(refused)} (5.2)")
            return "failed"
        if draft.state == State.PUBLISHING and draft.attempts >= MAX_ATTEMPTS:
            # Tries that never finished (a worker killed or crashing each time): stop and tell.
            _fail(draft, f"publishing did not finish after {draft.attempts} attempts; try again later")
            return "failed"
        credentials = credentials_for(draft.account)
        if credentials is None:
            _fail(draft, f"no app password is stored for {draft.account}; an SMT member must store one")
            return "failed"
        connector = connectors.connector_for(draft.account.platform, credentials)
        if connector is None:
            return "no connector"
        if not draft.record_key:
            draft.record_key = connector.new_record_key()
        draft.state = State.PUBLISHING
        draft.attempts += 1
        draft.save(update_fields=["record_key", "state", "attempts", "updated_at"])
        _event(draft, EventKind.PUBLISHING, f"attempt {draft.attempts}")
        _audit("publishing", draft, record_key=draft.record_key, attempt=draft.attempts)
    return draft, connector


def _without_consent(draft: Draft) -> list[str]:
    """Learners shown in the draft's media who refused or withdrew consent, or who have none now
    unless an SMT member overrode that finding (IC001) with a written reason."""
    from socialguard.consent.selectors import states_for_refs

    people = [p for m in draft.media.all() for p in (m.people_shown or []) if p.get("kind") == "learner"]
    overridden = draft.overrides.filter(rule="IC001").exists()
    return [
        state.record.subject_name if state.record else f"learner {ref}"
        for (_, ref), state in states_for_refs(people).items()
        if state.code in ("withdrawn", "refused") or (not state.may_post and not overridden)
    ]


def _outgoing(draft: Draft) -> connectors.OutgoingPost:
    uploads = tuple(
        connectors.MediaUpload(media.read(m.stored_name, m.sha256), m.content_type, m.alt_text)
        for m in draft.media.all()
    )
    reply_to = draft.reply_to if draft.is_reply else ""
    if draft.kind == Kind.CORRECTION and not reply_to and draft.corrects is not None:
        reply_to = draft.corrects.uri  # a correction answers what it corrects, on the platform too
    return connectors.OutgoingPost(
        text=draft.text,
        record_key=draft.record_key,
        media=uploads,
        reply_to=reply_to,
        created_at=timezone.now(),
    )


def publish(draft_id: int) -> str:
    """Publish one due draft (the task's body). Returns what happened, in a word or two."""
    prepared = _prepare(draft_id)
    if isinstance(prepared, str):
        return prepared
    draft, connector = prepared
    record_key = draft.record_key  # this try's: the draft read again below may hold another
    try:
        if draft.kind == Kind.DELETION:
            assert draft.corrects is not None
            connector.delete(draft.corrects.uri)
            record = None
        else:
            record = connector.publish(_outgoing(draft))
    except connectors.AuthenticationFailed:
        with transaction.atomic():
            draft = Draft.objects.select_for_update(of=("self",)).select_related("account").get(pk=draft_id)
            if draft.state == State.FAILED and draft.record_key == record_key:
                # The tries ran out while this one waited: the refusal is the news worth keeping.
                draft.last_error = REFUSED_PASSWORD
                draft.save(update_fields=["last_error", "updated_at"])
                return "failed"
            if draft.state != State.PUBLISHING:
                return "nothing to do"  # it moved on while the platform was asked (changed, discarded)
            _fail(draft, REFUSED_PASSWORD)
        return "failed"
    except connectors.ConnectorError as error:
        return _after_error(draft_id, str(error) or type(error).__name__, retryable=error.retryable)
    except OSError as error:  # the network itself: a timeout, a refused connection
        return _after_error(draft_id, f"the platform could not be reached ({error})", retryable=True)
    outcome = _record(draft_id, record, record_key)
    if outcome == MOVED_ON and record is not None:
        _remove_stray(draft_id, connector, record)
    return outcome


def _after_error(draft_id: int, message: str, *, retryable: bool) -> str:
    with transaction.atomic():
        draft = Draft.objects.select_for_update(of=("self",)).select_related("account").get(pk=draft_id)
        if draft.state != State.PUBLISHING:
            return "nothing to do"
        if not retryable or draft.attempts >= MAX_ATTEMPTS:
            _fail(draft, message)
            return "failed"
        wait = BACKOFF_MINUTES[draft.attempts - 1]
        when = timezone.now() + dt.timedelta(minutes=wait)
        draft.state = State.SCHEDULED
        draft.last_error = message
        draft.enqueued_at = timezone.now()
        draft.save(update_fields=["state", "last_error", "enqueued_at", "updated_at"])
        _event(draft, EventKind.RETRY, f"{message}; trying again in {wait} minute{'s' if wait > 1 else ''}")
        _audit("publish_retry", draft, error=message, attempt=draft.attempts, retry_at=when.isoformat())
        transaction.on_commit(lambda: enqueue(draft_id, when))
    return "retrying"


def _archive(draft: Draft, *, uri: str, platform_id: str, url: str, manual: bool, actor: Any,
             published_at: dt.datetime) -> PublishedPost:  # fmt: skip
    result = getattr(draft, "check_result", None)
    findings = list(result.findings) if result else []
    overrides = [
        {
            "rule": o.rule,
            "excerpt": o.excerpt,
            "reason": o.reason,
            "by": o.by.get_full_name() or o.by.email,
            "at": o.at.isoformat(),
        }
        for o in draft.overrides.select_related("by")
    ]
    approvers = [
        f"{a.approver.get_full_name() or a.approver.email} <{a.approver.email}>"
        for a in draft.approvals.filter(withdrawn_at__isnull=True).select_related("approver")
    ]
    post = PublishedPost.objects.create(
        draft=draft,
        account=draft.account,
        platform=draft.account.platform,
        kind=draft.kind,
        text=draft.text,
        links=list(draft.links or []),
        media=[
            {
                "name": m.original_name,
                "content_type": m.content_type,
                "sha256": m.sha256,
                "alt_text": m.alt_text,
            }
            for m in draft.media.all()
        ],
        reply_to=draft.reply_to if draft.is_reply else "",
        uri=uri,
        platform_id=platform_id,
        url=url,
        record_key=draft.record_key,
        content_hash=_current_approval_hash(draft) or "",
        drafter=draft.author,
        drafter_name=draft.author.full_name,
        approvers=approvers,
        verdict=result.verdict if result else "",
        findings=findings,
        overrides=overrides,
        categories=" ".join(sorted({str(f.get("category", "")) for f in findings if f.get("category")})),
        published_at=published_at,
        manual=manual,
        recorded_by=actor,
    )
    if draft.kind == Kind.DELETION and draft.corrects is not None:
        original = draft.corrects
        original.deleted_at = published_at
        original.deleted_by_draft = draft
        original.save(update_fields=["deleted_at", "deleted_by_draft"])
    draft.state = State.PUBLISHED
    draft.last_error = ""
    draft.save(update_fields=["state", "last_error", "updated_at"])
    what = "Deleted on the platform" if draft.kind == Kind.DELETION else (url or uri)
    _event(draft, EventKind.PUBLISHED, what + (" (recorded by hand)" if manual else ""), actor)
    _audit("published", draft, actor=actor, uri=uri, url=url, manual=manual, archive_id=post.pk)
    return post


def _record(draft_id: int, record: connectors.PublishedRecord | None, record_key: str) -> str:
    """Step 3: the archive entry, in one transaction with the draft's state. `record_key`: the
    key step 1 stored for this call."""
    with transaction.atomic():
        draft = (
            Draft.objects.select_for_update(of=("self",))
            .select_related("account", "author", "corrects")
            .get(pk=draft_id)
        )
        if draft.state == State.PUBLISHED:
            if record is not None and draft.record_key != record_key:
                return MOVED_ON  # an earlier try's copy, after the post went out as a new version
            return "already published"
        uri = record.uri if record else (draft.corrects.uri if draft.corrects else "")
        from socialguard.content.services import draft_hash

        if not (
            draft.state in (State.PUBLISHING, State.SCHEDULED, State.FAILED)
            and record_key
            and draft.record_key == record_key
            and _current_approval_hash(draft) == draft_hash(draft)
        ):
            # The call outlived its task, and meanwhile the draft was changed, sent back for
            # approval, pulled back for a consent withdrawal or discarded (each clears the key).
            # The platform has content nobody approved as the draft now is: not archived as
            # this post. (A retry waiting or failed, still approved: archived.)
            return _moved_on(draft, uri=uri)
        post = _archive(
            draft,
            uri=uri,
            platform_id=record.id if record else "",
            url=record.url if record else "",
            manual=False,
            actor=None,
            published_at=timezone.now(),
        )
        if draft.kind != Kind.DELETION:
            from socialguard.consent.services import after_publish

            # Consent withdrawn while the platform was called: take the post down at once.
            after_publish(post)
    return "published"


MOVED_ON = "moved on"


def _moved_on(draft: Draft, *, uri: str) -> str:
    if draft.kind == Kind.DELETION and draft.corrects is not None:
        # The removal is a fact whatever became of the draft: the archive says the post is gone.
        original = draft.corrects
        if original.deleted_at is None:
            original.deleted_at = timezone.now()
            original.deleted_by_draft = draft
            original.save(update_fields=["deleted_at", "deleted_by_draft"])
        state = draft.get_state_display().lower()
        _event(
            draft,
            EventKind.PUBLISHED_UNRECORDED,
            f"The platform removed the post after this deletion was {state}; the archive says so.",
        )
        _audit("published_unrecorded", draft, uri=uri)
    return MOVED_ON


def _remove_stray(draft_id: int, connector: Any, record: connectors.PublishedRecord) -> None:
    """A post that reached the platform after its draft moved on is taken down at once: nobody
    approved what it has become (changed, or pulled back because a learner withdrew consent),
    or nobody wants it (discarded). The author and SMT are told either way."""
    from socialguard.content.tasks import send_stray_post_notice

    try:
        connector.delete(record.uri)
        removed, why = True, ""
    except Exception as error:  # whatever the cause, the post is still up: say so, below
        logger.exception("could not delete the late post %s", record.uri)
        removed, why = False, str(error) or type(error).__name__
    with transaction.atomic():
        draft = Draft.objects.select_for_update(of=("self",)).select_related("account").get(pk=draft_id)
        state = draft.get_state_display().lower()
        where = record.url or record.uri
        if draft.state == State.PUBLISHED:
            late = f"An earlier try's copy reached the platform ({where}) after the post went out changed"
        else:
            late = f"The platform took the post ({where}) after it was {state}"
        if removed:
            what = f"{late}; socialguard removed it there."
        else:
            what = f"{late}, and socialguard could not remove it ({why}): delete it there."
        logger.warning("draft %s reached the platform after it was %s: %s", draft.pk, draft.state, record.uri)
        _event(draft, EventKind.PUBLISHED_UNRECORDED, what)
        _audit("published_unrecorded", draft, uri=record.uri, url=record.url, removed=removed, error=why)
        transaction.on_commit(
            lambda: send_stray_post_notice.enqueue(
                draft_id=draft_id, where=where, removed=removed, error=why, state=state
            )
        )


def draft_record_manual_publication(
    *, actor: Any, draft: Draft, url: str, published_at: dt.datetime | None = None
) -> PublishedPost:
    """The manual path: a runner published the approved post by hand (or removed the post, for a
    deletion) and records where; socialguard keeps the approved version as the record."""
    from socialguard.content.services import draft_hash

    url = url.strip()
    with transaction.atomic():
        draft = (
            Draft.objects.select_for_update(of=("self",))
            .select_related("account", "author", "corrects")
            .get(pk=draft.pk)
        )
        if not (access.is_senior(actor) or access.runs_account(actor, draft.account)):
            raise PermissionDenied(f"only a current runner of {draft.account} or SMT records its posts")
        if has_connector(draft.account.platform):
            raise ValidationError(
                f"{draft.account.get_platform_display()} posts are published by socialguard itself"
            )
        if draft.state != State.APPROVED or _current_approval_hash(draft) != draft_hash(draft):
            raise ValidationError(
                f"this post is {draft.get_state_display().lower()}: only an approved post is recorded"
            )
        if draft.kind != Kind.DELETION and not url.lower().startswith(("https://", "http://")):
            raise ValidationError({"url": "paste the published post's link (https://…)"})
        if len(url) > 500:
            raise ValidationError({"url": "the link is longer than 500 characters"})
        when = published_at or timezone.now()
        if timezone.is_naive(when) or when > timezone.now() + dt.timedelta(minutes=5):
            raise ValidationError({"published_at": "give when it was published, not a time to come"})
        deleted = draft.corrects.uri if draft.corrects else ""
        uri = deleted if draft.kind == Kind.DELETION else url
        return _archive(draft, uri=uri, platform_id="", url=url, manual=True, actor=actor, published_at=when)


def draft_retry(*, actor: Any, draft: Draft) -> Draft:
    """Try a failed post again (after an SMT member stored a new app password, say)."""
    from socialguard.content.services import draft_hash

    with transaction.atomic():
        draft = Draft.objects.select_for_update(of=("self",)).select_related("account").get(pk=draft.pk)
        if not (access.is_senior(actor) or access.runs_account(actor, draft.account)):
            raise PermissionDenied(f"only a current runner of {draft.account} or SMT retries its posts")
        if draft.state != State.FAILED:
            raise ValidationError(
                f"this post is {draft.get_state_display().lower()}; only a failed post is retried"
            )
        if _current_approval_hash(draft) != draft_hash(draft):
            raise ValidationError("the content is not the approved content; submit it for approval again")
        draft.state = State.SCHEDULED
        draft.attempts = 0
        draft.enqueued_at = timezone.now()
        draft.save(update_fields=["state", "attempts", "enqueued_at", "updated_at"])
        _event(draft, EventKind.SCHEDULED, "tried again", actor)
        _audit("publish_retried", draft, actor=actor)
        draft_id = draft.pk
        transaction.on_commit(lambda: enqueue(draft_id))
    return draft


def enqueue_due(now: dt.datetime | None = None) -> list[int]:
    """The scheduler's safety net: due posts whose task is lost (never enqueued, or a worker
    killed mid-publish) are enqueued again. The record key makes a second run harmless."""
    now = now or timezone.now()
    stale = now - dt.timedelta(minutes=STALE_MINUTES)
    due = []
    for draft in Draft.objects.filter(state__in=(State.SCHEDULED, State.PUBLISHING)).only(
        "pk", "state", "publish_at", "enqueued_at", "updated_at"
    ):
        if draft.publish_at is not None and draft.publish_at > now:
            continue
        if draft.state == State.PUBLISHING and draft.updated_at > stale:
            continue  # a worker is on it now
        if draft.state == State.SCHEDULED and draft.enqueued_at is not None and draft.enqueued_at > stale:
            continue
        Draft.objects.filter(pk=draft.pk).update(enqueued_at=now)
        enqueue(draft.pk)
        due.append(draft.pk)
    return due
