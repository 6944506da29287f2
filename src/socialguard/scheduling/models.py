"""When each scheduled job last ran, so a restart neither skips nor repeats a day's work."""

from __future__ import annotations

from django.db import models


class ScheduledRun(models.Model):
    name = models.CharField(max_length=60, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_result = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
