"""Where an operation spells an enumeration's codes as a Literal (its class name is taken in the
document by another enum of that name), the codes stay those of the enumeration."""

from __future__ import annotations

import typing

from socialguard.api import check, consent, monitoring
from socialguard.consent.models import Status as ConsentStatus
from socialguard.monitoring.models import Kind as SourceKind
from socialguard.rules.model import Severity, Verdict


def test_the_literals_are_the_enumerations_codes() -> None:
    assert set(typing.get_args(check.FindingSeverity)) == {s.value for s in Severity}
    assert set(typing.get_args(check.CheckVerdict)) == {v.value for v in Verdict}
    assert set(typing.get_args(monitoring.SourceKind)) == set(SourceKind.values)
    assert set(typing.get_args(consent.ConsentStatus)) == set(ConsentStatus.values)
