"""Proposal → decision → creation of organisational accounts (5.5, 3.2). Each write is one
transaction with its audit event; notifications go after commit and never carry secrets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from socialguard.accounts import access
from socialguard.accounts.models import (
    AccountRunner,
    OrgAccount,
    Platform,
    Proposal,
    ProposalComment,
    ProposalRunner,
)
from socialguard.accounts.transitions import PROPOSALS
from socialguard.audit.services import audit_record
from socialguard.identity.permissions import can
from socialguard.links import BadAddress, web_address
from socialguard.mail import email_after_commit
from socialguard.people.models import Guardian, Learner, Organisation, StaffMember
from socialguard.policies import selectors as policy_selectors
from socialguard.policies.models import Audience, Course, TrainingCompletion

PROPOSAL_FIELDS = (
    "platform",
    "handle",
    "aim",
    "audience",
    "promotion",
    "two_factor",
    "shared_mailbox",
    "recovery_codes_holder",
    "security_notes",
    "visibility",
)
# Free webmail: an account signed in with one of these belongs to a person, not the organisation.
PERSONAL_DOMAINS = {
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com", "live.co.uk",
    "yahoo.com", "yahoo.co.uk", "icloud.com", "me.com", "aol.com", "protonmail.com", "proton.me",
    "btinternet.com", "sky.com", "gmx.com", "mail.com",
}  # fmt: skip


@dataclass(frozen=True)
class RunnerChoice:
    staff: StaffMember
    is_lead: bool


def staff_of(user: Any) -> StaffMember | None:
    return StaffMember.objects.filter(user=user).first() if user is not None else None


def people_named(proposal: Proposal) -> set[StaffMember]:
    """The proposer and the proposed runners: they comment on a proposal but never decide it."""
    return {proposal.proposer, *[r.staff for r in proposal.runners.all()]}


def _proposal_errors(values: dict[str, Any], runners: Sequence[RunnerChoice]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values.get("platform") not in Platform.values:
        errors["platform"] = f"choose one of the approved platforms: {', '.join(Platform.labels)}"
    for name, what in [
        ("handle", "the proposed name or handle"),
        ("aim", "the aim of the account"),
        ("audience", "the intended audience"),
        ("promotion", "how the account will be promoted"),
    ]:
        if not str(values.get(name, "")).strip():
            errors[name] = f"say {what} (policy 5.5)"
    security = [
        values.get("shared_mailbox"),
        values.get("recovery_codes_holder"),
        values.get("security_notes"),
    ]
    if not values.get("two_factor") and not any(str(v or "").strip() for v in security):
        errors["two_factor"] = (
            "describe the account's security: two-factor sign-in, its mailbox "
            "and who holds the recovery codes"
        )
    if len({r.staff.pk for r in runners}) < 2:
        errors["runners"] = "name at least two staff members who will run the account (policy 5.5)"
    leads = [r for r in runners if r.is_lead]
    if len(leads) != 1:
        errors["lead"] = "choose exactly one of the runners as the lead"
    gone = [r.staff.full_name for r in runners if r.staff.has_left]
    if gone:
        errors["runners"] = (
            f"{', '.join(gone)} {'has' if len(gone) == 1 else 'have'} left and cannot run an account"
        )
    mailbox = str(values.get("shared_mailbox") or "").strip()
    if mailbox:
        problem = login_email_problem(mailbox)
        if problem:
            errors["shared_mailbox"] = problem
    return errors


def _snapshot(proposal: Proposal) -> dict[str, Any]:
    data = {f: getattr(proposal, f) for f in PROPOSAL_FIELDS}
    data["runners"] = [
        f"{r.staff.external_id}{' (lead)' if r.is_lead else ''}" for r in proposal.runners.all()
    ]
    return data


def proposal_submit(*, actor: Any, values: dict[str, Any], runners: Sequence[RunnerChoice]) -> Proposal:
    access.require(actor, "accounts.propose")
    proposer = staff_of(actor)
    if proposer is None:
        raise ValidationError("your sign-in is not linked to a staff record; ask SMT to link it")
    errors = _proposal_errors(values, runners)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            proposer=proposer, **{f: values.get(f, "") for f in PROPOSAL_FIELDS}
        )
        ProposalRunner.objects.bulk_create(
            [ProposalRunner(proposal=proposal, staff=r.staff, is_lead=r.is_lead) for r in runners]
        )
        audit_record(actor=actor, action="accounts.proposed", target=proposal, after=_snapshot(proposal))
        _notify_later(proposal, "A new account proposal needs an SMT decision", to_smt=True)
    return proposal


def proposal_revise(
    *, actor: Any, proposal: Proposal, values: dict[str, Any], runners: Sequence[RunnerChoice]
) -> Proposal:
    PROPOSALS.check(proposal, actor, "revise")
    errors = _proposal_errors(values, runners)
    if errors:
        raise ValidationError(errors)

    def record(locked: Proposal, was: str) -> tuple[dict[str, Any], dict[str, Any]]:
        before = _snapshot(locked)
        for name in PROPOSAL_FIELDS:
            setattr(locked, name, values.get(name, ""))
        locked.revised_at = timezone.now()
        locked.runners.all().delete()
        ProposalRunner.objects.bulk_create(
            [ProposalRunner(proposal=locked, staff=r.staff, is_lead=r.is_lead) for r in runners]
        )
        return before, _snapshot(locked)

    return PROPOSALS.apply(
        actor=actor, obj=proposal, action="revise", audit="accounts.proposal_revised", change=record
    )


def proposal_withdraw(*, actor: Any, proposal: Proposal) -> Proposal:
    return PROPOSALS.apply(
        actor=actor,
        obj=proposal,
        action="withdraw",
        audit="accounts.proposal_withdrawn",
        change=lambda locked, was: (None, {"status": locked.status}),
    )


def proposal_comment(*, actor: Any, proposal: Proposal, text: str) -> ProposalComment:
    text = text.strip()
    if not text:
        raise ValidationError({"text": "write the comment"})
    involved = staff_of(actor) in people_named(proposal)
    if not (involved or can(actor, "accounts.decide")):
        raise PermissionDenied("only SMT and the people named in a proposal comment on it")
    with transaction.atomic():
        comment = ProposalComment.objects.create(proposal=proposal, author=actor, text=text)
        audit_record(
            actor=actor,
            action="accounts.proposal_comment",
            target=comment,
            after={"proposal": proposal.pk, "text": text},
        )
    return comment


def runner_courses() -> list[Course]:
    return list(Course.objects.filter(active=True, required_for=Audience.ACCOUNT_RUNNERS))


class ApprovalBlocked(ValidationError):
    """An approval refused until the runners are cleared (5.5): its messages are the blockers, which
    the proposal page already lists with a link to act on each, so the page need not repeat them."""


@dataclass(frozen=True)
class Blocker:
    """One reason SMT cannot yet approve; `course` is set where recording a completion clears it,
    so the page can link straight to that record."""

    text: str
    staff: StaffMember | None = None
    course: Course | None = None


def runner_blockers(staff: StaffMember) -> list[Blocker]:
    """Why SMT cannot yet be satisfied this person may run an account (5.5): declaration, training."""
    return runner_blockers_for([staff])[staff.pk]


def runner_blockers_for(members: Sequence[StaffMember]) -> dict[int, list[Blocker]]:
    """`runner_blockers` for many people in a fixed number of queries (the registry and the
    proposals list ask for every runner on a page; per person it cost four queries or more)."""
    version = policy_selectors.current_version()
    today = timezone.localdate()
    owing: set[int] = set()
    if version is not None:
        # Those `declaration_owed` asks about: in post and started.
        due = [m for m in members if not m.has_left and not (m.start_date and m.start_date > today)]
        owing = {row.staff.pk for row in policy_selectors.declaration_rows(version, due) if not row.declared}
    courses = runner_courses()
    latest: dict[tuple[int, int], TrainingCompletion] = {}
    for done in TrainingCompletion.objects.filter(
        course__in=courses, staff__in=[m.pk for m in members]
    ).order_by("course_id", "staff_id", "-completed_on", "-pk"):
        latest.setdefault((done.course_id, done.staff_id), done)
    found: dict[int, list[Blocker]] = {}
    for staff in {m.pk: m for m in members}.values():
        problems = found.setdefault(staff.pk, [])
        if version is None:
            problems.append(Blocker("no social media policy is published for them to declare", staff))
        elif staff.pk in owing:
            problems.append(
                Blocker(
                    f"{staff.full_name} has not declared the current policy (version {version.number})", staff
                )
            )
        for course in courses:
            last = latest.get((course.pk, staff.pk))
            if last is None:
                problems.append(Blocker(f"{staff.full_name} has not completed {course.name}", staff, course))
            elif last.expires_on and last.expires_on < today:
                problems.append(
                    Blocker(
                        f"{staff.full_name}'s {course.name} expired on {last.expires_on:%-d %B %Y}",
                        staff,
                        course,
                    )
                )
        if staff.has_left:
            problems.append(Blocker(f"{staff.full_name} has left", staff))
    return found


def runner_problems(staff: StaffMember) -> list[str]:
    return [b.text for b in runner_blockers(staff)]


NO_RUNNER_COURSE = (
    "no runner training course is set up (Training → Add a course, required for account runners)"
)


def proposal_blockers(proposal: Proposal) -> list[Blocker]:
    return proposals_blockers([proposal])[proposal.pk]


def proposals_blockers(proposals: Sequence[Proposal]) -> dict[int, list[Blocker]]:
    """`proposal_blockers` for a page of proposals in a fixed number of queries."""
    no_course = not runner_courses()
    runners = list(
        ProposalRunner.objects.filter(proposal__in=[p.pk for p in proposals]).select_related("staff")
    )
    by_staff = runner_blockers_for([r.staff for r in runners])
    found: dict[int, list[Blocker]] = {p.pk: [] for p in proposals}
    if no_course:
        for problems in found.values():
            problems.append(Blocker(NO_RUNNER_COURSE))
    for runner in runners:
        found[runner.proposal_id] += by_staff[runner.staff_id]
    return found


def approval_blockers(proposal: Proposal) -> list[str]:
    return [b.text for b in proposal_blockers(proposal)]


def proposal_decide(*, actor: Any, proposal: Proposal, approve: bool, reason: str) -> Proposal:
    action = "approve" if approve else "reject"
    PROPOSALS.check(proposal, actor, action)
    reason = reason.strip()
    if approve:
        blockers = approval_blockers(proposal)
        if blockers:
            _approval_blocked(actor, proposal, blockers)
            raise ApprovalBlocked(
                ["SMT must be satisfied every runner has read the policy and been trained (5.5):", *blockers]
            )
    elif not reason:
        raise ValidationError({"reason": "say why the proposal is rejected"})

    def record(locked: Proposal, was: str) -> tuple[None, dict[str, Any]]:
        locked.decided_by, locked.decided_at, locked.decision_reason = actor, timezone.now(), reason
        return None, {"status": locked.status, "reason": reason}

    with transaction.atomic():
        PROPOSALS.apply(
            actor=actor,
            obj=proposal,
            action=action,
            audit="accounts.proposal_approved" if approve else "accounts.proposal_rejected",
            change=record,
        )
        _notify_later(proposal, f"Your account proposal was {'approved' if approve else 'rejected'}")
    return proposal


def _approval_blocked(actor: Any, proposal: Proposal, blockers: list[str]) -> None:
    """Record the attempt and tell the proposer: until now they never learnt why nothing happened."""
    from socialguard.accounts.tasks import send_approval_blocked_notice

    with transaction.atomic():
        audit_record(
            actor=actor, action="accounts.approval_blocked", target=proposal, after={"blockers": blockers}
        )
        transaction.on_commit(lambda: send_approval_blocked_notice.enqueue(proposal_id=proposal.pk))


def login_email_problem(email: str) -> str:
    """Why an address cannot be an account's login, or "" if it is an organisational role mailbox."""
    email = email.strip().lower()
    local, _, domain = email.partition("@")
    organisation = Organisation.objects.first()
    domains = organisation.email_domain_list if organisation else []
    if domain in PERSONAL_DOMAINS:
        example = f"social@{domains[0]}" if domains else "a shared mailbox at your domain"
        return f"{email} is a personal webmail address; use an organisational role mailbox (e.g. {example})"
    if domains and domain not in domains:
        return f"{email} is not at the organisation's domain ({', '.join(domains)})"
    if any(
        queryset.filter(email__iexact=email).exists()
        for queryset in (StaffMember.objects.all(), Learner.objects.all(), Guardian.objects.all())
    ):
        return (
            f"{email} is a person's own address; use a shared role mailbox so access survives staff changes"
        )
    for member in StaffMember.objects.only("first_name", "last_name"):
        first, last = member.first_name.lower(), member.last_name.lower()
        if local in {f"{first}.{last}", f"{first}{last}", f"{first[:1]}{last}", f"{first[:1]}.{last}"}:
            return f"{email} looks like {member.full_name}'s personal address; use a shared role mailbox"
    return ""


