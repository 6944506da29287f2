from __future__ import annotations

from pathlib import Path
from typing import Any

from socialguard.identity.roles import Role
from socialguard.people.models import StaffMember
from tests.browser.conftest import open_menu, sign_in_through_the_page
from tests.worker import run_due_tasks


def test_people_register_on_a_phone(page: Any, make_user: Any, register: dict[str, Any]) -> None:
    sign_in_through_the_page(page, make_user(Role.SMT))
    open_menu(page)
    page.get_by_role("link", name="Staff").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Staff"
    assert "3 staff members" in page.locator("caption").inner_text()
    # With JavaScript, results follow typing (htmx) without pressing Filter.
    page.get_by_label("Name, email or id").fill("tutor")
    page.locator("caption", has_text="1 staff member").wait_for()
    assert "Ben Tutor" in page.locator("tbody").inner_text() and "q=tutor" in page.url
    page.get_by_label("Name, email or id").fill("")
    page.locator("caption", has_text="3 staff members").wait_for()
    page.get_by_label("Employment type").select_option("volunteer")
    page.get_by_role("button", name="Filter").click()
    assert "1 staff member" in page.locator("caption").inner_text()
    page.get_by_role("link", name="Cara Helper").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Cara Helper"
    assert "Ada Boss" in page.locator("dl.record").inner_text()
    # Usable on a phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    open_menu(page)
    page.get_by_role("link", name="Learners").click()
    page.get_by_label("Show").select_option("under18")
    page.get_by_role("button", name="Filter").click()
    # Choosing the option also refreshes the table through htmx: wait for the filtered result
    # rather than counting rows while a swap may be under way.
    page.locator("caption", has_text="1 learner").wait_for()
    rows = page.locator("tbody tr")
    assert rows.count() == 1 and "under 18" in rows.first.inner_text()


def test_broken_csv_import_shows_clear_errors_and_imports_nothing(
    page: Any, make_user: Any, tmp_path: Path
) -> None:
    sign_in_through_the_page(page, make_user(Role.SMT))
    broken = tmp_path / "hr-export.csv"
    broken.write_text(
        "external_id,first_name,last_name,employment_type,start_date\n"
        "E1,Ada,Lovelace,employee,2021-09-01\n"
        "E2,Ben,Okri,employee,31/02/2022\n"
    )
    page.goto("/people/import/")
    page.get_by_label("What does the file list?").select_option("staff")
    page.get_by_label("CSV file").set_input_files(str(broken))
    page.get_by_role("button", name="Check and import").click()
    assert "Waiting for the worker" in page.get_by_role("status").inner_text()
    run_due_tasks()  # the worker; the page follows without a reload
    alert = page.get_by_role("alert")
    alert.wait_for(timeout=10_000)
    assert "Nothing was imported" in alert.inner_text()
    assert "hr-export.csv, row 3, field 'start_date': '31/02/2022' is not a date" in alert.inner_text()
    assert StaffMember.objects.count() == 0

    fixed = tmp_path / "hr-export-fixed.csv"
    fixed.write_text(broken.read_text().replace("31/02/2022", "28/02/2022"))
    page.goto("/people/import/")
    page.get_by_label("What does the file list?").select_option("staff")
    page.get_by_label("CSV file").set_input_files(str(fixed))
    page.get_by_role("button", name="Check and import").click()
    page.get_by_role("status").wait_for()
    run_due_tasks()
    page.get_by_text("2 staff added").wait_for(timeout=10_000)
    assert StaffMember.objects.count() == 2
