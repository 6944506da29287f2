"""Issue 21: at a large college's size the proposal form lists nobody until a search; typing
asks the server for a few names (static picker.js under the strict CSP), ticked people stay, and
the lead is chosen among the people listed. On a 390 px phone and on a desktop; without
JavaScript the Find button does the same (tests/accounts/test_propose_at_size.py)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import expect

from socialguard.accounts.forms import SHOW_ALL
from socialguard.accounts.models import Proposal
from socialguard.people.models import Organisation, StaffMember
from tests.browser.conftest import sign_in_through_the_page

SHOTS = os.environ.get("SOCIALGUARD_SCREENSHOTS_DIR", "/tmp/sg-runner-finder")


def _screenshot(page: Any, name: str) -> None:
    if os.environ.get("SOCIALGUARD_SCREENSHOTS"):
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_find_runners_as_you_type_and_propose(
    browser: Any, live_server: Any, published: dict[str, Any], width: int
) -> None:
    Organisation.objects.create(name="DMM", email_domains="dmm.example")
    StaffMember.objects.bulk_create(
        StaffMember(
            external_id=f"B{i:04d}", first_name="Bulk", last_name=f"Person{i:04d}", employment_type="employee"
        )
        for i in range(2 * SHOW_ALL)
    )
    StaffMember.objects.create(
        external_id="Z1", first_name="Zed", last_name="Xylo", employment_type="employee"
    )
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 844})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in_through_the_page(page, published["boss"].user)
    page.goto("/accounts/proposals/new/")
    assert page.locator("input[name=runners]").count() == 0  # nobody listed until a search
    assert not page.get_by_role("button", name="Find").is_visible()  # the list follows the typing

    search = page.get_by_label("Find runners by name or staff ID")
    search.fill("xylo")
    page.get_by_label("Zed Xylo").check()
    search.fill("tutor")
    page.get_by_label("Ben Tutor").check()
    assert page.get_by_label("Zed Xylo").is_checked()  # ticked ones stay listed
    search.fill("bulk")
    expect(page.locator("input[name=runners]")).to_have_count(2 + 20)
    expect(page.locator(".finder-status")).to_contain_text("type more of the name to narrow it")
    _screenshot(page, f"proposal-runner-finder-{width}-found")
    search.press("Enter")  # searches; does not send the half-filled form
    assert page.url.endswith("/accounts/proposals/new/")
    search.fill("nobody-like-this")
    expect(page.locator(".finder-status")).to_contain_text("Nobody found")
    expect(page.locator("input[name=runners]")).to_have_count(2)

    lead = page.get_by_label("Lead runner")
    assert lead.locator("option").all_inner_texts() == ["Choose the lead", "Zed Xylo", "Ben Tutor"]
    lead.select_option(label="Zed Xylo")
    assert bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))
    _screenshot(page, f"proposal-runner-finder-{width}")

    page.get_by_label("Platform").select_option("instagram")
    page.get_by_label("Proposed name or handle").fill("@dmm_careers")
    page.get_by_label("Aim of the account").fill("Careers news")
    page.get_by_label("Intended audience").fill("Learners")
    page.get_by_label("How it will be promoted").fill("Website")
    page.get_by_label("Role mailbox it will sign in with").fill("careers@dmm.example")
    page.get_by_role("button", name="Send to SMT").click()
    assert "gone to the senior management team" in page.get_by_role("status").inner_text()
    proposal = Proposal.objects.get()
    assert sorted(str(r) for r in proposal.runners.all()) == ["Ben Tutor (runner)", "Zed Xylo (lead)"]
    assert not errors, errors  # no CSP refusals or script errors
    context.close()
