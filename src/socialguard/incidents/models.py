"""Concerns and breaches reported under the policy (3.1, 5.4), their investigation, referrals
(5.2) and outcomes (5.4). Safeguarding cases are restricted to the DSL and deputies; who may see
what is decided in `access.py`, never in templates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class Category(models.TextChoices):
    BULLYING = "bullying", "Bullying or harassment by a colleague"
    OFFENSIVE = "offensive", "Inappropriate or offensive content"
    CONFIDENTIAL = "confidential", "Confidential data disclosed"
    LEARNER_CONTACT = "learner_contact", "Contact or friending with a learner aged 18 or over"
    MINOR_CONTACT = "minor_contact", "Contact or friending with a learner under 18 (or of unknown age)"
    CRITICISM = "criticism", "Adverse criticism of the organisation"
    IMAGE_CONSENT = "image_consent", "Image used without consent"
    CRIMINAL = "criminal", "Possible criminal act"
    SAFEGUARDING = "safeguarding", "Safeguarding concern"
    OTHER = "other", "Something else"


# Safeguarding by their nature (policy 5.2): restricted to the DSL and deputies from the start.
RESTRICTED_CATEGORIES = frozenset({Category.SAFEGUARDING, Category.MINOR_CONTACT})


class Status(models.TextChoices):
    NEW = "new", "New"
    TRIAGED = "triaged", "Triaged"
    INVESTIGATING = "investigating", "Investigating"
    AWAITING_REFERRAL = "awaiting_referral", "Awaiting referral"
    CLOSED = "closed", "Closed"


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class Outcome(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    INFORMAL_ADVICE = "informal_advice", "Informal advice"
    TRAINING = "training", "Training required"
    DISCIPLINARY = "disciplinary", "Disciplinary procedure started"
    GROSS_MISCONDUCT = "gross_misconduct", "Gross misconduct"
    ACCESS_WITHDRAWN = "access_withdrawn", "Social media access withdrawn"
    CONTRACT_ENDED = "contract_ended", "Contract ended"


class Source(models.TextChoices):
    WEB = "web", "Web form"
    API = "api", "API"
    CLI = "cli", "Command line"
    # Hooks for the rules engine and monitoring: a finding or an alert raised as a report.
    RULES_FINDING = "rules_finding", "Rules engine finding"
    MONITORING_ALERT = "monitoring_alert", "Monitoring alert"


# How each source reads after "Reported …" on a case, for people who never met a rules engine.
SOURCE_IN_WORDS = {
    Source.API: "through the API",
    Source.CLI: "from the command line",
    Source.RULES_FINDING: "raised by the policy check on a draft post",
    Source.MONITORING_ALERT: "raised by monitoring of an organisational account",
}


class Case(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    category = models.CharField(max_length=20, choices=Category.choices)
    # The whole case is safeguarding: only the DSL and deputies read it.
    restricted = models.BooleanField(default=False)
    # Some part of it (an entry, a file, a referral) is safeguarding: the DSL and deputies read it.
    safeguarding_part = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    severity = models.CharField(max_length=10, choices=Severity.choices, blank=True)
    summary = models.TextField(help_text="What happened.")
    platform = models.CharField(max_length=60, blank=True)
    url = models.CharField(max_length=500, blank=True)
    account = models.CharField(max_length=200, blank=True, help_text="The account or page involved.")
    happened_on = models.DateField(null=True, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reporter_affected = models.BooleanField(default=False, help_text="The reporter is the person affected.")
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.WEB)
    source_ref = models.CharField(max_length=200, blank=True)
    clauses = models.ManyToManyField("policies.Clause", blank=True, related_name="+")
    created_at = models.DateTimeField()
    triaged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)
    outcome_subject = models.ForeignKey(
        "people.StaffMember", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retain_until = models.DateField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "restricted"])]

    def __str__(self) -> str:
        # Only the reference: this string reaches the audit trail and emails.
        return f"Case {self.reference}"

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def source_in_words(self) -> str:
        """ "" for the web form (the usual way in), else how the report came in."""
        return SOURCE_IN_WORDS.get(Source(self.source), "") if self.source in Source.values else ""


class PartyRole(models.TextChoices):
    SUBJECT = "subject", "Subject of the concern"
    AFFECTED = "affected", "Affected"
    WITNESS = "witness", "Witness"
    OTHER = "other", "Other"


class Party(models.Model):
    """Someone involved: from the register where they are on it, else by name."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=10, choices=PartyRole.choices, default=PartyRole.OTHER)
    staff = models.ForeignKey("people.StaffMember", null=True, blank=True, on_delete=models.PROTECT)
    learner = models.ForeignKey("people.Learner", null=True, blank=True, on_delete=models.PROTECT)
    guardian = models.ForeignKey("people.Guardian", null=True, blank=True, on_delete=models.PROTECT)
    name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        person: Any = self.staff or self.learner or self.guardian
        return person.full_name if person is not None else self.name

    @property
    def kind(self) -> str:
        if self.staff_id:
            return "staff"
        if self.learner_id:
            return "learner"
        return "guardian" if self.guardian_id else "other"


