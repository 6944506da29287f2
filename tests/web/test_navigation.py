"""The header's links: on a phone behind one "Menu" (a <details>, no script), the page's section
marked in both menus, and someone who runs an account finds "Your accounts" there."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from socialguard.accounts.models import AccountRunner, OrgAccount
from socialguard.identity.roles import Role
from tests.conftest import sign_in


def _links(page: str) -> list[tuple[str, str, str]]:
    """(href, aria-current, text) of each link in the phone menu's list."""
    menu = page[page.index('<details class="menu">') : page.index("</details>")]
    return re.findall(r'<a href="([^"]+)"(?: aria-current="(\w+)")?>([^<]+)</a>', menu)


def test_a_phone_gets_one_menu_naming_the_section(register: dict[str, Any], make_user: Any) -> None:
    smt = sign_in(Client(), make_user(Role.SMT))
    page = smt.get("/people/staff/").content.decode()
    assert '<summary>Menu <span class="menu-current">(Staff)</span></summary>' in page
    assert ("/people/staff/", "page", "Staff") in _links(page)
    # A page below a section (one person's record) marks the section, not "this page".
    page = smt.get(f"/people/staff/{register['tutor'].pk}/").content.decode()
    marked = [(href, current) for href, current, _ in _links(page) if current]
    assert marked == [("/people/staff/", "true")]
    # The wide header marks the same link.
    wide = page[page.index('<nav class="main"') :]
    assert '<a href="/people/staff/" aria-current="true">Staff</a>' in wide
    assert "Sign out" in page[page.index('<details class="menu">') : page.index("</details>")]


def test_someone_who_runs_an_account_finds_it_in_the_menu(register: dict[str, Any], make_user: Any) -> None:
    tutor = register["tutor"]
    tutor.user = make_user(Role.STAFF)
    tutor.save()
    client = sign_in(Client(), tutor.user)
    texts = [text for _, _, text in _links(client.get("/").content.decode())]
    assert "Propose an account" in texts and "Your accounts" not in texts
    account = OrgAccount.objects.create(platform="x", handle="@dmm", login_email="social@dmm.example")
    AccountRunner.objects.create(account=account, staff=tutor, is_lead=True)
    links = _links(client.get("/").content.decode())
    assert ("/accounts/proposals/", "", "Your accounts") in links
    page = client.get("/accounts/proposals/").content.decode()
    assert f'href="/accounts/{account.pk}/"' in page and "<h1>Your accounts and proposals</h1>" in page
