"""Writes for sign-ins, roles, two-factor devices and API tokens. Each one is audited."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialguard.audit.services import audit_record
from socialguard.identity import access
from socialguard.identity.models import ApiToken, RoleAssignment, TokenScope, User, normalise_email
from socialguard.identity.permissions import SIGNED_IN
from socialguard.identity.roles import Role
from socialguard.identity.tasks import send_two_factor_notice

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
    """A sign-in. Without a password (created on the web) it gets a random one nobody is told:
    the person chooses theirs through "Forgotten password", which Django offers only to
    sign-ins whose password is usable."""
    access.require(actor, "users.manage")
    email = normalise_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": f"a sign-in for {email} already exists"})
    if password is not None and check_password:
        validate_password(password, User(email=email, full_name=full_name))
    if password is None:
        password = secrets.token_urlsafe(32)
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


def user_set_roles(*, actor: User | None, user: User, roles: Iterable[Role]) -> int:
    """Give `user` exactly these roles. Returns how many API tokens adding a role revoked."""
    access.require(actor, access.OTHERS_SIGN_IN, user)
    wanted = {Role(r) for r in roles}
    with transaction.atomic():
        current = {Role(r) for r in user.role_assignments.values_list("role", flat=True)}
        if wanted == current:
            return 0
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
        if wanted - current:
            # A token made before would carry the new role without what the web asks first (a
            # second factor for DSL or SMT): the person makes a new one once signed in with it.
            return _tokens_revoke(actor=actor, user=user, reason="role added")
    return 0


def user_set_active(*, actor: User | None, user: User, active: bool) -> int:
    """Allow or stop `user`'s sign-in. Returns how many API tokens stopping it revoked."""
    access.require(actor, access.OTHERS_SIGN_IN, user)
    if user.is_active == active:
        return 0
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
        if not active:
            # Revoked, not just refused: they would come back with a reactivation (a leaver
            # rehired), on whatever laptop they were copied to.
            return _tokens_revoke(actor=actor, user=user, reason="sign-in deactivated")
    return 0


def leavers_access_withdraw(users: Iterable[User], reason: str) -> int:
    """Withdraw the sign-in (sessions and API tokens alike) of staff whose leave date has come,
    at once when the date is saved, rather than at the next daily leavers scan. The system acts,
    as the scan does: whoever saved the date may not manage others' sign-in. Returns how many."""
    withdrawn = 0
    for user in User.objects.filter(pk__in=[u.pk for u in users]):
        with transaction.atomic():
            if user.is_active:
                user.is_active = False
                user.save(update_fields=["is_active"])
                audit_record(
                    actor=None, action="user.access_withdrawn", target=user, after={"reason": reason}
                )
                withdrawn += 1
            # Also for a sign-in stopped before tokens were revoked with it: none may outlive it.
            _tokens_revoke(actor=None, user=user, reason="sign-in withdrawn")
    return withdrawn


def user_password_changed(*, actor: User | None, user: User, how: str) -> int:
    """Record a password change (the hash itself is never audited) and revoke the person's API
    tokens: a leaked password may have been used to make one, and a token would outlive the
    sessions that Django signs out. Returns how many tokens were revoked."""
    access.require(actor, access.OWN_SIGN_IN, user)
    with transaction.atomic():
        audit_record(actor=actor, action="user.password_changed", target=user, after={"how": how})
        return _tokens_revoke(actor=actor, user=user, reason="password changed")


def user_set_password(*, actor: User | None, user: User, password: str) -> int:
    """Set a password for someone (the `setpassword` command); same consequences as a reset."""
    access.require(actor, access.OWN_SIGN_IN, user)
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        return user_password_changed(actor=actor, user=user, how="set by an administrator")


def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed device for the enrolment page; replaces any earlier unconfirmed one."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def totp_device_confirm(*, user: User, device: TOTPDevice, second_factor_fresh: bool) -> None:
    """Make the device just shown on the enrolment page the person's authenticator.

    Replacing an authenticator needs a code from it entered within REAUTH_SECONDS
    (`second_factor_fresh`): otherwise a password alone would swap the victim's phone for the
    attacker's. Someone who lost theirs asks SMT for `totp_reset`, after which enrolment is a
    first one again. Either way the person is told by email, and SMT see it on their home page.
    """
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError("that authenticator is not waiting to be set up; start again")
    with transaction.atomic():
        # Locking the person's row serialises two enrolments racing each other.
        User.objects.select_for_update().filter(pk=user.pk).first()
        previous = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk)
        if previous.exists() and not second_factor_fresh:
            raise PermissionDenied(
                "you already have an authenticator: enter a code from it first, "
                "or ask the senior management team to reset it if it is lost"
            )
        replaced, _ = previous.delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(actor=user, action="user.two_factor_enrolled", target=user, after={"replaced": replaced})
        _notify_later(user=user, change="replaced" if replaced else "enrolled")


def totp_reset(*, actor: User | None, user: User) -> int:
    """Remove a person's authenticator (a lost phone); they enrol again at next sign-in.

    `actor` None is the server's administrator (CLI). Nobody resets their own: that would let
    a password plus an old verified session choose a new authenticator without a fresh code.
    """
    if actor is not None:
        access.require(actor, "users.manage")
        if actor.pk == user.pk:
            raise PermissionDenied(
                "nobody resets their own two-factor sign-in; another member of the senior "
                "management team must"
            )
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        audit_record(
            actor=actor, action="user.two_factor_reset", target=user, after={"devices_removed": removed}
        )
        if removed:
            _notify_later(user=user, change="reset")
    return removed


def _notify_later(*, user: User, change: str) -> None:
    """Queue the email to the person once the change is committed (a rolled-back one is not news)."""
    at = timezone.now().isoformat()
    transaction.on_commit(lambda: send_two_factor_notice.enqueue(user_id=user.pk, change=change, at=at))


def token_digest(token: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is safe and lets us look them up.
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown to the person once, never stored


def token_create(*, user: User, name: str, scope: str) -> IssuedToken:
    """A token for `user`, made by them (the token acts as them, so nobody makes one for another)."""
    access.require(user, SIGNED_IN)
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
    access.require(actor, access.OWN_SIGN_IN, token.user)
    if token.revoked_at is not None:
        return
    with transaction.atomic():
        _token_revoke(actor=actor, token=token, reason="revoked by its owner")


def _tokens_revoke(*, actor: User | None, user: User, reason: str) -> int:
    """Revoke every live token of `user` (inside the caller's transaction); how many."""
    tokens = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        _token_revoke(actor=actor, token=token, reason=reason)
    return len(tokens)


def _token_revoke(*, actor: User | None, token: ApiToken, reason: str) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="api_token.revoked",
        target=token,
        after={"prefix": token.prefix, "reason": reason},
    )


def token_authenticate(secret: str) -> ApiToken | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, user__is_active=True)
        # Nor once the holder's leave date has come, should the daily scan not have run yet.
        .exclude(user__staff_member__leave_date__lte=timezone.localdate())
        .first()
    )
    if token is not None:
        # Not audited: using a token changes nothing but its last-used time.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
