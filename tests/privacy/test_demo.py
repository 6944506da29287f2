"""The demo gives the privacy pages something to show, through the services (so it is audited)."""

from __future__ import annotations

from typing import Any

from socialguard import demo
from socialguard.audit.selectors import audit_verify
from socialguard.privacy import selectors
from socialguard.privacy.models import PrivacyReview, ScreeningRecord, ScreeningStatus, SelfCheck


def test_the_demo_has_reviews_checks_and_recruitment_records(db: Any) -> None:
    demo.load_all()
    assert PrivacyReview.objects.exists() and SelfCheck.objects.exists()
    rows = selectors.coverage()
    assert sum(r.reviewed for r in rows) < sum(r.staff for r in rows)  # some still to do
    assert sorted(ScreeningRecord.objects.values_list("status", flat=True)) == [
        ScreeningStatus.AWAITING_EXCEPTION,
        ScreeningStatus.DECIDED,
    ]
    assert audit_verify().ok
