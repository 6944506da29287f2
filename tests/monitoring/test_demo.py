"""The demo shows monitoring at work: sources SMT chose, and alerts the engine raised."""

from __future__ import annotations

from typing import Any

from socialguard.demo import load_all
from socialguard.monitoring.models import Alert, AlertKind, Health, Kind, Source


def test_the_demo_has_sources_and_alerts(db: Any) -> None:
    load_all()
    assert set(Source.objects.values_list("kind", flat=True)) == set(Kind.values)
    kinds = set(Alert.objects.values_list("kind", flat=True))
    assert {AlertKind.CRITICISM, AlertKind.UNAPPROVED_POST} <= kinds
    assert Source.objects.get(kind=Kind.EXPORT).health == Health.OK
    load_all()  # loading again adds nothing
    assert Source.objects.count() == 6
