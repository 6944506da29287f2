"""Every identity service checks its actor (issue 21, "every service checks its actor"), as the
people, policies and accounts services do: a view's declaration is not the only guard, so a new
surface (API, CLI, a task) calling the service cannot skip it. None is the server's administrator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from socialguard.audit.models import AuditEvent
from socialguard.identity import services
from socialguard.identity.models import ApiToken, User
from socialguard.identity.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user: Callable[..., User]) -> dict[str, User]:
    return {
        "smt": make_user(Role.SMT, Role.STAFF),
        "smt2": make_user(Role.SMT),
        "staff": make_user(Role.STAFF),
        "other": make_user(Role.STAFF),
        "auditor": make_user(Role.AUDITOR),
    }


def _refused(call: Callable[[], Any]) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        call()
    assert AuditEvent.objects.count() == before  # nothing done, nothing recorded


def test_only_smt_create_sign_ins(people: dict[str, User]) -> None:
    for who in ("staff", "auditor"):
        _refused(
            lambda who=who: services.user_create(
                actor=people[who], email=f"new-{who}@dmm.example", full_name="New", password=None
            )
        )
    assert not User.objects.filter(email__startswith="new-").exists()
    services.user_create(actor=people["smt"], email="new@dmm.example", full_name="New", password=None)
    services.user_create(actor=None, email="cli@dmm.example", full_name="Cli", password=None)


def test_roles_and_active_are_changed_by_another_smt_member_only(people: dict[str, User]) -> None:
    staff, smt = people["staff"], people["smt"]
    _refused(lambda: services.user_set_roles(actor=staff, user=staff, roles=[Role.SMT]))
    _refused(lambda: services.user_set_roles(actor=people["auditor"], user=staff, roles=[Role.SMT]))
    _refused(lambda: services.user_set_active(actor=staff, user=people["other"], active=False))
    # Not even SMT change their own: another member must.
    _refused(lambda: services.user_set_roles(actor=smt, user=smt, roles=[Role.SMT, Role.AUDITOR]))
    _refused(lambda: services.user_set_active(actor=smt, user=smt, active=False))
    assert set(User.objects.get(pk=staff.pk).roles) == {Role.STAFF}
    services.user_set_roles(actor=people["smt2"], user=smt, roles=[Role.SMT])
    services.user_set_active(actor=smt, user=staff, active=False)
    assert not User.objects.get(pk=staff.pk).is_active


def test_a_password_is_changed_by_its_owner_or_smt(people: dict[str, User]) -> None:
    staff, other = people["staff"], people["other"]
    _refused(lambda: services.user_password_changed(actor=other, user=staff, how="x"))
    _refused(lambda: services.user_set_password(actor=other, user=staff, password=PASSWORD + "!x"))
    services.user_password_changed(actor=staff, user=staff, how="changed by themselves")
    services.user_set_password(actor=people["smt"], user=staff, password=PASSWORD + "!y")
    services.user_set_password(actor=None, user=staff, password=PASSWORD + "!z")


def test_a_token_is_revoked_by_its_owner_or_smt(people: dict[str, User]) -> None:
    staff = people["staff"]
    first = services.token_create(user=staff, name="one", scope="read").token
    second = services.token_create(user=staff, name="two", scope="read").token
    _refused(lambda: services.token_revoke(actor=people["other"], token=first))
    assert ApiToken.objects.get(pk=first.pk).revoked_at is None
    services.token_revoke(actor=staff, token=first)
    services.token_revoke(actor=people["smt"], token=second)
    assert not ApiToken.objects.filter(user=staff, revoked_at__isnull=True).exists()


def test_a_deactivated_sign_in_makes_no_token(people: dict[str, User]) -> None:
    staff = people["staff"]
    services.user_set_active(actor=people["smt"], user=staff, active=False)
    staff.refresh_from_db()
    _refused(lambda: services.token_create(user=staff, name="late", scope="read"))


def test_every_identity_service_that_changes_a_sign_in_asks_access() -> None:
    """A new service added without the check fails here: each one taking an actor calls
    access.require (or is the own-device enrolment, which acts only on the person themselves)."""
    import inspect

    own_device = {"totp_device_start", "totp_device_confirm", "token_authenticate", "token_digest"}
    # The system acts on a fact already checked elsewhere (a leave date saved by someone allowed to
    # save it): no actor is taken, so none can be passed to widen anyone's reach.
    system_acts = {"leavers_access_withdraw"}
    for name, function in inspect.getmembers(services, inspect.isfunction):
        if function.__module__ != services.__name__ or name.startswith("_") or name in own_device:
            continue
        if name in system_acts:
            assert "actor" not in inspect.signature(function).parameters, name
            assert "actor=None" in inspect.getsource(function), name
            continue
        assert "access.require(" in inspect.getsource(function), name
