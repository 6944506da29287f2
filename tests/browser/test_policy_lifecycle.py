"""Issue 4's path in a real browser: staff declare; the Quality Director publishes a new version;
staff are asked again with the reason; SMT's coverage chart moves."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import sign_in_through_the_page
from tests.policy_fixtures import V2


def _tab(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    return context.new_page()


def _declare(page: Any, version: int) -> None:
    page.goto("/")
    page.get_by_role(
        "link", name=f"Declare that you have read the social media policy (version {version})"
    ).click()
    page.get_by_label("I have read the social media policy").check()
    page.get_by_label("I agree to follow it").check()
    page.get_by_label("I know and accept").check()
    page.get_by_role("button", name="Make my declaration").click()
    assert f"You declared version {version}" in page.locator("#declared").inner_text()


def _coverage(page: Any) -> tuple[str, str]:
    page.goto("/policy/declarations/")
    overall = page.locator("#overall").get_attribute("data-percent")
    bar = page.locator('svg g.bar[data-label="Digital Marketing"]').get_attribute("data-percent")
    return overall, bar


def test_declare_publish_declare_again(
    page: Any, browser: Any, live_server: Any, published: dict[str, Any], tmp_path: Any
) -> None:
    tutor = published["tutor"].user
    sign_in_through_the_page(page, tutor)

    # A missing confirmation is explained, not accepted.
    page.goto("/policy/declare/")
    page.get_by_label("I have read the social media policy").check()
    page.get_by_role("button", name="Make my declaration").click()
    page.locator(".field-error").first.wait_for()
    beside = page.locator(".field-error").all_inner_texts()
    assert len(beside) == 2 and all("Tick this to confirm it." in e for e in beside)
    assert page.locator(".errors").inner_text().count("Tick this to confirm it.") == 2
    _declare(page, 1)

    smt = _tab(browser, live_server)
    sign_in_through_the_page(smt, published["smt"])
    assert _coverage(smt) == ("33", "50")  # 1 of 3 in post; 1 of 2 in Digital Marketing

    qd = _tab(browser, live_server)
    sign_in_through_the_page(qd, published["qd"])
    assert "review overdue" in qd.locator(".items").inner_text()
    qd.goto("/policy/review/")
    outdated = " ".join(qd.locator("#reference-table .ref-outdated").all_inner_texts())
    assert "Working Together to Safeguard Children (2018)" in outdated and "Cite instead" in outdated
    assert "Online Safety Act 2023" in " ".join(qd.locator("#reference-table .ref-missing").all_inner_texts())
    file = tmp_path / "policy-v2.md"
    file.write_text(V2)
    qd.goto("/policy/import/")
    qd.get_by_label("Policy file").set_input_files(str(file))
    qd.get_by_role("button", name="Import as draft").click()
    assert "Imported as draft version 2" in qd.get_by_role("status").inner_text()
    qd.get_by_role("link", name="Publish this version").click()
    qd.wait_for_url("**/publish/")
    assert "clauses 4.1 and 5.2 changed; clause 5.6 added" in qd.locator("main").inner_text()
    qd.get_by_role("button", name="Publish").click()
    assert "Version 2 is published" in qd.get_by_role("status").inner_text()

    assert _coverage(smt) == ("0", "0")

    page.goto("/")
    item = page.locator(".items").inner_text()
    assert "version 2" in item
    assert (
        "The policy changed since you declared version 1: clauses 4.1 and 5.2 changed; clause 5.6 added."
        in item
    )
    _declare(page, 2)
    assert _coverage(smt) == ("33", "50")
