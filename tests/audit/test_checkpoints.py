"""Daily checkpoints of the chain's head, signed and kept outside the database, catch what someone
with database access (and even the audit key) can do to the chain itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.conf import LazySettings, settings
from django.utils import timezone

from socialguard.audit import chain
from socialguard.audit.keys import audit_key
from socialguard.audit.models import AuditEvent
from socialguard.audit.selectors import audit_verify
from socialguard.audit.services import audit_checkpoint, audit_record
from socialguard.audit.tasks import write_daily_checkpoint
from socialguard.cli import main
from socialguard.identity.roles import Role
from socialguard.scheduling.jobs import run_due
from socialguard.scheduling.models import ScheduledRun
from tests.audit.attacker import reseal_from
from tests.audit.tamper import tamper
from tests.smtp import Inbox

PUBLISHED: list[chain.Checkpoint] = []


def publish_for_test(checkpoint: chain.Checkpoint) -> None:
    PUBLISHED.append(checkpoint)


def _file() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


@pytest.fixture
def auditors(make_user: Callable[..., Any]) -> list[str]:
    make_user(Role.AUDITOR, email="audra@dmm.example")
    make_user(Role.AUDITOR, Role.STAFF, email="otto@dmm.example")
    gone = make_user(Role.AUDITOR, email="gone@dmm.example")
    gone.is_active = False
    gone.save()
    make_user(Role.SMT, email="smt@dmm.example")
    return ["audra@dmm.example", "otto@dmm.example"]


def test_a_checkpoint_goes_to_the_file_and_through_smtp_to_every_auditor(
    five_events: list[AuditEvent], auditors: list[str], mailbox: Inbox
) -> None:
    last = AuditEvent.objects.order_by("-seq").first()
    assert last is not None
    outcome = audit_checkpoint()
    checkpoint = outcome.checkpoint
    assert checkpoint is not None and outcome.delivered
    assert (checkpoint.seq, checkpoint.hash) == (last.seq, last.hash)
    assert _file().read_text().splitlines() == [checkpoint.line()]
    assert _file().stat().st_mode & 0o777 == 0o600
    [message] = mailbox.messages
    assert sorted(message["X-Envelope-To"].split(", ")) == auditors
    assert message["Subject"] == f"socialguard audit checkpoint #{last.seq}"
    assert checkpoint.line() in mailbox.body()
    event = AuditEvent.objects.get(action="audit.checkpointed")
    assert event.after == {**checkpoint.body(), "mac": checkpoint.mac, "emailed_to": 2}
    result = audit_verify()
    assert result.ok and result.checked == last.seq + 1 and result.checkpoints == 1


def test_deleting_the_tail_and_moving_the_head_is_caught_by_the_checkpoint(
    five_events: list[AuditEvent],
) -> None:
    audit_checkpoint()  # covers #5; #6 records it
    audit_record(actor=None, action="test.later", object_type="test")
    tamper("DELETE FROM audit_auditevent WHERE seq >= 4")
    tamper("UPDATE audit_audithead SET last_seq = 3, last_hash = %s WHERE singleton = 1", five_events[2].hash)
    assert audit_verify(checkpoint_files=[]).ok  # the chain alone cannot tell
    problem = audit_verify().problem
    assert problem is not None and problem.seq == 4
    assert "covers #5 (events deleted)" in problem.reason


def test_a_chain_resealed_with_the_key_itself_is_caught_by_the_checkpoint(
    five_events: list[AuditEvent],
) -> None:
    audit_checkpoint()
    tamper("UPDATE audit_auditevent SET object_repr = 'forged' WHERE seq = 2")
    reseal_from(2, lambda prev, fields: chain.keyed_hash(audit_key(), prev, fields))
    assert audit_verify(checkpoint_files=[]).ok
    problem = audit_verify().problem
    assert problem is not None and problem.seq == 5 and "rewritten" in problem.reason


def test_lines_saved_from_the_email_check_the_chain_when_the_file_is_gone(
    five_events: list[AuditEvent], auditors: list[str], mailbox: Inbox, tmp_path: Path
) -> None:
    audit_checkpoint()
    saved = tmp_path / "from-email.txt"
    saved.write_text("\n".join(line for line in mailbox.body().splitlines() if line.startswith("{")) + "\n")
    runner = CliRunner()
    assert runner.invoke(main, ["audit", "verify", "--checkpoints", str(saved)]).exit_code == 0
    # Someone with the database, the key and the server's files rewrites the chain and the file.
    tamper("DELETE FROM audit_auditevent WHERE seq >= 5")
    tamper("UPDATE audit_audithead SET last_seq = 4, last_hash = %s WHERE singleton = 1", five_events[3].hash)
    _file().unlink()
    assert audit_verify(checkpoint_files=[]).ok
    broken = runner.invoke(main, ["audit", "verify", "--checkpoints", str(saved)])
    assert broken.exit_code == 1
    assert "from-email.txt line 1" in broken.output and "(events deleted)" in broken.output


def test_a_checkpoint_line_deleted_from_the_file_is_caught(five_events: list[AuditEvent]) -> None:
    audit_checkpoint()
    audit_checkpoint()
    lines = _file().read_text().splitlines()
    _file().write_text(lines[1] + "\n")
    problem = audit_verify().problem
    assert problem is not None and problem.seq == 5
    assert "missing from the checkpoint file" in str(problem) and str(_file()) in str(problem)


def test_a_forged_checkpoint_is_refused(five_events: list[AuditEvent]) -> None:
    forged = chain.checkpoint_sign(
        b"\0" * 32, seq=5, hash=five_events[-1].hash, at=timezone.now().isoformat()
    )
    _file().write_text(forged.line() + "\n")
    problem = audit_verify().problem
    assert problem is not None
    assert str(problem).startswith(f"{_file()} line 1: checkpoint of #5 is not signed with the audit key")


@pytest.mark.parametrize("line", ["not json", '{"v": 1, "seq": "5"}', "[1, 2]", '{"v": 9}'])
def test_a_malformed_checkpoint_line_is_named(five_events: list[AuditEvent], line: str) -> None:
    _file().write_text("\n" + line + "\n")
    problem = audit_verify().problem
    assert problem is not None and str(problem).startswith(f"{_file()} line 2: not a checkpoint")


def test_a_broken_chain_is_never_signed_and_the_auditors_are_alerted(
    five_events: list[AuditEvent], auditors: list[str], mailbox: Inbox
) -> None:
    tamper("UPDATE audit_auditevent SET object_repr = 'forged' WHERE seq = 2")
    outcome = audit_checkpoint()
    assert outcome.checkpoint is None and outcome.problem is not None and outcome.problem.seq == 2
    assert not _file().exists()
    [message] = mailbox.messages
    assert "FAILED" in message["Subject"] and "event #2" in mailbox.body()
    assert AuditEvent.objects.filter(action="audit.verify_failed").exists()
    assert CliRunner().invoke(main, ["audit", "checkpoint"]).exit_code == 1


def test_the_daily_job_writes_a_checkpoint(db: Any, settings: LazySettings) -> None:
    settings.AUDIT_CHECKPOINT_HOUR = 1
    day = dt.date(2026, 12, 1)
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(1, 5)))
    assert "audit-checkpoint" in run_due(at)
    assert write_daily_checkpoint.call() == "checkpoint of #0 written, emailed to 0 auditor(s)"
    assert ScheduledRun.objects.get(name="audit-checkpoint").last_result.startswith("checkpoint of #0")
    assert audit_verify().checkpoints == 1


def test_publishers_hear_of_each_checkpoint(five_events: list[AuditEvent], settings: LazySettings) -> None:
    settings.AUDIT_CHECKPOINT_PUBLISHERS = [f"{__name__}.publish_for_test"]
    PUBLISHED.clear()
    outcome = audit_checkpoint()
    assert [outcome.checkpoint] == PUBLISHED
