"""The one service that writes the audit trail. Every state change in socialguard calls it."""

from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from socialguard.audit import chain, checkpoints
from socialguard.audit.context import current_ip
from socialguard.audit.keys import audit_key
from socialguard.audit.models import AuditEvent, AuditHead, AuditVerification, VerificationScope
from socialguard.audit.selectors import audit_verify

SYSTEM_LABEL = "system"
logger = logging.getLogger(__name__)


def _jsonable(summary: dict[str, Any] | None) -> dict[str, Any]:
    # Stored and hashed in the same shape, so verification after a database round trip agrees.
    result: dict[str, Any] = json.loads(json.dumps(summary or {}, default=str, sort_keys=True))
    return result


def actor_label_for(actor: Any) -> str:
    if actor is None:
        return SYSTEM_LABEL
    return f"{actor.get_full_name() or actor.email} <{actor.email}>"


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one event. Runs inside the caller's transaction, so the event and the change
    it records commit together or not at all."""
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
        object_repr = object_repr or str(target)[:200]
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(singleton=1)
        at = timezone.now().astimezone(dt.UTC)
        fields = chain.hashed_fields(
            seq=head.last_seq + 1,
            at=at.isoformat(),
            actor_id=actor.pk if actor is not None else None,
            actor_label=actor_label_for(actor),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=object_repr[:200],
            before=_jsonable(before),
            after=_jsonable(after),
            ip_address=ip_address if ip_address is not None else current_ip.get(),
        )
        digest = chain.keyed_hash(audit_key(), head.last_hash, fields)
        event = AuditEvent.objects.create(
            seq=fields["seq"],
            at=at,
            actor=actor,
            actor_label=fields["actor_label"],
            action=action,
            object_type=fields["object_type"],
            object_id=fields["object_id"],
            object_repr=fields["object_repr"],
            before=fields["before"],
            after=fields["after"],
            ip_address=fields["ip_address"],
            prev_hash=head.last_hash,
            hash=digest,
            scheme=chain.KEYED,
        )
        head.last_seq = fields["seq"]
        head.last_hash = digest
        head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass(frozen=True)
class EventSpec:
    """One event for `audit_append_many`: what `audit_record` takes, with its own time."""

    at: dt.datetime
    action: str
    object_type: str = ""
    object_id: str = ""
    object_repr: str = ""
    actor: Any = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    ip_address: str = ""


def audit_append_many(specs: Iterable[EventSpec], *, batch: int = 5000) -> int:
    """Append many events in order under one lock of the head, written in batches: for history
    loaded in bulk (a migration from another system, the scale benchmark). The chain is sealed
    exactly as `audit_record` seals it, so `audit verify` checks it the same way."""
    key = audit_key()
    written = 0
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(singleton=1)
        seq, prev = head.last_seq, head.last_hash
        rows: list[AuditEvent] = []
        for spec in specs:
            seq += 1
            at = spec.at.astimezone(dt.UTC)
            fields = chain.hashed_fields(
                seq=seq,
                at=at.isoformat(),
                actor_id=spec.actor.pk if spec.actor is not None else None,
                actor_label=actor_label_for(spec.actor),
                action=spec.action,
                object_type=spec.object_type,
                object_id=str(spec.object_id),
                object_repr=spec.object_repr[:200],
                before=_jsonable(spec.before),
                after=_jsonable(spec.after),
                ip_address=spec.ip_address,
            )
            digest = chain.keyed_hash(key, prev, fields)
            rows.append(
                AuditEvent(
                    seq=seq,
                    at=at,
                    actor=spec.actor,
                    actor_label=fields["actor_label"],
                    action=spec.action,
                    object_type=fields["object_type"],
                    object_id=fields["object_id"],
                    object_repr=fields["object_repr"],
                    before=fields["before"],
                    after=fields["after"],
                    ip_address=fields["ip_address"],
                    prev_hash=prev,
                    hash=digest,
                    scheme=chain.KEYED,
                )
            )
            prev = digest
            if len(rows) >= batch:
                AuditEvent.objects.bulk_create(rows)
                written += len(rows)
                rows = []
        if rows:
            AuditEvent.objects.bulk_create(rows)
            written += len(rows)
        head.last_seq, head.last_hash = seq, prev
        head.save(update_fields=["last_seq", "last_hash"])
    return written


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed, as (before, after) summaries."""
    keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


@dataclass(frozen=True)
class CheckpointOutcome:
    checkpoint: chain.Checkpoint | None  # None when the chain did not verify, so nothing was signed
    problem: chain.ChainProblem | None
    emailed: list[str]
    delivered: bool

    def summary(self) -> str:
        mail = f"emailed to {len(self.emailed)} auditor(s)" if self.delivered else "email NOT delivered"
        if self.checkpoint is None:
            return f"chain broken, no checkpoint written ({self.problem}); alert {mail}"
        return f"checkpoint of #{self.checkpoint.seq} written, {mail}"


