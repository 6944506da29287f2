"""Issue 6's path in a real browser, on a phone-sized screen: a member of staff reports a
safeguarding concern with a screenshot; it goes straight to the DSL, who triages it, keeps the
chronology, refers it to the LADO, records the response and closes it with "social media access
withdrawn" (which suspends the person's runner role). SMT see only that it exists; the reporter
is told it is closed, without the detail."""

from __future__ import annotations

from typing import Any

from socialguard.accounts.models import AccountRunner, OrgAccount
from socialguard.audit.models import AuditEvent
from socialguard.incidents.models import Case
from tests.browser.conftest import open_menu, sign_in_through_the_page
from tests.case_fixtures import png_bytes


def _tab(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    return context.new_page()


def test_report_triage_investigate_refer_and_close(
    page: Any, browser: Any, live_server: Any, published: dict[str, Any], team: dict[str, Any], tmp_path: Any
) -> None:
    account = OrgAccount.objects.create(platform="instagram", handle="@dmm", login_email="social@dmm.example")
    AccountRunner.objects.create(account=account, staff=team["ivy"], is_lead=True)
    shot = tmp_path / "messages.png"
    shot.write_bytes(png_bytes((40, 40)))

    # A member of staff reports, on their phone.
    sign_in_through_the_page(page, team["tutor"].user)
    open_menu(page)
    page.get_by_role("link", name="Report a concern").first.click()
    page.get_by_label("What kind of concern is it?").select_option("safeguarding")
    page.get_by_label("What happened?").fill(
        "A learner showed me late-night private messages from a member of staff."
    )
    page.get_by_label("Link to the post or page").fill("https://instagram.example/p/1")
    page.locator("#party_name_0").fill("Ivy Involved")
    page.locator("#party_name_1").fill("L1")
    page.locator("#party_role_1").select_option("affected")
    page.get_by_label("Screenshots or files").set_input_files(str(shot))
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_url("**/cases/*/")
    assert "has gone to the Designated Safeguarding Lead" in page.get_by_role("status").inner_text()
    case = Case.objects.get()
    assert case.restricted and case.evidence.count() == 1
    assert {p.display_name for p in case.parties.all()} == {"Ivy Involved", "Dan Young"}

    # The DSL triages it from their home page.
    dsl = _tab(browser, live_server)
    sign_in_through_the_page(dsl, team["dsl"])
    dsl.get_by_role("link", name="1 new report to triage").click()
    dsl.get_by_role("link", name=case.reference).click()
    assert "late-night private messages" in dsl.locator("#case-detail").inner_text()
    dsl.get_by_label("Severity").select_option("high")
    dsl.get_by_label("Investigator").select_option(label="Dee Lead")
    dsl.get_by_label("5.2 Expected standards").check()  # checkboxes, grouped by section
    dsl.get_by_role("button", name="Record triage").click()
    assert dsl.locator("#case-status").inner_text() == "Triaged"

    # Investigation: a dated contact in the chronology.
    dsl.get_by_label("Kind").select_option("contact")
    dsl.get_by_label("What happened or was done").fill("Spoke to the learner with their parent present.")
    dsl.get_by_role("button", name="Add to the chronology").click()
    assert dsl.locator("#case-status").inner_text() == "Investigating"
    assert "Spoke to the learner" in dsl.locator("#chronology").inner_text()

    # Referral to the LADO, then its response.
    dsl.get_by_text("Record a referral").click()
    dsl.get_by_label("Referred to").select_option("lado")
    dsl.get_by_label("Their reference").fill("LADO/118")
    dsl.get_by_role("button", name="Record the referral").click()
    assert dsl.locator("#case-status").inner_text() == "Awaiting referral"
    dsl.locator("#referrals input[name=response]").fill("Threshold met: the employer to take action.")
    dsl.get_by_role("button", name="Record the response").click()
    assert "Threshold met" in dsl.locator("#referrals").inner_text()

    # SMT see only that a restricted case exists.
    smt = _tab(browser, live_server)
    sign_in_through_the_page(smt, team["smt"])
    smt.goto("/cases/")
    assert "Restricted (safeguarding)" in smt.locator(f"[data-reference='{case.reference}']").inner_text()
    smt.get_by_role("link", name=case.reference).click()
    assert (
        "Only the Designated Safeguarding Lead and deputies" in smt.locator("#restricted-notice").inner_text()
    )
    assert "late-night" not in smt.content()

    # Outcome: social media access withdrawn.
    dsl.get_by_text("Close with an outcome").click()
    dsl.get_by_label("Outcome (policy 5.4)").select_option("access_withdrawn")
    dsl.get_by_label("It applies to").select_option(label="Ivy Involved (employee)")
    dsl.get_by_role("button", name="Close the case").click()
    assert dsl.locator("#case-status").inner_text() == "Closed"
    assert "Social media access withdrawn (Ivy Involved)" in dsl.locator("#case-outcome").inner_text()
    assert not AccountRunner.objects.get(account=account, staff=team["ivy"]).active

    # The reporter sees that it is closed, and nothing of what was decided.
    page.reload()
    assert "This case is closed" in page.locator("#closed-notice").inner_text()
    assert "withdrawn" not in page.content().lower() and "LADO" not in page.content()
    assert AuditEvent.objects.filter(action="cases.restricted_viewed", actor=team["dsl"]).count() >= 5