class EntryKind(models.TextChoices):
    REPORT = "report", "Reported"
    NOTE = "note", "Note"
    ACTION = "action", "Action taken"
    CONTACT = "contact", "Contact"
    EVIDENCE = "evidence", "Evidence added"
    TRIAGE = "triage", "Triage"
    STATUS = "status", "Status changed"
    REFERRAL = "referral", "Referral"
    OUTCOME = "outcome", "Outcome"


class Entry(models.Model):
    """One dated line of the chronology. Append-only: nothing is edited or deleted, except by
    anonymisation at the end of the retention period."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    happened_on = models.DateField()
    text = models.TextField()
    restricted = models.BooleanField(default=False, help_text="Safeguarding: the DSL and deputies only.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["happened_on", "created_at", "pk"]
        verbose_name_plural = "entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.pop("anonymising", False):
            raise ValueError("chronology entries are never changed; add another entry")
        super().save(*args, **kwargs)


class Evidence(models.Model):
    """A file kept outside the web root under a random name, encrypted with its own data key,
    served only through a permission check; the SHA-256 of what it holds is checked again each
    time it is served. The data key is stored here wrapped by the vault's master key (which is
    outside the database), so the file alone, or the database alone, reveals nothing."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=80, unique=True)
    # The file's data key wrapped by the master key (`accounts.crypto`); key_id "" for a file
    # stored before evidence was encrypted and not yet encrypted (`socialguard cases
    # encrypt-evidence`).
    wrapped_key = models.BinaryField(default=b"", blank=True)
    key_nonce = models.BinaryField(default=b"", blank=True)
    key_id = models.CharField(max_length=16, blank=True, db_index=True)
    restricted = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return f"Evidence {self.pk} on {self.case}"

    @property
    def aad(self) -> bytes:
        # Binds the key and the file to this record: a file or key moved to another will not open.
        return f"socialguard-evidence:{self.stored_name}".encode()


class Task(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    text = models.CharField(max_length=300)
    due_on = models.DateField()
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["done_at", "due_on", "pk"]

    def __str__(self) -> str:
        return f"Task on {self.case}"


class Agency(models.TextChoices):
    POLICE = "police", "Police"
    PARTNERSHIP = "partnership", "Local safeguarding partnership / children's social care"
    LADO = "lado", "Local Authority Designated Officer (LADO)"
    DBS = "dbs", "Disclosure and Barring Service"


# Referrals to these bodies are about safeguarding by nature, so they are restricted.
SAFEGUARDING_AGENCIES = frozenset({Agency.PARTNERSHIP, Agency.LADO, Agency.DBS})


class Referral(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    agency = models.CharField(max_length=12, choices=Agency.choices)
    referred_on = models.DateField()
    reference = models.CharField(max_length=100, blank=True, help_text="The agency's reference.")
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(blank=True)
    response = models.TextField(blank=True)
    response_on = models.DateField(null=True, blank=True)
    restricted = models.BooleanField(default=False)

    class Meta:
        ordering = ["referred_on", "pk"]

    def __str__(self) -> str:
        return f"Referral to {self.get_agency_display()} on {self.case}"
