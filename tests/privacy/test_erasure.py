"""Retention and erasure: what is due, legal holds that stop it, anonymisation that keeps the
statistics and leaves `audit verify` intact."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from click.testing import CliRunner
from django.core.exceptions import ValidationError
from django.test import Client

from socialguard.audit.models import AuditEvent
from socialguard.audit.selectors import audit_verify
from socialguard.cli import main
from socialguard.identity.roles import Role
from socialguard.incidents import services as cases
from socialguard.incidents.models import Case
from socialguard.people.models import Learner, StaffMember
from socialguard.privacy import selectors, services
from socialguard.privacy.models import Erasure
from socialguard.privacy.tasks import privacy_retention
from tests.conftest import sign_in


@pytest.fixture
def smt(make_user: Any) -> Any:
    return make_user(Role.SMT, email="erase-smt@dmm.example")


def test_a_past_learner_is_due_after_six_years_and_erasure_keeps_statistics_and_the_chain(
    register: dict[str, Any], smt: Any
) -> None:
    past = register["past"]  # left 1 July 2021
    assert [r.pk for r in selectors.retention_due(dt.date(2027, 6, 30))] == []
    due = selectors.retention_due(dt.date(2027, 7, 1))
    assert [(r.kind, r.pk, r.holds) for r in due] == [("learner", past.pk, [])]
    learner_events_before = AuditEvent.objects.count()
    erasure = services.person_erase(actor=smt, kind="learner", pk=past.pk, reason="Retention period ended")
    past.refresh_from_db()
    assert (past.first_name, past.last_name, past.email, past.date_of_birth) == (
        "Erased",
        erasure.pseudonym,
        "",
        None,
    )
    assert past.external_id == erasure.pseudonym
    # Statistics keep: the programme's dates stay, the row still counts.
    assert past.end_date == dt.date(2021, 7, 1) and Learner.objects.count() == 2
    event = AuditEvent.objects.filter(action="privacy.erased").get()
    assert event.object_repr == erasure.pseudonym and "Eve" not in str(event.after)
    assert AuditEvent.objects.count() == learner_events_before + 1
    result = audit_verify()
    assert result.ok, result.problem
    assert selectors.retention_due(dt.date(2027, 7, 1)) == []


def test_an_open_case_holds_erasure_with_the_reason_and_nothing_changes(
    team: dict[str, Any], smt: Any
) -> None:
    staff = team["volunteer"]
    staff.leave_date = dt.date(2015, 1, 1)
    staff.save()
    case = cases.report_submit(
        actor=team["tutor"].user,
        category="bullying",
        summary="Comments about a colleague",
        parties=[cases.PartyInput(role="subject", staff=staff)],
    )
    [row] = [r for r in selectors.retention_due() if r.kind == "staff"]
    assert row.holds and case.reference in row.holds[0]
    with pytest.raises(ValidationError, match="legal hold") as caught:
        services.person_erase(actor=smt, kind="staff", pk=staff.pk, reason="Retention period ended")
    assert case.reference in str(caught.value)
    staff.refresh_from_db()
    assert staff.first_name == "Cara" and not Erasure.objects.exists()
    assert not AuditEvent.objects.filter(action="privacy.erased").exists()


def test_a_closed_safeguarding_record_within_its_period_holds_erasure(
    restricted_case: Case, team: dict[str, Any], smt: Any
) -> None:
    young = team["young"]
    holds = selectors.legal_holds("learner", young)  # the system's own reading
    assert holds and "safeguarding record" in holds[0] and restricted_case.reference in holds[0]
    assert selectors.legal_holds("learner", young, reader=team["dsl"]) == holds
    with pytest.raises(ValidationError, match="legal hold") as caught:
        services.person_erase(actor=smt, kind="learner", pk=young.pk, reason="asked")
    # SMT may not read the restricted case, so the hold must not tell them it exists or what it is.
    said = str(caught.value)
    assert selectors.HIDDEN_HOLD in said
    assert restricted_case.reference not in said and "safeguarding" not in said
    assert not Erasure.objects.exists()


def test_the_retention_list_says_a_restricted_hold_without_naming_the_case(
    restricted_case: Case, team: dict[str, Any], smt: Any
) -> None:
    young = team["young"]
    young.end_date = dt.date(2010, 7, 1)
    young.save()
    for reader in (smt, team["auditor"]):
        [row] = [r for r in selectors.retention_due(reader=reader) if (r.kind, r.pk) == ("learner", young.pk)]
        assert row.holds == [selectors.HIDDEN_HOLD]
    [row] = [
        r for r in selectors.retention_due(reader=team["dsl"]) if (r.kind, r.pk) == ("learner", young.pk)
    ]
    assert restricted_case.reference in row.holds[0]


def test_erasing_a_staff_member_deactivates_their_sign_in(people: dict[str, Any], smt: Any) -> None:
    from socialguard.identity.models import ApiToken
    from socialguard.identity.services import token_create

    tutor = people["tutor"]
    user = tutor.user
    token_create(user=user, name="laptop", scope="read")
    services.person_erase(actor=smt, kind="staff", pk=tutor.pk, reason="Right to erasure request")
    user.refresh_from_db()
    assert not user.is_active and user.full_name == "" and user.email.endswith("@erased.invalid")
    assert not user.has_usable_password()
    # Its tokens are revoked, not only refused: reactivating the sign-in brings none back.
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    withdrawn = AuditEvent.objects.get(action="user.access_withdrawn", object_id=str(user.pk))
    assert tutor.first_name not in withdrawn.object_repr  # recorded once the name was gone
    with pytest.raises(ValidationError, match="already erased"):
        services.person_erase(actor=smt, kind="staff", pk=tutor.pk, reason="again")
    assert audit_verify().ok


def test_erasure_needs_the_permission_and_a_reason(
    register: dict[str, Any], make_user: Any, smt: Any
) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.person_erase(actor=make_user(Role.DSL), kind="learner", pk=register["past"].pk, reason="x")
    with pytest.raises(ValidationError, match="reason"):
        services.person_erase(actor=smt, kind="learner", pk=register["past"].pk, reason=" ")


def test_the_retention_page_and_erase_button(register: dict[str, Any], smt: Any, settings: Any) -> None:
    settings.PEOPLE_RETENTION = "past_learner=1"
    client = sign_in(Client(), smt)
    page = client.get("/privacy/retention/").content.decode()
    assert "Eve Former" in page
    response = client.post(
        f"/privacy/retention/learner/{register['past'].pk}/erase/", {"reason": "Retention period ended"}
    )
    assert response.status_code == 302
    assert Erasure.objects.filter(record_id=register["past"].pk).exists()
    assert "Eve Former" not in client.get("/privacy/retention/").content.decode()


def test_the_daily_job_lists_what_is_due(register: dict[str, Any], settings: Any) -> None:
    settings.PEOPLE_RETENTION = "past_learner=1"
    assert "1 people due for erasure (0 under a legal hold)" in privacy_retention.call()


def test_cli_retention_and_erase(register: dict[str, Any], smt: Any, settings: Any) -> None:
    settings.PEOPLE_RETENTION = "past_learner=1"
    runner = CliRunner()
    listed = runner.invoke(main, ["privacy", "retention", "--as", smt.email])
    assert listed.exit_code == 0, listed.output
    assert "Eve Former" in listed.output
    erased = runner.invoke(
        main,
        [
            "privacy",
            "erase",
            "learner",
            str(register["past"].pk),
            "--reason",
            "Retention period ended",
            "--as",
            smt.email,
        ],
    )
    assert erased.exit_code == 0, erased.output
    assert "P-" in erased.output
    assert StaffMember.objects.count() == 3
