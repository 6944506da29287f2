"""Verification at size: the daily check reads only the events since the last signed checkpoint,
the whole trail is read by the worker with its progress stored, and pages read stored outcomes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from click.testing import CliRunner
from django.test import Client
from django_tasks_db.models import DBTaskResult

from socialguard.audit.models import AuditEvent, AuditVerification, VerificationScope
from socialguard.audit.selectors import audit_verify, latest_verification
from socialguard.audit.services import audit_checkpoint, audit_record, verification_run
from socialguard.audit.tasks import verify_whole_trail
from socialguard.cli import main
from socialguard.identity.roles import Role
from socialguard.scheduling.jobs import jobs
from tests.audit.tamper import tamper
from tests.conftest import sign_in


def _more(n: int) -> None:
    for i in range(n):
        audit_record(actor=None, action="test.more", object_type="test", object_id=str(i))


def test_the_quick_check_starts_after_the_newest_checkpoint(five_events: list[AuditEvent]) -> None:
    checkpoint = audit_checkpoint().checkpoint
    assert checkpoint is not None
    _more(3)
    read: list[tuple[int, int]] = []
    quick = audit_verify(since_checkpoint=True, progress=lambda done, total: read.append((done, total)))
    full = audit_verify()
    assert quick.ok and full.ok
    assert quick.checked == full.checked == AuditEvent.objects.count()
    assert quick.last_hash == full.last_hash
    # An event the checkpoint vouches for is not read again: altering one shows only in a full read.
    tamper("UPDATE audit_auditevent SET object_repr = 'forged' WHERE seq = 2")
    assert audit_verify(since_checkpoint=True).ok
    problem = audit_verify().problem
    assert problem is not None and problem.seq == 2


def test_the_quick_check_catches_what_follows_the_checkpoint_and_the_checkpointed_event(
    five_events: list[AuditEvent],
) -> None:
    audit_checkpoint()
    _more(2)
    tamper("UPDATE audit_auditevent SET object_repr = 'forged' WHERE seq = 8")
    problem = audit_verify(since_checkpoint=True).problem
    assert problem is not None and problem.seq == 8 and "altered" in problem.reason
    tamper("UPDATE audit_auditevent SET hash = %s WHERE seq = 5", "f" * 64)  # the checkpointed event
    problem = audit_verify(since_checkpoint=True).problem
    assert problem is not None and problem.seq == 5 and "rewritten" in problem.reason


def test_the_quick_check_sees_events_deleted_below_a_checkpoint(five_events: list[AuditEvent]) -> None:
    audit_checkpoint()
    tamper("DELETE FROM audit_auditevent WHERE seq = 5")  # the event the checkpoint signed
    problem = audit_verify(since_checkpoint=True).problem
    assert problem is not None and problem.seq == 5 and "deleted" in problem.reason


def test_home_pages_read_the_stored_outcome_instead_of_reading_the_chain(
    five_events: list[AuditEvent], make_user: Callable[..., Any], client: Client
) -> None:
    sign_in(client, make_user(Role.AUDITOR, email="audra@dmm.example"))
    tamper("UPDATE audit_auditevent SET object_repr = 'forged' WHERE seq = 3")
    assert "tampered with" not in client.get("/").content.decode()  # nothing has checked it yet
    audit_checkpoint()  # the daily job: no checkpoint yet, so it reads from the first event
    stored = latest_verification()
    assert stored is not None and stored.intact is False and "event #3" in stored.problem
    page = client.get("/").content.decode()
    assert "The audit trail has been tampered with" in page and "event #3" in page


def test_a_break_only_the_whole_read_sees_is_not_cleared_by_a_later_quick_check(
    five_events: list[AuditEvent], make_user: Callable[..., Any], client: Client
) -> None:
    sign_in(client, make_user(Role.SMT, email="smt@dmm.example"))
    audit_checkpoint()
    tamper("UPDATE audit_auditevent SET object_repr = 'forged' WHERE seq = 1")
    assert verify_whole_trail.call().startswith("whole trail BROKEN")
    verification_run(scope=VerificationScope.SINCE_CHECKPOINT)  # intact: it starts after #6
    assert latest_verification().intact  # type: ignore[union-attr]
    page = client.get("/").content.decode()
    assert "The audit trail has been tampered with" in page and "event #1" in page
    assert AuditEvent.objects.filter(action="audit.verify_failed", after__scope="full").exists()


def test_the_whole_trail_is_read_in_the_worker_with_its_progress_shown(
    five_events: list[AuditEvent],
    make_user: Callable[..., Any],
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    auditor = make_user(Role.AUDITOR, email="audra@dmm.example")
    sign_in(client, auditor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/audit/verify/")
        again = client.post("/audit/verify/")  # a second request while one waits joins it
    assert response.status_code == again.status_code == 302
    (verification,) = AuditVerification.objects.filter(scope=VerificationScope.FULL)
    (task,) = DBTaskResult.objects.filter(task_path="socialguard.audit.tasks.verify_whole_trail")
    assert task.args_kwargs["kwargs"] == {"verification_id": verification.pk}
    waiting = client.get("/audit/verify/progress/").content.decode()
    assert "waiting for the worker" in waiting and 'hx-trigger="every 2s"' in waiting

    assert verify_whole_trail.call(verification_id=verification.pk).startswith("whole trail intact")
    verification.refresh_from_db()
    assert verification.intact and verification.done == verification.total == verification.checked
    assert verification.percent == 100
    done = client.get("/audit/verify/progress/").content.decode()
    assert "every 2s" not in done and f"{verification.checked} events in order" in done
    assert AuditEvent.objects.filter(action="audit.verified", actor=auditor, after__scope="full").exists()


def test_staff_cannot_ask_for_a_whole_trail_read(
    five_events: list[AuditEvent], make_user: Callable[..., Any], client: Client
) -> None:
    sign_in(client, make_user(Role.STAFF, email="sam@dmm.example"))
    assert client.post("/audit/verify/").status_code == 403
    assert client.get("/audit/verify/progress/").status_code == 403
    assert not AuditVerification.objects.exists()


def test_the_cli_reads_since_the_checkpoint_unless_asked_for_all(five_events: list[AuditEvent]) -> None:
    audit_checkpoint()
    tamper("UPDATE audit_auditevent SET object_repr = 'forged' WHERE seq = 2")
    runner = CliRunner()
    quick = runner.invoke(main, ["audit", "verify"])
    assert quick.exit_code == 0, quick.output
    full = runner.invoke(main, ["audit", "verify", "--full"])
    assert full.exit_code == 1 and "event #2" in full.output


def test_the_whole_trail_is_read_every_night() -> None:
    assert "socialguard.audit.tasks.verify_whole_trail" in {job.task for job in jobs()}


def test_the_api_runs_the_quick_check_and_stores_it(
    five_events: list[AuditEvent], make_user: Callable[..., Any], client: Client
) -> None:
    from socialguard.identity.models import TokenScope
    from socialguard.identity.services import token_create

    auditor = make_user(Role.AUDITOR, email="audra@dmm.example")
    audit_checkpoint()
    tamper("UPDATE audit_auditevent SET object_repr = 'forged' WHERE seq = 2")  # below the checkpoint
    secret = token_create(user=auditor, name="t", scope=TokenScope.READ).secret
    body = client.get("/api/v1/audit/verify", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert body["ok"] is True and body["checked"] == AuditEvent.objects.count() - 1
    stored = latest_verification(scope=VerificationScope.SINCE_CHECKPOINT)
    assert stored is not None and stored.requested_by == auditor