def account_create(
    *,
    actor: Any,
    proposal: Proposal,
    handle: str,
    url: str,
    login_email: str,
    two_factor_enabled: bool,
    visibility: str,
    monitor: Any,
    review_every_days: int = 30,
) -> OrgAccount:
    PROPOSALS.check(proposal, actor, "create_account")
    errors = {}
    problem = login_email_problem(login_email)
    if problem:
        errors["login_email"] = problem
    if not two_factor_enabled:
        errors["two_factor_enabled"] = (
            "turn on two-factor sign-in on the platform before recording the account"
        )
    if monitor is None or not can(monitor, "accounts.decide"):
        errors["monitor"] = "choose a member of SMT to monitor the account (3.2)"
    if not handle.strip():
        errors["handle"] = "give the account's handle"
    try:
        url = web_address(url, max_length=OrgAccount._meta.get_field("url").max_length or 200)
    except BadAddress as exc:
        errors["url"] = str(exc)
    if errors:
        raise ValidationError(errors)
    created: list[OrgAccount] = []

    def record(locked: Proposal, was: str) -> tuple[None, dict[str, Any]]:
        account = OrgAccount.objects.create(
            platform=locked.platform,
            handle=handle.strip(),
            url=url,
            login_email=login_email.strip().lower(),
            two_factor_enabled=True,
            visibility=visibility,
            monitor=monitor,
            review_every_days=review_every_days,
            proposal=locked,
            created_by=actor,
        )
        created.append(account)
        runners = list(locked.runners.select_related("staff"))
        AccountRunner.objects.bulk_create(
            [AccountRunner(account=account, staff=r.staff, is_lead=r.is_lead) for r in runners]
        )
        return None, {
            "platform": account.platform,
            "handle": account.handle,
            "login_email": account.login_email,
            "monitor": monitor.email,
            "runners": [f"{r.staff.external_id}{' (lead)' if r.is_lead else ''}" for r in runners],
        }

    PROPOSALS.apply(
        actor=actor,
        obj=proposal,
        action="create_account",
        audit="accounts.created",
        change=record,
        audit_target=lambda locked: created[0],
    )
    return created[0]


def _notify_later(proposal: Proposal, subject: str, to_smt: bool = False) -> None:
    """Email everyone involved once the transaction commits, from the worker; the message holds
    only a link."""

    def enqueue() -> None:
        # Read after the commit: the runners are those the committed change left.
        people = {proposal.proposer.email, *[r.staff.email for r in proposal.runners.all()]}
        if to_smt:
            from socialguard.identity.models import User

            people |= {u.email for u in User.objects.filter(is_active=True, role_assignments__role="smt")}
        link = settings.SITE_URL + reverse("accounts:proposal", args=[proposal.pk])
        body = f"{subject}: {proposal.handle} on {proposal.get_platform_display()}.\n\nSee it here: {link}\n"
        email_after_commit(subject=f"socialguard: {subject}", body=body, to=people)

    transaction.on_commit(enqueue)