def audit_checkpoint(*, now: dt.datetime | None = None) -> CheckpointOutcome:
    """Sign the verified head of the chain, append it to the checkpoint file, record that in the trail,
    then email it to the auditors and hand it to any publishers. Run daily (audit/tasks.py).

    Only what verifies is signed: a checkpoint must never bless a chain already tampered with. If
    verification fails the auditors get an alert instead. It reads only the events since the last
    checkpoint (each day's), and stores the outcome for the home pages."""
    result = verification_run(scope=VerificationScope.SINCE_CHECKPOINT).result
    recipients = checkpoints.auditor_emails()
    checkpoint = None
    if result.ok:
        at = (now or timezone.now()).astimezone(dt.UTC).isoformat()
        checkpoint = chain.checkpoint_sign(audit_key(), seq=result.checked, hash=result.last_hash, at=at)
        with transaction.atomic():
            # The line goes to the file before the event commits: a line without its event is a
            # genuine checkpoint; an event without its line would read as a deleted line.
            checkpoints.append(checkpoint, checkpoints.checkpoint_path())
            audit_record(
                actor=None,
                action="audit.checkpointed",
                object_type="audit.audithead",
                object_id="1",
                object_repr=f"checkpoint of #{checkpoint.seq}",
                after={**checkpoint.body(), "mac": checkpoint.mac, "emailed_to": len(recipients)},
            )
    else:
        audit_record(
            actor=None,
            action="audit.verify_failed",
            object_type="audit.audithead",
            object_id="1",
            after={"problem": str(result.problem), "checked": result.checked},
        )
    delivered = _deliver(checkpoint, result.problem, recipients)
    if checkpoint is not None:
        for publish in checkpoints.publishers():
            try:
                publish(checkpoint)
            except Exception as exc:  # one failing destination must not stop the others
                logger.warning("audit checkpoint publisher %s failed: %s", publish, exc.__class__.__name__)
    return CheckpointOutcome(checkpoint, result.problem, recipients, delivered)


def _deliver(checkpoint: chain.Checkpoint | None, problem: chain.ChainProblem | None, to: list[str]) -> bool:
    try:
        if checkpoint is not None:
            checkpoints.email_auditors(checkpoint, to)
        else:
            checkpoints.email_alert(problem, to)
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("audit checkpoint email not delivered: %s", exc.__class__.__name__)
        return False
    return True


@dataclass(frozen=True)
class VerificationOutcome:
    verification: AuditVerification
    result: chain.VerifyResult


def verification_run(
    *,
    scope: str,
    actor: Any = None,
    verification: AuditVerification | None = None,
) -> VerificationOutcome:
    """Check the chain (since the last checkpoint, or whole) and store the outcome, with progress
    for a long check. A person's check is itself recorded in the trail."""
    now = timezone.now()
    if verification is None:
        verification = AuditVerification.objects.create(scope=scope, requested_by=actor, requested_at=now)
    verification.started_at = now
    verification.save(update_fields=["started_at"])

    def report(done: int, total: int) -> None:
        AuditVerification.objects.filter(pk=verification.pk).update(done=done, total=total)

    result = audit_verify(since_checkpoint=scope == VerificationScope.SINCE_CHECKPOINT, progress=report)
    verification.refresh_from_db(fields=["done", "total"])
    verification.finished_at = timezone.now()
    verification.checked = result.checked
    verification.checkpoints = result.checkpoints
    verification.intact = result.ok
    verification.problem = "" if result.problem is None else str(result.problem)
    verification.save()
    if verification.requested_by_id is not None:
        # That someone checked the trail, and what they found, is itself on the record (and clears
        # the auditor's "check the trail" item until new events arrive).
        audit_record(
            actor=verification.requested_by,
            action="audit.verified",
            object_type="audit.audithead",
            after={
                "checked": result.checked,
                "intact": result.ok,
                "checkpoints": result.checkpoints,
                "scope": verification.scope,
            },
        )
    if not result.ok and scope == VerificationScope.FULL:
        # The daily checkpoint alerts on its own check; a break found only by reading the whole trail
        # (an old event altered) must reach the auditors the same way.
        audit_record(
            actor=None,
            action="audit.verify_failed",
            object_type="audit.audithead",
            object_id="1",
            after={"problem": str(result.problem), "checked": result.checked, "scope": scope},
        )
        _deliver(None, result.problem, checkpoints.auditor_emails())
    return VerificationOutcome(verification, result)


def verification_request_full(*, actor: Any) -> AuditVerification:
    """Queue a check of the whole trail in the worker (a million events take most of a minute);
    one at a time: asking again while one is queued or running returns that one."""
    from socialguard.audit.tasks import verify_whole_trail

    with transaction.atomic():
        AuditHead.objects.select_for_update().filter(singleton=1).first()  # one request at a time
        pending = AuditVerification.objects.filter(
            scope=VerificationScope.FULL, finished_at__isnull=True
        ).first()
        if pending is not None:
            return pending
        verification = AuditVerification.objects.create(
            scope=VerificationScope.FULL, requested_by=actor, requested_at=timezone.now()
        )
        transaction.on_commit(lambda: verify_whole_trail.enqueue(verification_id=verification.pk))
    return verification
