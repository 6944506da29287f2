"""The Quality Director edits the rules pack on a phone: a mistake is shown with its line and
reason, the preview lists the drafts it would change, saving makes the compose page's live
check report the new result at once; the rule-quality page draws its chart."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from socialguard.identity.roles import Role
from socialguard.policies.models import RulesPack
from tests.browser.conftest import sign_in_through_the_page
from tests.content.conftest import fresh_engine_cache, media_dir, platform, team, write  # noqa: F401

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DAMN = "What a crap good result for our learners ^BT"


def _tab(browser: Any, live_server: Any, user: Any) -> Any:
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(20_000)
    tab = context.new_page()
    sign_in_through_the_page(tab, user)
    return tab


def _shot(tab: Any, name: str) -> None:
    folder = os.environ.get("SOCIALGUARD_SCREENSHOTS")
    if folder:  # for a person to look at (not compared by the test)
        tab.screenshot(path=str(Path(folder) / name), full_page=True)


def test_quality_director_edits_previews_and_saves_and_the_compose_check_follows(
    browser: Any,
    live_server: Any,
    team: dict[str, Any],  # noqa: F811 (the imported fixture)
    make_user: Any,
) -> None:
    qd = make_user(Role.QUALITY_DIRECTOR, email="quinn@dmm.example", name="Quinn Director")
    draft = write(team, DAMN)
    tab = _tab(browser, live_server, qd)
    tab.goto("/policy/rules-pack/")
    editor = tab.get_by_label("The pack (TOML)")
    editor.fill("[remove]\nprofanty = ['crap']\n")
    tab.get_by_role("button", name="Preview the changes").click()
    errors = tab.locator("#pack-errors")
    errors.wait_for()
    assert "line 2: [remove] profanty: no lexicon has this name" in errors.inner_text()
    assert tab.get_by_role("button", name="Save as version 1").count() == 0
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    tab.get_by_label("The pack (TOML)").fill("[remove]\nprofanity = ['crap']\n")
    tab.get_by_role("button", name="Preview the changes").click()
    preview = tab.locator("#preview")
    preview.wait_for()
    assert "1 would be flagged differently" in preview.inner_text()
    assert f"Draft {draft.pk}: block →" in preview.inner_text()
    assert "no longer flagged by OF001" in preview.inner_text()
    assert not RulesPack.objects.exists()  # nothing changes until it is saved
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(tab, "rules-pack-preview-phone.png")
    tab.get_by_role("button", name="Save as version 1").click()
    tab.get_by_text("Saved as version 1").wait_for()
    assert RulesPack.objects.get().created_by == qd

    desktop = tab  # the same sign-in on a desktop-wide window
    desktop.set_viewport_size(DESKTOP)
    desktop.goto("/policy/rules-pack/")
    _shot(desktop, "rules-pack-desktop.png")
    desktop.goto("/policy/rule-quality/")
    assert desktop.locator("svg.chart").count() == 1
    _shot(desktop, "rule-quality-desktop.png")
    desktop.set_viewport_size(PHONE)
    desktop.reload()
    assert desktop.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(desktop, "rule-quality-phone.png")

    runner = _tab(browser, live_server, team["runner"])
    runner.goto("/posts/new/")
    runner.get_by_label("Account to post on").select_option(label=str(team["account"]))
    runner.get_by_label("Post", exact=True).press_sequentially(DAMN, delay=2)
    findings = runner.locator("#findings")
    # The summary counts the whole text only once the check has run on all of it.
    findings.locator("p.length", has_text=f"{len(DAMN)} of 300").wait_for(state="attached")
    assert "OF001" not in findings.inner_text()
    assert "Blocked by the policy check" not in findings.inner_text()
