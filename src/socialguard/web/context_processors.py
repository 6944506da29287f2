from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from socialguard.identity.permissions import can, needs_two_factor

# (label, url name, action): the navigation shows only what a person may open.
NAVIGATION = [
    ("Home", "web:home", "signed-in"),
    ("Policy", "policies:current", "policy.view"),
    ("Review", "policies:review", "policy.review"),
    ("Declarations", "policies:coverage", "declarations.view"),
    ("Training", "policies:training", "training.view"),
    ("Accounts", "accounts:registry", "accounts.view"),
    ("Propose an account", "accounts:proposals", "accounts.propose"),
    ("Posts", "posts:index", "posts.view"),
    ("Post archive", "posts:archive", "posts.archive"),
    ("Concerns", "incidents:list", "cases.view"),
    ("Report a concern", "incidents:report", "cases.report"),
    ("Concern statistics", "incidents:reports", "cases.reports"),
    ("Staff", "people:staff_list", "staff.view"),
    ("Learners", "people:learner_list", "learners.view"),
    ("Guardians", "people:guardian_list", "learners.view"),
    ("Import", "people:import", "people.import"),
    ("Sign-ins", "people:sign_ins", "users.manage"),
    ("Audit trail", "audit:events", "audit.view"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    if needs_two_factor(user) and not user.is_verified():
        return {"nav": []}  # every link would lead back to the two-factor page
    return {"nav": [(label, name) for label, name, action in NAVIGATION if can(user, action)]}
