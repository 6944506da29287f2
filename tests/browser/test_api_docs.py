"""The browsable API docs: Swagger UI from our own static files, working under the strict
Content-Security-Policy, for signed-in people only."""

from __future__ import annotations

import os
from typing import Any

import pytest

from socialguard.identity.models import TokenScope
from socialguard.identity.roles import Role
from socialguard.identity.services import token_create
from tests.browser.conftest import sign_in_through_the_page
from tests.browser.test_content_security_policy import WATCH

pytestmark = pytest.mark.browser


def test_signed_in_staff_browse_and_try_the_api_docs_under_the_policy(
    page: Any, make_user: Any, register: dict[str, Any]
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/api-docs/")
    assert "/account/sign-in/" in page.url  # not for visitors who have not signed in

    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.add_init_script(WATCH)
    user = make_user(Role.STAFF)
    sign_in_through_the_page(page, user)
    page.goto("/api-docs/")
    page.locator(".opblock").first.wait_for()
    operations = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/people/directory" in operations and "/api/v1/accounts/proposals" in operations

    # Authorize with a token and run an operation: icons, dialogs and the request all work.
    page.locator("button.authorize").first.click()
    page.locator(".auth-container input").first.fill(
        token_create(user=user, name="docs", scope=TokenScope.READ).secret
    )
    page.locator(".auth-btn-wrapper button.authorize").click()
    page.get_by_role("button", name="Close", exact=True).click()
    page.locator(".opblock-summary", has_text="/api/v1/people/directory").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert "Ben Tutor" in page.locator(".live-responses-table").inner_text()
    if os.environ.get("SOCIALGUARD_SCREENSHOT"):  # to look at the page by hand
        page.screenshot(path=os.environ["SOCIALGUARD_SCREENSHOT"])

    violations = page.evaluate("window.__violations")
    assert not violations and not console, (violations, console)
    base = page.url.split("/api-docs/")[0]
    assert all(url.startswith(base) for url in requests), [u for u in requests if not u.startswith(base)]
