"""The audit trail: append-only events, each sealing its predecessor (audit/chain.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AppendOnlyError(RuntimeError):
    """Audit events are never changed or removed through the application."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events are append-only")


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The actor as they were named at the time, so the record survives renames.
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(max_length=200, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    ip_address = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # How `hash` was computed (chain.LEGACY or chain.KEYED); events keep the scheme they were written with.
    scheme = models.PositiveSmallIntegerField()

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        # A trail filtered by action or record type, newest first: the index gives the page's rows
        # in order, where the one-column indexes had PostgreSQL read every match and sort them.
        indexes = [
            models.Index(fields=["action", "seq"], name="audit_action_seq"),
            models.Index(fields=["object_type", "seq"], name="audit_object_type_seq"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events are append-only")


class AuditHead(models.Model):
    """One row holding the chain's tip; locking it serialises appends across processes.

    It also lets verification notice events deleted from the end of the chain.
    """

    singleton = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        ordering = ["singleton"]

    def __str__(self) -> str:
        return f"audit head #{self.last_seq}"


class VerificationScope(models.TextChoices):
    SINCE_CHECKPOINT = "since_checkpoint", "Events since the last signed checkpoint"
    FULL = "full", "The whole trail"


class AuditVerification(models.Model):
    """The outcome of one check of the chain, so pages read the latest result instead of re-reading
    a million events per request. A full check runs in the worker and reports its progress here."""

    scope = models.CharField(max_length=20, choices=VerificationScope.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True, db_index=True)
    done = models.PositiveBigIntegerField(default=0)  # events read so far
    total = models.PositiveBigIntegerField(default=0)  # events in the chain when it started
    checked = models.PositiveBigIntegerField(default=0)  # events found intact, up to the first problem
    checkpoints = models.PositiveIntegerField(default=0)
    intact = models.BooleanField(null=True)
    problem = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} requested {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def running(self) -> bool:
        return self.finished_at is None

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.done / self.total))
