"""The review page as the Quality Director and reviewers read it: clauses by number and heading,
never by the internal key, and confirming a version unchanged explained apart from the references."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.test import Client

from socialguard.policies import services
from socialguard.policies.models import PolicyReview
from tests.conftest import sign_in
from tests.policy_fixtures import V1, import_version

# An unnumbered clause (its key is "acceptance-of-friends") that cites an outdated body.
FRIENDS = (
    "\n### Acceptance of friends\n\nDo not accept learners; tell the Local Safeguarding Children Board.\n"
)


@pytest.fixture
def in_review(people: dict[str, Any]) -> dict[str, Any]:
    version = import_version(people["qd"], V1.replace("### Declaration", FRIENDS + "\n### Declaration"))
    services.version_publish(
        actor=people["qd"],
        version=version,
        issue_date=dt.date(2022, 2, 1),
        next_review_date=dt.date(2023, 2, 1),
    )
    services.review_start(actor=people["qd"], document=version.document)
    return {**people, "version": version}


def test_clauses_read_as_numbers_and_headings_not_keys(in_review: dict[str, Any]) -> None:
    page = html.unescape(sign_in(Client(), in_review["smt"]).get("/policy/review/").content.decode())
    # The references table names the clause that cites the outdated body by its heading.
    assert '#clause-acceptance-of-friends">Acceptance of friends</a>' in page
    assert ">acceptance-of-friends<" not in page
    # The comment box suggests what a reviewer would type, and lists the clauses by heading.
    assert '<option value="Acceptance of friends">Acceptance of friends</option>' in page
    assert '<option value="5.2">5.2 Expected standards</option>' in page
    assert 'value="acceptance-of-friends"' not in page and "heading key" not in page
    assert "<li>5.5 Process for creating new accounts</li>" in page
    # What is typed there is still stored as the key.
    client = sign_in(Client(), in_review["smt"])
    client.post(
        "/policy/review/comment/",
        {"version": in_review["version"].pk, "clause": "Acceptance of friends", "text": "Say who."},
    )
    assert [c.clause_key for c in PolicyReview.objects.get().comments.all()] == ["acceptance-of-friends"]
    assert "Clause <a" in (page := client.get("/policy/review/").content.decode())
    assert ">Acceptance of friends</a> (version 1)" in page


def test_confirming_unchanged_says_what_it_means(in_review: dict[str, Any]) -> None:
    qd = sign_in(Client(), in_review["qd"])
    page = html.unescape(qd.get("/policy/review/").content.decode())
    finish = page[page.index('<h2 id="finish">') :]
    assert "Staff then declare the new version" in finish
    assert "Nothing in the policy changes and staff do not declare again" in finish
    assert "still cites 2 outdated references and misses 2" in finish
    assert "confirming it keeps them as they are" in finish
    assert ">Confirm version 1 unchanged</button>" in finish
    # It comes after the reviewers' comments, not under the references table.
    assert page.index("Reviewers' comments") < page.index('<h2 id="finish">')
    day = dt.date.today() + dt.timedelta(days=300)
    done = qd.post("/policy/review/reconfirm/", {"next_review_date": day.isoformat()}, follow=True)
    assert "Version confirmed unchanged and the review closed" in done.content.decode()
    # A reviewer who cannot close the review does not see the choice.
    smt = sign_in(Client(), in_review["smt"]).get("/policy/review/").content.decode()
    assert 'id="finish"' not in smt
