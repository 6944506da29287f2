"""The recruitment screening log (5.3): lawful basis and notice first, professional networks only
unless another SMT member approves an exception, and records deleted when their time is up."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from socialguard.audit.models import AuditEvent
from socialguard.audit.selectors import audit_verify
from socialguard.identity.roles import Role
from socialguard.privacy import services
from socialguard.privacy.models import ScreeningRecord, ScreeningStatus
from socialguard.privacy.tasks import privacy_retention
from tests.conftest import sign_in


@pytest.fixture
def recruiters(make_user: Any) -> tuple[Any, Any]:
    return make_user(Role.SMT, email="r1@dmm.example"), make_user(Role.SMT, email="r2@dmm.example")


def _linkedin_check(actor: Any) -> ScreeningRecord:
    return services.screening_create(
        actor=actor,
        candidate="Jo Bloggs",
        role_applied_for="Tutor",
        lawful_basis="legitimate_interests",
        candidate_told=True,
        platforms=["linkedin"],
    )


def test_no_check_without_a_lawful_basis_or_notice(recruiters: tuple[Any, Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        services.screening_create(
            actor=recruiters[0],
            candidate="Jo",
            role_applied_for="Tutor",
            lawful_basis="",
            candidate_told=False,
            platforms=["linkedin"],
        )
    assert set(caught.value.message_dict) == {"lawful_basis", "candidate_told"}
    assert not ScreeningRecord.objects.exists()


def test_other_platforms_need_a_reason_and_another_smt_members_approval(recruiters: tuple[Any, Any]) -> None:
    first, second = recruiters
    with pytest.raises(ValidationError, match="professional networks"):
        services.screening_create(
            actor=first,
            candidate="Jo",
            role_applied_for="Tutor",
            lawful_basis="legitimate_interests",
            candidate_told=True,
            platforms=["linkedin", "facebook"],
        )
    record = services.screening_create(
        actor=first,
        candidate="Jo",
        role_applied_for="Tutor",
        lawful_basis="legitimate_interests",
        candidate_told=True,
        platforms=["linkedin", "facebook"],
        exception_reason="Public safeguarding concern raised",
    )
    assert record.status == ScreeningStatus.AWAITING_EXCEPTION
    with pytest.raises(ValidationError, match="approve the exception"):
        services.screening_record_check(actor=first, record=record, looked_at="x", outcome="y")
    with pytest.raises(PermissionDenied):
        services.screening_approve_exception(actor=first, record=record)
    services.screening_approve_exception(actor=second, record=record)
    assert record.status == ScreeningStatus.READY and record.exception_approved_by == second


def test_a_record_is_deleted_by_the_daily_job_six_months_after_the_decision(
    recruiters: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    record = _linkedin_check(recruiters[0])
    services.screening_record_check(
        actor=recruiters[0], record=record, looked_at="LinkedIn profile", outcome="Nothing of concern"
    )
    services.screening_decide(actor=recruiters[0], record=record, decided_on=dt.date(2026, 1, 15))
    assert record.expires_on == dt.date(2026, 7, 15)

    def move_clock_to(day: dt.date) -> None:
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(6)))
        monkeypatch.setattr(timezone, "now", lambda: moment)
        monkeypatch.setattr(timezone, "localdate", lambda value=None, timezone=None: day)

    move_clock_to(dt.date(2026, 7, 14))
    assert privacy_retention.call().startswith("0 recruitment records deleted")
    assert ScreeningRecord.objects.filter(pk=record.pk).exists()
    move_clock_to(dt.date(2026, 7, 15))
    assert privacy_retention.call().startswith("1 recruitment record deleted")
    assert not ScreeningRecord.objects.exists()
    event = AuditEvent.objects.filter(action="recruitment.screening_deleted").get()
    assert event.actor is None and "Jo Bloggs" not in str(event.after) + event.object_repr
    assert audit_verify().ok


def test_no_recruitment_event_names_the_candidate(
    recruiters: tuple[Any, Any], make_user: Any, client: Client
) -> None:
    """The log is SMT's alone and goes six months after the decision, but each of its events named
    "screening of CANDIDATE for ROLE": the auditor, refused the log, read who applied for what in
    the audit trail, and the trail kept it long after the record was deleted."""
    first, second = recruiters
    record = services.screening_create(
        actor=first, candidate="Jo Bloggs", role_applied_for="Safeguarding Officer",
        lawful_basis="legitimate_interests", candidate_told=True, platforms=["linkedin", "x"],
        exception_reason="Public safeguarding concern raised",
    )  # fmt: skip
    services.screening_approve_exception(actor=second, record=record)
    services.screening_record_check(actor=first, record=record, looked_at="Profiles", outcome="Fine")
    services.screening_decide(actor=first, record=record, decided_on=timezone.localdate())
    events = AuditEvent.objects.filter(action__startswith="recruitment.")
    assert events.count() == 4
    for event in events:
        held = f"{event.object_repr} {event.before} {event.after}"
        assert "Jo Bloggs" not in held and "Safeguarding Officer" not in held, event.action
        assert event.object_repr == f"screening record #{record.pk}"
    auditor = sign_in(client, make_user(Role.AUDITOR))
    assert auditor.get("/privacy/recruitment/").status_code == 403
    trail = auditor.get("/audit/?q=screening").content.decode()
    assert f"screening record #{record.pk}" in trail and "Jo Bloggs" not in trail


def test_retention_setting(recruiters: tuple[Any, Any], settings: Any) -> None:
    settings.RECRUITMENT_RETENTION_MONTHS = 12
    record = _linkedin_check(recruiters[0])
    services.screening_decide(actor=recruiters[0], record=record, decided_on=dt.date(2025, 8, 31))
    assert record.expires_on == dt.date(2026, 8, 31)


def test_the_form_shows_the_equal_opportunity_reminder_and_refuses_without_a_basis(
    recruiters: tuple[Any, Any],
) -> None:
    client = sign_in(Client(), recruiters[0])
    page = client.get("/privacy/recruitment/new/").content.decode()
    assert "Equal opportunities" in page and "Equality Act 2010" in page
    response = client.post(
        "/privacy/recruitment/new/",
        {"candidate": "Jo", "role_applied_for": "Tutor", "platforms": ["linkedin"]},
    )
    assert "Choose the lawful basis" in response.content.decode()
    assert not ScreeningRecord.objects.exists()
    response = client.post(
        "/privacy/recruitment/new/",
        {
            "candidate": "Jo",
            "role_applied_for": "Tutor",
            "platforms": ["linkedin"],
            "lawful_basis": "contract",
            "candidate_told": "on",
        },
    )
    assert response.status_code == 302


def test_staff_cannot_see_the_log(client_for: Any) -> None:
    assert client_for(Role.STAFF).get("/privacy/recruitment/").status_code == 403
