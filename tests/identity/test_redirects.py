"""After signing in or passing the second factor, `next` leads only to this site's own pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils.http import urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialguard.identity.roles import Role
from tests.conftest import PASSWORD, totp_code

VERIFY = "/account/two-factor/verify/"
ELSEWHERE = [
    "https://evil.example/x",
    "//evil.example/x",
    "/\\evil.example/x",
    "http://testserver.evil.example/",
    "javascript:alert(1)",
]


def _after_password(make_user: Any) -> tuple[Client, TOTPDevice]:
    user = make_user(Role.DSL, email="dsl@dmm.example")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    client.post("/account/sign-in/", {"username": "dsl@dmm.example", "password": PASSWORD})
    return client, device


@pytest.mark.parametrize("target", ELSEWHERE)
def test_the_second_factor_never_sends_someone_to_another_site(make_user: Any, target: str) -> None:
    client, device = _after_password(make_user)
    response = client.post(f"{VERIFY}?{urlencode({'next': target})}", {"code": totp_code(device)})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_second_factor_returns_to_the_page_asked_for(make_user: Any) -> None:
    client, device = _after_password(make_user)
    asked = client.get("/people/staff/?page=2")
    assert asked["Location"] == f"{VERIFY}?next=%2Fpeople%2Fstaff%2F%3Fpage%3D2"
    done = client.post(asked["Location"], {"code": totp_code(device)})
    assert done.status_code == 302 and done["Location"] == "/people/staff/?page=2"


@pytest.mark.parametrize("target", ELSEWHERE)
def test_sign_in_never_sends_someone_to_another_site(make_user: Any, target: str) -> None:
    make_user(Role.STAFF, email="tutor@dmm.example")
    response = Client().post(
        "/account/sign-in/", {"username": "tutor@dmm.example", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302 and response["Location"] == "/"
