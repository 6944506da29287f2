"""Schemathesis against the API document, once per role: generated requests (valid and invalid)
to every operation, over in-process WSGI, with seeded data so the ids it sends exist.

Asserts no 5xx, every status code documented, and every body matching its documented schema.
Deterministic for CI: derandomized, no example database. Bounded: EXAMPLES per operation the
role may use, FORBIDDEN_EXAMPLES where it answers 403 before reading the request.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from socialguard.accounts.models import AccountRunner, LeaverTask, OrgAccount, Proposal
from socialguard.content.models import Draft, PublishedPost
from socialguard.identity.models import TokenScope
from socialguard.identity.permissions import can
from socialguard.identity.services import token_create
from socialguard.incidents.models import Case, Evidence
from socialguard.people.models import Guardian, Learner
from socialguard.policies.models import PolicyVersion

EXAMPLES = 20
FORBIDDEN_EXAMPLES = 3
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
ROLES = ["staff", "smt", "dsl", "quality_director", "auditor"]


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """The real WSGI application, kept off the signal that closes the database connection after
    each request (as Django's test client does): the test's transaction, and on PostgreSQL its
    connection, must outlive every request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(restricted_case: Case, published: dict[str, Any], team: dict[str, Any]) -> dict[str, Any]:
    """One of everything an id in a path can name, and a user per role."""
    account = OrgAccount.objects.create(platform="x", handle="@dmm", login_email="social@dmm.example")
    AccountRunner.objects.create(account=account, staff=team["tutor"], is_lead=True)
    proposal = Proposal.objects.create(platform="instagram", handle="@dmm_new", proposer=team["boss"])
    LeaverTask.objects.create(account=account, staff=team["volunteer"], leave_date=dt.date.today())
    draft = Draft.objects.create(account=account, author=team["tutor"], text="Open day on Saturday")
    archived = PublishedPost.objects.create(
        draft=Draft.objects.create(account=account, author=team["tutor"], text="Open day", state="published"),
        account=account,
        platform="x",
        text="Open day",
        content_hash="0" * 64,
        drafter=team["tutor"],
        drafter_name=team["tutor"].full_name,
        verdict="pass",
        published_at=timezone.now(),
        url="https://x.com/dmm/status/1",
    )
    users = {
        "staff": team["tutor"].user,
        "smt": team["smt"],
        "dsl": team["dsl"],
        "quality_director": team["qd"],
        "auditor": team["auditor"],
    }
    ids = {
        "case_id": restricted_case.pk,
        "evidence_id": Evidence.objects.filter(case=restricted_case).values_list("pk", flat=True)[0],
        "version_id": PolicyVersion.objects.get().pk,
        "other_id": PolicyVersion.objects.get().pk,
        "proposal_id": proposal.pk,
        "account_id": account.pk,
        "draft_id": draft.pk,
        "post_id": archived.pk,
        "staff": team["boss"].pk,
        "learners": Learner.objects.first().pk,  # type: ignore[union-attr]
        "guardians": Guardian.objects.first().pk,  # type: ignore[union-attr]
    }
    return {"users": users, "ids": ids}


def _path_ids(operation: Any, ids: dict[str, int]) -> dict[str, int]:
    names = [p.name for p in operation.path_parameters]
    fixed = {n: ids[n] for n in names if n in ids}
    if "person_id" in names:
        fixed["person_id"] = ids[operation.path.split("/")[4]]  # /api/v1/people/<kind>/{person_id}
    return fixed


def _action(operation: Any) -> str:
    from socialguard.api.urls import api

    for router in api._get_bound_routers():
        for view in router.path_operations.values():
            for op in view.operations:
                if op.operation_id == operation.definition.raw.get("operationId"):
                    return str(op.auth_callbacks[0].action)
    raise AssertionError(operation.label)


def _run(operation: Any, token: str, ids: dict[str, int], examples: int, seen: Counter[int]) -> list[str]:
    headers = {"Authorization": f"Bearer {token}"}
    fixed = _path_ids(operation, ids)
    strategies = [operation.as_strategy(), operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)]
    if fixed:
        strategies.append(operation.as_strategy(path_parameters=fixed))

    @given(case=st.one_of(strategies))
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        response = case.call(headers=headers)
        seen[response.status_code] += 1
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        check()
    except BaseException as exc:  # hypothesis raises a group; collect it to report every operation
        if isinstance(exc, KeyboardInterrupt):
            raise
        return [f"{operation.label}: {exc!r}"[:4000]]
    return []


@pytest.mark.parametrize("role", ROLES)
def test_api_conforms_to_its_document(role: str, seeded: dict[str, Any], wsgi_app: Any) -> None:
    user = seeded["users"][role]
    token = token_create(user=user, name="schemathesis", scope=TokenScope.READ_WRITE).secret
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    started = time.monotonic()
    failures: list[str] = []
    seen: Counter[int] = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        allowed: Callable[[], bool] = lambda op=operation: can(user, _action(op))  # noqa: E731
        examples = EXAMPLES if allowed() else FORBIDDEN_EXAMPLES
        failures += _run(operation, token, seeded["ids"], examples, seen)
    print(
        f"schemathesis {role}: {time.monotonic() - started:.1f}s, {sum(seen.values())} requests {dict(seen)}"
    )
    assert not failures, "\n\n".join(failures)
    # Positive control: the walk reached real objects and did real work, not only refusals.
    assert seen[200] + seen[201] >= 20, seen
