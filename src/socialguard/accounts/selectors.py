"""Reads: the registry of accounts with the warnings SMT must act on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone

from socialguard.accounts.models import (
    AccountRunner,
    AccountStatus,
    LeaverTask,
    OrgAccount,
    Proposal,
    ProposalRunner,
    ProposalStatus,
)
from socialguard.people.models import StaffMember


def active_runner_ids() -> Iterable[int]:
    return AccountRunner.objects.filter(
        active=True, account__status__in=[AccountStatus.ACTIVE, AccountStatus.SUSPENDED]
    ).values_list("staff_id", flat=True)


def proposed_runner_ids() -> Iterable[int]:
    """Runners named in a proposal awaiting its decision or its account: approval needs their runner
    training (5.5), so the training page counts them too instead of showing 100 % while it blocks."""
    return ProposalRunner.objects.filter(
        proposal__status__in=[ProposalStatus.SUBMITTED, ProposalStatus.APPROVED]
    ).values_list("staff_id", flat=True)


def runner_since() -> dict[int, dt.date]:
    """The day each current or proposed runner was first named as one: runner training (5.5) falls
    due a grace period after that, so someone who joined years ago is not 'overdue since' then."""
    since: dict[int, dt.date] = {}
    named = [
        *AccountRunner.objects.filter(active=True).values_list("staff_id", "added_at"),
        *ProposalRunner.objects.filter(
            proposal__status__in=[ProposalStatus.SUBMITTED, ProposalStatus.APPROVED]
        ).values_list("staff_id", "proposal__submitted_at"),
    ]
    for staff_id, at in named:
        day = timezone.localdate(at)
        since[staff_id] = min(day, since.get(staff_id, day))
    return since


# A list of people this short is offered in full (picker.js filters it in the page); a longer one
# is searched, and a search lists at most FOUND_MAX (the proposal form and the account page).
SHOW_ALL = 40
FOUND_MAX = 20


def matching(people: QuerySet[StaffMember], find: str) -> QuerySet[StaffMember]:
    """People whose names contain every word of `find`, or whose staff ID is one of them."""
    for word in find.split():
        people = people.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(external_id__iexact=word)
        )
    return people


@dataclass(frozen=True)
class RunnerCandidates:
    offered: list[StaffMember]
    leaving: list[StaffMember]  # in post but with a leave date: not offered, and the page says why
    searching: bool = False  # too many to offer: only those matching `find` are
    find: str = ""
    more: bool = False  # more than FOUND_MAX matched


def runner_candidates(account: OrgAccount, today: dt.date | None = None, find: str = "") -> RunnerCandidates:
    """Who SMT may add as a runner: staff in post who do not already run this account. Past
    SHOW_ALL of them, only the first FOUND_MAX matching `find` (none without it)."""
    from socialguard.policies.selectors import staff_in_post

    current = AccountRunner.objects.filter(account=account, active=True).values_list("staff_id", flat=True)
    people = staff_in_post(today).exclude(pk__in=current).order_by("last_name", "first_name", "pk")
    searching = people.count() > SHOW_ALL
    if searching:
        find = find.strip()
        found = list(matching(people, find)[: FOUND_MAX + 1]) if find else []
        more, people_list = len(found) > FOUND_MAX, found[:FOUND_MAX]
    else:
        more, people_list = False, list(people)
    return RunnerCandidates(
        [p for p in people_list if p.leave_date is None],
        [p for p in people_list if p.leave_date is not None],
        searching=searching,
        find=find if searching else "",
        more=more,
    )


@dataclass
class RegistryRow:
    account: OrgAccount
    runners: list[AccountRunner]
    warnings: list[str] = field(default_factory=list)


def registry(today: dt.date | None = None, accounts: QuerySet[OrgAccount] | None = None) -> list[RegistryRow]:
    """Each account (of `accounts`: access.accounts_visible for one person, or one page of them)
    with its warnings, in a fixed number of queries whatever the number of accounts."""
    from socialguard.accounts.lifecycle import review_due_after
    from socialguard.accounts.services import runner_blockers_for

    today = today or timezone.localdate()
    accounts = OrgAccount.objects.all() if accounts is None else accounts
    listed = list(
        accounts.select_related("monitor")
        .annotate(last_reviewed_on=Max("reviews__reviewed_on"))
        .prefetch_related(
            "runners__staff",
            Prefetch(
                "leaver_tasks",
                LeaverTask.objects.filter(done_at__isnull=True).select_related("staff"),
                to_attr="open_tasks",
            ),
        )
    )
    runners_of = {a.pk: [r for r in a.runners.all() if r.active] for a in listed}
    watched = [a for a in listed if a.status in (AccountStatus.ACTIVE, AccountStatus.SUSPENDED)]
    staff = {r.staff.pk: r.staff for a in watched for r in runners_of[a.pk]}
    problems = runner_blockers_for(list(staff.values()))
    rows = []
    for account in listed:
        runners = runners_of[account.pk]
        row = RegistryRow(account, runners)
        if account.status in (AccountStatus.ACTIVE, AccountStatus.SUSPENDED):
            in_post = [r for r in runners if not r.staff.has_left]
            if len(in_post) < 2:
                row.warnings.append(
                    f"only {len(in_post)} active runner{'s' if len(in_post) != 1 else ''} (5.5 asks for two)"
                )
            if runners and not any(r.is_lead for r in runners):
                row.warnings.append("no lead: make one of the runners the lead")
            open_tasks = account.open_tasks  # type: ignore[attr-defined]
            # A leaver with an open task is named once, by the task, not twice in other words.
            tasked = {task.staff_id for task in open_tasks}
            for runner in runners:
                row.warnings += [b.text for b in problems[runner.staff.pk]]
                if runner.staff.leave_date and not runner.staff.has_left and runner.staff_id not in tasked:
                    role = "lead" if runner.is_lead else "runner"
                    row.warnings.append(
                        f"{role} {runner.staff.full_name} leaves on {runner.staff.leave_date:%-d %B %Y}"
                    )
            due = review_due_after(account, account.last_reviewed_on)  # type: ignore[attr-defined]
            if due < today:
                row.warnings.append(f"monitoring review overdue since {due:%-d %B %Y}")
            for task in open_tasks:
                row.warnings.append(
                    f"leaver task open: {task.staff.full_name} (leaves {task.leave_date:%-d %B %Y})"
                )
        rows.append(row)
    return rows


def open_proposals(limit: int | None = None) -> list[Proposal]:
    """Proposals awaiting a decision or their account, newest first (`limit`: at most that many)."""
    found = (
        Proposal.objects.filter(status__in=[ProposalStatus.SUBMITTED, ProposalStatus.APPROVED])
        .select_related("proposer")
        .prefetch_related("runners__staff")
    )
    return list(found if limit is None else found[:limit])


def reminders(user: Any) -> list[Any]:
    """The same items as reminders for the home page and the daily digest."""
    from socialguard.policies.reminders import Reminder

    return [
        Reminder(f"accounts:{i.url}:{i.title}", i.title, i.detail, i.url, i.urgency) for i in home_items(user)
    ]


@dataclass(frozen=True)
class AccountItem:
    title: str
    detail: str
    url: str
    urgency: str


def _proposer_items(user: Any) -> list[AccountItem]:
    """A proposer's own proposals that SMT cannot approve yet, with what is missing."""
    from django.urls import reverse

    from socialguard.accounts.services import proposals_blockers

    if user is None or not getattr(user, "is_authenticated", False):
        return []
    items = []
    mine = list(Proposal.objects.filter(status=ProposalStatus.SUBMITTED, proposer__user=user))
    # All of them at once: per proposal it cost a handful of queries each.
    blocked = proposals_blockers(mine) if mine else {}
    for proposal in mine:
        blockers = [b.text for b in blocked[proposal.pk]]
        if blockers:
            more = f" (and {len(blockers) - 3} more)" if len(blockers) > 3 else ""
            items.append(
                AccountItem(
                    f"Your proposal for {proposal.handle} cannot be approved yet",
                    f"SMT need every runner declared and trained (5.5): {'; '.join(blockers[:3])}{more}.",
                    reverse("accounts:proposal", args=[proposal.pk]),
                    "due",
                )
            )
    return items


