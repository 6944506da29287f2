"""Reads: the registry of accounts with the warnings SMT must act on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from socialguard.accounts.models import AccountRunner, AccountStatus, OrgAccount, Proposal, ProposalStatus


def active_runner_ids() -> Iterable[int]:
    return AccountRunner.objects.filter(
        active=True, account__status__in=[AccountStatus.ACTIVE, AccountStatus.SUSPENDED]
    ).values_list("staff_id", flat=True)


@dataclass
class RegistryRow:
    account: OrgAccount
    runners: list[AccountRunner]
    warnings: list[str] = field(default_factory=list)


def registry(today: dt.date | None = None) -> list[RegistryRow]:
    from socialguard.accounts.lifecycle import review_due
    from socialguard.accounts.services import runner_problems

    today = today or timezone.localdate()
    rows = []
    for account in OrgAccount.objects.select_related("monitor").prefetch_related("runners__staff"):
        runners = [r for r in account.runners.all() if r.active]
        row = RegistryRow(account, runners)
        if account.status in (AccountStatus.ACTIVE, AccountStatus.SUSPENDED):
            in_post = [r for r in runners if not r.staff.has_left]
            if len(in_post) < 2:
                row.warnings.append(
                    f"only {len(in_post)} active runner{'s' if len(in_post) != 1 else ''} (5.5 asks for two)"
                )
            for runner in runners:
                row.warnings += runner_problems(runner.staff)
                if runner.staff.leave_date and not runner.staff.has_left:
                    role = "lead" if runner.is_lead else "runner"
                    row.warnings.append(
                        f"{role} {runner.staff.full_name} leaves on {runner.staff.leave_date:%-d %B %Y}"
                    )
            due = review_due(account)
            if due < today:
                row.warnings.append(f"monitoring review overdue since {due:%-d %B %Y}")
            for task in account.leaver_tasks.filter(done_at__isnull=True).select_related("staff"):
                row.warnings.append(
                    f"leaver task open: {task.staff.full_name} (leaves {task.leave_date:%-d %B %Y})"
                )
        rows.append(row)
    return rows


def open_proposals() -> list[Proposal]:
    return list(
        Proposal.objects.filter(status__in=[ProposalStatus.SUBMITTED, ProposalStatus.APPROVED])
        .select_related("proposer")
        .prefetch_related("runners__staff")
    )
