from __future__ import annotations

import logging
from typing import Any

import pytest


def test_the_browser_gets_an_icon_and_logs_no_404(page: Any, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        page.goto("/account/sign-in/")
        icon = page.request.get("/favicon.ico")  # follows the redirect to the static file
        assert icon.ok and icon.headers["content-type"] in ("image/x-icon", "image/vnd.microsoft.icon")
        svg = page.request.get(page.locator('link[rel="icon"][type="image/svg+xml"]').get_attribute("href"))
        assert svg.ok and svg.headers["content-type"].startswith("image/svg+xml")
        page.wait_for_load_state("networkidle")
    assert not [r.getMessage() for r in caplog.records if "Not Found" in r.getMessage()]
