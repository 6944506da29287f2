"""A policy version's states and what moves it between them: one table, read by the services
(each step through `VERSIONS.apply`), the version page and the API (`allowed_actions`).

draft → in review → published → retired; a draft may be published without a review. A version
retires when the next one is published (a step the publishing service takes on the old one).
"""

from __future__ import annotations

from typing import Any

from socialguard.identity.workflow import Step, Workflow
from socialguard.policies.access import may_manage
from socialguard.policies.models import PolicyVersion, VersionStatus

DRAFT, IN_REVIEW, PUBLISHED, RETIRED = (
    VersionStatus.DRAFT,
    VersionStatus.IN_REVIEW,
    VersionStatus.PUBLISHED,
    VersionStatus.RETIRED,
)

TRANSITIONS: dict[tuple[str, str], Step] = {
    (DRAFT, "submit_for_review"): Step(IN_REVIEW, may_manage),
    (DRAFT, "publish"): Step(PUBLISHED, may_manage),
    (IN_REVIEW, "publish"): Step(PUBLISHED, may_manage),
    (PUBLISHED, "retire"): Step(RETIRED, may_manage),
}


def _not_permitted(user: Any, version: PolicyVersion, action: str) -> str:
    return "only the Quality Director imports, publishes and retires policy versions"


def _not_now(version: PolicyVersion, action: str) -> str:
    status = version.get_status_display().lower()
    if action == "submit_for_review":
        return f"only a draft can go to review; version {version.number} is {status}"
    if action == "publish":
        return f"version {version.number} is {status}; only a draft or a version in review can be published"
    return f"version {version.number} is {status}"


VERSIONS = Workflow(PolicyVersion, TRANSITIONS, not_permitted=_not_permitted, not_now=_not_now)


def allowed_actions(version: PolicyVersion, user: Any) -> list[str]:
    return VERSIONS.allowed_actions(version, user)
