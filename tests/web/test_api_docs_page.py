"""The API docs page without a browser: sign-in first, and every asset from our own server
(tests/browser/test_api_docs.py checks that it works under the CSP in Chromium)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.staticfiles import finders
from django.test import Client

from socialguard.identity.roles import Role


def test_the_docs_page_needs_a_sign_in(client: Client, db: Any) -> None:
    response = client.get("/api-docs/")
    assert response.status_code == 302 and response["Location"].startswith("/account/sign-in/")


def test_the_docs_page_loads_only_local_assets(client_for: Any) -> None:
    page = client_for(Role.STAFF).get("/api-docs/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        if asset.startswith("#"):
            continue  # the skip link
        assert asset.startswith("/"), asset  # nothing from a CDN
        if asset.startswith("/static/"):
            assert finders.find(asset.removeprefix("/static/")), asset
    assert '"url": "/api/v1/openapi.json"' in page.replace("&quot;", '"')


def test_the_docs_page_wears_the_sites_header_and_icon(client_for: Any) -> None:
    page = client_for(Role.STAFF).get("/api-docs/").content.decode()
    assert '<header class="sg-header">' in page and ">socialguard</a>" in page
    icons = re.findall(r'<link rel="icon" href="([^"]+)"', page)
    assert icons and all(i.startswith("/static/socialguard/favicon.") for i in icons), icons


def test_the_error_shape_is_called_problem_in_the_docs(client_for: Any) -> None:
    document = client_for(Role.STAFF).get("/api/v1/openapi.json").json()
    assert "Problem" in document["components"]["schemas"]
    assert not any(name.endswith("Out") and "Problem" in name for name in document["components"]["schemas"])
