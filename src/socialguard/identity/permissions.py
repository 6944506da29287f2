"""The one permission layer: "may this person do this?" for views, API and CLI alike.

Every page and API operation declares one of the actions below (or PUBLIC / SIGNED_IN), and
tests/identity/test_route_permissions.py fails if any route declares none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from socialguard.identity.roles import TWO_FACTOR_ROLES, Role

PUBLIC = "public"
SIGNED_IN = "signed-in"

QD, SMT, DSL, DEPUTY, STAFF, AUDITOR = (
    Role.QUALITY_DIRECTOR,
    Role.SMT,
    Role.DSL,
    Role.DEPUTY_DSL,
    Role.STAFF,
    Role.AUDITOR,
)


PROPOSERS = {QD, SMT, DSL, STAFF}  # anyone proposes an organisational account (5.5)


@dataclass(frozen=True)
class Action:
    name: str
    roles: frozenset[Role]
    writes: bool  # read-only API tokens may never perform a writing action
    description: str


def _action(name: str, roles: set[Role], writes: bool, description: str) -> Action:
    return Action(name, frozenset(roles), writes, description)


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        _action("staff.view", {SMT, QD, DSL, AUDITOR}, False, "See the staff register"),
        _action("staff.manage", {SMT}, True, "Add and edit staff records"),
        # Learners include children: only those who must see their records.
        _action("learners.view", {SMT, DSL, AUDITOR}, False, "See learners and guardians"),
        _action("learners.manage", {SMT}, True, "Add and edit learners and guardians"),
        _action("people.import", {SMT}, True, "Import people from CSV"),
        _action("people.export", {SMT, AUDITOR}, False, "Export people as CSV"),
        _action("organisation.view", {SMT, QD, DSL, STAFF, AUDITOR}, False, "See the organisation"),
        _action("organisation.manage", {SMT}, True, "Edit the organisation's details"),
        _action("users.manage", {SMT}, True, "Create sign-ins and grant roles"),
        _action("audit.view", {SMT, AUDITOR}, False, "Browse and export the audit trail"),
        _action("audit.verify", {SMT, AUDITOR}, False, "Verify the audit trail's hash chain"),
        # Policy lifecycle: the Quality Director owns the policy (3.1); SMT implements it (3.2).
        _action("policy.view", {QD, SMT, DSL, STAFF, AUDITOR}, False, "Read the policy and its versions"),
        _action("policy.manage", {QD}, True, "Import, publish and re-confirm policy versions"),
        _action("policy.review", {QD, SMT, DSL, AUDITOR}, False, "See policy reviews and references"),
        _action("policy.comment", {QD, SMT, DSL}, True, "Comment on a policy under review"),
        _action("declarations.make", {QD, SMT, DSL, STAFF}, True, "Declare the policy"),
        _action("declarations.view", {QD, SMT, AUDITOR}, False, "See declaration coverage"),
        _action("declarations.export", {QD, SMT, AUDITOR}, False, "Export declarations as CSV"),
        _action("training.view", {QD, SMT, AUDITOR}, False, "See training records and gaps"),
        _action("training.manage", {SMT}, True, "Record and import training"),
        # Organisational accounts (5.5, 3.2): anyone proposes; SMT decide, create and monitor.
        _action("accounts.propose", PROPOSERS, True, "Propose a new organisational account"),
        # Naming a proposal's runners needs their staff IDs: a name-and-department directory,
        # a read (so read-only tokens may use it) for exactly those who may propose.
        _action("staff.directory", PROPOSERS, False, "Look up staff by name and department"),
        _action("accounts.view", {QD, SMT, AUDITOR}, False, "See the registry of organisational accounts"),
        _action("accounts.decide", {SMT}, True, "Approve or reject account proposals"),
        _action("accounts.manage", {SMT}, True, "Create and manage organisational accounts"),
        # Account credentials (3.2 "store … passwords securely"): SMT only. Revealing counts as a
        # write so that read-only API tokens can never do it.
        _action("vault.manage", {SMT}, True, "Store and change account credentials"),
        _action("vault.reveal", {SMT}, True, "Reveal an account credential"),
        # Concerns and breaches (3.1, 5.4): anyone reports; SMT investigate; safeguarding goes to
        # the DSL and deputies alone (3.2, 5.2). Which case a person may open is decided per case
        # by socialguard.incidents.access on top of these.
        _action("cases.report", {QD, SMT, DSL, DEPUTY, STAFF}, True, "Report a concern or a breach"),
        _action("cases.view", {SMT, DSL, DEPUTY, AUDITOR}, False, "See reported concerns and breaches"),
        _action("cases.manage", {SMT, DSL, DEPUTY}, True, "Triage and investigate concerns"),
        _action("cases.reports", {SMT, DSL, DEPUTY, AUDITOR}, False, "See statistics on concerns"),
        _action("cases.retention", {SMT, DSL, DEPUTY}, True, "Review and anonymise expired cases"),
        _action("safeguarding.view", {DSL, DEPUTY}, False, "Read safeguarding cases"),
        # Posts for organisational accounts (5.1, the Do's): the account's current runners draft
        # and approve each other's posts (content.access narrows these to the accounts a person
        # runs); a senior leader (SMT) approves what the policy sends to them and may override a
        # blocking finding with a written reason. The archive is read by runners for their
        # accounts and by those who oversee the registry.
        _action("posts.draft", {QD, SMT, DSL, STAFF}, True, "Draft posts for the accounts you run"),
        _action("posts.view", {QD, SMT, DSL, STAFF}, False, "See drafts for the accounts you run"),
        _action("posts.approve", {QD, SMT, DSL, STAFF}, True, "Approve posts for the accounts you run"),
        _action(
            "posts.approve_senior", {SMT}, True, "Approve posts as a senior leader and override findings"
        ),
        _action(
            "posts.archive", {QD, SMT, DSL, STAFF, AUDITOR}, False, "Search the archive of published posts"
        ),
        # The organisation's rules pack: the Quality Director owns the policy (3.1) and so what the
        # checks enforce; SMT and the auditor read it and see how often people override the rules.
        _action("rules.pack_view", {QD, SMT, AUDITOR}, False, "See the rules pack and rule quality"),
        _action("rules.pack_manage", {QD}, True, "Edit the organisation's rules pack"),
        # Photo and video consent (5.2): personal data about learners, often children. The
        # register is read by SMT, the DSL and deputies, and by account runners (consent.access
        # narrows consent.view to them); everyone else who drafts sees only "may be posted:
        # yes/no" in the picker. Runners confirm takedowns of their accounts' posts.
        _action("consent.view", {QD, SMT, DSL, DEPUTY, STAFF}, False, "See photo consent and takedowns"),
        _action("consent.coverage", {SMT, DSL, DEPUTY}, False, "See photo consent coverage and gaps"),
        _action("consent.manage", {SMT, DSL, DEPUTY}, True, "Record consent and withdrawals"),
        _action("consent.import", {SMT}, True, "Import consent from the MIS"),
        _action("consent.takedown", {QD, SMT, DSL, STAFF}, True, "Take down posts for the accounts you run"),
        # Monitoring (3.2, 4.2, 5.1): SMT choose what is monitored; monitoring.access narrows the
        # alerts to those a person must see (runners: their accounts; DSL: safeguarding).
        _action("monitoring.view", {SMT, DSL, DEPUTY, STAFF}, False, "See monitoring alerts"),
        _action("monitoring.triage", {SMT, DSL, DEPUTY, STAFF}, True, "Act on monitoring alerts"),
        _action("monitoring.manage", {SMT}, True, "Choose and change what is monitored"),
        # Personal accounts and data protection (issue 18; privacy app). Everyone checks their own
        # connections and privacy settings; SMT see coverage (done or not, never the answers),
        # recruit (5.3), answer subject access requests and erase. A subject access export is
        # someone's whole record, so it counts as a write: read-only API tokens never get one.
        _action("privacy.self_check", {QD, SMT, DSL, DEPUTY, STAFF}, True, "Check your own connections"),
        _action("privacy.review", {QD, SMT, DSL, DEPUTY, STAFF}, True, "Review your own privacy settings"),
        _action("privacy.coverage", {SMT, AUDITOR}, False, "See privacy check coverage by department"),
        _action("recruitment.screen", {SMT}, True, "Record recruitment social media checks"),
        _action("privacy.subject_access", {SMT}, True, "Export what is held about a person"),
        _action("privacy.retention", {SMT}, True, "Review retention and erase people's records"),
        _action(
            "privacy.processing",
            {QD, SMT, DSL, DEPUTY, STAFF, AUDITOR},
            False,
            "Read the record of processing",
        ),
    ]
}


def roles_of(user: Any) -> frozenset[Role]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    roles: frozenset[Role] = user.roles
    return roles


def can(user: Any, action: str) -> bool:
    """True when `user` holds a role that `action` allows. Unknown actions are refused."""
    if action == PUBLIC:
        return True
    held = roles_of(user)
    if action == SIGNED_IN:
        return bool(held) or bool(getattr(user, "is_authenticated", False) and user.is_active)
    rule = ACTIONS.get(action)
    return rule is not None and bool(held & rule.roles)


def require(user: Any, action: str) -> None:
    if not can(user, action):
        raise PermissionDenied(f"you may not {describe(action)}")


def describe(action: str) -> str:
    rule = ACTIONS.get(action)
    return rule.description.lower() if rule else action


def is_write(action: str) -> bool:
    rule = ACTIONS.get(action)
    return bool(rule and rule.writes)


def needs_two_factor(user: Any) -> bool:
    return bool(roles_of(user) & TWO_FACTOR_ROLES)
