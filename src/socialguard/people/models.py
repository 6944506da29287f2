"""The organisation and the people the policy is about: staff (2.1), learners and guardians."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class Organisation(models.Model):
    """One installation serves one organisation."""

    name = models.CharField(max_length=200)
    aliases = models.TextField(blank=True, help_text="Other names it is mentioned by, one per line.")
    handles = models.TextField(blank=True, help_text="Its social media handles, one per line.")
    email_domains = models.TextField(blank=True, help_text="Its email domains, one per line.")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return _lines(self.aliases)

    @property
    def handle_list(self) -> list[str]:
        return _lines(self.handles)

    @property
    def email_domain_list(self) -> list[str]:
        return [d.lower().lstrip("@") for d in _lines(self.email_domains)]


class Department(models.Model):
    name = models.CharField(max_length=120, unique=True)
    site = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.site})" if self.site else self.name


class EmploymentType(models.TextChoices):
    EMPLOYEE = "employee", "Employee"
    CONTRACT_WORKER = "contract_worker", "Contract worker"
    VOLUNTEER = "volunteer", "Volunteer"


class Person(models.Model):
    external_id = models.CharField(max_length=64, unique=True, help_text="The id in your HR or MIS system.")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)

    class Meta:
        abstract = True
        ordering = ["last_name", "first_name", "external_id"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class StaffMember(Person):
    employment_type = models.CharField(max_length=20, choices=EmploymentType.choices)
    job_title = models.CharField(max_length=120, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="staff"
    )
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    start_date = models.DateField(null=True, blank=True)
    leave_date = models.DateField(null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_member",
    )

    class Meta(Person.Meta):
        verbose_name = "staff member"

    @property
    def has_left(self) -> bool:
        return self.leave_date is not None and self.leave_date <= timezone.localdate()


class Learner(Person):
    date_of_birth = models.DateField(null=True, blank=True)
    programme = models.CharField(max_length=200, blank=True)
    employer = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    social_handles = models.TextField(blank=True, help_text="Known social media handles, one per line.")

    class Meta(Person.Meta):
        # Who turns 18 soon, who is under 18: read by date of birth on home pages and registers.
        indexes = [models.Index(fields=["date_of_birth"], name="people_learner_dob")]

    def is_current_on(self, day: dt.date) -> bool:
        return (self.start_date is None or self.start_date <= day) and (
            self.end_date is None or self.end_date >= day
        )

    @property
    def is_current(self) -> bool:
        return self.is_current_on(timezone.localdate())

    def age_on(self, day: dt.date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    @property
    def is_under_18(self) -> bool:
        age = self.age_on(timezone.localdate())
        return age is not None and age < 18


class Guardian(Person):
    phone = models.CharField(max_length=40, blank=True)
    learners = models.ManyToManyField(Learner, related_name="guardians", blank=True)

    class Meta(Person.Meta):
        verbose_name = "parent or guardian"


class ImportState(models.TextChoices):
    QUEUED = "queued", "Waiting for the worker"
    RUNNING = "running", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Nothing was imported"


class ImportRun(models.Model):
    """A file uploaded on the import page, imported by the worker with its progress shown. The
    file is kept only until the worker has read it."""

    kind = models.CharField(max_length=20)
    filename = models.CharField(max_length=255)
    data = models.BinaryField(default=b"", editable=False)
    requested_by = models.ForeignKey("identity.User", null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=ImportState.choices, default=ImportState.QUEUED)
    stage = models.CharField(max_length=20, blank=True)  # checking, comparing, saving
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True)
    errors = models.JSONField(default=list, blank=True)  # as the page shows them, at most 100 and a count

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in (ImportState.DONE, ImportState.FAILED)

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.done / self.total))
