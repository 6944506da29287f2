"""Declarations: three confirmations per published version, asked again on change, never altered."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from socialguard.audit.models import AuditEvent
from socialguard.policies import selectors, services
from socialguard.policies.models import Declaration
from tests.audit.tamper import tamper
from tests.policy_fixtures import V2, import_version

ALL = dict.fromkeys(services.DECLARATION_FIELDS, True)


def _declare(person: Any, version: Any) -> Declaration:
    return services.declaration_make(
        actor=person.user, staff=person, version=version, confirmations=ALL, ip_address="192.0.2.7"
    )


def test_a_declaration_records_hash_time_address_and_an_audit_event(published: dict[str, Any]) -> None:
    tutor, v1 = published["tutor"], published["v1"]
    declaration = _declare(tutor, v1)
    assert declaration.version_hash == v1.text_hash
    assert declaration.ip_address == "192.0.2.7"
    event = AuditEvent.objects.get(action="policy.declared")
    assert declaration.audit_event == event
    assert event.after == declaration.facts()
    assert selectors.declaration_owed(tutor) is None


def test_all_three_confirmations_are_required(published: dict[str, Any]) -> None:
    tutor, v1 = published["tutor"], published["v1"]
    with pytest.raises(ValidationError) as error:
        services.declaration_make(
            actor=tutor.user, staff=tutor, version=v1, confirmations={"read_and_understood": True}
        )
    assert set(error.value.message_dict) == {"agrees_to_comply", "accepts_monitoring"}
    assert (
        not Declaration.objects.exists() and not AuditEvent.objects.filter(action="policy.declared").exists()
    )


def test_one_declaration_per_version_and_only_of_the_published_one(published: dict[str, Any]) -> None:
    tutor, v1, qd = published["tutor"], published["v1"], published["qd"]
    _declare(tutor, v1)
    with pytest.raises(ValidationError, match="already declared"):
        _declare(tutor, v1)
    draft = import_version(qd, V2)
    with pytest.raises(ValidationError, match="not the published policy"):
        _declare(tutor, draft)
    assert Declaration.objects.count() == 1


def test_leavers_do_not_declare(published: dict[str, Any]) -> None:
    tutor = published["tutor"]
    tutor.leave_date = timezone.localdate() - dt.timedelta(days=1)
    tutor.save()
    with pytest.raises(ValidationError, match="has left"):
        _declare(tutor, published["v1"])
    assert tutor.pk not in {r.staff.pk for r in selectors.declaration_rows(published["v1"])}


def test_a_new_version_asks_everyone_again_with_the_reason(published: dict[str, Any]) -> None:
    tutor, v1, qd = published["tutor"], published["v1"], published["qd"]
    _declare(tutor, v1)
    v2 = import_version(qd, V2)
    services.version_publish(actor=qd, version=v2)
    v2.refresh_from_db()
    row = selectors.declaration_owed(tutor)
    assert row is not None and row.previous is not None
    assert selectors.reason_to_declare(row, v2) == (
        "The policy changed since you declared version 1: clauses 4.1 and 5.2 changed; clause 5.6 added."
    )
    never = selectors.declaration_owed(published["volunteer"])
    assert never is not None
    assert selectors.reason_to_declare(never, v2) == "You have not yet declared the current policy."


def test_coverage_by_department_and_type(published: dict[str, Any]) -> None:
    v1 = published["v1"]
    _declare(published["tutor"], v1)
    rows = selectors.declaration_rows(v1)
    by_type = {g.label: (g.declared, g.total) for g in selectors.coverage(rows, "employment_type")}
    assert by_type == {"Contract worker": (1, 1), "Employee": (0, 1), "Volunteer": (0, 1)}
    by_department = {g.label: (g.declared, g.total) for g in selectors.coverage(rows, "department")}
    assert by_department == {"Digital Marketing": (1, 2), "No department": (0, 1)}
    overall = selectors.coverage(rows, "all")[0]
    assert (overall.declared, overall.total, overall.percent) == (1, 3, 33)
    trend = selectors.coverage_trend(v1, rows)
    assert trend[-1] == (timezone.localdate(), 33)


def test_a_declaration_cannot_be_altered_through_the_orm(published: dict[str, Any]) -> None:
    declaration = _declare(published["tutor"], published["v1"])
    declaration.accepts_monitoring = False
    with pytest.raises(ValidationError, match="cannot be changed"):
        declaration.save()
    with pytest.raises(ValidationError, match="cannot be deleted"):
        declaration.delete()


def test_an_altered_declaration_row_is_caught_by_its_audit_event(published: dict[str, Any]) -> None:
    declaration = _declare(published["tutor"], published["v1"])
    _declare(published["boss"], published["v1"])
    assert services.declarations_verify() == []
    with connection.cursor() as cursor:  # someone with database access backdates it
        cursor.execute(
            "UPDATE policies_declaration SET declared_at = %s WHERE id = %s",
            [timezone.now() - dt.timedelta(days=400), declaration.pk],
        )
    problems = services.declarations_verify()
    assert len(problems) == 1
    assert "Ben Tutor" in problems[0] and "declared_at" in problems[0]


def test_rewriting_the_audit_event_too_breaks_the_chain(published: dict[str, Any]) -> None:
    declaration = _declare(published["tutor"], published["v1"])
    forged = {**declaration.audit_event.after, "ip_address": "203.0.113.9"}
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE policies_declaration SET ip_address = %s WHERE id = %s", ["203.0.113.9", declaration.pk]
        )
    # As the table's owner would: on PostgreSQL the append-only triggers must be switched off first.
    tamper(
        "UPDATE audit_auditevent SET after = %s WHERE id = %s", json.dumps(forged), declaration.audit_event_id
    )
    problems = services.declarations_verify()
    assert any("audit trail is broken" in p for p in problems)