def home_items(user: Any) -> list[AccountItem]:
    """What a proposer must chase, and what SMT must do about accounts: decisions, leavers,
    monitoring, credentials to change."""
    from django.urls import reverse

    from socialguard.accounts.lifecycle import review_due_after
    from socialguard.accounts.models import LeaverTask, VaultSecret
    from socialguard.accounts.vault import rotation_due
    from socialguard.identity.permissions import can

    items = _proposer_items(user)
    if not can(user, "accounts.manage"):
        return items
    today = timezone.localdate()
    waiting = Proposal.objects.filter(status=ProposalStatus.SUBMITTED).exclude(runners__staff__user=user)
    waiting = waiting.exclude(proposer__user=user).select_related("proposer")
    # Only the first few are read, and all counted: thousands may wait.
    shown = list(waiting[: GROUP_OVER + 1])
    total = waiting.count()
    decide = [
        AccountItem(
            f"Decide the proposal for {proposal.handle}",
            f"{proposal.get_platform_display()}, proposed by {proposal.proposer.full_name}.",
            reverse("accounts:proposal", args=[proposal.pk]),
            "due",
        )
        for proposal in shown
    ]
    items += _grouped(decide, total, f"Decide {total} account proposals", reverse("accounts:proposals"))
    # Soonest leave date first: if any is overdue, the first is.
    tasks = LeaverTask.objects.filter(done_at__isnull=True).select_related("account", "staff")
    shown_tasks = list(tasks[: GROUP_OVER + 1])
    total = tasks.count()
    leaving = [
        AccountItem(
            f"{task.staff.full_name} is leaving: hand over {task.account}",
            f"Leaves {task.leave_date:%-d %B %Y}: transfer or close the account, keep two runners, "
            "change the credentials they saw.",
            reverse("accounts:account", args=[task.account_id]),
            "overdue" if task.leave_date <= today else "due",
        )
        for task in shown_tasks
    ]
    items += _grouped(
        leaving,
        total,
        f"{total} account runners are leaving: hand over their accounts",
        reverse("accounts:registry"),
    )
    reviews = []
    # The last review's day comes with each account (as in the registry), not a query per account.
    for account in OrgAccount.objects.filter(
        monitor=user, status__in=[AccountStatus.ACTIVE, AccountStatus.SUSPENDED]
    ).annotate(last_reviewed_on=Max("reviews__reviewed_on")):
        due = review_due_after(account, account.last_reviewed_on)  # type: ignore[attr-defined]
        if due < today:
            reviews.append(
                AccountItem(
                    f"Monitoring review of {account}",
                    f"Your monitoring review was due {due:%-d %B %Y}.",
                    reverse("accounts:account", args=[account.pk]),
                    "overdue",
                )
            )
    items += _grouped(
        reviews, len(reviews), f"{len(reviews)} monitoring reviews overdue", reverse("accounts:registry")
    )
    secrets = []
    for secret in VaultSecret.objects.filter(account__status=AccountStatus.ACTIVE).select_related("account"):
        change_by = rotation_due(secret)
        if change_by is not None and change_by < today:
            secrets.append(
                AccountItem(
                    f"Change the {secret.get_kind_display().lower()} of {secret.account.handle}",
                    f"Due {change_by:%-d %B %Y}.",
                    reverse("accounts:account", args=[secret.account_id]),
                    "due",
                )
            )
    items += _grouped(
        secrets, len(secrets), f"Change {len(secrets)} account credentials", reverse("accounts:registry")
    )
    return items


# More items of one kind than this become one item that says how many and names the first few:
# at a college group's size SMT's home page (and digest) listed 270 items one by one.
GROUP_OVER = 5


def _grouped(items: list[AccountItem], total: int, title: str, url: str) -> list[AccountItem]:
    """`items` (the first of `total`, most urgent first), or past GROUP_OVER one item for them all."""
    if total <= GROUP_OVER:
        return items
    urgency = min((i.urgency for i in items), key=["overdue", "due", "info"].index)
    first = "; ".join(i.title for i in items[:3])
    return [AccountItem(title, f"{first}; and {total - 3} more.", url, urgency)]
