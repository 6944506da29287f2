"""The demo's posts: every state a person meets, a blocked post with an SMT override and its
reason, approved posts over the next two weeks, an archive of a few dozen posts with findings,
all written through the services so the audit trail verifies."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from socialguard import demo
from socialguard.accounts.models import OrgAccount
from socialguard.audit.selectors import audit_verify
from socialguard.content.models import Draft, FindingOverride, PublishedPost, State

pytestmark = pytest.mark.django_db


def test_demo_posts(db: Any) -> None:
    demo.load_all()
    states = set(Draft.objects.values_list("state", flat=True))
    assert {
        State.DRAFT,
        State.SUBMITTED,
        State.CHANGES_REQUESTED,
        State.APPROVED,
        State.SCHEDULED,
        State.FAILED,
        State.PUBLISHED,
    } <= states
    # Bluesky has a connector: approved posts wait for socialguard to publish them at their time,
    # and one due yesterday failed in words, without calling a network (no app password stored).
    scheduled = Draft.objects.filter(state=State.SCHEDULED)
    assert scheduled.count() >= 2 and all(d.account.platform == "bluesky" for d in scheduled)
    assert all(d.publish_at > timezone.now() for d in scheduled)
    failed = Draft.objects.get(state=State.FAILED)
    assert "no app password is stored" in failed.last_error and failed.record_key == ""
    override = FindingOverride.objects.get()
    assert len(override.reason) > 20 and override.draft.state == State.APPROVED
    blocked = Draft.objects.filter(state=State.SUBMITTED, check_result__verdict="block")
    assert blocked.exists()  # one still waits for SMT: the queue shows it
    assert Draft.objects.filter(state=State.SUBMITTED, reply_to_criticism=True).exists()
    now = timezone.now()
    planned = Draft.objects.filter(state=State.APPROVED, publish_at__gt=now)
    assert planned.count() >= 5
    assert all(d.publish_at <= now + dt.timedelta(days=15) for d in planned)
    archive = PublishedPost.objects.all()
    assert 25 <= archive.count() <= 60
    assert archive.exclude(findings=[]).filter(verdict="review").exists()
    assert archive.filter(kind="correction").exists() and archive.filter(deleted_at__isnull=False).exists()
    first = archive.order_by("published_at").first()
    assert first is not None and first.published_at < now - dt.timedelta(days=28)  # months of history
    set_up = max(a.created_at for a in OrgAccount.objects.all())
    if set_up < now - dt.timedelta(days=30):  # the accounts demo dates them: posts come after
        assert first.published_at > set_up
    # Not connected to any platform: every post was recorded by hand, with a link marked as made up.
    assert not archive.filter(manual=False).exists()
    assert all("demo-" in p.url for p in archive.exclude(kind="deletion"))
    assert audit_verify().ok
