"""On a 390 px phone: long pickers get a search box (static picker.js, no inline script under the
CSP) that narrows the proposal's runners and lead; triage ticks policy clauses, grouped by section
and searchable, instead of Ctrl-clicking a <select multiple>."""

from __future__ import annotations

from typing import Any

from socialguard.accounts.models import Proposal
from socialguard.incidents import services as case_services
from socialguard.people.models import Organisation, StaffMember
from tests.browser.conftest import sign_in_through_the_page

NAMES = ["Noor Abbasi", "Priya Chandra", "Tom Doyle", "Eve Evans", "Finn Flynn", "Gil Grant", "Zed Xylo"]
SHOTS = "/tmp/sg-ui-deadends"


def _screenshot(page: Any, name: str) -> None:
    import os

    if os.environ.get("SOCIALGUARD_SCREENSHOTS"):
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _fits_the_phone(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_search_the_runners_and_the_lead_of_a_proposal(page: Any, published: dict[str, Any]) -> None:
    Organisation.objects.create(name="DMM", email_domains="dmm.example")
    for i, name in enumerate(NAMES):
        first, last = name.split()
        StaffMember.objects.create(
            external_id=f"P{i}", first_name=first, last_name=last, employment_type="employee"
        )
    sign_in_through_the_page(page, published["boss"].user)
    page.goto("/accounts/proposals/new/")
    search = page.get_by_label("Find runners")
    search.fill("xylo")
    assert page.get_by_label("Zed Xylo").is_visible()
    assert not page.get_by_label("Ben Tutor").is_visible()
    assert "1 of 10 shown" in page.locator(".picker-status").first.inner_text()
    page.get_by_label("Zed Xylo").check()
    search.fill("tutor")
    page.get_by_label("Ben Tutor").check()
    assert page.get_by_label("Zed Xylo").is_visible()  # ticked ones stay in view
    _screenshot(page, "proposal-runners-filtered")
    search.fill("")
    assert page.get_by_label("Cara Helper").is_visible()

    lead = page.get_by_label("Lead runner")
    page.get_by_label("Find the lead").fill("zed")
    assert lead.locator("option").all_inner_texts() == ["Choose the lead", "Zed Xylo"]
    assert lead.input_value() == str(StaffMember.objects.get(last_name="Xylo").pk)
    page.get_by_label("Find the lead").press("Enter")  # does not send the half-filled form
    assert page.url.endswith("/accounts/proposals/new/")
    assert _fits_the_phone(page)
    _screenshot(page, "proposal-lead-filtered")

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


def test_triage_ticks_clauses_by_section_on_a_phone(
    page: Any, published: dict[str, Any], team: dict[str, Any]
) -> None:
    case = case_services.report_submit(
        actor=team["tutor"].user,
        category="offensive",
        summary="Rude reply under our post",
        parties=[case_services.party_from_text("S1", "subject")],
    )
    sign_in_through_the_page(page, team["smt"])
    page.goto(f"/cases/{case.pk}/")
    assert page.locator("select[name=clauses]").count() == 0
    clauses = page.locator("#clauses")
    assert "5 The Policy" in clauses.inner_text()
    page.get_by_label("Find a clause").fill("expected")
    assert page.get_by_label("5.2 Expected standards").is_visible()
    assert not page.get_by_label("1.1 This policy sets", exact=False).is_visible()
    assert not clauses.locator(".picker-heading", has_text="1 Purpose").is_visible()  # empty group hidden
    page.get_by_label("5.2 Expected standards").check()
    page.get_by_label("Find a clause").fill("purpose")  # a section's name finds its clauses
    page.get_by_label("1.1 This policy sets", exact=False).check()
    _screenshot(page, "triage-clauses-filtered")
    page.get_by_label("Find a clause").fill("")
    assert _fits_the_phone(page)
    _screenshot(page, "triage-clauses")
    page.get_by_label("Severity").select_option("high")
    page.get_by_label("Investigator").select_option(index=1)
    page.get_by_role("button", name="Record triage").click()
    assert "riage" in page.get_by_role("status").inner_text()
    assert sorted(c.key for c in case.clauses.all()) == ["1.1", "5.2"]
