"""Writes for sign-ins, roles, two-factor devices and API tokens. Each one is audited."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialguard.audit.services import audit_record
from socialguard.identity.models import ApiToken, RoleAssignment, TokenScope, User
from socialguard.identity.roles import Role

TOKEN_PREFIX = "sg_"


def user_create(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    password: str | None,
    roles: Iterable[Role] = (),
    check_password: bool = True,
) -> User:
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": f"a sign-in for {email} already exists"})
    if password is not None and check_password:
        validate_password(password, User(email=email, full_name=full_name))
    with transaction.atomic():
        user = User.objects.create_user(email=email, password=password, full_name=full_name)
        granted = sorted({Role(r) for r in roles})
        RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=r) for r in granted])
        audit_record(
            actor=actor,
            action="user.created",
            target=user,
            after={"email": email, "full_name": full_name, "roles": [str(r) for r in granted]},
        )
    return user


def user_set_roles(*, actor: User | None, user: User, roles: Iterable[Role]) -> None:
    wanted = {Role(r) for r in roles}
    with transaction.atomic():
        current = {Role(r) for r in user.role_assignments.values_list("role", flat=True)}
        if wanted == current:
            return
        user.role_assignments.filter(role__in=[str(r) for r in current - wanted]).delete()
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user=user, role=r) for r in sorted(wanted - current)]
        )
        user.forget_roles()
        audit_record(
            actor=actor,
            action="user.roles_changed",
            target=user,
            before={"roles": sorted(str(r) for r in current)},
            after={"roles": sorted(str(r) for r in wanted)},
        )


def user_set_active(*, actor: User | None, user: User, active: bool) -> None:
    if user.is_active == active:
        return
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="user.activated" if active else "user.deactivated",
            target=user,
            before={"is_active": not active},
            after={"is_active": active},
        )


def user_password_changed(*, actor: User | None, user: User, how: str) -> None:
    """Record a password change made by Django's forms (the hash itself is never audited)."""
    audit_record(actor=actor, action="user.password_changed", target=user, after={"how": how})


def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed device for the enrolment page; replaces any earlier unconfirmed one."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def totp_device_confirm(*, user: User, device: TOTPDevice) -> None:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(actor=user, action="user.two_factor_enrolled", target=user)


def totp_reset(*, actor: User | None, user: User) -> int:
    """Remove a person's authenticator (a lost phone); they enrol again at next sign-in."""
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        audit_record(
            actor=actor, action="user.two_factor_reset", target=user, after={"devices_removed": removed}
        )
    return removed


def token_digest(token: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is safe and lets us look them up.
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown to the person once, never stored


def token_create(*, user: User, name: str, scope: str) -> IssuedToken:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "give the token a name, e.g. 'laptop CLI'"})
    if scope not in TokenScope.values:
        raise ValidationError({"scope": f"scope must be one of {', '.join(TokenScope.values)}"})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:100], prefix=secret[:10], digest=token_digest(secret), scope=scope
        )
        audit_record(
            actor=user,
            action="api_token.created",
            target=token,
            after={"name": token.name, "scope": scope, "prefix": token.prefix},
        )
    return IssuedToken(token=token, secret=secret)


def token_revoke(*, actor: User, token: ApiToken) -> None:
    if token.revoked_at is not None:
        return
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token.revoked", target=token, after={"prefix": token.prefix})


def token_authenticate(secret: str) -> ApiToken | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is not None:
        # Not audited: using a token changes nothing but its last-used time.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
