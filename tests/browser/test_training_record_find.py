"""On a 390 px phone: the training record form finds the person on the server. Typing refreshes
the list (htmx, a static file, under the strict CSP); with JavaScript off the "Find" button does
the same by reloading the page; either way the list holds a few people, not every member of staff."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from socialguard.people.models import StaffMember
from socialguard.policies import services
from socialguard.policies.models import Audience, TrainingCompletion
from tests.browser.conftest import sign_in_through_the_page


def _staff() -> None:
    StaffMember.objects.bulk_create(
        StaffMember(
            external_id=f"F{i}", first_name="Fran", last_name=f"Farr{i:02d}", employment_type="employee"
        )
        for i in range(30)
    )
    StaffMember.objects.create(
        external_id="Q1", first_name="Quill", last_name="Quigley", employment_type="employee"
    )


def test_type_a_name_choose_the_person_and_record(page: Any, people: dict[str, Any]) -> None:
    _staff()
    services.course_save(
        actor=people["smt"], values={"code": "ind", "name": "Induction", "required_for": Audience.EVERYONE}
    )
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in_through_the_page(page, people["smt"])
    page.goto("/policy/training/record/")
    staff = page.get_by_label("Staff member")
    assert staff.locator("option").count() == 21  # "Choose a person" and the first 20
    page.get_by_label("Find a person").press_sequentially("quig", delay=30)
    expect(page.locator("#id_staff option")).to_have_count(2)
    expect(page.locator("#find_status")).to_have_text("1 person matches “quig”.")
    page.get_by_label("Staff member").select_option(label="Quill Quigley")
    page.get_by_label("Course").select_option(label="Induction")
    page.get_by_role("button", name="Save").click()
    assert "Recorded Induction for Quill Quigley" in page.get_by_role("status").inner_text()
    assert TrainingCompletion.objects.filter(staff__last_name="Quigley").exists()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert errors == []  # nothing refused by the Content-Security-Policy


def test_without_javascript_the_find_button_reloads_the_list(
    browser: Any, live_server: Any, people: dict[str, Any]
) -> None:
    _staff()
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    try:
        sign_in_through_the_page(page, people["smt"])
        page.goto("/policy/training/record/?course=1&next=/policy/")
        page.get_by_label("Find a person").fill("farr2")
        page.get_by_role("button", name="Find").click()
        page.wait_for_url("**find=farr2**")
        assert "course=1" in page.url and "next=" in page.url  # kept for the form that follows
        options = page.get_by_label("Staff member").locator("option").all_inner_texts()
        assert options == ["Choose a person"] + [f"Fran Farr{i}" for i in range(20, 30)]
    finally:
        context.close()
