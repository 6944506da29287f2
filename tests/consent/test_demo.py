"""The demo shows each state: consent given (by learners and by guardians), refused, withdrawn,
none, and a guardian's consent lapsing within 60 days."""

from __future__ import annotations

from typing import Any

import pytest

from socialguard import demo
from socialguard.audit.selectors import audit_verify
from socialguard.consent import selectors
from socialguard.consent.models import ConsentRecord

pytestmark = pytest.mark.django_db


def test_demo_consent(db: Any, settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path
    demo.load_all()
    codes = {s.code for s in selectors.states_of_learners(selectors.Learner.objects.all()).values()}
    assert {"given", "refused", "withdrawn", "none"} <= codes
    assert ConsentRecord.objects.filter(guardian__isnull=False).exists()
    lapsing = selectors.lapsing()
    assert lapsing and "turns 18" in lapsing[0].why
    data = selectors.coverage()
    assert 0 < data.overall.percent < 100 and data.gaps
    assert audit_verify().ok
