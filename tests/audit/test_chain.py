"""The audit trail is append-only and `audit verify` names the first broken link."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from click.testing import CliRunner

from socialguard.audit.models import AppendOnlyError, AuditEvent
from socialguard.audit.selectors import audit_verify
from socialguard.cli import main
from tests.audit.tamper import tamper


def _sql(statement: str, *params: Any) -> None:
    tamper(statement, *params)


def test_intact_chain_verifies(five_events: list[AuditEvent]) -> None:
    result = audit_verify()
    assert result.ok
    assert result.checked == 5


def test_events_link_to_their_predecessor(five_events: list[AuditEvent]) -> None:
    for earlier, later in itertools.pairwise(five_events):
        assert later.prev_hash == earlier.hash
        assert later.seq == earlier.seq + 1


def test_altered_event_is_named(five_events: list[AuditEvent]) -> None:
    _sql("UPDATE audit_auditevent SET after = %s WHERE seq = 3", json.dumps({"n": 99}))
    result = audit_verify()
    assert not result.ok and result.problem is not None
    assert result.problem.seq == 3
    assert "altered" in result.problem.reason


def test_altered_actor_label_is_named(five_events: list[AuditEvent]) -> None:
    _sql("UPDATE audit_auditevent SET actor_label = 'someone else' WHERE seq = 2")
    problem = audit_verify().problem
    assert problem is not None and problem.seq == 2


def test_deleted_event_is_named(five_events: list[AuditEvent]) -> None:
    _sql("DELETE FROM audit_auditevent WHERE seq = 4")
    problem = audit_verify().problem
    assert problem is not None and problem.seq == 4
    assert "missing" in problem.reason


def test_deleted_last_event_is_caught_by_the_head(five_events: list[AuditEvent]) -> None:
    _sql("DELETE FROM audit_auditevent WHERE seq = 5")
    problem = audit_verify().problem
    assert problem is not None and problem.seq == 5
    assert "deleted" in problem.reason


def test_reordered_events_are_named(five_events: list[AuditEvent]) -> None:
    # Swap the sequence numbers of events 2 and 3, as an attacker reordering history would.
    _sql("UPDATE audit_auditevent SET seq = 1000 WHERE seq = 2")
    _sql("UPDATE audit_auditevent SET seq = 2 WHERE seq = 3")
    _sql("UPDATE audit_auditevent SET seq = 3 WHERE seq = 1000")
    problem = audit_verify().problem
    assert problem is not None and problem.seq == 2
    assert "reordered" in problem.reason


def test_cli_verify_exit_codes(five_events: list[AuditEvent]) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "5 events" in ok.output and "0 checkpoints" in ok.output
    _sql("UPDATE audit_auditevent SET action = 'forged' WHERE seq = 1")
    broken = runner.invoke(main, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "event #1" in broken.output


def test_orm_cannot_change_or_remove_events(five_events: list[AuditEvent]) -> None:
    event = five_events[0]
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(seq=1).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_event_records_the_address_from_the_request(client: Any, db: Any) -> None:
    client.post(
        "/account/sign-in/", {"username": "nobody@dmm.example", "password": "x"}, REMOTE_ADDR="192.0.2.7"
    )
    event = AuditEvent.objects.get(action="user.sign_in_failed")
    assert event.ip_address == "192.0.2.7"
    assert event.object_repr == "nobody@dmm.example"
    assert "x" not in json.dumps(event.after)


def test_events_appended_in_bulk_are_sealed_like_single_ones(db: Any) -> None:
    import datetime as dt

    from socialguard.audit.services import EventSpec, audit_append_many, audit_record

    audit_record(actor=None, action="test.first", object_type="test")
    when = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    specs = (
        EventSpec(at=when + dt.timedelta(minutes=i), action="test.bulk", object_type="test", object_id=str(i))
        for i in range(12)
    )
    assert audit_append_many(specs, batch=5) == 12
    audit_record(actor=None, action="test.after", object_type="test")
    result = audit_verify()
    assert result.ok and result.checked == 14
    assert AuditEvent.objects.get(seq=7).at == when + dt.timedelta(minutes=5)
    tamper("UPDATE audit_auditevent SET object_id = '99' WHERE seq = 7")
    problem = audit_verify().problem
    assert problem is not None and problem.seq == 7
