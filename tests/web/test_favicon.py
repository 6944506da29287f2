"""The favicon: linked from every page, and /favicon.ico (which browsers ask for regardless) answers
instead of logging a 404 on every page view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from socialguard.identity.roles import Role

pytestmark = pytest.mark.django_db


def test_favicon_ico_redirects_to_the_static_icon(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/socialguard/favicon.ico"
    icon = finders.find("socialguard/favicon.ico")
    assert icon is not None
    with open(icon, "rb") as f:
        assert f.read(4) == b"\x00\x00\x01\x00"  # an ICO file's header


def test_favicon_ico_is_not_held_back_by_a_pending_second_factor(make_user: Callable[..., Any]) -> None:
    client = Client()
    client.force_login(make_user(Role.SMT))  # signed in with a password, no second factor yet
    assert client.get("/")["Location"].startswith("/account/two-factor/")  # the control
    assert client.get("/favicon.ico")["Location"] == "/static/socialguard/favicon.ico"


def test_every_page_links_the_icon(client: Client) -> None:
    page = client.get("/account/sign-in/").content.decode()
    assert '<link rel="icon" href="/static/socialguard/favicon.svg" type="image/svg+xml">' in page
    assert '<link rel="icon" href="/static/socialguard/favicon.ico"' in page
