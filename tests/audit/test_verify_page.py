"""Verifying the trail on its page is recorded, and clears the auditor's "check the trail" item
until new events arrive (it used to stay due however often they verified)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from socialguard.audit.models import AuditEvent
from socialguard.audit.services import audit_record
from socialguard.identity.roles import Role
from socialguard.web.home import home_items
from tests.conftest import sign_in

ITEM = "Check that no recorded change was altered"


def test_verifying_is_recorded_and_clears_the_auditors_item(db: Any, make_user: Any) -> None:
    auditor = make_user(Role.AUDITOR)
    audit_record(actor=None, action="test.changed", object_type="test.thing", after={"n": 1})
    assert ITEM in [i.title for i in home_items(auditor)]

    response = sign_in(Client(), auditor).get("/audit/verify/")
    assert response.status_code == 200
    verified = AuditEvent.objects.get(action="audit.verified")
    assert verified.actor == auditor and verified.after["intact"] is True
    assert ITEM not in [i.title for i in home_items(auditor)]

    audit_record(actor=None, action="test.changed", object_type="test.thing", after={"n": 2})
    assert ITEM in [i.title for i in home_items(auditor)]  # something new to check
