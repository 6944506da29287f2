"""Every link a role is shown leads somewhere they may go: walked over the demo, two clicks
deep from each printed sign-in's home page (one page of each kind), no link answers 403 or 404;
and no page it reaches shows Django's "---------" as a choice, Python's None, a double full stop
or a word twice."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from socialguard.demo import load_all
from socialguard.identity.models import User
from tests.conftest import sign_in

SIGN_INS = [
    "tom.bradley@dmm.example",
    "chloe.nwosu@dmm.example",
    "james.okafor@dmm.example",
    "amira.begum@dmm.example",
    "priya.shah@dmm.example",
    "helen.carter@dmm.example",
    "auditor@dmm.example",
]
HREF = re.compile(r'<a [^>]*href="(/[^"#]*)"')
# Downloads, sign-out and the API itself are not pages to walk.
NOT_PAGES = re.compile(r"/static/|/api/v1/|sign-out|\.csv|/export|/download|/evidence/|/reveal/")


def _kind(path: str) -> str:
    path, _, query = path.partition("?")
    return re.sub(r"/\d+(?=/|$)", "/N", path) + ("?" + query.split("=")[0] if query else "")


@pytest.fixture
def demo(db: Any, settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path
    load_all()


def test_no_role_is_shown_a_link_it_may_not_follow(demo: None) -> None:
    dead: list[str] = []
    placeholders: list[str] = []
    for email in SIGN_INS:
        client = sign_in(Client(), User.objects.get(email=email))
        depth = {"/": 0}
        queue, seen = ["/"], set()
        while queue:
            path = queue.pop(0)
            if _kind(path) in seen:
                continue
            seen.add(_kind(path))
            response = client.get(path)
            if response.status_code in (403, 404):
                dead.append(f"{email}: {path} -> {response.status_code}")
                continue
            html = (
                response.content.decode() if response.get("Content-Type", "").startswith("text/html") else ""
            )
            if ">---------</option>" in html:
                placeholders.append(f"{email}: {path}")
            text = re.sub(r"<(script|style|code|pre|textarea)\b.*?</\1>|<[^>]+>", " ", html, flags=re.S)
            # Python's None, a double full stop, a word twice ("overdue overdue").
            for odd in re.finditer(r"\bNone\b|[^.]\.\.(?!\.)|\b(\w{3,}) \1\b", text):
                placeholders.append(f"{email}: {path}: {odd.group(0)!r}")
            if depth[path] < 2 and html:
                for href in HREF.findall(html):
                    href = href.replace("&amp;", "&")
                    if href not in depth and not NOT_PAGES.search(href):
                        depth[href] = depth[path] + 1
                        queue.append(href)
    assert dead == []
    assert placeholders == []
