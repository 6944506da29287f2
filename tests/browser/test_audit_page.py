from __future__ import annotations

import csv
import os
from typing import Any

from playwright.sync_api import expect

from socialguard.audit.models import AuditVerification
from socialguard.audit.services import audit_record
from socialguard.audit.tasks import verify_whole_trail
from socialguard.identity.roles import Role
from tests.audit.tamper import tamper
from tests.browser.conftest import open_menu, sign_in_through_the_page


def test_auditor_browses_filters_and_verifies_the_trail(
    page: Any, make_user: Any, register: dict[str, Any]
) -> None:
    make_user(Role.STAFF, email="someone@dmm.example", name="Sam Someone")
    auditor = make_user(Role.AUDITOR, email="auditor@dmm.example")
    sign_in_through_the_page(page, auditor)
    open_menu(page)
    page.get_by_role("link", name="Audit trail").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Audit trail"
    page.get_by_label("What").select_option("user.created")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)  # waits for the page the button loads (a bare count raced it)
    assert "Sam Someone" in page.locator("tbody").inner_text()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these as CSV").click()
    with open(download.value.path(), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))  # the change cell has a line per field
    assert rows[0][:4] == ["seq", "at", "actor", "action"] and len(rows) == 3

    page.get_by_role("link", name="Verify the trail now").click()
    assert "intact" in page.get_by_role("status").first.inner_text()
    # The whole trail is read by the worker; the page follows its progress without a reload.
    page.get_by_role("button", name="Verify the whole trail").click()
    assert "waiting for the worker" in page.locator("#full-verification").inner_text()
    page.screenshot(path=os.environ.get("SG_SHOTS", "/tmp") + "/audit-verify-waiting.png", full_page=True)
    (queued,) = AuditVerification.objects.filter(finished_at__isnull=True)
    verify_whole_trail.call(verification_id=queued.pk)
    page.get_by_text("events in order and unaltered").wait_for(timeout=10_000)
    assert page.get_by_role("button", name="Verify the whole trail").is_visible()
    tamper("UPDATE audit_auditevent SET object_repr = 'forged' WHERE seq = 1")
    page.reload()
    alert = page.get_by_role("alert").inner_text()
    assert "tampered with" in alert and "event #1" in alert


def test_on_a_phone_the_change_reads_field_by_field(
    page: Any, make_user: Any, register: dict[str, Any]
) -> None:
    audit_record(
        actor=None,
        action="cases.triaged",
        object_type="incidents.case",
        object_id="7",
        object_repr="C-0007",
        before={"severity": "low", "next_review_date": "2026-01-05"},
        after={"severity": "high", "next_review_date": "2026-03-05", "lead": "S1"},
    )
    sign_in_through_the_page(page, make_user(Role.AUDITOR, email="auditor@dmm.example"))
    page.goto("/audit/?action=cases.triaged")
    change = page.locator("tbody td.change").first
    assert change.is_visible()  # no longer hidden on a narrow screen
    lines = change.locator("li").all_inner_texts()
    assert lines == [
        "lead: Ada Boss (S1)",
        "next review date: 2026-01-05 → 2026-03-05",
        "severity: low → high",
    ]
    box = change.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390  # on screen, not off to the right
    if shots := os.environ.get("SG_SCREENSHOTS"):
        page.screenshot(path=f"{shots}/audit-phone.png", full_page=True)
