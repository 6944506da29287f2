"""Posts in the browser, on a phone-width page: a runner composes a post and sees a finding with
its clause appear as they type, fixes it, saves and submits; a second runner approves it. A
`review` post is refused to a runner (no button, and a forged POST is refused) and approved by
SMT; a blocked post can be approved only after an SMT member overrides it with a reason.

(Publishing to the local Bluesky network is added with the connector.)"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from socialguard.content.models import Draft, State
from tests.browser.conftest import sign_in_through_the_page
from tests.content.conftest import GOOD, fresh_engine_cache, media_dir, platform, submitted, team  # noqa: F401

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _tab(browser: Any, live_server: Any, user: Any) -> Any:
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    sign_in_through_the_page(tab, user)
    return tab


def _no_sideways_scroll(tab: Any) -> None:
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], tab.url


def test_compose_check_fix_submit_and_a_second_runner_approves(
    browser: Any,
    live_server: Any,
    team: dict[str, Any],  # noqa: F811 (the imported fixture)
) -> None:
    tab = _tab(browser, live_server, team["runner"])
    tab.goto("/posts/new/")
    tab.get_by_label("Account to post on").select_option(label=str(team["account"]))
    text = tab.get_by_label("Post", exact=True)
    text.press_sequentially("Questions? Email ben.tutor@gmail.com", delay=5)
    findings = tab.locator("#findings")
    # Found while typing (htmx), before anything is saved: the span marked, the clause, the fix.
    findings.get_by_text("PD001").wait_for()
    # Waits: a pause in the typing can let a check of "ben.tutor@gmail.co" answer first.
    expect(findings.locator("mark", has_text="ben.tutor@gmail.com")).to_have_count(1)
    assert "5.2" in findings.inner_text() and "Needs an SMT member's review" in findings.inner_text()
    assert "PB003" in findings.inner_text()  # not signed ^BT
    assert tab.locator("#counter").inner_text().startswith("36 of 300")
    assert not Draft.objects.exists()
    _no_sideways_scroll(tab)
    text.fill("")
    text.press_sequentially(GOOD, delay=2)
    findings.get_by_text("Passes the policy check").wait_for()
    assert "PD001" not in findings.inner_text() and "PB003" not in findings.inner_text()
    tab.get_by_role("button", name="Save and check").click()
    tab.get_by_text("Saved. Passes the policy check.").wait_for()
    tab.get_by_role("button", name="Submit for approval").click()
    tab.get_by_text("Submitted").first.wait_for()
    draft = Draft.objects.get()
    assert draft.state == State.SUBMITTED
    assert tab.get_by_role("button", name=re.compile("^Approve")).count() == 0  # never its author
    _no_sideways_scroll(tab)

    other = _tab(browser, live_server, team["runner2"])
    other.goto("/posts/approvals/")
    other.get_by_role("link", name=re.compile("Applications for our March cohort")).click()
    other.get_by_role("button", name="Approve").click()
    other.get_by_text("Approved.", exact=True).first.wait_for()
    draft.refresh_from_db()
    assert draft.state == State.SCHEDULED
    assert draft.approvals.get().approver == team["runner2"]


def _forge_approve(tab: Any, draft: Draft) -> None:
    """POST the approval the page does not offer, with the page's own CSRF token."""
    tab.evaluate(
        """(action) => {
            const form = document.createElement('form');
            form.method = 'post';
            form.action = action;
            const token = document.querySelector('input[name=csrfmiddlewaretoken]').cloneNode();
            form.appendChild(token);
            document.body.appendChild(form);
            form.submit();
        }""",
        f"/posts/{draft.pk}/approve/",
    )
    tab.wait_for_load_state()


def test_a_review_post_is_refused_to_a_runner_and_approved_by_smt(
    browser: Any,
    live_server: Any,
    team: dict[str, Any],  # noqa: F811 (the imported fixture)
) -> None:
    draft = submitted(team, "Questions about the course? Email ben.tutor@gmail.com ^BT")
    assert draft.check_result.verdict == "review"
    other = _tab(browser, live_server, team["runner2"])
    other.goto(f"/posts/{draft.pk}/")
    assert other.get_by_role("button", name=re.compile("^Approve")).count() == 0
    other.get_by_text("needs a senior leader").first.wait_for()
    _forge_approve(other, draft)
    other.get_by_text(re.compile("This post needs a senior leader")).first.wait_for()
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED

    smt = _tab(browser, live_server, team["smt"])
    smt.goto(f"/posts/{draft.pk}/")
    smt.get_by_text("PD001").first.wait_for()
    smt.get_by_role("button", name="Approve as SMT").click()
    smt.get_by_text("Approved.", exact=True).first.wait_for()
    draft.refresh_from_db()
    assert draft.state == State.SCHEDULED


def test_a_blocked_post_is_approved_only_after_an_smt_override_with_a_reason(
    browser: Any,
    live_server: Any,
    team: dict[str, Any],  # noqa: F811 (the imported fixture)
) -> None:
    draft = submitted(team, "Applications for our March cohort are open.")  # no ^BT: PB003 blocks
    assert draft.check_result.verdict == "block"
    smt = _tab(browser, live_server, team["smt"])
    smt.goto(f"/posts/{draft.pk}/")
    assert smt.get_by_role("button", name=re.compile("^Approve")).count() == 0
    _forge_approve(smt, draft)
    smt.get_by_text(re.compile("Blocked by the policy check \\(PB003")).first.wait_for()
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED
    reason = "Signed in the image caption, which the platform shows with the post"
    smt.get_by_label("Override PB003: why this is acceptable").fill(reason)
    smt.get_by_role("button", name="Override PB003").click()
    smt.get_by_text(f"“{reason}”").first.wait_for()
    _no_sideways_scroll(smt)
    smt.get_by_role("button", name="Approve as SMT").click()
    smt.get_by_text("Approved.", exact=True).first.wait_for()
    draft.refresh_from_db()
    assert draft.state == State.SCHEDULED
    assert draft.overrides.get().reason == reason


def test_an_approver_judges_a_finding_a_false_alarm_and_the_page_says_so_once(
    browser: Any,
    live_server: Any,
    team: dict[str, Any],  # noqa: F811 (the imported fixture)
) -> None:
    draft = submitted(team, "Questions about the course? Email ben.tutor@gmail.com ^BT")
    smt = _tab(browser, live_server, team["smt"])
    smt.goto(f"/posts/{draft.pk}/")
    smt.get_by_text("Is PD001 a false alarm here?").click()
    smt.get_by_label("Why PD001 is wrong for this post").fill("It is the course's public enquiries address.")
    smt.get_by_role("button", name="Dismiss PD001").click()
    line = smt.locator(".override", has_text="Judged a false alarm")
    line.first.wait_for()
    assert "It is the course's public enquiries address." in line.first.inner_text()
    assert "The post still needs its approval." in line.first.inner_text()
    # Judged once: no second form for the same finding, and the post is still waiting.
    assert smt.get_by_text("Is PD001 a false alarm here?").count() == 0
    assert "Finding judged a false alarm by Ada Boss" in smt.locator("ol.history").inner_text()
    _no_sideways_scroll(smt)
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED
