"""Policy versions and their clauses, the review cycle, declarations (policy "Declaration"),
training (3.2, 3.3, 5.5) and the daily reminder digests."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from socialguard.identity.roles import Role


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class PolicyDocument(models.Model):
    """One policy (the social media policy); its versions carry the text."""

    title = models.CharField(max_length=200)
    owner_role = models.CharField(max_length=30, choices=Role.choices, default=Role.QUALITY_DIRECTOR)
    review_interval_months = models.PositiveSmallIntegerField(default=12)
    # When the current published version is next due for review; re-confirming moves it on.
    next_review_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class PolicyVersion(models.Model):
    """Immutable once created: text and hash never change; only the status moves on."""

    document = models.ForeignKey(PolicyDocument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    text = models.TextField()
    text_hash = models.CharField(max_length=64)
    source_format = models.CharField(max_length=10, default="markdown")
    source_name = models.CharField(max_length=255, blank=True)
    issue_date = models.DateField(null=True, blank=True)
    next_review_date = models.DateField(null=True, blank=True)
    owner_role = models.CharField(max_length=30, choices=Role.choices, default=Role.QUALITY_DIRECTOR)
    status = models.CharField(max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    # Why staff must declare again: which clauses changed against the version it replaced.
    change_summary = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    FROZEN = ("text", "text_hash", "document_id", "number")
    FROZEN_ONCE_PUBLISHED = ("issue_date", "next_review_date", "title")

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unique_version_number")]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk:
            stored = (
                PolicyVersion.objects.filter(pk=self.pk)
                .values(*self.FROZEN, *self.FROZEN_ONCE_PUBLISHED, "status")
                .first()
            )
            if stored:
                frozen = list(self.FROZEN)
                if stored["status"] in (VersionStatus.PUBLISHED, VersionStatus.RETIRED):
                    frozen += self.FROZEN_ONCE_PUBLISHED
                changed = [f for f in frozen if stored[f] != getattr(self, f)]
                if changed:
                    raise ValidationError(
                        f"policy versions cannot be changed ({', '.join(changed)}); import a new version"
                    )
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValidationError("policy versions are kept for the record and cannot be deleted")

    @property
    def short_hash(self) -> str:
        return self.text_hash[:12]


class Clause(models.Model):
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="clauses")
    key = models.CharField(max_length=120)
    number = models.CharField(max_length=20, blank=True)
    heading = models.CharField(max_length=300, blank=True)
    label = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    level = models.PositiveSmallIntegerField(default=1)
    parent_key = models.CharField(max_length=120, blank=True)
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_clause_key")]

    def __str__(self) -> str:
        return self.label

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk:
            raise ValidationError("clauses belong to an immutable version and cannot be changed")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def anchor(self) -> str:
        return f"clause-{self.key}"

    @property
    def shown_heading(self) -> str:
        """The heading above the clause's full text: its number and heading, not the first words
        of the text cut short (the label's fallback, fine in a list of contents)."""
        return " ".join(part for part in (self.number, self.heading) if part) or self.label

    @property
    def shown_text(self) -> str:
        """The text without the number and heading it opens with when it was a numbered paragraph
        ("3.2 Senior management Team: …"), which the heading above already shows."""
        text = self.text.lstrip()
        if self.number and text.startswith(self.number):
            text = text[len(self.number) :].lstrip(". ")
        if self.heading and text.startswith(self.heading):
            text = text[len(self.heading) :].lstrip(":").lstrip()
        return text


class ReviewStatus(models.TextChoices):
    OPEN = "open", "Open"
    PUBLISHED = "published", "Closed: new version published"
    RECONFIRMED = "reconfirmed", "Closed: current version re-confirmed"


class PolicyReview(models.Model):
    """A review of the published version (3.1), ending in a new version or a re-confirmation."""

    document = models.ForeignKey(PolicyDocument, on_delete=models.PROTECT, related_name="reviews")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="reviews")
    status = models.CharField(max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_note = models.TextField(blank=True)
    result_version = models.ForeignKey(
        PolicyVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="resulting_reviews"
    )
    new_next_review_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document"], condition=models.Q(status="open"), name="one_open_review_per_policy"
            )
        ]

    def __str__(self) -> str:
        return f"Review of {self.version} ({self.get_status_display()})"


