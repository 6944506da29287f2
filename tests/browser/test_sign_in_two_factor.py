from __future__ import annotations

import base64
from typing import Any

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialguard.audit.models import AuditEvent
from socialguard.identity.roles import Role
from tests.browser.conftest import open_menu
from tests.conftest import PASSWORD, totp_code


def _code_from_key(key_b32: str) -> str:
    return f"{TOTP(base64.b32decode(key_b32)).token():06d}"


def test_smt_enrols_an_authenticator_and_signs_in_again(page: Any, make_user: Any) -> None:
    user = make_user(Role.SMT, email="director@dmm.example", name="Dana Director")
    page.goto("/")
    assert "/account/sign-in/" in page.url
    page.get_by_label("Email address").fill("director@dmm.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/account/two-factor/setup/")
    assert page.locator(".qr svg").count() == 1
    key = page.get_by_test_id("totp-secret").inner_text().strip()
    # Shown in fours, yet one tap selects the whole key and it copies without the gaps.
    page.get_by_test_id("totp-secret").click()
    assert page.evaluate("window.getSelection().toString()") == key and " " not in key and len(key) == 32
    first = page.get_by_test_id("totp-secret").locator("span").first.bounding_box()
    second = page.get_by_test_id("totp-secret").locator("span").nth(1).bounding_box()
    assert first and second and second["x"] - (first["x"] + first["width"]) > 4  # a visible gap
    page.get_by_label("6-digit code").fill("123456" if _code_from_key(key) != "123456" else "654321")
    page.get_by_role("button", name="Confirm").click()
    assert "not right" in page.locator(".field-error").inner_text()
    TOTPDevice.objects.get(user=user).throttle_reset()
    page.get_by_label("6-digit code").fill(_code_from_key(key))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Dana"

    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/account/sign-in/")
    page.get_by_label("Email address").fill("director@dmm.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/two-factor/verify/")
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    device.last_t = -1  # the same 30-second step may be reused in this test only
    device.save()
    page.get_by_label("6-digit code").fill(totp_code(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/")
    open_menu(page)
    assert page.get_by_role("link", name="Audit trail", exact=True).is_visible()
    assert AuditEvent.objects.filter(action="user.two_factor_enrolled", actor=user).count() == 1


def test_staff_member_signs_in_without_a_second_factor(page: Any, make_user: Any) -> None:
    make_user(Role.STAFF, email="tutor@dmm.example", name="Tia Tutor")
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill("tutor@dmm.example")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert "do not match" in page.locator(".errors").inner_text()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Tia"
    # Staff see no register or audit links.
    open_menu(page)
    assert page.get_by_role("link", name="Report a concern", exact=True).first.is_visible()
    assert page.get_by_role("link", name="Learners", exact=True).count() == 0
    assert page.get_by_role("link", name="Audit trail", exact=True).count() == 0
