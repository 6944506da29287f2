"""Least privilege: the permission table says what the policy and our data rules need."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import resolve

from socialguard.identity.access import access_of
from socialguard.identity.permissions import ACTIONS, PUBLIC, SIGNED_IN, can, is_write
from socialguard.identity.roles import Role

ROUTE_ACTIONS = {
    "/people/learners/": "learners.view",
    "/people/guardians/": "learners.view",
    "/people/staff/": "staff.view",
    "/people/import/": "people.import",
    "/people/sign-ins/": "users.manage",
    "/audit/": "audit.view",
    "/audit/export.csv": "audit.view",
    "/audit/verify/": "audit.verify",
    "/policy/": "policy.view",
    "/policy/import/": "policy.manage",
    "/policy/declare/": "declarations.make",
    "/policy/declarations/": "declarations.view",
    "/policy/declarations/export.csv": "declarations.export",
    "/policy/training/import/": "training.manage",
    "/policy/reminders/": SIGNED_IN,
    "/": SIGNED_IN,
    "/healthz": PUBLIC,
    "/account/sign-in/": PUBLIC,
}


@pytest.mark.parametrize(("path", "action"), ROUTE_ACTIONS.items())
def test_sensitive_routes_declare_the_expected_action(path: str, action: str) -> None:
    assert access_of(resolve(path).func) == action


def test_learner_records_are_not_for_all_staff() -> None:
    # Learners include children: ordinary staff and the Quality Director do not browse them.
    assert Role.STAFF not in ACTIONS["learners.view"].roles
    assert Role.QUALITY_DIRECTOR not in ACTIONS["learners.view"].roles


# Who may write what: SMT keeps the records (3.2); the Quality Director owns the policy (3.1);
# reviewers comment; every member of staff makes their own declaration.
WRITERS = {
    "policy.manage": {Role.QUALITY_DIRECTOR},
    "policy.comment": {Role.QUALITY_DIRECTOR, Role.SMT, Role.DSL},
    "declarations.make": {Role.QUALITY_DIRECTOR, Role.SMT, Role.DSL, Role.STAFF},
    "accounts.propose": {Role.QUALITY_DIRECTOR, Role.SMT, Role.DSL, Role.STAFF},
    # Anyone reports a concern (3.1, 5.4); SMT investigate, the DSL and deputies take safeguarding.
    "cases.report": {Role.QUALITY_DIRECTOR, Role.SMT, Role.DSL, Role.DEPUTY_DSL, Role.STAFF},
    "cases.manage": {Role.SMT, Role.DSL, Role.DEPUTY_DSL},
    "cases.retention": {Role.SMT, Role.DSL, Role.DEPUTY_DSL},
    # An account's runners draft and approve each other's posts (content.access narrows these to
    # the accounts a person runs); what needs a senior leader stays with SMT (posts.approve_senior).
    "posts.draft": {Role.QUALITY_DIRECTOR, Role.SMT, Role.DSL, Role.STAFF},
    "posts.approve": {Role.QUALITY_DIRECTOR, Role.SMT, Role.DSL, Role.STAFF},
    # The Quality Director owns the policy (3.1) and so what the post checks enforce.
    "rules.pack_manage": {Role.QUALITY_DIRECTOR},
    # Consent (5.2): SMT and the DSL record it; runners take down their accounts' posts.
    "consent.manage": {Role.SMT, Role.DSL, Role.DEPUTY_DSL},
    "consent.takedown": {Role.QUALITY_DIRECTOR, Role.SMT, Role.DSL, Role.STAFF},
    # Monitoring: who sees an alert is narrowed per alert by monitoring.access (runners: their
    # accounts; the DSL and deputies: safeguarding); SMT choose what is monitored.
    "monitoring.triage": {Role.SMT, Role.DSL, Role.DEPUTY_DSL, Role.STAFF},
    # Everyone checks their own connections and privacy settings (5.2; privacy app).
    "privacy.self_check": {Role.QUALITY_DIRECTOR, Role.SMT, Role.DSL, Role.DEPUTY_DSL, Role.STAFF},
    "privacy.review": {Role.QUALITY_DIRECTOR, Role.SMT, Role.DSL, Role.DEPUTY_DSL, Role.STAFF},
}


def test_only_the_dsl_and_deputies_read_safeguarding_cases() -> None:
    assert ACTIONS["safeguarding.view"].roles == {Role.DSL, Role.DEPUTY_DSL}


def test_each_writing_action_has_exactly_its_writers() -> None:
    for action in ACTIONS.values():
        if action.writes:
            assert action.roles == WRITERS.get(action.name, {Role.SMT}), action.name


def test_staff_read_the_policy_but_not_coverage_or_training_records() -> None:
    assert Role.STAFF in ACTIONS["policy.view"].roles
    for name in ("declarations.view", "declarations.export", "training.view", "policy.review"):
        assert Role.STAFF not in ACTIONS[name].roles, name


def test_auditor_is_read_only() -> None:
    for action in ACTIONS.values():
        if Role.AUDITOR in action.roles:
            assert not action.writes, action.name


def test_unknown_actions_are_refused(make_user: Any) -> None:
    smt = make_user(Role.SMT)
    assert not can(smt, "no.such.action")
    assert not is_write("no.such.action")


def test_withdrawn_sign_in_loses_every_role(make_user: Any) -> None:
    smt = make_user(Role.SMT)
    smt.is_active = False
    assert not can(smt, "staff.view")
    assert not can(smt, SIGNED_IN)
