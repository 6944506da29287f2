"""The archive: immutable, searchable full-text with the same results on SQLite (FTS5) and
PostgreSQL (run this file under both), filtered, exported as CSV and JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from socialguard.content import archive, services
from socialguard.content.models import PublishedPost
from socialguard.content.tasks import publish_draft
from tests.content.conftest import submitted

TEXTS = [
    "Applications for our March cohort of the Digital Marketer apprenticeship are open. ^BT",
    "Congratulations to the April cohort on finishing their e-mail marketing module! ^BT",
    "Our café opens at the Manchester site on Monday: come and say hello. ^BT",
    "Write to careers@dmm.example about apprenticeships in social media. ^BT",
    '=HYPERLINK("http://evil.example") is not a formula here ^BT',
]


@pytest.fixture
def posts(team: dict[str, Any]) -> list[PublishedPost]:
    published = []
    for text in TEXTS:
        draft = services.draft_approve(actor=team["smt"], draft=submitted(team, text))
        publish_draft.call(draft_id=draft.pk)
        published.append(PublishedPost.objects.get(draft=draft))
    return published


def found(team: dict[str, Any], q: str, who: str = "smt", **filters: Any) -> list[int]:
    return sorted(TEXTS.index(p.text) for p in archive.archive_search(team[who], q=q, **filters))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cohort", [0, 1]),
        ("COHORT march", [0]),
        ('"april cohort"', [1]),
        ('"cohort april"', []),
        ("cohort -march", [1]),
        ("apprentice*", [0, 3]),
        ("apprentice", []),
        ("café", [2]),
        ("cafe", []),
        ("careers@dmm.example", [3]),
        ("dmm", [3]),
        ("e-mail", [1]),
        ("mail", [1]),
        ("manchester's", []),
        ("-march", []),
        ("!!!", []),
        ('"', []),
        ("NOT OR AND", []),
        ("hyperlink evil", [4]),
    ],
)
def test_full_text_search_gives_the_same_answers_on_both_databases(
    team: dict[str, Any], posts: list[PublishedPost], query: str, expected: list[int]
) -> None:
    assert found(team, query) == expected


def test_filters(team: dict[str, Any], posts: list[PublishedPost]) -> None:
    today = timezone.localdate()
    assert found(team, "", account_id=team["account"].pk) == [0, 1, 2, 3, 4]
    assert found(team, "", account_id=team["linkedin"].pk) == []
    assert found(team, "", date_from=today, date_to=today) == [0, 1, 2, 3, 4]
    assert found(team, "", date_to=today - dt.timedelta(days=1)) == []
    assert found(team, "cohort", author="S2") == [0, 1]
    assert found(team, "", author="S3") == []
    flagged = [n for n, p in enumerate(posts) if p.categories]
    assert flagged and len(flagged) < len(posts)
    category = posts[flagged[0]].categories.split()[0]
    assert found(team, "", category=category) == [
        n for n, p in enumerate(posts) if category in p.categories.split()
    ]
    assert found(team, "", category=category[:-1]) == []  # whole categories only


def test_the_archive_is_seen_by_overseers_and_the_accounts_runners(
    team: dict[str, Any], posts: list[PublishedPost]
) -> None:
    assert found(team, "cohort", who="auditor") == [0, 1]
    assert found(team, "cohort", who="runner2") == [0, 1]
    assert found(team, "cohort", who="outsider") == []


def test_a_published_post_cannot_be_changed_or_removed(posts: list[PublishedPost]) -> None:
    post = posts[0]
    post.text = "something else"
    with pytest.raises(ValidationError):
        post.save()
    with pytest.raises(ValidationError):
        post.delete()


def test_exports(team: dict[str, Any], posts: list[PublishedPost]) -> None:
    rows = list(csv.reader(io.StringIO(archive.export_csv(archive.archive_search(team["smt"])))))
    assert rows[0] == archive.EXPORT_HEADER and len(rows) == 6
    formula = next(r for r in rows if "HYPERLINK" in r[5])
    assert formula[5].startswith("'=")  # the guarded writer defuses formulas
    data = json.loads(archive.export_json(archive.archive_search(team["smt"], q="café")))
    assert [d["text"] for d in data] == [TEXTS[2]]
    assert data[0]["approvers"] == ["Ada Boss <ada@dmm.example>"] and data[0]["drafter"] == "Ben Tutor"
