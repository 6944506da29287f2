"""The charts as a browser draws them, on a desktop and on a phone: every piece of text lies
inside its picture (measured by the browser, not estimated), so nothing is cut off."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from socialguard.identity.roles import Role
from socialguard.incidents import services as cases
from socialguard.policies.models import Course
from tests.browser.conftest import sign_in_through_the_page

pytestmark = pytest.mark.browser

# Every <text> of every chart whose box (in the chart's own units) leaves its viewBox.
OUTSIDE = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg.chart')) {
    const view = svg.viewBox.baseVal;
    for (const text of svg.querySelectorAll('text')) {
      const box = text.getBBox();
      if (box.x < view.x - 0.5 || box.y < view.y - 0.5 || box.x + box.width > view.x + view.width + 0.5
          || box.y + box.height > view.y + view.height + 0.5) {
        out.push(svg.getAttribute('aria-label') + ': ' + text.textContent);
      }
    }
  }
  return out;
}"""


@pytest.mark.parametrize("width", [1366, 390])
def test_chart_text_stays_inside_every_chart(
    browser: Any, live_server: Any, make_user: Any, published: dict[str, Any], width: int
) -> None:
    Course.objects.create(code="dsl", name="Designated Safeguarding Lead refresher for the lead and deputies")
    Course.objects.create(code="sm", name="Social media policy")
    reporter = published["tutor"].user
    for category in ("criticism", "learner_contact", "offensive", "bullying", "confidential", "other"):
        for _ in range(2 if category == "criticism" else 1):
            cases.report_submit(actor=reporter, category=category, summary="A post")
    viewer = make_user(Role.SMT, Role.QUALITY_DIRECTOR, email="charts@dmm.example")
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in_through_the_page(page, viewer)
    shots = os.environ.get("SOCIALGUARD_SCREENSHOTS")
    for path in ("/policy/training/", "/policy/declarations/", "/cases/reports/"):
        page.goto(path)
        assert page.locator("svg.chart").count() >= 1, path
        assert page.evaluate(OUTSIDE) == [], path
        if shots:
            name = path.strip("/").replace("/", "-")
            page.screenshot(path=str(Path(shots) / f"{name}-{width}.png"), full_page=True)
    context.close()
