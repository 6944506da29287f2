"""Policy fixtures for any test (registered in tests/conftest.py): a small policy in our own words in
two versions, people with sign-ins, and a real SMTP server."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import LazySettings

from socialguard.identity.roles import Role
from socialguard.policies import services
from socialguard.policies.models import PolicyVersion
from tests.smtp import Inbox, smtp_server

V1 = """# Social Media Policy

Issue Date\tFebruary 2022
Date of Next Review\tFebruary 2023
Responsibility\tQuality Director

## 1 Purpose

1.1 This policy sets the standards staff keep on social media.

## 4 Legislation

### 4.1 Social Media

- Malicious Communications Act 1988
- Working together to safeguard children (2018)

## 5 The Policy

## 5.2 Expected standards

Be professional. Concerns may go to the Local Safeguarding Children Board (LSCB).

### 5.5 Process for creating new accounts

Propose new accounts to the senior management team.

### Declaration

Everyone confirms they have read the policy.
"""

V2 = (
    V1.replace(
        "Be professional. Concerns may go to the Local Safeguarding Children Board (LSCB).",
        "Be professional and kind. Concerns go to the local safeguarding partnership.",
    ).replace(
        "- Working together to safeguard children (2018)",
        "- Working Together to Safeguard Children 2023\n- Online Safety Act 2023",
    )
    + "\n### 5.6 Closing accounts\n\nSMT close accounts when their lead leaves.\n"
)


def import_version(actor: Any, text: str, name: str = "policy.md") -> PolicyVersion:
    return services.policy_import(actor=actor, data=text.encode(), filename=name)


@pytest.fixture
def people(register: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    """The register's staff with sign-ins, plus a Quality Director and an SMT member."""
    qd = make_user(Role.QUALITY_DIRECTOR, Role.STAFF, email="qd@dmm.example", name="Quinn Director")
    smt = make_user(Role.SMT, email="smt@dmm.example", name="Sam Senior")
    for key in ("boss", "tutor", "volunteer"):
        member = register[key]
        member.email = f"{member.first_name.lower()}@dmm.example"
        member.user = make_user(Role.STAFF, email=member.email, name=member.full_name)
        member.save()
    return {**register, "qd": qd, "smt": smt}


@pytest.fixture
def published(people: dict[str, Any]) -> dict[str, Any]:
    """Version 1 published as DMM's was: issued February 2022, review due February 2023 (overdue)."""
    v1 = import_version(people["qd"], V1)
    services.version_publish(
        actor=people["qd"], version=v1, issue_date=dt.date(2022, 2, 1), next_review_date=dt.date(2023, 2, 1)
    )
    v1.refresh_from_db()
    return {**people, "v1": v1}


@pytest.fixture
def mailbox(settings: LazySettings) -> Iterator[Inbox]:
    with smtp_server() as (inbox, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        yield inbox
