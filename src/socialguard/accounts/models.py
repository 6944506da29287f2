"""Organisational social media accounts (5.5, 3.2) and the credential vault that holds their secrets."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    LINKEDIN = "linkedin", "LinkedIn"
    X = "x", "X (Twitter)"
    YOUTUBE = "youtube", "YouTube"
    TIKTOK = "tiktok", "TikTok"
    THREADS = "threads", "Threads"
    BLUESKY = "bluesky", "Bluesky"


class Visibility(models.TextChoices):
    OPEN = "open", "Open (public)"
    CLOSED = "closed", "Private or closed"


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", "Awaiting SMT decision"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CREATED = "created", "Account created"


class Proposal(models.Model):
    """A proposal for a new organisational account, covering every point clause 5.5 lists."""

    proposer = models.ForeignKey("people.StaffMember", on_delete=models.PROTECT, related_name="+")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    handle = models.CharField(max_length=120, help_text="The proposed name or handle, e.g. @dmm_careers.")
    aim = models.TextField(help_text="What the account is for.")
    audience = models.TextField(help_text="Who it is for.")
    promotion = models.TextField(help_text="How it will be promoted.")
    two_factor = models.BooleanField(default=True, help_text="Two-factor sign-in will be turned on.")
    shared_mailbox = models.EmailField(
        blank=True, help_text="The role mailbox the account will sign in with."
    )
    recovery_codes_holder = models.CharField(
        max_length=200, blank=True, help_text="Who will hold the recovery codes."
    )
    security_notes = models.TextField(blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.OPEN)
    status = models.CharField(max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED)
    submitted_at = models.DateTimeField(auto_now_add=True)
    revised_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"Proposal: {self.handle} on {self.get_platform_display()}"


class ProposalRunner(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="runners")
    staff = models.ForeignKey("people.StaffMember", on_delete=models.PROTECT, related_name="+")
    is_lead = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_lead", "staff__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "staff"], name="one_runner_entry_per_proposal")
        ]

    def __str__(self) -> str:
        return f"{self.staff} ({'lead' if self.is_lead else 'runner'})"


class ProposalComment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.proposal}"


class AccountStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    TRANSFERRED = "transferred", "Transferred"
    CLOSED = "closed", "Closed"


class OrgAccount(models.Model):
    platform = models.CharField(max_length=20, choices=Platform.choices)
    handle = models.CharField(max_length=120)
    url = models.URLField(blank=True)
    login_email = models.EmailField(help_text="An organisational role mailbox, never a person's address.")
    two_factor_enabled = models.BooleanField(default=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.OPEN)
    status = models.CharField(max_length=12, choices=AccountStatus.choices, default=AccountStatus.ACTIVE)
    monitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_every_days = models.PositiveSmallIntegerField(default=30)
    proposal = models.OneToOneField(
        Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="account"
    )
    closed_on = models.DateField(null=True, blank=True)
    closure_note = models.TextField(blank=True, help_text="How the account was closed on the platform.")
    # "Make it clear who is posting content" (the Do's, 5.1): every post ends with this, where
    # {initials} is the author's initials, e.g. "^{initials}" gives "^CN". Blank: no sign-off.
    sign_off = models.CharField(
        max_length=40,
        blank=True,
        help_text="How each post is signed, e.g. ^{initials}; {initials} becomes the author's initials.",
    )
    # The platform's server for a connector that needs one (a Bluesky PDS); blank: the default.
    service_url = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["platform", "handle"]
        constraints = [models.UniqueConstraint(fields=["platform", "handle"], name="one_account_per_handle")]

    def __str__(self) -> str:
        return f"{self.handle} on {self.get_platform_display()}"


class AccountRunner(models.Model):
    account = models.ForeignKey(OrgAccount, on_delete=models.CASCADE, related_name="runners")
    staff = models.ForeignKey("people.StaffMember", on_delete=models.PROTECT, related_name="runs_accounts")
    is_lead = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_lead", "staff__last_name"]

    def __str__(self) -> str:
        return f"{self.staff} runs {self.account}"


class SecretKind(models.TextChoices):
    PASSWORD = "password", "Password"
    RECOVERY_CODES = "recovery_codes", "Two-factor recovery codes"
    NOTE = "note", "Secure note"
    # What the publishing connector signs in with (a Bluesky app password), never the main password.
    APP_PASSWORD = "app_password", "App password (for publishing)"


class VaultSecret(models.Model):
    """One encrypted secret. Only ciphertext and a wrapped data key are stored; the master key
    that unwraps it is outside the database (settings.VAULT_KEY)."""

    account = models.ForeignKey(OrgAccount, on_delete=models.PROTECT, related_name="secrets")
    kind = models.CharField(max_length=20, choices=SecretKind.choices)
    label = models.CharField(max_length=120, blank=True)
    # Bound into the encryption as associated data: a ciphertext copied to another row will not open.
    ref = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ciphertext = models.BinaryField()
    nonce = models.BinaryField()
    wrapped_key = models.BinaryField()
    key_nonce = models.BinaryField()
    key_id = models.CharField(max_length=16, db_index=True)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rotate_every_days = models.PositiveSmallIntegerField(null=True, blank=True, default=180)

    class Meta:
        ordering = ["account", "kind", "label"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.account}"

    @property
    def aad(self) -> bytes:
        return f"socialguard-vault:{self.ref}:{self.kind}".encode()


class MonitoringReview(models.Model):
    """SMT's record of looking at an account's content (3.2 "monitor the content")."""

    account = models.ForeignKey(OrgAccount, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_on = models.DateField()
    looked_at = models.TextField(
        help_text="What was looked at, e.g. posts and comments since the last review."
    )
    issues_found = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"Review of {self.account} on {self.reviewed_on}"


class LeaverTask(models.Model):
    """Raised when someone who runs an account is leaving (3.2 "close or transfer … after the
    lead staff member has left"): transfer or close, keep two runners, rotate what they saw."""

    account = models.ForeignKey(OrgAccount, on_delete=models.CASCADE, related_name="leaver_tasks")
    staff = models.ForeignKey("people.StaffMember", on_delete=models.PROTECT, related_name="+")
    was_lead = models.BooleanField(default=False)
    leave_date = models.DateField()
    # Secrets this person revealed while in post, from the audit trail: each must be changed.
    secrets_to_rotate = models.ManyToManyField(VaultSecret, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["done_at", "leave_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["account", "staff"], name="one_leaver_task_per_runner")
        ]

    def __str__(self) -> str:
        return f"{self.staff} leaving {self.account}"
