"""Policy 5.2: a report about contact with a learner under 18, or one that names such a learner
from the register, is a safeguarding matter. It goes to the DSL and deputies and is restricted
from the start (SMT see only that it exists), whichever way it is reported, and a case that
comes to name such a learner later becomes restricted then."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from click.testing import CliRunner
from django.core.exceptions import ValidationError
from django.test import Client

from socialguard.audit.models import AuditEvent
from socialguard.cli import main
from socialguard.identity.models import TokenScope
from socialguard.identity.services import token_create
from socialguard.incidents import services
from socialguard.incidents.access import Access, access
from socialguard.incidents.models import Case, Source
from socialguard.people.models import Learner
from tests.case_fixtures import MARKER
from tests.conftest import sign_in
from tests.dates import years_before
from tests.worker import run_due_tasks

pytestmark = pytest.mark.django_db


def _report(team: dict[str, Any], category: str = "learner_contact", **kwargs: Any) -> Case:
    return services.report_submit(
        actor=team["tutor"].user, category=category, summary=f"{MARKER}: messaged a learner", **kwargs
    )


def _is_the_dsls(case: Case, team: dict[str, Any]) -> None:
    case.refresh_from_db()
    assert case.restricted and case.safeguarding_part
    assert access(team["smt"], case) == Access.STUB
    assert access(team["auditor"], case) == Access.STUB
    assert access(team["dsl"], case) == Access.FULL and access(team["deputy"], case) == Access.FULL
    assert {u.email for u in services._handlers(case)} == {"dsl@dmm.example", "deputy@dmm.example"}


def test_a_report_naming_a_learner_under_18_goes_to_the_dsl(
    team: dict[str, Any], mailbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = _report(team, parties=[services.PartyInput(role="affected", learner=team["young"])])
    _is_the_dsls(case, team)
    run_due_tasks()
    assert {m["To"] for m in mailbox.messages} == {"dsl@dmm.example", "deputy@dmm.example"}
    assert AuditEvent.objects.get(action="cases.reported").after["restricted"] is True


def test_contact_with_a_learner_under_18_is_restricted_even_unnamed(team: dict[str, Any]) -> None:
    _is_the_dsls(_report(team, category="minor_contact"), team)


def test_an_adult_learner_named_goes_to_smt(team: dict[str, Any]) -> None:
    case = _report(team, parties=[services.PartyInput(role="affected", learner=team["past"])])
    assert not case.restricted and access(team["smt"], case) == Access.FULL


def test_age_is_taken_on_the_day_reported_and_the_day_it_happened(team: dict[str, Any]) -> None:
    today = dt.date.today()
    # 18 today, but 17 a month ago when it happened.
    turned_18 = Learner.objects.create(
        external_id="L18",
        first_name="Ola",
        last_name="Eighteen",
        date_of_birth=years_before(today, 18) - dt.timedelta(days=1),
    )
    later = _report(team, parties=[services.PartyInput(learner=turned_18)])
    assert not later.restricted
    then = _report(
        team,
        happened_on=today - dt.timedelta(days=40),
        parties=[services.PartyInput(learner=turned_18)],
    )
    assert then.restricted


def test_a_learner_without_a_date_of_birth_counts_as_a_child(team: dict[str, Any]) -> None:
    unknown = Learner.objects.create(external_id="L9", first_name="Noa", last_name="Dob")
    assert _report(team, parties=[services.PartyInput(learner=unknown)]).restricted


def test_a_name_matching_a_learner_under_18_is_enough(team: dict[str, Any]) -> None:
    # Two learners of that name: the name cannot be linked, but one of them is a child.
    Learner.objects.create(
        external_id="L3", first_name="Dan", last_name="Young", date_of_birth=dt.date(1980, 1, 1)
    )
    party = services.party_from_text("dan young", "affected")
    assert party.learner is None and party.name == "dan young"
    _is_the_dsls(_report(team, category="other", parties=[party]), team)


def test_naming_a_learner_under_18_later_restricts_the_case(team: dict[str, Any]) -> None:
    smt = team["smt"]
    case = _report(team, parties=[services.PartyInput(role="subject", staff=team["boss"])])
    assert not case.restricted
    services.triage(actor=smt, case=case, severity="medium", investigator=smt)
    services.entry_add(actor=smt, case=case, kind="note", text=f"{MARKER} spoke to the tutor")
    services.party_add(actor=smt, case=case, party=services.party_from_text("L1", "affected"))
    _is_the_dsls(case, team)
    assert case.investigator is None  # SMT can no longer investigate it
    assert not case.entries.filter(restricted=False).exists()
    event = AuditEvent.objects.get(action="cases.restricted")
    assert event.actor == smt and event.after == {"restricted": True, "why": "names_learner_under_18"}
    assert MARKER not in json.dumps(event.after) and "Young" not in json.dumps(event.after)


def test_naming_an_adult_later_changes_nothing(team: dict[str, Any]) -> None:
    smt = team["smt"]
    case = _report(team)
    services.party_add(actor=smt, case=case, party=services.party_from_text("L2", "affected"))
    case.refresh_from_db()
    assert not case.restricted and not AuditEvent.objects.filter(action="cases.restricted").exists()


def test_web_form_report_naming_the_learner(team: dict[str, Any]) -> None:
    reporter = sign_in(Client(), team["tutor"].user)
    response = reporter.post(
        "/cases/report/",
        {
            "category": "learner_contact",
            "summary": f"{MARKER}: a tutor sent a learner private messages",
            "party_name": ["Ada Boss", "L1"],
            "party_role": ["subject", "affected"],
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert (
        "has gone to the Designated Safeguarding Lead" in reporter.get(response["Location"]).content.decode()
    )
    _is_the_dsls(case, team)
    smt_page = sign_in(Client(), team["smt"]).get(f"/cases/{case.pk}/")
    assert smt_page.status_code == 200 and MARKER not in smt_page.content.decode()
    dsl_page = sign_in(Client(), team["dsl"]).get(f"/cases/{case.pk}/")
    assert MARKER in dsl_page.content.decode()
    assert AuditEvent.objects.filter(
        action="cases.restricted_viewed", actor=team["dsl"], after__where="web"
    ).exists()


def _api(user: Any) -> tuple[Client, dict[str, str]]:
    return Client(), {
        "HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t', scope=TokenScope.READ_WRITE).secret}"
    }


def test_api_report_naming_the_learner(team: dict[str, Any]) -> None:
    client, auth = _api(team["tutor"].user)
    made = client.post(
        "/api/v1/cases",
        {
            "category": "learner_contact",
            "summary": f"{MARKER}: friend request to a learner",
            "people": [{"person": "S1", "role": "subject"}, {"person": "Dan Young", "role": "affected"}],
        },
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201, made.content
    case = Case.objects.get(pk=made.json()["id"])
    _is_the_dsls(case, team)
    smt, smt_auth = _api(team["smt"])
    stub = smt.get(f"/api/v1/cases/{case.pk}", **smt_auth)
    assert stub.json()["access"] == "stub" and MARKER not in stub.content.decode()
    dsl, dsl_auth = _api(team["dsl"])
    full = dsl.get(f"/api/v1/cases/{case.pk}", **dsl_auth)
    assert full.json()["access"] == "full" and MARKER in full.json()["summary"]
    assert AuditEvent.objects.filter(action="cases.restricted_viewed", actor=team["dsl"]).exists()


def test_cli_report_naming_the_learner(team: dict[str, Any]) -> None:
    runner = CliRunner()
    made = runner.invoke(
        main,
        ["cases", "report", "--as", "ben@dmm.example", "--category", "learner_contact",
         "--summary", f"{MARKER}: follows a learner", "--person", "subject:S1", "--person", "affected:L1"],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    case = Case.objects.get(reference=made.output.split()[-1].rstrip("."))
    _is_the_dsls(case, team)
    stub = runner.invoke(main, ["cases", "show", case.reference, "--as", "smt@dmm.example"])
    assert "Restricted" in stub.output and MARKER not in stub.output
    full = runner.invoke(main, ["cases", "show", case.reference, "--as", "dsl@dmm.example"])
    assert MARKER in full.output


# Only monitoring itself raises a report as a monitoring alert.


def test_a_person_cannot_pass_a_report_off_as_a_monitoring_alert(team: dict[str, Any]) -> None:
    with pytest.raises(
        ValidationError, match="only monitoring raises reports with source 'monitoring_alert'"
    ):
        _report(team, category="other", source=Source.MONITORING_ALERT)
    with pytest.raises(ValidationError, match="only monitoring"):
        services.report_submit(
            actor=team["smt"], category="other", summary="x", source=Source.MONITORING_ALERT
        )
    assert not Case.objects.exists()


def test_monitoring_raises_its_alerts_as_the_system(team: dict[str, Any]) -> None:
    case = services.report_submit(
        actor=None, category="criticism", summary="Mentions spike", source=Source.MONITORING_ALERT,
        source_ref="alert 7",
    )  # fmt: skip
    assert case.source == "monitoring_alert" and case.reporter is None
    assert AuditEvent.objects.get(action="cases.reported").actor is None


def test_the_api_refuses_the_monitoring_source_naming_the_field(team: dict[str, Any]) -> None:
    client, auth = _api(team["tutor"].user)
    refused = client.post(
        "/api/v1/cases",
        {"category": "other", "summary": "Looks automatic", "source": "monitoring_alert"},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 400, refused.content
    assert "only monitoring raises reports" in refused.content.decode()
    assert "source" in refused.content.decode()
    assert not Case.objects.exists()


def test_cases_that_come_to_name_a_child_are_restricted_by_the_daily_job(team: dict[str, Any]) -> None:
    """Cases reported before the rule, or before the register knew the child's age, are
    restricted by the daily job (and `socialguard cases restrict-children`), audited."""
    from socialguard.incidents.tasks import restrict_cases_naming_children
    from socialguard.scheduling.models import ScheduledRun

    unknown_age = Learner.objects.create(
        external_id="L50", first_name="Kit", last_name="Later", date_of_birth=dt.date(1990, 1, 1)
    )
    by_name = _report(
        team, category="offensive", parties=[services.PartyInput(role="affected", name="Kit Later")]
    )
    adult = _report(team, category="offensive")
    assert not by_name.restricted and not adult.restricted
    # The register's date of birth was wrong: Kit is 15.
    unknown_age.date_of_birth = dt.date.today().replace(year=dt.date.today().year - 15, day=1)
    unknown_age.save()
    assert restrict_cases_naming_children.call() == "1 case restricted"
    by_name.refresh_from_db()
    adult.refresh_from_db()
    _is_the_dsls(by_name, team)
    assert not adult.restricted
    assert AuditEvent.objects.filter(
        action="cases.restricted", object_id=str(by_name.pk), actor=None
    ).exists()
    assert ScheduledRun.objects.get(name="restrict-children").last_result == "1 case restricted"
    result = CliRunner().invoke(main, ["cases", "restrict-children"])
    assert result.exit_code == 0 and "Restricted 0 cases" in result.output
