"""Every page each role can reach, on a phone (390 px) and a laptop (1366 px): axe-core finds no
serious or critical accessibility problem, and on the phone nothing makes the page scroll sideways.

The pages are found by following the links from each role's home page over the demo data (one
page per kind: /cases/7/ stands for every case), so a new page is checked without being listed
here; the pages walked are printed per role. One signed-in browser context per role.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db.models import Count

from socialguard import demo
from socialguard.identity.models import User
from socialguard.identity.roles import Role
from tests.browser.conftest import CHROMIUM, sign_in_through_the_page
from tests.conftest import PASSWORD
from tests.processes import on_postgres

pytestmark = pytest.mark.browser

AXE_VERSION = "4.10.3"  # fetched by scripts/axe-core.sh, run by scripts/system-deps.sh
AXE = Path(__file__).resolve().parents[2] / "var" / "cache" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
ROLES = [Role.STAFF, Role.SMT, Role.DSL, Role.QUALITY_DIRECTOR, Role.AUDITOR]
PHONE, LAPTOP = 390, 1366
MOST_PAGES = 60  # per role: a guard against a walk that never ends, not a sample
# Links not to follow: leaving, downloads, and machine-readable answers.
SKIP = re.compile(r"sign-out|/export|\.csv$|/download|/static/|/files/|/api/|/healthz|/attachments/")

# Serious and critical problems, and three lesser ones this product has had and keeps fixed.
AXE_RUN = """async () => {
  const alsoHeld = ['heading-order', 'empty-table-header', 'scrollable-region-focusable'];
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical' || alsoHeld.includes(v.id))
    .map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; ')})`);
}"""
# Pages that must be among those walked (found by links, like every other page): the posts pages
# for a runner and SMT, the archive for the auditor.
POSTS = {
    "/posts/",
    "/posts/N/",
    "/posts/approvals/",
    "/posts/calendar/",
    "/posts/archive/",
    "/posts/archive/N/",
}
MUST_WALK = {
    Role.STAFF: POSTS | {"/posts/new/"},
    Role.SMT: POSTS | {"/posts/new/"},
    Role.AUDITOR: {"/posts/archive/", "/posts/archive/N/"},
}
LINKS = "() => Array.from(document.querySelectorAll('a[href]'), a => a.href)"
WIDTH = "() => document.documentElement.scrollWidth"


def _kind(path: str) -> str:
    return re.sub(r"/\d+(?=/)", "/N", path)


def _signed_in_as(role: Role) -> User:
    # The person with this role and the fewest others, so each walk sees what that role sees.
    holders = User.objects.filter(role_assignments__role=role).values("pk")
    counted = User.objects.filter(is_active=True, pk__in=holders).annotate(n_roles=Count("role_assignments"))
    user = counted.order_by("n_roles", "pk").first()
    assert user is not None, f"the demo has nobody with the role {role}"
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def _check(tab: Any, role: Role, path: str, width: int) -> list[str]:
    problems = [f"{role.label} {path} at {width} px: {v}" for v in tab.evaluate(AXE_RUN)]
    if width == PHONE and (scroll := tab.evaluate(WIDTH)) > PHONE:
        problems.append(f"{role.label} {path}: {scroll} px wide at {PHONE} px")
    return problems


def _walk(tab: Any, role: Role, origin: str, problems: list[str]) -> list[str]:
    """Every page reachable from home by links, one per kind, checked at the phone width."""
    queue, seen_kinds, pages = ["/"], set(), []
    while queue and len(pages) < MOST_PAGES:
        path = queue.pop(0)
        if _kind(path) in seen_kinds:
            continue
        seen_kinds.add(_kind(path))
        response = tab.goto(path)
        if response is None or response.status != 200 or urlsplit(tab.url).path != path:
            continue  # a redirect or a refusal is not a page of its own
        pages.append(path)
        problems += _check(tab, role, path, PHONE)
        for href in tab.evaluate(LINKS):
            link = urlsplit(href)
            ours = f"{link.scheme}://{link.netloc}" == origin and not SKIP.search(link.path)
            if ours and _kind(link.path) not in seen_kinds:
                queue.append(link.path)
    return pages


def test_every_page_is_accessible_and_fits_a_phone(browser: Any, live_server: Any) -> None:
    if on_postgres():
        # The walk checks markup and layout, which do not depend on the database; once (on SQLite)
        # keeps the suite's time down (it takes over 3 minutes on 2 cores).
        pytest.skip("markup walk runs once, on SQLite")
    if not AXE.exists():
        if os.environ.get("SOCIALGUARD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{AXE} missing: run scripts/axe-core.sh (scripts/system-deps.sh does)")
        pytest.skip(f"{AXE} missing: run scripts/axe-core.sh")
    assert Path(CHROMIUM).exists()
    demo.load_all()
    axe_source = AXE.read_text()
    started = time.monotonic()
    problems: list[str] = []
    walked: dict[str, list[str]] = {}
    for role in ROLES:
        context = browser.new_context(base_url=live_server.url, viewport={"width": PHONE, "height": 844})
        context.set_default_timeout(15_000)
        # An init script is run by the browser itself, outside the page's Content-Security-Policy.
        context.add_init_script(script=axe_source)
        tab = context.new_page()
        sign_in_through_the_page(tab, _signed_in_as(role))
        pages = walked[role.label] = _walk(tab, role, live_server.url, problems)
        tab.set_viewport_size({"width": LAPTOP, "height": 844})
        for path in pages:
            tab.goto(path)
            problems += _check(tab, role, path, LAPTOP)
        context.close()
    took = time.monotonic() - started
    print(f"\nWalked {sum(map(len, walked.values()))} pages in {took:.0f} s:")
    for label, pages in walked.items():
        print(f"  {label} ({len(pages)}): {' '.join(pages)}")
    assert all(len(pages) > 3 for pages in walked.values()), walked
    for role, kinds in MUST_WALK.items():
        missing = kinds - {_kind(path) for path in walked[role.label]}
        assert not missing, f"{role.label} walk did not reach {sorted(missing)}"
    assert not problems, "\n".join(problems)
