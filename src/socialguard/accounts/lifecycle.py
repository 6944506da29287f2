"""After creation: monitoring reviews, runners joining and leaving, transfer and closure (3.2)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from socialguard.accounts.models import (
    AccountRunner,
    AccountStatus,
    LeaverTask,
    MonitoringReview,
    OrgAccount,
    VaultSecret,
)
from socialguard.accounts.services import runner_problems
from socialguard.audit.models import AuditEvent
from socialguard.audit.services import audit_record
from socialguard.identity.permissions import can
from socialguard.identity.services import leavers_access_withdraw
from socialguard.people.models import StaffMember

LIVE = (AccountStatus.ACTIVE, AccountStatus.SUSPENDED)


def _require_smt(actor: Any) -> None:
    if not can(actor, "accounts.manage"):
        raise PermissionDenied("only SMT manage organisational accounts")


def review_record(
    *, actor: Any, account: OrgAccount, looked_at: str, issues_found: str = "", actions: str = ""
) -> MonitoringReview:
    _require_smt(actor)
    if not looked_at.strip():
        raise ValidationError({"looked_at": "say what you looked at"})
    with transaction.atomic():
        review = MonitoringReview.objects.create(
            account=account,
            reviewer=actor,
            reviewed_on=timezone.localdate(),
            looked_at=looked_at.strip(),
            issues_found=issues_found.strip(),
            actions=actions.strip(),
        )
        audit_record(
            actor=actor,
            action="accounts.reviewed",
            target=account,
            after={
                "looked_at": review.looked_at,
                "issues_found": review.issues_found,
                "actions": review.actions,
            },
        )
    return review


def review_due(account: OrgAccount) -> dt.date:
    last = account.reviews.first()
    return review_due_after(account, last.reviewed_on if last else None)


def review_due_after(account: OrgAccount, last_reviewed_on: dt.date | None) -> dt.date:
    """When the next monitoring review is due, given the day of the last one (None: never)."""
    start = last_reviewed_on or timezone.localdate(account.created_at)
    return start + dt.timedelta(days=account.review_every_days)


def _revealed_by(staff: StaffMember, account: OrgAccount) -> list[VaultSecret]:
    """Secrets this person saw: revealed by them, or revealed by SMT to hand to them."""
    ids = {str(pk) for pk in account.secrets.values_list("pk", flat=True)}
    who = Q(after__for_staff=staff.external_id)
    if staff.user_id is not None:
        who |= Q(actor_id=staff.user_id)
    seen = set(
        AuditEvent.objects.filter(
            who, action="vault.secret_revealed", object_type="accounts.vaultsecret"
        ).values_list("object_id", flat=True)
    )
    return list(account.secrets.filter(pk__in=[int(i) for i in ids & seen]))


def leavers_scan(today: dt.date | None = None) -> list[LeaverTask]:
    """Raise a task for every live account a leaving runner runs; on their leave date withdraw
    their runner role and their sign-in. Safe to run daily: nothing is raised twice."""
    today = today or timezone.localdate()
    raised = []
    runners = AccountRunner.objects.filter(
        active=True, account__status__in=LIVE, staff__leave_date__isnull=False
    ).select_related("staff", "account")
    for runner in runners:
        with transaction.atomic():
            task, created = LeaverTask.objects.get_or_create(
                account=runner.account,
                staff=runner.staff,
                defaults={"was_lead": runner.is_lead, "leave_date": runner.staff.leave_date},
            )
            if created:
                task.secrets_to_rotate.set(_revealed_by(runner.staff, runner.account))
                audit_record(
                    actor=None,
                    action="accounts.leaver_task_raised",
                    target=task,
                    after={
                        "account": str(runner.account),
                        "staff": runner.staff.external_id,
                        "lead": runner.is_lead,
                        "leave_date": runner.staff.leave_date,
                        "rotate": [str(s) for s in task.secrets_to_rotate.all()],
                    },
                )
                raised.append(task)
            if runner.staff.leave_date is not None and runner.staff.leave_date <= today:
                _withdraw(runner, reason="left the organisation")
                tasks_refresh_on_commit(runner.account)
    for member in StaffMember.objects.filter(leave_date__lte=today, user__is_active=True).select_related(
        "user"
    ):
        if member.user is not None:
            # Sessions and API tokens alike (identity), as when the leave date is saved.
            leavers_access_withdraw([member.user], reason=f"leave date {member.leave_date} reached")
    return raised


def tasks_refresh_on_commit(account: OrgAccount) -> None:
    """A service that changes what a leaver task waits for (runners, the lead, a credential, the
    account's closure) calls this, so no view, API operation or command has to remember to.

    A direct call after the commit, not a queued task: it reads only this account's open leaver
    tasks (none, or a few, for weeks at most), a handful of queries, so it costs the request
    little, and the page that follows the change already shows the task done. `robust`: were it
    to fail, the change has committed all the same; the failure is logged and the daily leavers
    job refreshes every task again."""
    account_id = account.pk
    transaction.on_commit(lambda: tasks_refresh(account_id), robust=True)


def _withdraw(runner: AccountRunner, reason: str, actor: Any = None) -> None:
    runner.active = False
    runner.removed_at = timezone.now()
    runner.save(update_fields=["active", "removed_at"])
    audit_record(
        actor=actor,
        action="accounts.runner_removed",
        target=runner.account,
        after={"staff": runner.staff.external_id, "reason": reason},
    )


def runner_roles_withdraw(*, actor: Any, staff: StaffMember, reason: str) -> list[OrgAccount]:
    """Suspend every runner role this person holds on a live account, e.g. when a case ends with
    "social media access withdrawn" (5.4). Returns the accounts; the registry then shows any
    account left without a lead or two runners."""
    withdrawn = []
    runners = AccountRunner.objects.filter(staff=staff, active=True, account__status__in=LIVE)
    for runner in runners.select_related("account", "staff"):
        _withdraw(runner, reason=reason, actor=actor)
        withdrawn.append(runner.account)
        tasks_refresh_on_commit(runner.account)
    return withdrawn


def runner_add(*, actor: Any, account: OrgAccount, staff: StaffMember) -> AccountRunner:
    _require_smt(actor)
    problems = runner_problems(staff)
    if problems:
        raise ValidationError(problems)
    if account.runners.filter(staff=staff, active=True).exists():
        raise ValidationError(f"{staff.full_name} already runs this account")
    with transaction.atomic():
        runner = AccountRunner.objects.create(account=account, staff=staff)
        audit_record(
            actor=actor, action="accounts.runner_added", target=account, after={"staff": staff.external_id}
        )
        tasks_refresh_on_commit(account)
    return runner


def lead_transfer(*, actor: Any, account: OrgAccount, to: StaffMember) -> None:
    """Make `to` (an active, trained runner who is not leaving) the lead."""
    _require_smt(actor)
    target = account.runners.filter(staff=to, active=True).first()
    if target is None:
        raise ValidationError(f"{to.full_name} does not run this account; add them as a runner first")
    if to.leave_date:
        raise ValidationError(f"{to.full_name} is leaving too; choose someone staying")
    problems = runner_problems(to)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        previous = account.runners.filter(is_lead=True, active=True).first()
        account.runners.filter(is_lead=True).update(is_lead=False)
        target.is_lead = True
        target.save(update_fields=["is_lead"])
        audit_record(
            actor=actor,
            action="accounts.lead_transferred",
            target=account,
            before={"lead": previous.staff.external_id if previous else None},
            after={"lead": to.external_id},
        )
        tasks_refresh_on_commit(account)


def runner_remove(*, actor: Any, account: OrgAccount, staff: StaffMember) -> None:
    _require_smt(actor)
    runner = account.runners.filter(staff=staff, active=True).first()
    if runner is None:
        raise ValidationError(f"{staff.full_name} does not run this account")
    if runner.is_lead:
        raise ValidationError("transfer the lead to someone else first")
    with transaction.atomic():
        _withdraw(runner, reason="removed by SMT", actor=actor)
        tasks_refresh_on_commit(account)


def account_close(*, actor: Any, account: OrgAccount, closed_on: dt.date, how: str) -> OrgAccount:
    _require_smt(actor)
    if account.status == AccountStatus.CLOSED:
        raise ValidationError("this account is already closed")
    if not how.strip():
        raise ValidationError({"how": "record how the account was closed on the platform"})
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": "record the closure once it has happened"})
    with transaction.atomic():
        account.status = AccountStatus.CLOSED
        account.closed_on = closed_on
        account.closure_note = how.strip()
        account.save(update_fields=["status", "closed_on", "closure_note"])
        for runner in account.runners.filter(active=True):
            _withdraw(runner, reason="account closed", actor=actor)
        audit_record(
            actor=actor,
            action="accounts.closed",
            target=account,
            after={"closed_on": closed_on, "how": account.closure_note},
        )
        tasks_refresh_on_commit(account)
    return account


@dataclass
class TaskState:
    task: LeaverTask
    steps: list[tuple[str, bool]]

    @property
    def done(self) -> bool:
        return all(ok for _, ok in self.steps)


def task_state(task: LeaverTask) -> TaskState:
    account = task.account
    if account.status == AccountStatus.CLOSED:
        return TaskState(task, [("Account closed", True)])
    runners = account.runners.all()
    if "runners" not in getattr(account, "_prefetched_objects_cache", {}):
        runners = runners.select_related("staff")  # a list prefetches them (with staff) for a page
    staying = [r for r in runners if r.active and r.staff.leave_date is None]
    lead_ok = any(r.is_lead for r in staying)
    steps = [
        (
            "Lead transferred to a runner who is staying" if task.was_lead else "Lead is someone staying",
            lead_ok,
        ),
        (f"At least two runners who are staying ({len(staying)} now)", len(staying) >= 2),
    ]
    for secret in task.secrets_to_rotate.all():
        steps.append(
            (f"Change the {secret.get_kind_display().lower()} they saw", secret.changed_at > task.created_at)
        )
    return TaskState(task, steps)


def tasks_refresh(account_id: int | None = None) -> int:
    """Mark tasks done once every step is (of one account's tasks, given its id); returns how
    many closed."""
    closed = 0
    open_tasks = LeaverTask.objects.filter(done_at__isnull=True)
    if account_id is not None:
        open_tasks = open_tasks.filter(account_id=account_id)
    for task in open_tasks.select_related("account", "staff"):
        if task_state(task).done:
            with transaction.atomic():
                task.done_at = timezone.now()
                task.save(update_fields=["done_at"])
                audit_record(
                    actor=None,
                    action="accounts.leaver_task_done",
                    target=task,
                    after={"account": str(task.account)},
                )
            closed += 1
    return closed
