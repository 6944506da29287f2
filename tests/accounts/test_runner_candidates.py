"""The "Add a runner" list offers only people who could become runners: not those already running
the account, and not leavers, whom it names with the reason they are missing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from socialguard.accounts import selectors
from socialguard.accounts.models import AccountRunner, OrgAccount
from socialguard.identity.roles import Role
from tests.conftest import sign_in


def _account(register: dict[str, Any]) -> OrgAccount:
    account = OrgAccount.objects.create(platform="x", handle="@dmm", login_email="social@dmm.example")
    AccountRunner.objects.create(account=account, staff=register["boss"], is_lead=True)
    AccountRunner.objects.create(account=account, staff=register["tutor"], active=False)  # removed earlier
    return account


def test_current_runners_are_not_offered_and_leavers_are_named(register: dict[str, Any]) -> None:
    account = _account(register)
    volunteer = register["volunteer"]
    # Ada runs it already; Ben was removed from it earlier, so he may be added again.
    assert selectors.runner_candidates(account).offered == [volunteer, register["tutor"]]
    volunteer.leave_date = timezone.localdate() + dt.timedelta(days=10)
    volunteer.save()
    candidates = selectors.runner_candidates(account)
    assert candidates.offered == [register["tutor"]]
    assert candidates.leaving == [volunteer]


def test_the_account_page_offers_the_candidates_and_says_who_is_left_out(
    register: dict[str, Any], make_user: Any
) -> None:
    account = _account(register)
    volunteer = register["volunteer"]
    volunteer.leave_date = dt.date(2099, 3, 31)
    volunteer.save()
    page = sign_in(Client(), make_user(Role.SMT)).get(f"/accounts/{account.pk}/").content.decode()
    picker = page[
        page.index('<select id="add-staff"') : page.index("</select>", page.index('id="add-staff"'))
    ]
    assert f'value="{register["tutor"].pk}"' in picker
    assert f'value="{register["boss"].pk}"' not in picker  # already runs it
    assert f'value="{volunteer.pk}"' not in picker
    assert "Not offered, as they are leaving: Cara Helper (31 Mar 2099)." in page
    assert "data-filter" in picker  # long lists get a filter box (picker.js)
