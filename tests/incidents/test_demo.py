from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from socialguard.demo import load_all
from socialguard.incidents.models import Case, Outcome, Status


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
