from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone

from socialguard.identity.roles import Role


def normalise_email(raw: str | None) -> str:
    """The one spelling of an address that sign-in, lockout and storage all use.

    Stored addresses are in this form, so sign-in matches them exactly: a case-insensitive
    database match (PostgreSQL's UPPER() folds the dotless i, which Django's email check
    accepts, to "I") would let a spelling the lockout counts apart still reach the account.
    """
    return (raw or "").strip().lower()


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email=normalise_email(username))


class User(AbstractBaseUser):
    """Someone who signs in. Staff members link to their user; an external auditor need not."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def roles(self) -> frozenset[Role]:
        # Cached per request-sized object: permission checks run many times per page.
        cached: frozenset[Role] | None = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = frozenset(Role(r) for r in self.role_assignments.values_list("role", flat=True))
            self._roles_cache = cached
        return cached

    @property
    def roles_in_order(self) -> list[Role]:
        """The roles in the order the product lists them (a frozenset's order changes per process)."""
        order = list(Role)
        return sorted(self.roles, key=order.index)

    def forget_roles(self) -> None:
        self.__dict__.pop("_roles_cache", None)


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["user_id", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_assignment_per_role")]

    def __str__(self) -> str:
        return f"{self.user} is {self.get_role_display()}"


class TokenScope(models.TextChoices):
    READ = "read", "Read only"
    READ_WRITE = "read_write", "Read and write"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 digest is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=16, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
