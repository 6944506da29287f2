"""TOTP two-factor sign-in is required for SMT, DSL and Quality Director."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialguard.audit.models import AuditEvent
from socialguard.identity.roles import Role
from tests.conftest import PASSWORD, totp_code


def _sign_in(client: Client, email: str) -> Any:
    return client.post("/account/sign-in/", {"username": email, "password": PASSWORD})


@pytest.mark.parametrize("role", [Role.SMT, Role.DSL, Role.QUALITY_DIRECTOR])
def test_privileged_roles_must_enrol_before_anything_else(client: Client, make_user: Any, role: Role) -> None:
    make_user(role, email="boss@dmm.example")
    _sign_in(client, "boss@dmm.example")
    for path in ("/", "/people/staff/", "/audit/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/account/two-factor/setup/", path


def test_the_key_to_type_is_shown_in_fours_and_copies_as_one(client: Client, make_user: Any) -> None:
    make_user(Role.SMT, email="boss@dmm.example")
    _sign_in(client, "boss@dmm.example")
    page = client.get("/account/two-factor/setup/")
    secret = page.context["secret"]
    groups = [secret[i : i + 4] for i in range(0, len(secret), 4)]
    assert len(groups) > 1 and all(len(g) == 4 for g in groups[:-1])
    # Each group its own element with nothing between them: the gaps are CSS margins, so selecting
    # and copying the key gives it whole, without spaces.
    shown = "".join(f"<span>{g}</span>" for g in groups)
    assert f'<code class="secret grouped" data-testid="totp-secret">{shown}</code>' in page.content.decode()


def test_enrolment_then_verification_on_next_sign_in(client: Client, make_user: Any) -> None:
    user = make_user(Role.SMT, email="boss@dmm.example")
    _sign_in(client, "boss@dmm.example")
    page = client.get("/account/two-factor/setup/")
    assert "<svg" in page.content.decode()  # the QR code, drawn inline
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(
        "/account/two-factor/setup/", {"code": "000000" if totp_code(device) != "000000" else "111111"}
    )
    assert "not right" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait; this test does not
    ok = client.post("/account/two-factor/setup/", {"code": totp_code(device)})
    assert ok.status_code == 302 and ok["Location"] == "/"
    assert client.get("/people/staff/").status_code == 200
    assert AuditEvent.objects.filter(action="user.two_factor_enrolled", actor=user).exists()

    fresh = Client()
    _sign_in(fresh, "boss@dmm.example")
    assert fresh.get("/")["Location"] == "/account/two-factor/verify/"
    device.refresh_from_db()
    device.last_t = -1  # allow the same time step again in this fast test
    device.save()
    verified = fresh.post("/account/two-factor/verify/", {"code": totp_code(device)})
    assert verified.status_code == 302
    assert fresh.get("/").status_code == 200


def test_staff_are_not_forced_to_enrol(client: Client, make_user: Any) -> None:
    make_user(Role.STAFF, email="tutor@dmm.example")
    _sign_in(client, "tutor@dmm.example")
    assert client.get("/").status_code == 200


def test_smt_can_reset_a_lost_authenticator(client_for: Any, make_user: Any) -> None:
    smt = client_for(Role.SMT)
    colleague = make_user(Role.SMT)
    TOTPDevice.objects.create(user=colleague, name="phone", confirmed=True)
    response = smt.post(f"/people/sign-ins/{colleague.pk}/reset-two-factor/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert AuditEvent.objects.filter(action="user.two_factor_reset", object_id=str(colleague.pk)).exists()
