"""The account page's runner pickers: nobody is chosen until the manager chooses (a blank
"Choose a person" first), each form sits in a section of its own, and sending the blank is
answered in words rather than with a "page not found"."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from socialguard.accounts.models import AccountRunner, OrgAccount
from socialguard.identity.roles import Role
from tests.conftest import sign_in


def _account(register: dict[str, Any]) -> OrgAccount:
    account = OrgAccount.objects.create(platform="x", handle="@dmm", login_email="social@dmm.example")
    AccountRunner.objects.create(account=account, staff=register["boss"], is_lead=True)
    AccountRunner.objects.create(account=account, staff=register["tutor"])
    return account


def _select(page: str, select_id: str) -> str:
    start = page.index(f'<select id="{select_id}"')
    return page[start : page.index("</select>", start)]


def test_the_pickers_start_blank_in_sections_of_their_own(register: dict[str, Any], make_user: Any) -> None:
    account = _account(register)
    page = sign_in(Client(), make_user(Role.SMT)).get(f"/accounts/{account.pk}/").content.decode()
    add, lead = _select(page, "add-staff"), _select(page, "lead-staff")
    assert re.search(r'<select id="add-staff"[^>]*>\s*<option value="">Choose a person</option>', add)
    assert re.search(r'<select id="lead-staff"[^>]*>\s*<option value="">Choose a runner</option>', lead)
    assert "selected" not in add and "selected" not in lead
    # The lead is not offered the lead again; the other runner is.
    assert f'value="{register["boss"].pk}"' not in lead and f'value="{register["tutor"].pk}"' in lead
    section = page[page.index('<section class="panel" aria-labelledby="add-runner">') :]
    assert section.index('id="add-staff"') < section.index("</section>")


def test_sending_the_blank_choice_says_what_to_do(register: dict[str, Any], make_user: Any) -> None:
    account = _account(register)
    smt = sign_in(Client(), make_user(Role.SMT))
    response = smt.post(f"/accounts/{account.pk}/runners/", {"staff": ""}, follow=True)
    assert response.status_code == 200
    assert "Choose the person to add as a runner." in response.content.decode()
    response = smt.post(f"/accounts/{account.pk}/lead/", {"staff": ""}, follow=True)
    assert response.status_code == 200
    assert "Choose the runner who becomes the lead." in response.content.decode()
    assert account.runners.count() == 2 and account.runners.get(is_lead=True).staff == register["boss"]


def test_runners_read_the_monitoring_reviews_under_their_own_heading(
    register: dict[str, Any], make_user: Any
) -> None:
    """A runner who cannot record reviews still reads them, under "Monitoring" (they used to
    follow the runners' list as if they were runners themselves)."""
    from socialguard.accounts import lifecycle

    account = _account(register)
    smt = make_user(Role.SMT)
    lifecycle.review_record(
        actor=smt,
        account=account,
        looked_at="Replies this month",
        issues_found="One rude reply",
        actions="Hidden",
    )
    tutor = register["tutor"]
    tutor.user = make_user(Role.STAFF)
    tutor.save()
    page = sign_in(Client(), tutor.user).get(f"/accounts/{account.pk}/").content.decode()
    monitoring = page[page.index("<h2>Monitoring</h2>") : page.index("<h2>Credentials</h2>")]
    assert "Next review due" in monitoring and "<h3>Reviews so far</h3>" in monitoring
    assert "Replies this month — issues found: One rude reply — actions: Hidden" in monitoring
    assert "Record a review" not in page
    manager_page = sign_in(Client(), smt).get(f"/accounts/{account.pk}/").content.decode()
    assert "<h3>Record a review</h3>" in manager_page and 'id="looked_at"' in manager_page


def test_only_those_who_can_close_the_account_are_told_to_close_it(
    register: dict[str, Any], make_user: Any
) -> None:
    """A runner reads the leaver task but has no closing form: no "Or close the account below"."""
    import datetime as dt

    from socialguard.accounts.models import LeaverTask

    account = _account(register)
    LeaverTask.objects.create(
        account=account,
        staff=register["boss"],
        was_lead=True,
        leave_date=dt.date.today() + dt.timedelta(days=5),
    )
    tutor = register["tutor"]
    tutor.user = make_user(Role.STAFF)
    tutor.save()
    runner_page = sign_in(Client(), tutor.user).get(f"/accounts/{account.pk}/").content.decode()
    assert "<h2>Leaver tasks</h2>" in runner_page and "close the account below" not in runner_page
    smt_page = sign_in(Client(), make_user(Role.SMT)).get(f"/accounts/{account.pk}/").content.decode()
    assert "Or close the account below." in smt_page and "<h2>Close the account</h2>" in smt_page
