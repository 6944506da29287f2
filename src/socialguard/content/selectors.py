"""Reads of drafts, scoped by content.access: my drafts, what I may approve now, what waits
for an SMT override, the calendar of scheduled posts, one draft's findings with their overrides."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from socialguard.content import access, routing
from socialguard.content.models import Draft, FindingOverride, State


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


def approval_queue(user: Any) -> list[QueueItem]:
    """Submitted posts this person may approve now, oldest first (from the stored check; the
    approval itself checks again)."""
    from socialguard.content.services import approval_refusal

    items = []
    for draft in _submitted(user):
        need = requirement_of(draft)
        if approval_refusal(user, draft, need) is None:
            items.append(QueueItem(draft, need))
    return items


def awaiting_override(user: Any) -> list[QueueItem]:
    """For SMT: submitted posts blocked by the check, each finding waiting for a change by the
    author or an override with a reason."""
    if not access.is_senior(user):
        return []
    items = []
    for draft in _submitted(user):
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

    now = timezone.now()
    drafts = access.drafts_visible(user).filter(state=State.APPROVED).select_related("account")
    ids = [
        d.pk
        for d in drafts
        if not has_connector(d.account.platform)
        and (d.publish_at is None or d.publish_at <= now)
        and (access.is_senior(user) or access.runs_account(user, d.account))
    ]
    return Draft.objects.filter(pk__in=ids).select_related("account", "author")
