"""At 390 px the tables people act on are cards of labelled lines: every row's fields are on the
screen without scrolling sideways, the row's key field heads its card, and the header's links
fold into one "Menu" that opens without script. The same pages keep their tables at 1366 px."""

from __future__ import annotations

from typing import Any

import pytest

from socialguard import demo
from socialguard.identity.models import TokenScope
from socialguard.identity.roles import Role
from socialguard.identity.services import token_create
from tests.browser.conftest import sign_in_through_the_page
from tests.browser.test_every_page import _signed_in_as

pytestmark = pytest.mark.browser

# Each page with the tables that turn into cards (issue 19's walk-through named them).
PAGES = [
    "/cases/",
    "/people/staff/",
    "/policy/training/",
    "/policy/declarations/",
    "/account/tokens/",
    "/accounts/",
    "/accounts/proposals/",
    "/people/learners/",
    "/people/sign-ins/",
]

# Per stacked table: rows, and for each non-empty labelled cell whether it lies on the screen with
# its label shown beside it; the key cell must come first in its card.
CARDS = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  let rows = 0, cells = 0;
  for (const table of document.querySelectorAll('main table.stack')) {
    for (const row of table.tBodies[0].rows) {
      if (row.cells.length < 2) continue;  // "nothing yet" spans the row
      rows += 1;
      const key = row.querySelector('td.key');
      if (!key) problems.push(`${table.id || table.closest('[aria-label]').getAttribute('aria-label')}: a row has no key cell`);
      for (const td of row.querySelectorAll('td[data-label]')) {
        if (!td.textContent.trim()) continue;
        cells += 1;
        const box = td.getBoundingClientRect();
        const label = getComputedStyle(td, '::before').content;
        const where = `${td.dataset.label} "${td.textContent.trim().slice(0, 30)}"`;
        if (box.width === 0 || box.height === 0) problems.push(`${where}: not shown`);
        if (box.left < 0 || box.right > width + 0.5) problems.push(`${where}: off-screen (${box.left}..${box.right} of ${width})`);
        if (label !== JSON.stringify(td.dataset.label)) problems.push(`${where}: label shown is ${label}`);
        if (key && key.getBoundingClientRect().top > box.top) problems.push(`${where}: above the key cell`);
      }
    }
  }
  return {rows, cells, problems, scroll: document.documentElement.scrollWidth, width};
}"""


def test_tables_are_labelled_cards_on_a_phone_and_the_menu_folds(browser: Any, live_server: Any) -> None:
    demo.load_all()
    smt = _signed_in_as(Role.SMT)
    token_create(user=smt, name="reporting script", scope=TokenScope.READ)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    sign_in_through_the_page(tab, smt)

    # The header: one "Menu" naming the section; its links appear when it opens.
    tab.goto("/people/staff/")
    menu = tab.locator("header details.menu")
    assert menu.locator("summary").inner_text().strip() == "Menu (Staff)"
    assert not tab.locator("nav.main").is_visible()
    staff_link = menu.get_by_role("link", name="Staff", exact=True)
    assert not staff_link.is_visible()
    menu.locator("summary").click()
    assert staff_link.is_visible() and staff_link.get_attribute("aria-current") == "page"
    assert menu.get_by_role("button", name="Sign out").is_visible()
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390

    for path in PAGES:
        tab.goto(path)
        tab.evaluate("document.querySelectorAll('main details').forEach(d => d.open = true)")
        found = tab.evaluate(CARDS)
        assert found["rows"] > 0 and found["cells"] > found["rows"], (path, found)
        assert not found["problems"], (path, found["problems"][:10])
        assert found["scroll"] <= found["width"], (path, found["scroll"])

    # On a laptop the same pages keep their tables and the header shows its links.
    tab.set_viewport_size({"width": 1366, "height": 844})
    tab.goto("/accounts/")
    assert tab.locator("nav.main").get_by_role("link", name="Accounts", exact=True).is_visible()
    assert not tab.locator("header details.menu").is_visible()
    assert tab.locator("#registry thead").is_visible()
    assert (
        tab.evaluate("getComputedStyle(document.querySelector('#registry tbody tr')).display") == "table-row"
    )
    context.close()
