"""Posts for organisational accounts: draft → policy check → approval → publishing → archive.

Every write goes through content.services (one transaction and one audit event each); this
module holds the data and the invariants the database itself can keep.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for approval"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHING = "publishing", "Publishing"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Failed"
    # Its words, links, media and check deleted; the history says who discarded it (services).
    DISCARDED = "discarded", "Discarded"


# The author may still change the words in these states; an edit to approved content sends it back.
EDITABLE = (
    State.DRAFT,
    State.SUBMITTED,
    State.CHANGES_REQUESTED,
    State.APPROVED,
    State.SCHEDULED,
    State.FAILED,
)


class Kind(models.TextChoices):
    POST = "post", "Post"
    CORRECTION = "correction", "Correction"
    DELETION = "deletion", "Deletion"


class Draft(models.Model):
    account = models.ForeignKey("accounts.OrgAccount", on_delete=models.PROTECT, related_name="drafts")
    author = models.ForeignKey("people.StaffMember", on_delete=models.PROTECT, related_name="drafts")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.POST)
    # A correction or deletion names the published post it corrects or removes.
    corrects = models.ForeignKey(
        "content.PublishedPost", null=True, blank=True, on_delete=models.PROTECT, related_name="follow_ups"
    )
    text = models.TextField(blank=True)
    links = models.JSONField(default=list, blank=True)  # links attached beside those in the text
    is_reply = models.BooleanField(default=False)
    reply_to = models.CharField(max_length=500, blank=True, help_text="The platform URI or link replied to.")
    # 5.1: "do not respond [to adverse criticism] without [SMT's] express approval".
    reply_to_criticism = models.BooleanField(default=False)
    criticism_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    publish_at = models.DateTimeField(null=True, blank=True, help_text="Blank: as soon as it is approved.")
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    # The record key is chosen and committed before the platform is called (idempotent retries).
    record_key = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["state", "publish_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} for {self.account}"


class DraftMedia(models.Model):
    """A photo or video. Images are re-encoded before storage (no EXIF, no GPS); videos are
    checked by content but stored as sent (`metadata_kept` says so)."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="media")
    original_name = models.CharField(max_length=200)
    stored_name = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    alt_text = models.CharField(max_length=1000, blank=True)
    # People shown, as register references: [{"kind": "learner"|"staff"|"guardian", "id": external id}].
    people_shown = models.JSONField(default=list, blank=True)
    # The author's answer when nobody is named: "none" (no identifiable people) or "crowd" (a
    # crowd at a public event); "" when they named the people shown (consent.faces explains).
    shown_answer = models.CharField(max_length=10, blank=True)
    # Faces OpenCV's bundled detector counted in a photo (None: a video, or not counted). A
    # number only: nothing about any face is kept.
    faces_found = models.PositiveSmallIntegerField(null=True, blank=True)
    metadata_kept = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["draft", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.original_name} on draft {self.draft_id}"


class CheckResult(models.Model):
    """The latest policy check of a draft: findings as the engine gives them, plus the content
    checks (empty, length, sign-off, account), for the content whose hash is stored."""

    draft = models.OneToOneField(Draft, on_delete=models.CASCADE, related_name="check_result")
    verdict = models.CharField(max_length=10)
    findings = models.JSONField(default=list)
    content_hash = models.CharField(max_length=64)
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["-checked_at", "pk"]

    def __str__(self) -> str:
        return f"{self.verdict} for draft {self.draft_id}"


class Approval(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="approvals")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    content_hash = models.CharField(max_length=64)
    as_smt = models.BooleanField(default=False)
    approved_at = models.DateTimeField()
    # An approval stops counting once the content changes; kept for the history.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-approved_at", "-pk"]

    def __str__(self) -> str:
        return f"Approval of draft {self.draft_id}"


