"""The consent register over the API: a learner's photo consent, a withdrawal, the MIS import.
The same services and access rules as the web pages (socialguard.consent.access)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from socialguard.api.auth import requires
from socialguard.api.contract import In, Text
from socialguard.api.problems import Problem
from socialguard.consent import access, selectors, services
from socialguard.consent.models import Scope
from socialguard.people.models import Learner

router = Router(tags=["consent"])


# consent.models.Status's codes (incidents has a Status of its own; tests/api/test_enums.py).
ConsentStatus = Literal["given", "refused", "withdrawn"]


class RecordOut(Schema):
    status: ConsentStatus
    scope: Scope
    given_by: str
    given_on: dt.date
    expires_on: dt.date | None
    evidence: str
    recorded_at: dt.datetime


class ConsentOut(Schema):
    learner_id: str
    name: str
    state: Literal["given", "refused", "withdrawn", "none", "expired", "lapsed"]
    may_post: bool
    lapses_on: dt.date | None
    history: list[RecordOut]


class ImportOut(Schema):
    recorded: int
    unchanged: int


def _learner(request: HttpRequest, learner_id: str) -> Learner:
    learner = Learner.objects.filter(external_id=learner_id).first()
    if learner is None or not access.may_view(request.user):
        raise Http404  # who is in the register is itself personal data
    return learner


def _out(learner: Learner) -> dict[str, Any]:
    state = selectors.state_of("learner", learner.external_id)
    return {
        "learner_id": learner.external_id,
        "name": learner.full_name,
        "state": state.code,
        "may_post": state.may_post,
        "lapses_on": state.lapses_on if state.may_post else None,
        "history": [
            {
                "status": r.status,
                "scope": r.scope,
                "given_by": r.given_by,
                "given_on": r.given_on,
                "expires_on": r.expires_on,
                "evidence": r.evidence,
                "recorded_at": r.recorded_at,
            }
            for r in selectors.history("learner", learner.external_id)
        ],
    }


@router.get(
    "/learners/{learner_id}", response={200: ConsentOut}, operation_id="get_learner_consent",
    auth=requires(access.VIEW),
)  # fmt: skip
def learner_consent(request: HttpRequest, learner_id: str) -> Any:
    """A learner's current social-media consent (derived from their latest record and the
    calendar) and its history. SMT, the DSL and account runners only."""
    return _out(_learner(request, learner_id))


class WithdrawIn(In):
    note: Text = ""


@router.post(
    "/learners/{learner_id}/withdraw", response={200: ConsentOut, 400: Problem},
    operation_id="withdraw_learner_consent", auth=requires(access.MANAGE),
)  # fmt: skip
def withdraw(request: HttpRequest, learner_id: str, payload: WithdrawIn) -> Any:
    """Withdraw now: recorded first, then pending posts are pulled back and takedowns opened."""
    learner = _learner(request, learner_id)
    services.consent_withdraw(
        actor=request.user, kind="learner", ref=learner_id, note=payload.note, source="api"
    )
    return Status(200, _out(learner))


@router.post(
    "/import", response={200: ImportOut, 400: Problem}, operation_id="import_consent",
    auth=requires(access.IMPORT),
)  # fmt: skip
def import_consent(request: HttpRequest, file: File[UploadedFile]) -> Any:
    """Consent recorded at enrolment in the MIS (CSV): all rows or none; errors by row and field."""
    result = services.consent_import(actor=request.user, data=file.read(), filename=file.name or "upload.csv")
    return Status(200, {"recorded": result.recorded, "unchanged": result.unchanged})