class ReviewComment(models.Model):
    review = models.ForeignKey(PolicyReview, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    clause_key = models.CharField(max_length=120)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.clause_key}"


class Declaration(models.Model):
    """A staff member's three confirmations for one published version. Never edited or deleted;
    its audit event (hash-chained) holds the same facts, so a changed row is caught."""

    staff = models.ForeignKey("people.StaffMember", on_delete=models.PROTECT, related_name="declarations")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="declarations")
    version_hash = models.CharField(max_length=64)
    read_and_understood = models.BooleanField()
    agrees_to_comply = models.BooleanField()
    accepts_monitoring = models.BooleanField()
    declared_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    audit_event = models.OneToOneField("audit.AuditEvent", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-declared_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "version"], name="one_declaration_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.staff} declared {self.version}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk:
            raise ValidationError("a declaration cannot be changed after it is made")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValidationError("a declaration cannot be deleted")

    def facts(self) -> dict[str, object]:
        """What the audit event records, to compare later."""
        return {
            "staff": self.staff.external_id,
            "version": self.version.number,
            "version_hash": self.version_hash,
            "read_and_understood": self.read_and_understood,
            "agrees_to_comply": self.agrees_to_comply,
            "accepts_monitoring": self.accepts_monitoring,
            "declared_at": self.declared_at.astimezone(dt.UTC).isoformat(),
            "ip_address": self.ip_address,
        }


class Audience(models.TextChoices):
    EVERYONE = "everyone", "Everyone (all staff in post)"
    ACCOUNT_RUNNERS = "account_runners", "Runners of organisational accounts"
    SMT = "smt", "Senior Management Team"
    DSL = "dsl", "Designated Safeguarding Lead"
    QUALITY_DIRECTOR = "quality_director", "Quality Director"


class Course(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    required_for = models.CharField(max_length=30, choices=Audience.choices, default=Audience.EVERYONE)
    refresher_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Months a completion counts for; empty means it never expires."
    )
    # A new starter has this long to complete it before it counts as overdue.
    grace_days = models.PositiveSmallIntegerField(default=30)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TrainingCompletion(models.Model):
    """One completion; records are appended, never edited, so the history stays."""

    staff = models.ForeignKey("people.StaffMember", on_delete=models.PROTECT, related_name="training")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    evidence = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=20, default="manual")

    class Meta:
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "course", "completed_on"], name="one_completion_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.staff} completed {self.course} on {self.completed_on}"


class DigestLog(models.Model):
    """One row per digest sent: at most one per person per day (the constraint guarantees it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    subject = models.CharField(max_length=200)
    item_keys = models.JSONField(default=list)

    class Meta:
        ordering = ["-day", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_day")]

    def __str__(self) -> str:
        return f"Digest to {self.user} on {self.day}"


class RulesPack(models.Model):
    """One saved version of the organisation's rules pack: TOML laid over the base pack
    (docs/rules.md). Each save is a new version and the newest is used; versions are never
    changed, so what the engine applied on any day can be shown."""

    number = models.PositiveIntegerField(unique=True)
    text = models.TextField()
    text_hash = models.CharField(max_length=64)
    summary = models.CharField(max_length=1000, blank=True)  # what changed against the previous
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Rules pack v{self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk:
            raise ValidationError("a saved pack version cannot be changed; save a new version")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValidationError("pack versions are kept for the record and cannot be deleted")


class FindingDismissal(models.Model):
    """An approver's written judgement that a review finding was a false alarm for this post.
    The post still goes through its approval; the rule-quality page counts these beside the
    SMT's overrides of blocking findings (content.FindingOverride) to show which rules to tune."""

    draft = models.ForeignKey("content.Draft", on_delete=models.CASCADE, related_name="dismissals")
    rule = models.CharField(max_length=20)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    excerpt = models.CharField(max_length=500, blank=True)
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["rule", "at"])]

    def __str__(self) -> str:
        return f"Dismissal of {self.rule} on draft {self.draft_id}"