class FindingOverride(models.Model):
    """An SMT member's written reason for letting one blocking finding through, like a linter's
    suppression: it covers this rule at this quoted span only."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="overrides")
    rule = models.CharField(max_length=20)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    excerpt = models.CharField(max_length=500, blank=True)
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Override of {self.rule} on draft {self.draft_id}"


class EventKind(models.TextChoices):
    CREATED = "created", "Created"
    SAVED = "saved", "Saved"
    MEDIA_ADDED = "media_added", "Media added"
    MEDIA_REMOVED = "media_removed", "Media removed"
    SUBMITTED = "submitted", "Submitted for approval"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    APPROVAL_WITHDRAWN = "approval_withdrawn", "Sent back: changed after approval"
    OVERRIDDEN = "overridden", "Finding overridden"
    DISMISSED = "dismissed", "Finding judged a false alarm"
    MARKED_CRITICISM = "marked_criticism", "Marked as a reply to criticism"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHING = "publishing", "Publishing"
    RETRY = "retry", "Will try again"
    PUBLISHED = "published", "Published"
    # A call that outlived its task reached the platform after the draft changed or was discarded.
    PUBLISHED_UNRECORDED = "published_unrecorded", "Reached the platform after it changed"
    FAILED = "failed", "Failed"
    DISCARDED = "discarded", "Discarded"


class DraftEvent(models.Model):
    """The draft's history, as its author and approvers read it (the audit trail has it too)."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on draft {self.draft_id}"


class PublishedPost(models.Model):
    """The archive: what the organisation published, exactly, and who let it through. Written
    once by content.publishing; only `deleted_*` may be filled in later (by a deletion draft)."""

    draft = models.OneToOneField(Draft, on_delete=models.PROTECT, related_name="published")
    account = models.ForeignKey(
        "accounts.OrgAccount", on_delete=models.PROTECT, related_name="published_posts"
    )
    platform = models.CharField(max_length=20)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.POST)
    text = models.TextField()
    links = models.JSONField(default=list)
    media = models.JSONField(default=list)  # [{"name", "content_type", "sha256", "alt_text"}]
    reply_to = models.CharField(max_length=500, blank=True)
    uri = models.CharField(max_length=500, blank=True)
    platform_id = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=500, blank=True)
    record_key = models.CharField(max_length=100, blank=True)
    content_hash = models.CharField(max_length=64)
    drafter = models.ForeignKey("people.StaffMember", on_delete=models.PROTECT, related_name="+")
    drafter_name = models.CharField(max_length=200)
    approvers = models.JSONField(default=list)  # ["Name <email>", ...] as they were
    verdict = models.CharField(max_length=10)
    findings = models.JSONField(default=list)
    overrides = models.JSONField(default=list)  # [{"rule", "excerpt", "reason", "by", "at"}]
    categories = models.CharField(max_length=500, blank=True)  # space-separated, for filtering
    published_at = models.DateTimeField()
    manual = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by_draft = models.ForeignKey(
        Draft, null=True, blank=True, on_delete=models.PROTECT, related_name="deleted_posts"
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["account", "published_at"]),
            # The archive's first page, newest first, without sorting the whole archive.
            models.Index(fields=["-published_at", "-id"], name="content_published_newest"),
        ]

    def __str__(self) -> str:
        return f"Post on {self.get_platform_display()} at {self.published_at:%Y-%m-%d %H:%M}"

    # What a deletion may fill in later; everything else is the record and never changes.
    DELETION_FIELDS = frozenset({"deleted_at", "deleted_by_draft"})

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk:
            fields = kwargs.get("update_fields")
            if fields is None or not set(fields) <= self.DELETION_FIELDS:  # type: ignore[call-overload]
                raise ValidationError("the archive is a record: a published post cannot be changed")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValidationError("the archive is a record: a published post cannot be removed from it")

    def get_platform_display(self) -> str:
        from socialguard.accounts.models import Platform

        return str(dict(Platform.choices).get(self.platform, self.platform))
