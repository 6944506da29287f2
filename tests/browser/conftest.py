"""Playwright driving Debian's Chromium against a live server.

Skipped with a reason when Chromium is absent, unless SOCIALGUARD_REQUIRE_BROWSER=1 (CI sets it),
in which case a missing browser fails the run instead of hiding the tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialguard.identity.models import User
from tests.conftest import PASSWORD, totp_code

CHROMIUM = os.environ.get("SOCIALGUARD_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def browser(live_server: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A Chromium per test, started after the live server and stopped before its database is
    flushed: Playwright's sync API runs an event loop in this thread while it is open."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("SOCIALGUARD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM} but SOCIALGUARD_REQUIRE_BROWSER=1")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # While the loop runs, the ORM calls the test itself makes (creating users, reading
    # results) are still plain synchronous calls from this thread.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()
        # The test's own ORM calls ran while Playwright's loop was running, on connections that
        # Django's teardown does not see; left open, PostgreSQL refuses to drop the test database.
        connections.close_all()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def sign_in_through_the_page(page: Any, user: User) -> None:
    """Sign in with password and, where the role needs it, the authenticator code."""
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if "/two-factor/" in page.url:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
            page.goto("/account/two-factor/verify/")
        page.get_by_label("6-digit code").fill(totp_code(device))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/")


def open_menu(page: Any) -> None:
    """On a phone the header's links sit behind "Menu" (a <details>): open it to reach them."""
    summary = page.locator("header details.menu > summary")
    if summary.is_visible() and page.locator("header details.menu[open]").count() == 0:
        summary.click()
