from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from socialguard.audit.models import AuditEvent
from socialguard.audit.selectors import audit_verify
from socialguard.demo import load_all
from socialguard.incidents.models import Case, Outcome, Status
from socialguard.incidents.retention import retain_until


@pytest.mark.django_db
def test_the_demo_has_cases_in_every_state(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path
    load_all()
    assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(Case.objects.exclude(outcome="").values_list("outcome", flat=True)) == set(Outcome.values)
    assert Case.objects.filter(restricted=True, status="new").exists()
    assert Case.objects.filter(restricted=True, status="awaiting_referral").exists()
    assert Case.objects.filter(restricted=False, safeguarding_part=True).exists()
    assert Case.objects.filter(source="rules_finding").exists()
    assert Case.objects.filter(anonymised_at__isnull=False).count() == 1
    assert Case.objects.filter(
        anonymised_at__isnull=True, status="closed", retain_until__lt=dt.date.today()
    ).exists()
    assert len(list((tmp_path / "evidence").iterdir())) == 2
    load_all()  # loading again adds nothing
    assert Case.objects.count() == 17


@pytest.mark.django_db
def test_every_demo_case_tells_its_story_in_order(settings: Any, tmp_path: Any) -> None:
    """Reported on its date, with the reference of that year; everything after it happened
    after the report and by now, in order; its audit events at those times; the trail intact."""
    settings.DATA_DIR = tmp_path
    load_all()
    now = timezone.now()
    assert Case.objects.filter(created_at__lt=now - dt.timedelta(days=365)).exists()
    for case in Case.objects.all():
        reported = case.created_at
        assert case.reference.startswith(f"C-{timezone.localdate(reported).year}-"), case.reference
        steps = [case.triaged_at, case.closed_at, case.anonymised_at]
        steps += [e.created_at for e in case.entries.all()]
        steps += [t.done_at for t in case.tasks.all()]
        assert all(reported <= when <= now for when in steps if when is not None), case.reference
        days = [e.happened_on for e in case.entries.all()]
        days += [r.referred_on for r in case.referrals.all()] + [r.response_on for r in case.referrals.all()]
        assert all(
            timezone.localdate(reported) <= day <= timezone.localdate(now) for day in days if day is not None
        ), case.reference
        entries = list(case.entries.order_by("created_at", "pk").values_list("kind", flat=True))
        assert case.anonymised_at is not None or entries[0] == "report", case.reference
        if case.triaged_at is not None:
            assert case.closed_at is None or case.triaged_at <= case.closed_at, case.reference
        if case.closed_at is not None:
            assert case.retain_until == retain_until(case, timezone.localdate(case.closed_at)), case.reference
        events = list(
            AuditEvent.objects.filter(object_type="incidents.case", object_id=str(case.pk)).order_by("seq")
        )
        assert events and events[0].action == "cases.reported", case.reference
        assert events[0].at == reported, case.reference
        at = {e.action: e.at for e in events}
        assert at.get("cases.triaged") == case.triaged_at, case.reference
        assert at.get("cases.closed") == case.closed_at, case.reference
        times = [e.at for e in events]
        assert times == sorted(times) and times[-1] <= now, case.reference
    result = audit_verify()
    assert result.ok, result.problem
