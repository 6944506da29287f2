"""Monitoring (policy 3.2, 4.2, 5.1): sources polled with a stored cursor, the raw items they
return (kept only as long as needed), and the alerts raised on them for people to triage.

Writes go through monitoring.services; this module holds the data and the constraints the
database itself keeps: one item per source and platform id (a restart never stores one twice)
and one alert per item however many sources saw it (the dedup key).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    BLUESKY_OWN = "bluesky_own", "Posts on an organisational Bluesky account"
    BLUESKY_MENTIONS = "bluesky_mentions", "Bluesky posts that mention the organisation"
    BLUESKY_LOOKALIKES = "bluesky_lookalikes", "Bluesky accounts using the organisation's name"
    FEED = "feed", "RSS or Atom feed"
    EXPORT = "export", "Platform data export (uploaded)"
    # Read continuously by `socialguard monitor stream`, not polled; its cursor is the stream's seq.
    BLUESKY_STREAM = "bluesky_stream", "Bluesky event stream: posts that mention the organisation"


class Health(models.TextChoices):
    NEW = "new", "Not polled yet"
    OK = "ok", "Working"
    FAILING = "failing", "Failing: trying again later"
    PAUSED = "paused", "Paused"


class Source(models.Model):
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    # The organisational account read (own posts) or signed in with (searches); never a person's.
    account = models.ForeignKey(
        "accounts.OrgAccount", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # kind-specific: {"url": ...} for a feed, {"terms": [...]} for searches, {"platform": ...}.
    config = models.JSONField(default=dict, blank=True)
    # Where the next poll starts; saved in the same transaction as the items it covers.
    cursor = models.JSONField(default=dict, blank=True)
    enabled = models.BooleanField(default=True)
    every_minutes = models.PositiveIntegerField(default=15)
    health = models.CharField(max_length=10, choices=Health.choices, default=Health.NEW)
    last_error = models.TextField(blank=True)
    # A problem that does not stop the source but needs someone to look (a handle that no longer
    # resolves): shown with its health until it is put right.
    warning = models.TextField(blank=True)
    failures = models.PositiveIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """A post, feed entry or account as a source returned it. Raw text is kept only as long as
    its alert needs it (the retention setting and the daily purge)."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="items")
    external_id = models.CharField(max_length=500)  # the platform's id within the source
    key = models.CharField(max_length=500)  # the item's identity across sources (URI or link)
    platform = models.CharField(max_length=20, blank=True)
    url = models.CharField(max_length=1000, blank=True)
    author = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField()
    checked_at = models.DateTimeField(null=True, blank=True)
    alert = models.ForeignKey("Alert", null=True, blank=True, on_delete=models.SET_NULL, related_name="items")

    class Meta:
        ordering = ["-fetched_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="one_item_per_source_id")
        ]
        indexes = [models.Index(fields=["checked_at"]), models.Index(fields=["key"])]

    def __str__(self) -> str:
        return f"{self.external_id} from {self.source}"


class AlertKind(models.TextChoices):
    # Ordered by who must see it first: a stronger kind replaces a weaker one on the same item.
    SAFEGUARDING = "safeguarding", "A learner named with a risk"
    UNAPPROVED_POST = "unapproved_post", "Post not approved through socialguard"
    OWN_FINDING = "own_finding", "Policy finding on an organisational post"
    CRITICISM = "criticism", "Adverse criticism"
    LOOKALIKE = "lookalike", "Account using the organisation's name"
    FINDING = "finding", "Policy finding in a mention"


PRIORITY = [k.value for k in AlertKind]


class AlertState(models.TextChoices):
    NEW = "new", "New"
    ASSIGNED = "assigned", "Assigned"
    DISMISSED = "dismissed", "Dismissed"
    CASE = "case", "Turned into a case"
    RESPONDED = "responded", "Reply drafted"


OPEN_STATES = (AlertState.NEW, AlertState.ASSIGNED)


class Alert(models.Model):
    dedup_key = models.CharField(max_length=500, unique=True)
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    reasons = models.JSONField(default=list)  # every reason found, in words
    account = models.ForeignKey(
        "accounts.OrgAccount", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    platform = models.CharField(max_length=20, blank=True)
    url = models.CharField(max_length=1000, blank=True)
    uri = models.CharField(max_length=500, blank=True)
    author = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)  # blanked by the purge once the alert is closed
    findings = models.JSONField(default=list)
    verdict = models.CharField(max_length=10, blank=True)
    criticism_score = models.FloatField(null=True, blank=True)
    state = models.CharField(max_length=12, choices=AlertState.choices, default=AlertState.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismiss_reason = models.TextField(blank=True)
    case = models.ForeignKey(
        "incidents.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply_draft = models.ForeignKey(
        "content.Draft", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES
