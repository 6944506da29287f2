"""A restricted safeguarding case full of MARKER: SMT, the auditor, the Quality Director, staff
and a person involved must never be shown any of it, through any page, API operation, export,
search, email or file URL. The DSL reads it all, and each of their reads is audited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from socialguard.audit.models import AuditEvent
from socialguard.identity.models import TokenScope
from socialguard.identity.services import token_create
from socialguard.incidents import services
from socialguard.incidents.models import Case
from tests.case_fixtures import MARKER
from tests.conftest import sign_in
from tests.identity.test_route_permissions import ROUTES

# Searching for part of the marker finds the case, while the page echoing the query back does
# not count as a leak.
SEARCH = MARKER[:-2]
OUTSIDERS = ["smt", "auditor", "involved_smt", "qd", "boss"]


def _person(team: dict[str, Any], who: str) -> Any:
    """A sign-in from the team: the staff records (e.g. "boss") stand for their user."""
    return team[who] if who in ("smt", "auditor", "involved_smt", "qd") else team[who].user


def _ids(case: Case) -> dict[str, int]:
    return {
        "cases/tasks/": case.tasks.get().pk,
        "cases/referrals/": case.referrals.get().pk,
        "cases/evidence/": case.evidence.get().pk,
        "api/v1/cases/evidence/": case.evidence.get().pk,
        "cases/": case.pk,
        "api/v1/cases/": case.pk,
    }


def _url(pattern: str, ids: dict[str, int]) -> str:
    key = next((prefix for prefix in ids if pattern.startswith(prefix)), None)
    pk = ids[key] if key else 1
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "staff" if m.group(1) == "kind" else str(pk), pattern)
    path = re.sub(r"\{\w+\}", str(pk), path)
    return "/" + path.replace("^", "").replace("$", "")


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _leaks(response: Any) -> bool:
    return MARKER.lower().encode() in _body(response).lower()


@pytest.mark.django_db
@pytest.mark.parametrize("who", OUTSIDERS)
def test_no_page_shows_a_restricted_case_to_anyone_but_the_dsl(
    who: str, restricted_case: Case, team: dict[str, Any]
) -> None:
    person = _person(team, who)
    client = sign_in(Client(), person)
    ids = _ids(restricted_case)
    leaked = []
    for route in [r for r in ROUTES if not r.is_api]:
        url = _url(route.pattern, ids)
        for query in ("", f"?q={SEARCH}", f"?q={SEARCH}&status=open&category=safeguarding"):
            response = client.get(url + query)
            if _leaks(response):
                leaked.append(f"{url}{query} ({response.status_code})")
    assert not leaked, f"{who} was shown restricted content at: {leaked}"
    assert client.get(f"/cases/evidence/{ids['cases/evidence/']}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", OUTSIDERS)
def test_no_api_operation_shows_a_restricted_case(
    who: str, restricted_case: Case, team: dict[str, Any]
) -> None:
    person = _person(team, who)
    secret = token_create(user=person, name="all", scope=TokenScope.READ_WRITE).secret
    ids = _ids(restricted_case)
    client = Client()
    leaked = []
    for route in [r for r in ROUTES if r.is_api and "GET" in r.methods]:
        url = _url(route.pattern, ids)
        for query in ("", f"?q={SEARCH}"):
            response = client.get(url + query, HTTP_AUTHORIZATION=f"Bearer {secret}")
            if _leaks(response):
                leaked.append(f"{url}{query} ({response.status_code})")
    assert not leaked, f"{who} was shown restricted content at: {leaked}"
    evidence = client.get(
        f"/api/v1/cases/evidence/{ids['cases/evidence/']}", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert evidence.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["smt", "involved_smt", "auditor"])
def test_outsiders_cannot_change_a_restricted_case(
    who: str, restricted_case: Case, team: dict[str, Any]
) -> None:
    client = sign_in(Client(), team[who])
    before = restricted_case.entries.count()
    pk = restricted_case.pk
    for action in (
        "entries",
        "triage",
        "close",
        "escalate",
        "people",
        "tasks",
        "referrals",
        "status",
        "anonymise",
    ):
        response = client.post(
            f"/cases/{pk}/{action}/", {"text": "x", "kind": "note", "outcome": "no_further_action"}
        )
        assert response.status_code in (403, 404), action
    assert restricted_case.entries.count() == before


@pytest.mark.django_db
def test_smt_and_the_auditor_see_that_it_exists_and_count_it(
    restricted_case: Case, team: dict[str, Any]
) -> None:
    for who in ("smt", "auditor"):
        client = sign_in(Client(), team[who])
        listing = client.get("/cases/").content.decode()
        assert restricted_case.reference in listing and "Restricted (safeguarding)" in listing
        page = client.get(f"/cases/{restricted_case.pk}/").content.decode()
        assert "Only the Designated Safeguarding Lead and deputies can read it" in page
        assert "1 restricted safeguarding case" in client.get("/cases/reports/").content.decode()


@pytest.mark.django_db
def test_a_person_involved_does_not_even_see_that_it_exists(
    restricted_case: Case, team: dict[str, Any]
) -> None:
    client = sign_in(Client(), team["involved_smt"])
    assert restricted_case.reference not in client.get("/cases/").content.decode()
    assert client.get(f"/cases/{restricted_case.pk}/").status_code == 404


@pytest.mark.django_db
def test_search_finds_it_only_for_the_dsl(restricted_case: Case, team: dict[str, Any]) -> None:
    for who, expected in (("dsl", 1), ("deputy", 1), ("smt", 0), ("auditor", 0)):
        page = sign_in(Client(), team[who]).get(f"/cases/?q={SEARCH}").content.decode()
        assert page.count('class="case-row"') == expected, who


@pytest.mark.django_db
def test_the_reporter_sees_their_report_but_not_the_investigation(
    restricted_case: Case, team: dict[str, Any]
) -> None:
    client = sign_in(Client(), team["tutor"].user)
    page = client.get(f"/cases/{restricted_case.pk}/").content.decode()
    assert "messaged privately" in page  # what they wrote
    for hidden in ("Spoke to the learner", f"LADO-{MARKER}", "Wanda", "Call ", "severity", "Dep Uty"):
        assert hidden not in page, hidden
    assert (
        client.get(f"/cases/evidence/{restricted_case.evidence.get().pk}/").status_code == 200
    )  # their own file


@pytest.mark.django_db
def test_the_dsl_reads_everything_and_each_read_is_audited(
    restricted_case: Case, team: dict[str, Any]
) -> None:
    client = sign_in(Client(), team["dsl"])
    page = client.get(f"/cases/{restricted_case.pk}/").content.decode()
    for shown in ("Spoke to the learner", f"LADO-{MARKER}", "Wanda", "messaged privately"):
        assert shown in page
    file = client.get(f"/cases/evidence/{restricted_case.evidence.get().pk}/")
    assert file.status_code == 200 and file["Content-Type"] == "image/png"
    assert file["X-Content-Type-Options"] == "nosniff" and "no-store" in file["Cache-Control"]
    secret = token_create(user=team["deputy"], name="r", scope=TokenScope.READ).secret
    api = Client().get(f"/api/v1/cases/{restricted_case.pk}", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 200 and api.json()["entries"]
    views = AuditEvent.objects.filter(action="cases.restricted_viewed", object_id=str(restricted_case.pk))
    assert sorted(e.after["where"] for e in views) == sorted(
        ["web", f"evidence {restricted_case.evidence.get().pk}", "api"]
    )


@pytest.mark.django_db
def test_the_walk_reaches_the_case_pages_it_guards(restricted_case: Case, team: dict[str, Any]) -> None:
    # The same walk, as the DSL, finds the marker: so the checks above can fail.
    client = sign_in(Client(), team["dsl"])
    ids = _ids(restricted_case)
    shown = {
        _url(r.pattern, ids) for r in ROUTES if not r.is_api and _leaks(client.get(_url(r.pattern, ids)))
    }
    assert f"/cases/{restricted_case.pk}/" in shown
    assert client.get(f"/cases/evidence/{ids['cases/evidence/']}/").status_code == 200


@pytest.mark.django_db
def test_each_safeguarding_role_reads_in_the_list_why_a_row_is_not_theirs(
    restricted_case: Case, team: dict[str, Any]
) -> None:
    """The DSL and deputies see ordinary cases as SMT's (not a bare "Not shared with you"); SMT
    and the auditor see restricted cases as the DSL's. Neither reads more than before."""
    ordinary = services.report_submit(
        actor=team["tutor"].user, category="criticism", summary=f"{MARKER} review"
    )
    for who in ("dsl", "deputy"):
        client = sign_in(Client(), team[who])
        listing = client.get("/cases/").content.decode()
        row = listing.split(f'data-reference="{ordinary.reference}"')[1].split("</tr>")[0]
        assert '<td data-label="Category">Handled by SMT</td>' in row and MARKER not in row
        assert "Not shared with you" not in listing
        assert "the others have no safeguarding part: SMT handle them" in listing
        page = client.get(f"/cases/{ordinary.pk}/").content.decode()
        assert "SMT handle this case" in page and MARKER not in page
    for who in ("smt", "auditor"):
        listing = sign_in(Client(), team[who]).get("/cases/").content.decode()
        row = listing.split(f'data-reference="{restricted_case.reference}"')[1].split("</tr>")[0]
        assert "Restricted (safeguarding): the DSL and deputies only" in row and MARKER not in row


@pytest.mark.django_db
def test_the_status_filter_does_not_tell_a_restricted_case_s_status(
    restricted_case: Case, team: dict[str, Any]
) -> None:
    """The row says only open or closed; filtering by an exact status must say no more (it listed
    the case under "awaiting referral" for SMT, the auditor and its reporter)."""
    from socialguard.incidents.models import Status

    real = restricted_case.status
    assert real not in (Status.CLOSED,)
    for who in ("smt", "auditor", "tutor"):
        user = team[who] if who != "tutor" else team["tutor"].user
        client = sign_in(Client(), user)
        assert restricted_case.reference in client.get("/cases/?status=open").content.decode(), who
        assert restricted_case.reference not in client.get(f"/cases/?status={real}").content.decode(), who
    dsl = sign_in(Client(), team["dsl"])
    assert restricted_case.reference in dsl.get(f"/cases/?status={real}").content.decode()


@pytest.mark.django_db
def test_the_statistics_do_not_tell_a_restricted_case_s_outcome(
    restricted_case: Case, team: dict[str, Any]
) -> None:
    """The figures count a restricted case without describing it: before, closing one changed
    SMT's and the auditor's count of its outcome, which the case page never tells them."""
    from socialguard.incidents.models import Outcome

    def outcomes(who: str) -> dict[str, int]:
        token = token_create(user=team[who], name="stats", scope=TokenScope.READ).secret
        response = Client().get("/api/v1/cases/stats", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200, response.content
        return dict(response.json()["by_outcome"])

    before = {who: outcomes(who) for who in ("smt", "auditor", "dsl")}
    for task in restricted_case.tasks.all():
        services.task_done(actor=team["dsl"], task=task)
    services.case_close(actor=team["dsl"], case=restricted_case, outcome=Outcome.NO_FURTHER_ACTION)
    label = str(Outcome.NO_FURTHER_ACTION.label)
    for who in ("smt", "auditor"):
        after = outcomes(who)
        assert after.get(label, 0) == before[who].get(label, 0), who
        assert after["Restricted (safeguarding)"] == before[who].get("Restricted (safeguarding)", 0) + 1
        page = sign_in(Client(), team[who]).get("/cases/reports/").content.decode()
        assert label not in page and "Restricted (safeguarding)" in page, who
    assert outcomes("dsl") == {**before["dsl"], label: before["dsl"].get(label, 0) + 1}
