"""Personal accounts and data protection: what is kept of self-checks and privacy reviews (never
the connections themselves), the recruitment screening log (5.3), and erasures."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SelfCheck(models.Model):
    """That a staff member checked their connections, when, and how many matches they resolved.
    Never who the matches were, nor anything else from the upload."""

    staff = models.ForeignKey("people.StaffMember", on_delete=models.CASCADE, related_name="self_checks")
    done_at = models.DateTimeField()
    matches = models.PositiveIntegerField(help_text="How many connections to review the check found.")
    resolved = models.PositiveIntegerField(default=0, help_text="How many of them the person resolved.")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-done_at", "-pk"]

    def __str__(self) -> str:
        return f"connection check by {self.staff} on {self.done_at:%Y-%m-%d}"


class PrivacyReview(models.Model):
    """A staff member went through the privacy and footprint checklist. Kept: done, when, which
    platforms; not the individual answers (the checklist is for the person, not for SMT)."""

    staff = models.ForeignKey("people.StaffMember", on_delete=models.CASCADE, related_name="privacy_reviews")
    done_at = models.DateTimeField()
    platforms = models.JSONField(default=list)

    class Meta:
        ordering = ["-done_at", "-pk"]

    def __str__(self) -> str:
        return f"privacy review by {self.staff} on {self.done_at:%Y-%m-%d}"


class LawfulBasis(models.TextChoices):
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests (UK GDPR Art. 6(1)(f))"
    CONTRACT = "contract", "Steps before entering a contract (Art. 6(1)(b))"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation, e.g. safer recruitment (Art. 6(1)(c))"
    CONSENT = "consent", "The candidate's consent (Art. 6(1)(a))"


class ScreeningStatus(models.TextChoices):
    AWAITING_EXCEPTION = "awaiting_exception", "Waiting for an SMT member to approve the exception"
    READY = "ready", "May be carried out"
    DONE = "done", "Carried out"
    DECIDED = "decided", "Decision made"


# 5.3: "those aimed specifically at the professional market and used for networking and career
# development (e.g. LinkedIn)". Anything else needs an SMT member's approved exception.
PROFESSIONAL_NETWORKS = {"linkedin": "LinkedIn"}
OTHER_PLATFORMS = {
    "facebook": "Facebook",
    "instagram": "Instagram",
    "x": "X (Twitter)",
    "tiktok": "TikTok",
    "bluesky": "Bluesky",
    "other": "Other",
}


class ScreeningRecord(models.Model):
    candidate = models.CharField(max_length=200)
    role_applied_for = models.CharField(max_length=200)
    lawful_basis = models.CharField(max_length=30, choices=LawfulBasis.choices)
    candidate_told = models.BooleanField(help_text="The candidate was told that a check would be made.")
    platforms = models.JSONField(default=list)
    exception_reason = models.TextField(blank=True)
    exception_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    exception_approved_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=30, choices=ScreeningStatus.choices)
    looked_at = models.TextField(blank=True, help_text="What was looked at.")
    outcome = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True, help_text="When the recruitment decision was made.")
    expires_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"screening of {self.candidate} for {self.role_applied_for}"

    @property
    def platform_labels(self) -> list[str]:
        names = PROFESSIONAL_NETWORKS | OTHER_PLATFORMS
        return [names.get(p, p) for p in self.platforms]

    @property
    def needs_exception(self) -> bool:
        return any(p not in PROFESSIONAL_NETWORKS for p in self.platforms)


class PersonKind(models.TextChoices):
    STAFF = "staff", "Staff member"
    LEARNER = "learner", "Learner"
    GUARDIAN = "guardian", "Parent or guardian"


class Erasure(models.Model):
    """A person's record was anonymised. What remains points to them only by pseudonym, which is
    also what the audit trail's later events use."""

    kind = models.CharField(max_length=10, choices=PersonKind.choices)
    record_id = models.PositiveBigIntegerField()
    pseudonym = models.CharField(max_length=40, unique=True)
    reason = models.CharField(max_length=200)
    erased_at = models.DateTimeField()
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-erased_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "record_id"], name="privacy_erasure_once")]

    def __str__(self) -> str:
        return self.pseudonym
