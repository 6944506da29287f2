"""The home page's order and links: each person's own work before what they only oversee, and an
item about their own authenticator leads somewhere they can act."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from socialguard.audit.services import audit_record
from socialguard.identity.roles import Role
from socialguard.policies import reminders
from socialguard.policies.reminders import Reminder
from socialguard.web.home import home_items
from tests.conftest import sign_in


def _a_decision_for_smt(user: Any) -> list[Reminder]:
    return [Reminder("accounts:/x/:Decide", "Decide the proposal for @dmm", "TikTok.", "/accounts/", "due")]


def test_smt_see_their_own_work_before_the_review_the_quality_director_runs(
    published: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reminders, "EXTRA_SOURCES", [_a_decision_for_smt])
    smt = [i.title for i in home_items(published["smt"])]
    # The review is overdue, but it is the Quality Director's to run: SMT's own decision comes first.
    assert smt[0] == "Decide the proposal for @dmm"
    assert any(t.endswith(" review") for t in smt[1:])
    qd = home_items(published["qd"])
    assert qd[0].title.endswith(" review") and qd[0].mine  # hers to run, and overdue
    # The digest lists them in the same order as the home page.
    assert [r.title for r in reminders.reminders_for(published["smt"])] == smt


def test_your_own_new_authenticator_links_to_where_you_can_act(make_user: Any) -> None:
    boss = make_user(Role.SMT, email="boss@dmm.example", name="Bo Boss")
    # What enrolling records (identity.services.totp_enrol), which the home item reads.
    audit_record(actor=boss, action="user.two_factor_enrolled", target=boss, after={"replaced": 0})
    item = next(i for i in home_items(boss) if i.title == "You set up an authenticator")
    assert item.url == "/account/password/"  # not their own sign-in's page, where they can change nothing
    assert "Nothing to do if this was you" in item.detail
    page = sign_in(Client(), boss).get("/").content.decode()
    assert 'href="/account/password/"' in page
