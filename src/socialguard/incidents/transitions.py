"""A case's states and what moves it between them: one table, read by the services (which take
each step through `CASES.apply`), the case page and the API (`allowed_actions`).

new → triaged → investigating ⇄ awaiting referral → closed. Actions that leave the state as it
is (a task, a person added, an escalation) are rows too, so that "only while the case is open"
is written here once and not in each service and template.
"""

from __future__ import annotations

from typing import Any

from socialguard.identity.permissions import can
from socialguard.identity.workflow import Step, Workflow
from socialguard.incidents.access import is_involved, may_manage
from socialguard.incidents.models import Case, Status

NEW, TRIAGED, INVESTIGATING, AWAITING, CLOSED = (
    Status.NEW,
    Status.TRIAGED,
    Status.INVESTIGATING,
    Status.AWAITING_REFERRAL,
    Status.CLOSED,
)
WORKING = (TRIAGED, INVESTIGATING, AWAITING)
OPEN = (NEW, *WORKING)


def may_anonymise(user: Any, case: Case) -> bool:
    return can(user, "cases.retention") and may_manage(user, case)


def _unrestricted(case: Case) -> bool:
    return not case.restricted


def _kept_past_retention(case: Case) -> bool:
    # The date itself is the service's to check: it is given the day (the CLI's, a test's).
    return case.anonymised_at is None and case.retain_until is not None


def set_status(status: str) -> str:
    """The action that sets a working status by hand (the case page's "Change status")."""
    return f"set_{status}"


TRANSITIONS: dict[tuple[str, str], Step] = {
    # Triage decides severity and investigator; again later, it changes them and keeps the state.
    (NEW, "triage"): Step(TRIAGED, may_manage),
    **{(s, "triage"): Step(s, may_manage) for s in WORKING},
    **{(s, set_status(to)): Step(to, may_manage) for s in WORKING for to in WORKING},
    # The first entry after triage starts the investigation.
    (NEW, "add_entry"): Step(NEW, may_manage),
    (TRIAGED, "add_entry"): Step(INVESTIGATING, may_manage),
    (INVESTIGATING, "add_entry"): Step(INVESTIGATING, may_manage),
    (AWAITING, "add_entry"): Step(AWAITING, may_manage),
    **{(s, "add_task"): Step(s, may_manage) for s in OPEN},
    **{(s, "add_party"): Step(s, may_manage) for s in OPEN},
    **{(s, "refer"): Step(AWAITING, may_manage) for s in OPEN},
    # Taken by the service when the last outstanding referral is answered.
    (AWAITING, "referrals_answered"): Step(INVESTIGATING, may_manage),
    **{(s, "escalate"): Step(s, may_manage, when=_unrestricted) for s in OPEN},
    **{(s, "close"): Step(CLOSED, may_manage) for s in WORKING},
    (CLOSED, "anonymise"): Step(CLOSED, may_anonymise, when=_kept_past_retention),
}


def _not_permitted(user: Any, case: Case, action: str) -> str:
    if is_involved(user, case):
        return "you are involved in this case, so someone else must handle it"
    if action == "anonymise" and not can(user, "cases.retention"):
        return "you may not anonymise cases"
    return "you may not work on this case"


def _not_now(case: Case, action: str) -> str:
    if action == "anonymise":
        if case.status != CLOSED or case.retain_until is None:
            return "only closed cases are anonymised"
        return f"case {case.reference} is already anonymised"
    if case.status == CLOSED:
        return f"case {case.reference} is closed"
    if action == "close":
        return "triage the case before closing it"
    if action.startswith("set_"):
        return "triage the case first: severity and investigator"
    if action == "escalate":
        return "this case is already restricted to the DSL and deputies"
    return f"case {case.reference} is {case.get_status_display().lower()}"


CASES = Workflow(Case, TRANSITIONS, not_permitted=_not_permitted, not_now=_not_now)


def allowed_actions(case: Case, user: Any) -> list[str]:
    return CASES.allowed_actions(case, user)
