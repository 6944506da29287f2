from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

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
    ("Rules pack", "policies:rules_pack", "rules.pack_view"),
    ("Rule quality", "policies:rule_quality", "rules.pack_view"),
    ("Photo consent", "consent:index", "consent.coverage"),
    ("Monitoring", "monitoring:alerts", "monitoring.view"),
    ("Your personal accounts", "privacy:index", "privacy.self_check"),
    ("Privacy coverage", "privacy:coverage", "privacy.coverage"),
    ("Recruitment checks", "privacy:screening_list", "recruitment.screen"),
    ("Subject access", "privacy:subject_access", "privacy.subject_access"),
    ("Retention", "privacy:retention", "privacy.retention"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """`nav`: (label, href, current) per link, where current is "page" on that page, "true" on a page
    below it (a case under Concerns) and "" elsewhere; `nav_current`: the label a phone's menu shows."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    if needs_two_factor(user) and not user.is_verified():
        return {"nav": []}  # every link would lead back to the two-factor page
    links = [
        (_label(user, label, name), reverse(name)) for label, name, action in NAVIGATION if can(user, action)
    ]
    # The longest link the path starts with is the section the page belongs to ("/" only for home).
    section = max(
        (
            href
            for _, href in links
            if request.path == href or (href != "/" and request.path.startswith(href))
        ),
        key=len,
        default="",
    )
    nav = [
        (label, href, ("page" if request.path == href else "true") if href == section else "")
        for label, href in links
    ]
    return {"nav": nav, "nav_current": next((label for label, _, current in nav if current), "")}


def _label(user: Any, label: str, name: str) -> str:
    # Someone who runs an account but cannot read the registry finds it on the proposals page.
    if name == "accounts:proposals" and not can(user, "accounts.view"):
        from socialguard.accounts.access import accounts_visible

        if accounts_visible(user).exists():
            return "Your accounts"
    return label
