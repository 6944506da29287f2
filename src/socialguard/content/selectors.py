"""Reads of drafts, scoped by content.access: my drafts, what I may approve now, what waits
for an SMT override, the calendar of scheduled posts, one draft's findings with their overrides."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from socialguard.content import access, routing
from socialguard.content.models import Draft, FindingOverride, Kind, State
from socialguard.rules.model import Verdict


def my_drafts(user: Any) -> QuerySet[Draft]:
    """The drafts this person wrote, newest change first, published ones included."""
    staff = access.staff_of(user)
    if staff is None:
        return Draft.objects.none()
    return access.drafts_visible(user).filter(author=staff).select_related("account", "check_result")


def requirement_of(draft: Draft) -> routing.Requirement:
    result = getattr(draft, "check_result", None)
    return routing.requirement(draft, list(result.findings) if result else [])


@dataclass(frozen=True)
class QueueItem:
    draft: Draft
    requirement: routing.Requirement


def _submitted(user: Any) -> QuerySet[Draft]:
    return (
        access.drafts_visible(user)
        .filter(state=State.SUBMITTED)
        .select_related("account", "author", "check_result")
        .prefetch_related("overrides")
        .order_by("updated_at", "pk")
    )


def _approvable_by(user: Any) -> tuple[QuerySet[Draft], Any]:
    """Submitted posts that who `user` is lets them approve, narrowed in the database (not their
    own; for anyone but SMT, only the accounts they run and none that needs SMT by its kind), with
    the facts about them `approval_refusal` reads. What the findings say is left to it."""
    from socialguard.content.services import approver

    who = approver(user)
    drafts = _submitted(user).exclude(author__user=user)
    if who.staff_id is not None:
        drafts = drafts.exclude(author_id=who.staff_id)
    if not who.senior:
        if not who.may_approve:
            return drafts.none(), who
        drafts = drafts.filter(account_id__in=who.runs, reply_to_criticism=False).exclude(
            kind__in=(Kind.CORRECTION, Kind.DELETION)
        )
    return drafts, who


def approval_queue(user: Any) -> list[QueueItem]:
    """Submitted posts this person may approve now, oldest first (from the stored check; the
    approval itself checks again)."""
    from socialguard.content.services import approval_refusal

    drafts, who = _approvable_by(user)
    items = []
    for draft in drafts:
        need = requirement_of(draft)
        if approval_refusal(user, draft, need, who) is None:
            items.append(QueueItem(draft, need))
    return items


@dataclass(frozen=True)
class QueueCount:
    total: int
    senior: int  # of them, those only a senior leader (SMT) may approve


def approval_queue_count(user: Any) -> QueueCount:
    """`len(approval_queue(user))` and how many of them need SMT, counted in the database: only
    posts whose check found something that may change the answer (a finding other than advice,
    or one about controversy) are read and weighed as the queue weighs them."""
    from socialguard.content.services import approval_refusal

    drafts, who = _approvable_by(user)
    # The stored check passed, with no mention of controversy: nothing in the findings makes the
    # post need SMT or blocks it, so only what the row says counts (its kind, a reply to criticism).
    plain = Q(check_result__verdict=Verdict.PASS) & ~Q(findings_text__contains='"controversial"')
    marked = drafts.annotate(findings_text=Cast("check_result__findings", TextField()))
    senior_by_row = Q(reply_to_criticism=True) | Q(kind__in=(Kind.CORRECTION, Kind.DELETION))
    counted = marked.filter(plain).aggregate(total=Count("pk"), senior=Count("pk", filter=senior_by_row))
    total, senior = counted["total"], counted["senior"]
    for draft in marked.exclude(plain):
        need = requirement_of(draft)
        if approval_refusal(user, draft, need, who) is None:
            total += 1
            senior += need.senior
    return QueueCount(total, senior)


def awaiting_override(user: Any) -> list[QueueItem]:
    """For SMT: submitted posts blocked by the check, each finding waiting for a change by the
    author or an override with a reason."""
    if not access.is_senior(user):
        return []
    items = []
    # Only a check that found something blocking can leave a finding to override.
    for draft in _submitted(user).filter(check_result__verdict=Verdict.BLOCK):
        need = requirement_of(draft)
        if need.blocking:
            items.append(QueueItem(draft, need))
    return items


@dataclass(frozen=True)
class FindingView:
    finding: dict[str, Any]
    excerpt: str
    override: FindingOverride | None


def findings_of(draft: Draft) -> list[FindingView]:
    """The draft's latest findings, each with the words it points at and its override, if any
    (overrides are shown wherever the post is shown)."""
    result = getattr(draft, "check_result", None)
    overrides = list(draft.overrides.select_related("by"))
    return [
        FindingView(f, routing.excerpt_of(draft.text, f), routing.override_for(f, draft.text, overrides))
        for f in (result.findings if result else [])
    ]


def calendar(user: Any, *, start: dt.date, days: int = 31) -> dict[dt.date, list[Draft]]:
    """Scheduled and approved posts by local day, from `start` for `days` days; a post with no
    time goes on the day it was approved."""
    tz = timezone.get_current_timezone()
    begin = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    end = begin + dt.timedelta(days=days)
    by_day: dict[dt.date, list[Draft]] = defaultdict(list)
    drafts = (
        access.drafts_visible(user)
        .filter(state__in=(State.APPROVED, State.SCHEDULED, State.PUBLISHING))
        .select_related("account", "author")
    )
    for draft in drafts:
        when = draft.publish_at or draft.updated_at
        if begin <= when < end:
            by_day[timezone.localdate(when)].append(draft)
    return {
        day: sorted(items, key=lambda d: (d.publish_at or d.updated_at, d.pk))
        for day, items in sorted(by_day.items())
    }


def manual_to_publish(user: Any) -> QuerySet[Draft]:
    """Approved posts on platforms without a connector, due now, for their runners to publish by
    hand and record."""
    from socialguard.content.publishing import has_connector
    from socialguard.content.services import approver

    now = timezone.now()
    drafts = access.drafts_visible(user).filter(state=State.APPROVED).select_related("account")
    who = approver(user)  # the accounts they run, read once rather than per post
    ids = [
        d.pk
        for d in drafts
        if not has_connector(d.account.platform)
        and (d.publish_at is None or d.publish_at <= now)
        and (who.senior or d.account_id in who.runs)
    ]
    return Draft.objects.filter(pk__in=ids).select_related("account", "author")
