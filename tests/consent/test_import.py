"""Consent recorded at enrolment in the MIS: CSV, all rows or none, errors by file, row and field."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from socialguard.consent import selectors
from socialguard.consent.models import ConsentRecord
from socialguard.consent.services import consent_import
from socialguard.people.services import ImportFailed

GOOD = (
    "learner_id,status,scope,given_on,guardian_id,expires_on,note\n"
    "L1,given,social_media,01/09/2025,G1,,enrolment form\n"
    "L2,refused,,2025-09-01,,,\n"
)


def test_import_records_each_row_and_is_harmless_to_repeat(team: dict[str, Any]) -> None:
    result = consent_import(actor=team["smt"], data=GOOD.encode(), filename="mis.csv")
    assert result.recorded == 2
    assert selectors.state_of("learner", "L1").may_post
    assert selectors.state_of("learner", "L2").code == "refused"
    again = consent_import(actor=team["smt"], data=GOOD.encode(), filename="mis.csv")
    assert again.recorded == 0 and again.unchanged == 2
    record = ConsentRecord.objects.get(subject_id="L1")
    assert record.guardian is not None and record.source == "import" and record.evidence == "mis"


def test_any_bad_row_and_nothing_is_imported(team: dict[str, Any]) -> None:
    bad = GOOD + "L99,given,,2025-09-01,,,\nL2,maybe,,2025-09-01,,,\nL1,given,print,2099-01-01,,,\n"
    with pytest.raises(ImportFailed) as error:
        consent_import(actor=team["smt"], data=bad.encode(), filename="mis.csv")
    lines = str(error.value).splitlines()
    assert "mis.csv, row 4, field 'learner_id': no learner with external_id 'L99' in the register" in lines
    assert any(line.startswith("mis.csv, row 5, field 'status': 'maybe' is not a status") for line in lines)
    assert any(
        line.startswith("mis.csv, row 6, field 'given_on': 2099-01-01 is in the future") for line in lines
    )
    assert ConsentRecord.objects.count() == 0


def test_a_guardian_not_linked_is_refused(team: dict[str, Any]) -> None:
    data = "learner_id,status,given_on,guardian_id\nL2,given,2025-09-01,G1\n"
    with pytest.raises(ImportFailed) as error:
        consent_import(actor=team["smt"], data=data.encode(), filename="mis.csv")
    assert "row 2, field 'guardian_id': Fay Young is not linked to Eve Former" in str(error.value)


def test_only_smt_import(team: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        consent_import(actor=team["runner"], data=GOOD.encode(), filename="mis.csv")
