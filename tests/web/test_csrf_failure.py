"""A form refused for its CSRF token gets the site's own page, saying what happened and what to do."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from socialguard.identity.roles import Role
from tests.conftest import sign_in


def test_a_stale_form_gets_a_page_that_says_what_to_do(make_user: Any) -> None:
    client = sign_in(Client(enforce_csrf_checks=True), make_user(Role.STAFF))
    response = client.post(reverse("identity:tokens"), {"name": "laptop"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "That form was not sent" in html and "Nothing was saved" in html
    assert "DEBUG=True" not in html  # not Django's bare page
