from __future__ import annotations

from typing import Any

from socialguard.identity.roles import Role
from tests.audit.tamper import tamper
from tests.browser.conftest import sign_in_through_the_page


def test_auditor_browses_filters_and_verifies_the_trail(
    page: Any, make_user: Any, register: dict[str, Any]
) -> None:
    make_user(Role.STAFF, email="someone@dmm.example", name="Sam Someone")
    auditor = make_user(Role.AUDITOR, email="auditor@dmm.example")
    sign_in_through_the_page(page, auditor)
    page.get_by_role("link", name="Audit trail").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Audit trail"
    page.get_by_label("What").select_option("user.created")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("tbody tr")
    assert rows.count() == 2
    assert "Sam Someone" in page.locator("tbody").inner_text()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these as CSV").click()
    lines = open(download.value.path(), encoding="utf-8").read().splitlines()  # noqa: SIM115
    assert lines[0].startswith("seq,at,actor,action") and len(lines) == 3

    page.get_by_role("link", name="Verify the trail now").click()
    assert "intact" in page.get_by_role("status").inner_text()
    tamper("UPDATE audit_auditevent SET object_repr = 'forged' WHERE seq = 1")
    page.reload()
    alert = page.get_by_role("alert").inner_text()
    assert "tampered with" in alert and "event #1" in alert
