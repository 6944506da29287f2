"""Shared checks for the transition tables (`socialguard.identity.workflow`): every row taken by
someone it allows, refused to someone it does not, and every missing row refused; a refusal
changes nothing (state, fields, audit trail)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models

from socialguard.audit.models import AuditEvent
from socialguard.identity.workflow import Workflow


def put_in_state(workflow: Workflow[Any], obj: models.Model, state: str) -> models.Model:
    """Move `obj` to `state` without a step: the table is what is under test."""
    workflow.model._default_manager.filter(pk=obj.pk).update(**{workflow.state: state})
    obj.refresh_from_db()
    return obj


def _snapshot(obj: models.Model) -> dict[str, Any]:
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    return {f.attname: getattr(fresh, f.attname) for f in type(obj)._meta.concrete_fields}


def assert_refused(
    workflow: Workflow[Any], obj: models.Model, actor: Any, action: str, error: type[Exception]
) -> None:
    before, events = _snapshot(obj), AuditEvent.objects.count()
    assert action not in workflow.allowed_actions(obj, actor)  # type: ignore[arg-type]
    with pytest.raises(error):
        workflow.apply(actor=actor, obj=obj, action=action, audit="test.step")
    assert _snapshot(obj) == before
    assert AuditEvent.objects.count() == events


def assert_taken(workflow: Workflow[Any], obj: models.Model, actor: Any, action: str, to: str) -> None:
    events = AuditEvent.objects.count()
    assert action in workflow.allowed_actions(obj, actor)  # type: ignore[arg-type]
    was = getattr(obj, workflow.state)
    workflow.apply(actor=actor, obj=obj, action=action, audit="test.step")
    assert getattr(obj, workflow.state) == to
    obj.refresh_from_db()
    assert getattr(obj, workflow.state) == to
    event = AuditEvent.objects.order_by("-pk").first()
    assert AuditEvent.objects.count() == events + 1 and event is not None
    assert event.action == "test.step" and event.object_id == str(obj.pk)
    assert event.before == {workflow.state: was} and event.after == {workflow.state: to}


def missing_rows(workflow: Workflow[Any], states: list[str]) -> list[tuple[str, str]]:
    return [(s, a) for s in states for a in workflow.actions if (s, a) not in workflow.table]
