"""The Content-Security-Policy holds on the main pages: nothing is blocked (no inline script or
style left anywhere), and htmx filtering and the server-drawn charts still work under it."""

from __future__ import annotations

from typing import Any

import pytest

from socialguard.identity.roles import Role
from socialguard.policies.services import declaration_make
from tests.browser.conftest import sign_in_through_the_page

pytestmark = pytest.mark.browser

# Runs before any page script, outside the page's policy: records every violation.
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber);
});
"""
PAGES = {
    Role.QUALITY_DIRECTOR: [
        "/",
        "/policy/",
        "/policy/versions/",
        "/policy/declarations/",
        "/policy/legislation/",
        "/policy/training/",
        "/people/staff/",
        "/cases/report/",
    ],
    Role.AUDITOR: [
        "/",
        "/audit/",
        "/audit/verify/",
        "/people/guardians/",
        "/cases/",
        "/policy/declarations/",
    ],
    Role.SMT: [
        "/",
        "/people/staff/new/",
        "/accounts/",
        "/accounts/proposals/",
        "/cases/reports/",
        "/people/import/",
    ],
}


def _watch(page: Any) -> list[str]:
    messages: list[str] = []
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.add_init_script(WATCH)
    return messages


def _violations(page: Any) -> list[str]:
    return list(page.evaluate("window.__violations"))


@pytest.mark.parametrize("role", list(PAGES), ids=lambda r: r.value)
def test_main_pages_render_with_no_policy_violation(
    page: Any, make_user: Any, published: dict[str, Any], role: Role
) -> None:
    tutor = published["tutor"]
    declaration_make(
        actor=tutor.user,
        staff=tutor,
        version=published["v1"],
        confirmations={"read_and_understood": True, "agrees_to_comply": True, "accepts_monitoring": True},
    )
    console = _watch(page)
    sign_in_through_the_page(page, make_user(role, email=f"csp-{role.value}@dmm.example"))
    for url in PAGES[role]:
        response = page.goto(url)
        assert response is not None and response.status < 400, (url, response and response.status)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert not _violations(page), (url, _violations(page))
    assert not console, console

    # Positive control: an inline script is blocked and seen, so "none seen" above means something.
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_function("window.__violations.length > 0")
    assert page.evaluate("window.ran") is None
    assert "script-src" in _violations(page)[0]


def test_htmx_filter_and_charts_work_under_the_policy(
    page: Any, make_user: Any, published: dict[str, Any]
) -> None:
    console = _watch(page)
    sign_in_through_the_page(page, make_user(Role.QUALITY_DIRECTOR, email="qd2@dmm.example"))
    page.goto("/people/staff/")
    rows_before = page.locator("#results tbody tr").count()
    with page.expect_response(lambda r: "/people/staff/?" in r.url and "q=Ada" in r.url):
        page.get_by_label("Name, email or id").fill("Ada")
    page.wait_for_function(f"document.querySelectorAll('#results tbody tr').length < {rows_before}")
    assert "q=Ada" in page.url  # hx-push-url: htmx ran, the page was not reloaded
    page.goto("/policy/declarations/")
    assert page.locator("svg.chart").count() >= 2
    assert page.locator("svg.chart rect").count() > 0
    assert not _violations(page) and not console, (_violations(page), console)
