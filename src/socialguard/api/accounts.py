"""Organisational accounts over the API. Revealing a credential is deliberately web-only: it
needs a fresh second factor, which an API token cannot prove."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from socialguard.accounts import access, lifecycle, selectors, services, transitions, vault
from socialguard.accounts.models import (
    AccountRunner,
    AccountStatus,
    LeaverTask,
    OrgAccount,
    Platform,
    Proposal,
    ProposalStatus,
    SecretKind,
    VaultSecret,
    Visibility,
)
from socialguard.api.auth import requires
from socialguard.api.contract import Days, In, ObjectId, Paging, Text, stored_length
from socialguard.api.lazy import Mapped, PageMapped
from socialguard.api.problems import Problem, problem
from socialguard.identity.models import User
from socialguard.identity.permissions import SIGNED_IN
from socialguard.people.models import StaffMember

router = Router(tags=["accounts"])


class RunnerOut(Schema):
    staff_id: str
    name: str
    lead: bool


class AccountOut(Schema):
    id: int
    platform: Platform
    handle: str
    status: AccountStatus
    login_email: str
    monitor: str | None
    runners: list[RunnerOut]
    warnings: list[str]


def _account_out(row: selectors.RegistryRow) -> dict[str, Any]:
    return {
        "id": row.account.pk,
        "platform": row.account.platform,
        "handle": row.account.handle,
        "status": row.account.status,
        "login_email": row.account.login_email,
        "monitor": row.account.monitor.email if row.account.monitor else None,
        "runners": [
            {"staff_id": r.staff.external_id, "name": r.staff.full_name, "lead": r.is_lead}
            for r in row.runners
        ],
        "warnings": row.warnings,
    }


# Signed in is enough to ask: access.py answers with what this person may see (maybe nothing).
@router.get("", response=list[AccountOut], operation_id="list_accounts", auth=requires(SIGNED_IN))
@paginate(Paging)
def list_accounts(request: HttpRequest) -> Any:
    visible = access.accounts_visible(request.user)
    # The registry's warnings are worked out for the page only, in a fixed number of queries.
    return PageMapped(
        visible,
        lambda page: [
            _account_out(row)
            for row in selectors.registry(accounts=visible.filter(pk__in=[a.pk for a in page]))
        ],
    )


class ProposalIn(In):
    platform: Platform
    handle: Text = Field("", max_length=stored_length(Proposal, "handle"))
    aim: Text = ""
    audience: Text = ""
    promotion: Text = ""
    runner_ids: list[Text]  # staff register ids
    lead_id: Text
    two_factor: bool = True
    shared_mailbox: Text = Field("", max_length=stored_length(Proposal, "shared_mailbox"))
    recovery_codes_holder: Text = Field("", max_length=stored_length(Proposal, "recovery_codes_holder"))
    security_notes: Text = ""
    visibility: Visibility = Visibility.OPEN


class ProposalOut(Schema):
    id: int
    status: ProposalStatus
    handle: str
    platform: Platform
    blockers: list[str]
    # The steps the caller may take now (accounts.transitions), read from one proposal.
    allowed_actions: list[str] = []


def _proposal_out(p: Proposal, *, blockers: bool = True) -> dict[str, Any]:
    return _proposals_out([p], blockers=blockers)[0]


def _proposals_out(proposals: Sequence[Proposal], *, blockers: bool) -> list[dict[str, Any]]:
    waiting = [p for p in proposals if p.status == ProposalStatus.SUBMITTED] if blockers else []
    found = services.proposals_blockers(waiting) if waiting else {}
    return [
        {
            "id": p.pk,
            "status": p.status,
            "handle": p.handle,
            "platform": p.platform,
            "blockers": [b.text for b in found.get(p.pk, [])],
        }
        for p in proposals
    ]


@router.get("/proposals", response=list[ProposalOut], operation_id="list_proposals", auth=requires(SIGNED_IN))
@paginate(Paging)
def list_proposals(request: HttpRequest) -> Any:
    """The proposals the caller may see: all for the registry readers, else those naming them."""
    blockers = access.sees_blockers(request.user)
    return PageMapped(
        access.proposals_visible(request.user), lambda page: _proposals_out(page, blockers=blockers)
    )


@router.get(
    "/proposals/{proposal_id}", response=ProposalOut, operation_id="get_proposal", auth=requires(SIGNED_IN)
)
def get_proposal(request: HttpRequest, proposal_id: ObjectId) -> Any:
    """A proposal the caller may see (404 otherwise, as on its web page)."""
    proposal = get_object_or_404(access.proposals_visible(request.user), pk=proposal_id)
    out = _proposal_out(proposal, blockers=access.sees_blockers(request.user))
    return {**out, "allowed_actions": transitions.allowed_actions(proposal, request.user)}


@router.post(
    "/proposals",
    response={201: ProposalOut, 400: Problem},
    operation_id="propose_account",
    auth=requires("accounts.propose"),
)
def propose(request: HttpRequest, payload: ProposalIn) -> Any:
    staff = {
        s.external_id: s
        for s in StaffMember.objects.filter(external_id__in=[*payload.runner_ids, payload.lead_id])
    }
    unknown = [i for i in [*payload.runner_ids, payload.lead_id] if i not in staff]
    if unknown:
        return Status(400, problem(f"unknown staff id(s): {', '.join(unknown)}", field="runner_ids"))
    ids = list(dict.fromkeys([*payload.runner_ids, payload.lead_id]))
    runners = [services.RunnerChoice(staff[i], i == payload.lead_id) for i in ids]
    values = payload.dict(exclude={"runner_ids", "lead_id"})
    proposal = services.proposal_submit(actor=request.user, values=values, runners=runners)
    return Status(201, _proposal_out(proposal, blockers=access.sees_blockers(request.user)))


class DecisionIn(In):
    approve: bool
    reason: Text = ""


@router.post(
    "/proposals/{proposal_id}/decision",
    response={200: ProposalOut, 400: Problem},
    operation_id="decide_proposal",
    auth=requires("accounts.decide"),
)
def decide(request: HttpRequest, proposal_id: ObjectId, payload: DecisionIn) -> Any:
    proposal = get_object_or_404(Proposal, pk=proposal_id)
    services.proposal_decide(actor=request.user, proposal=proposal, **payload.dict())
    return Status(200, _proposal_out(proposal))


class AccountCreateIn(In):
    handle: Text = Field(max_length=stored_length(OrgAccount, "handle"))
    url: Text = ""  # the service says how long (web_address)
    login_email: Text = Field(max_length=stored_length(OrgAccount, "login_email"))
    two_factor_enabled: bool
    visibility: Visibility = Visibility.OPEN
    monitor_email: Text
    review_every_days: Days = 30


class AccountCreatedOut(Schema):
    id: int
    handle: str


@router.post(
    "/proposals/{proposal_id}/account",
    response={201: AccountCreatedOut, 400: Problem},
    operation_id="create_account",
    auth=requires("accounts.manage"),
)
def create(request: HttpRequest, proposal_id: ObjectId, payload: AccountCreateIn) -> Any:
    proposal = get_object_or_404(Proposal, pk=proposal_id)
    values = payload.dict(exclude={"monitor_email"})
    monitor = User.objects.filter(email__iexact=payload.monitor_email, is_active=True).first()
    account = services.account_create(actor=request.user, proposal=proposal, monitor=monitor, **values)
    return Status(201, {"id": account.pk, "handle": account.handle})


class AccountReviewIn(In):
    looked_at: Text
    issues_found: Text = ""
    actions: Text = ""


class AccountReviewOut(Schema):
    reviewed_on: dt.date
    next_due: dt.date


@router.post(
    "/{account_id}/reviews",
    response={201: AccountReviewOut, 400: Problem},
    operation_id="review_account",
    auth=requires("accounts.manage"),
)
def review(request: HttpRequest, account_id: ObjectId, payload: AccountReviewIn) -> Any:
    account = get_object_or_404(OrgAccount, pk=account_id)
    r = lifecycle.review_record(actor=request.user, account=account, **payload.dict())
    return Status(201, {"reviewed_on": r.reviewed_on, "next_due": lifecycle.review_due(account)})


class SecretIn(In):
    kind: SecretKind
    value: Text
    label: Text = Field("", max_length=stored_length(VaultSecret, "label"))
    rotate_every_days: Days | None = 180  # null: never due for rotation


class SecretOut(Schema):
    id: int
    kind: SecretKind
    changed_at: dt.datetime


@router.post(
    "/{account_id}/secrets",
    response={201: SecretOut, 400: Problem},
    operation_id="store_secret",
    auth=requires("vault.manage"),
)
def store_secret(request: HttpRequest, account_id: ObjectId, payload: SecretIn) -> Any:
    """Store or change a credential. The value is never returned; reveal it on the web page."""
    account = get_object_or_404(OrgAccount, pk=account_id)
    secret = vault.secret_store(actor=request.user, account=account, **payload.dict())
    return Status(201, {"id": secret.pk, "kind": secret.kind, "changed_at": secret.changed_at})


class LeaverStepOut(Schema):
    step: str
    done: bool


class LeaverTaskOut(Schema):
    account: str
    staff_id: str
    leave_date: dt.date
    done: bool
    steps: list[LeaverStepOut]


@router.get(
    "/leaver-tasks",
    response=list[LeaverTaskOut],
    operation_id="list_leaver_tasks",
    auth=requires("accounts.view"),
)
@paginate(Paging)
def leaver_tasks(request: HttpRequest) -> Any:
    return Mapped(
        LeaverTask.objects.select_related("account", "staff").prefetch_related(
            Prefetch("account__runners", AccountRunner.objects.select_related("staff")), "secrets_to_rotate"
        ),
        lambda t: {
            "account": str(t.account),
            "staff_id": t.staff.external_id,
            "leave_date": t.leave_date,
            "done": t.done_at is not None,
            "steps": [{"step": s, "done": ok} for s, ok in lifecycle.task_state(t).steps],
        },
    )


class StaffRefIn(In):
    staff_id: Text  # a staff register id (S012)


class DoneOut(Schema):
    ok: bool


def _staff(staff_id: str) -> StaffMember:
    member = StaffMember.objects.filter(external_id=staff_id).first()
    if member is None:
        raise HttpError(400, f"staff_id: unknown staff id {staff_id!r}")
    return member


def _lifecycle_call(call: Any) -> Any:
    call()
    return Status(200, {"ok": True})


@router.post(
    "/{account_id}/runners",
    response={200: DoneOut, 400: Problem},
    operation_id="add_runner",
    auth=requires("accounts.manage"),
)
def add_runner(request: HttpRequest, account_id: ObjectId, payload: StaffRefIn) -> Any:
    account = get_object_or_404(OrgAccount, pk=account_id)
    return _lifecycle_call(
        lambda: lifecycle.runner_add(actor=request.user, account=account, staff=_staff(payload.staff_id))
    )


@router.post(
    "/{account_id}/lead",
    response={200: DoneOut, 400: Problem},
    operation_id="transfer_lead",
    auth=requires("accounts.manage"),
)
def transfer_lead(request: HttpRequest, account_id: ObjectId, payload: StaffRefIn) -> Any:
    account = get_object_or_404(OrgAccount, pk=account_id)
    return _lifecycle_call(
        lambda: lifecycle.lead_transfer(actor=request.user, account=account, to=_staff(payload.staff_id))
    )


class AccountCloseIn(In):
    closed_on: dt.date
    how: Text


@router.post(
    "/{account_id}/close",
    response={200: DoneOut, 400: Problem},
    operation_id="close_account",
    auth=requires("accounts.manage"),
)
def close(request: HttpRequest, account_id: ObjectId, payload: AccountCloseIn) -> Any:
    account = get_object_or_404(OrgAccount, pk=account_id)
    return _lifecycle_call(
        lambda: lifecycle.account_close(
            actor=request.user, account=account, closed_on=payload.closed_on, how=payload.how
        )
    )


# Last: a path of its own (/proposals, /leaver-tasks) must match before this one.
@router.get("/{account_id}", response=AccountOut, operation_id="get_account", auth=requires(SIGNED_IN))
def get_account(request: HttpRequest, account_id: ObjectId) -> Any:
    """An account the caller may see (404 otherwise, as on its web page)."""
    visible = access.accounts_visible(request.user).filter(pk=account_id)
    rows = selectors.registry(accounts=visible)
    if not rows:
        raise Http404
    return _account_out(rows[0])
