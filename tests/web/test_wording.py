"""The words on the main pages, as each role reads them: no word said twice in a row ("review
overdue overdue"), no double full stop, no internal clause key, one "Thank you"."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.test import Client

from socialguard.incidents import services as cases
from socialguard.incidents.models import Case
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/policy/",
    "/policy/review/",
    "/policy/legislation/",
    "/policy/declarations/",
    "/policy/training/",
    "/policy/training/mine/",
    "/cases/",
    "/cases/reports/",
    "/cases/retention/",
]


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style|title)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def problems(text: str) -> list[str]:
    found = [m.group(0) for m in re.finditer(r"\b(\w+) \1\b", text) if not m.group(1).isdigit()]
    found += [text[max(0, m.start() - 30) : m.end() + 5] for m in re.finditer(r"(?<!\.)\.\s*\.(?!\.)", text)]
    found += [k for k in ("Reported: Reported", "acceptance-of-friends") if k in text]
    return found


def test_main_pages_read_cleanly_for_every_role(published: dict[str, Any], team: dict[str, Any]) -> None:
    smt = team["smt"]
    case = cases.report_submit(
        actor=team["tutor"].user,
        category="criticism",
        summary="A post about the college",
        happened_on=dt.date.today() - dt.timedelta(days=3),
    )
    cases.triage(actor=smt, case=case, severity="low", investigator=smt, clause_keys=["5.2", "declaration"])
    cases.case_close(actor=smt, case=case, outcome="no_further_action")
    Case.objects.filter(pk=case.pk).update(retain_until=dt.date.today() - dt.timedelta(days=1))
    readers = [smt, published["qd"], team["dsl"], team["tutor"].user]
    checked = 0
    for reader in readers:
        client = sign_in(Client(), reader)
        for path in [*PAGES, f"/cases/{case.pk}/"]:
            response = client.get(path)
            if response.status_code != 200:
                continue
            checked += 1
            text = visible_text(response.content.decode())
            assert not problems(text), (reader.email, path, problems(text))
    assert checked >= 25
