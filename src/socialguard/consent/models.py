"""The consent register (policy 5.2 "The use of images"): who agreed to appear in the
organisation's photos and videos, for what, on whose word and on what evidence.

Records are append-only: a change of mind is a new record, and the current state of a person's
consent for a scope is derived from their latest record (`consent.selectors.state_of`). A
withdrawal creates takedowns for what was already published or is about to be.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class Status(models.TextChoices):
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Scope(models.TextChoices):
    SOCIAL_MEDIA = "social_media", "Organisational social media"
    WEBSITE = "website", "Website"
    PRINT = "print", "Print"
    PRESS = "press", "Press"


class Evidence(models.TextChoices):
    FORM = "form", "Signed form (uploaded)"
    MIS = "mis", "Recorded at enrolment in the MIS"
    LINK = "link", "Enrolment form completed through a signed link"


class SubjectKind(models.TextChoices):
    LEARNER = "learner", "Learner"
    STAFF = "staff", "Staff member"
    GUARDIAN = "guardian", "Parent or guardian"


class ConsentForm(models.Model):
    """An uploaded signed form: kept encrypted outside the web root like case evidence
    (`incidents.evidence` stores and reads it), never under the public media."""

    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=80, unique=True)
    wrapped_key = models.BinaryField(default=b"", blank=True)
    key_nonce = models.BinaryField(default=b"", blank=True)
    key_id = models.CharField(max_length=16, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def aad(self) -> bytes:
        # The same binding as incidents.evidence's files, whose store and read this reuses.
        return f"socialguard-evidence:{self.stored_name}".encode()


class ConsentRecord(models.Model):
    """One statement of consent, refusal or withdrawal. Never changed or removed once saved."""

    subject_kind = models.CharField(max_length=10, choices=SubjectKind.choices)
    subject_id = models.CharField(max_length=64, help_text="The person's external id in the register.")
    subject_name = models.CharField(max_length=200)  # as it was, for the history
    status = models.CharField(max_length=10, choices=Status.choices)
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.SOCIAL_MEDIA)
    # Who gave it: the person themselves (guardian empty), or a linked parent/guardian of a learner
    # under 18, whose word lapses on the learner's 18th birthday.
    guardian = models.ForeignKey(
        "people.Guardian", null=True, blank=True, on_delete=models.PROTECT, related_name="consents_given"
    )
    given_on = models.DateField(help_text="The date on the form, or when it was said.")
    expires_on = models.DateField(null=True, blank=True)
    evidence = models.CharField(max_length=10, choices=Evidence.choices)
    form = models.ForeignKey(ConsentForm, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=20, default="web")  # web, import, link, api, cli
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["subject_kind", "subject_id", "scope", "recorded_at", "pk"]
        indexes = [models.Index(fields=["subject_kind", "subject_id", "scope"])]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.get_scope_display()}) for {self.subject_name}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk:
            raise ValidationError("consent records are append-only: record a new one instead")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValidationError("consent records are append-only: they are never removed")

    @property
    def given_by(self) -> str:
        return (
            f"{self.guardian.full_name} (parent or guardian)" if self.guardian is not None else "themselves"
        )


class TakedownState(models.TextChoices):
    OPEN = "open", "Waiting for a runner"
    DELETING = "deleting", "Deleting on the platform"
    DONE = "done", "Taken down"
    FAILED = "failed", "Failed: try again"
    BY_HAND = "by_hand", "Taken down by hand"


class Takedown(models.Model):
    """What a withdrawal asks the account's runners to take down: a published post, or a pending
    draft (pulled back from approval at once). Each step is kept in `steps`."""

    withdrawal = models.ForeignKey(ConsentRecord, on_delete=models.PROTECT, related_name="takedowns")
    account = models.ForeignKey("accounts.OrgAccount", on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(
        "content.PublishedPost", null=True, blank=True, on_delete=models.PROTECT, related_name="takedowns"
    )
    draft = models.ForeignKey(
        "content.Draft", null=True, blank=True, on_delete=models.PROTECT, related_name="takedowns"
    )
    state = models.CharField(max_length=10, choices=TakedownState.choices, default=TakedownState.OPEN)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    steps = models.JSONField(default=list)  # [{"at", "what", "by"}]
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        what = f"post {self.post_id}" if self.post_id else f"draft {self.draft_id}"
        return f"Takedown of {what} on {self.account}"
