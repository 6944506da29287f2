"""The demo's organisational accounts: one running smoothly, one whose lead is leaving (a
leaver task is open), and a proposal SMT cannot approve yet because a runner is untrained.

Each step happens on its own date (`clock_at`), after version 2 of the policy came out: runners
trained, then proposed, approved, set up and reviewed in that order, so no proposal is decided
before it was submitted and the audit trail carries those dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from socialguard.accounts import crypto, lifecycle, services, vault
from socialguard.accounts.models import OrgAccount
from socialguard.accounts.services import RunnerChoice
from socialguard.democlock import clock_at
from socialguard.identity.models import User
from socialguard.people.models import StaffMember
from socialguard.policies import selectors as policy_selectors
from socialguard.policies import services as policy_services
from socialguard.policies.models import Course

SMT_EMAILS = ("james.okafor@dmm.example", "sarah.whitfield@dmm.example")


def _ready(member: StaffMember, recorder: User, course: Course) -> None:
    """Declared and trained, so SMT can approve them as a runner (5.5)."""
    if policy_selectors.declaration_owed(member) is not None and member.user is not None:
        version = policy_selectors.current_version()
        assert version is not None
        policy_services.declaration_make(
            actor=member.user,
            staff=member,
            version=version,
            confirmations=dict.fromkeys(policy_services.DECLARATION_FIELDS, True),
        )
    if not course.completions.filter(staff=member).exists():
        policy_services.completion_record(
            actor=recorder, staff=member, course=course, completed_on=timezone.localdate(), evidence="Demo"
        )


def _days_ago(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 20)))


def _account(
    proposer: StaffMember,
    decider: User,
    creator: User,
    values: dict[str, object],
    runners: list[RunnerChoice],
    login: str,
    days_ago: int,
) -> OrgAccount:
    """Proposed `days_ago`, approved two days later, set up two days after that."""
    assert proposer.user is not None
    with clock_at(_days_ago(days_ago, 10)):
        proposal = services.proposal_submit(actor=proposer.user, values=values, runners=runners)
    with clock_at(_days_ago(days_ago - 2, 14)):
        services.proposal_decide(actor=decider, proposal=proposal, approve=True, reason="Meets 5.5")
    with clock_at(_days_ago(days_ago - 4, 11)):
        return services.account_create(
            actor=creator,
            proposal=proposal,
            handle=str(values["handle"]),
            url="",
            login_email=login,
            two_factor_enabled=True,
            visibility=str(values["visibility"]),
            monitor=creator,
        )


def load_accounts_demo(progress: Callable[[], object] = lambda: None) -> None:
    if OrgAccount.objects.exists():
        return
    james, sarah = (User.objects.get(email=e) for e in SMT_EMAILS)
    course = Course.objects.get(code="account-runner")
    staff = {s.external_id: s for s in StaffMember.objects.all()}
    chloe, tom, gareth = staff["S007"], staff["S006"], staff["S008"]
    leaving = (
        policy_selectors.staff_in_post()
        .filter(leave_date__gt=timezone.localdate())
        .exclude(user=None)
        .order_by("leave_date")
        .first()
    )
    base = {
        "aim": "Share learners' successes and course news",
        "audience": "Prospective learners, parents and employers",
        "promotion": "Website footer, email signatures and open days",
        "two_factor": True,
        "recovery_codes_holder": "Operations Director (in the vault)",
        "security_notes": "",
        "visibility": "open",
    }
    with transaction.atomic():
        for member in filter(None, [chloe, tom, leaving]):
            with clock_at(_days_ago(48, 9)):
                _ready(member, james, course)
        x = _account(
            chloe,
            sarah,
            james,
            {**base, "platform": "x", "handle": "@DMMentorUK", "shared_mailbox": "social@dmm.example"},
            [RunnerChoice(chloe, True), RunnerChoice(tom, False)],
            "social@dmm.example",
            days_ago=46,
        )
        with clock_at(_days_ago(42, 11)):
            vault.secret_store(actor=james, account=x, kind="password", value=crypto.generate_password())
            vault.secret_store(
                actor=james, account=x, kind="recovery_codes", value="4821-9930 1177-0462 8830-2291"
            )
        with clock_at(_days_ago(5, 15)):
            lifecycle.review_record(
                actor=james,
                account=x,
                looked_at="Posts and replies this month",
                issues_found="Nothing needing action",
            )
        progress()
        if leaving is not None:
            linkedin = _account(
                leaving,
                sarah,
                james,
                {
                    **base,
                    "platform": "linkedin",
                    "handle": "digital-marketing-mentor",
                    "shared_mailbox": "marketing@dmm.example",
                },
                [RunnerChoice(leaving, True), RunnerChoice(chloe, False)],
                "marketing@dmm.example",
                days_ago=38,
            )
            with clock_at(_days_ago(34, 11)):
                secret = vault.secret_store(
                    actor=james, account=linkedin, kind="password", value=crypto.generate_password()
                )
            # SMT handed the password to the lead; the audit trail records for whom, so it is
            # on the leaver task's list to change.
            with clock_at(_days_ago(14, 9)):
                vault.secret_reveal(
                    actor=james,
                    secret=secret,
                    reason="Handed over to post the open day",
                    reauthenticated=True,
                    for_staff=leaving,
                )
            lifecycle.leavers_scan()  # today's scan finds the lead leaving
        # Bluesky: socialguard publishes its posts itself, with an app password from the vault;
        # SMT have not stored one yet, so the demo never reaches a network (and a post due
        # yesterday failed, saying so).
        _account(
            tom,
            james,
            sarah,
            {
                **base,
                "platform": "bluesky",
                "handle": "@dmm-news.bsky.social",
                "shared_mailbox": "social@dmm.example",
                "aim": "Course news for learners and employers who have moved to Bluesky",
            },
            [RunnerChoice(tom, True), RunnerChoice(chloe, False)],
            "social@dmm.example",
            days_ago=20,
        )
        assert tom.user is not None
        with clock_at(_days_ago(3, 16)):
            services.proposal_submit(
                actor=tom.user,
                values={
                    **base,
                    "platform": "tiktok",
                    "handle": "@dmm_careers",
                    "shared_mailbox": "careers@dmm.example",
                },
                runners=[RunnerChoice(tom, True), RunnerChoice(gareth, False)],
            )
        progress()
