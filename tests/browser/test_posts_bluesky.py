"""The whole loop in the browser, on a real AT Protocol network (tests/atproto.py): a runner
composes a post at phone width and sees a finding with its clause while typing, fixes it and
submits; a second runner approves; the scheduled task publishes it to the local Bluesky network,
whose AppView returns it; the archive page's search finds it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command

from socialguard.content.models import Draft, PublishedPost, State
from tests.browser.conftest import sign_in_through_the_page
from tests.content.conftest import bluesky_team

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TEXT = "Open evening on Thursday from 5pm: meet our tutors and see the new media studios."


@pytest.fixture
def on_bluesky(
    transactional_db: Any, make_user: Any, atproto_network: Any, bluesky_account: Any
) -> dict[str, Any]:
    return bluesky_team(make_user, atproto_network, bluesky_account())


def _tab(browser: Any, live_server: Any, user: Any) -> Any:
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(20_000)
    tab = context.new_page()
    sign_in_through_the_page(tab, user)
    return tab


def test_a_post_is_composed_checked_approved_published_to_bluesky_and_found_in_the_archive(
    browser: Any, live_server: Any, on_bluesky: dict[str, Any]
) -> None:
    tab = _tab(browser, live_server, on_bluesky["runner"])
    tab.goto("/posts/new/")
    tab.get_by_label("Account to post on").select_option(label=str(on_bluesky["account"]))
    text = tab.get_by_label("Post", exact=True)
    text.press_sequentially("Questions? Email bea.writer@gmail.com", delay=5)
    findings = tab.locator("#findings")
    findings.get_by_text("PD001").wait_for()  # a personal address in public: its clause, 5.2
    assert "5.2" in findings.inner_text()
    text.fill(TEXT)
    text.press("End")  # a key: the check runs on keyup
    findings.get_by_text("Passes the policy check").wait_for()
    tab.get_by_role("button", name="Save and check").click()
    tab.get_by_text("Saved. Passes the policy check.").wait_for()
    tab.get_by_role("button", name="Submit for approval").click()
    tab.get_by_text("Submitted").first.wait_for()

    other = _tab(browser, live_server, on_bluesky["second"])
    other.goto("/posts/approvals/")
    other.get_by_role("link", name=re.compile("Open evening on Thursday")).click()
    other.get_by_role("button", name="Approve").click()
    other.get_by_text("Approved.", exact=True).first.wait_for()
    draft = Draft.objects.get()
    assert draft.state == State.SCHEDULED

    # The task the approval enqueued, run as `socialguard worker` runs it.
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")

    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED, draft.last_error
    post = PublishedPost.objects.get(draft=draft)
    [seen] = on_bluesky["network"].wait_for_posts([post.uri])
    assert seen["record"]["text"] == TEXT
    other.goto("/posts/archive/")
    other.get_by_label("Words in the post").fill("media studios")
    other.get_by_role("button", name="Search").click()
    other.get_by_text("1 post.").wait_for()
    other.get_by_role("link", name=re.compile("Open evening on Thursday")).wait_for()
    other.get_by_label("Words in the post").fill("inspection")
    other.get_by_role("button", name="Search").click()
    other.get_by_text("No published post matches.").wait_for()
