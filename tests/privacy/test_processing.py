"""The record of processing is made from the models, and every app holding personal data is described."""

from __future__ import annotations

from typing import Any

from socialguard.identity.roles import Role
from socialguard.privacy.processing import PURPOSES, UNDESCRIBED, record_of_processing


def test_every_app_holding_personal_data_is_described(db: Any) -> None:
    entries = record_of_processing()
    assert [e.app for e in entries if e.purpose is UNDESCRIBED] == []
    assert {e.app for e in entries} <= set(PURPOSES)
    fields = {m.label: m.fields for e in entries for m in e.models}
    assert "date_of_birth" in fields["people.learner"]
    assert "candidate" in fields["privacy.screeningrecord"]
    assert "staff (a person)" in fields["privacy.selfcheck"]


def test_everyone_may_read_it(client_for: Any) -> None:
    page = client_for(Role.STAFF).get("/privacy/processing/").content.decode()
    assert "Concerns, breaches and safeguarding cases" in page and "date_of_birth" in page
