"""Who may see which account proposal and which organisational account. The web pages, the API
and the CLI all ask here, so that a person gets the same answer on every surface.

- Whoever may see the registry (`accounts.view`: SMT, the Quality Director, the auditor) sees
  every proposal and every account.
- Anyone else sees the proposals that name them (as proposer or proposed runner) and the
  accounts they currently run (lead or not): they answer for those accounts under policy 5.5,
  so they may read their page, but not the registry, nor any credential.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from socialguard.accounts.models import AccountRunner, OrgAccount, Proposal
from socialguard.identity import permissions
from socialguard.identity.permissions import can
from socialguard.people.models import StaffMember


def _signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def sees_all(user: Any) -> bool:
    return can(user, "accounts.view")


def proposals_visible(user: Any) -> QuerySet[Proposal]:
    if sees_all(user):
        return Proposal.objects.all()
    if not _signed_in(user):
        return Proposal.objects.none()
    named = Proposal.objects.filter(proposer__user=user) | Proposal.objects.filter(runners__staff__user=user)
    return Proposal.objects.filter(pk__in=named.values("pk"))


def may_see_proposal(user: Any, proposal: Proposal) -> bool:
    return proposals_visible(user).filter(pk=proposal.pk).exists()


def sees_blockers(user: Any) -> bool:
    """What still blocks approval names colleagues' missing declarations and training: for the
    registry readers (who decide or oversee), not for every person named in a proposal."""
    return sees_all(user)


def accounts_visible(user: Any) -> QuerySet[OrgAccount]:
    if sees_all(user):
        return OrgAccount.objects.all()
    if not _signed_in(user):
        return OrgAccount.objects.none()
    return OrgAccount.objects.filter(
        pk__in=OrgAccount.objects.filter(runners__staff__user=user, runners__active=True).values("pk")
    )


def may_see_account(user: Any, account: OrgAccount) -> bool:
    return accounts_visible(user).filter(pk=account.pk).exists()


# Asked by the posts (content.access), the consent register's takedowns and the rule-quality
# dismissals alike: who answers for an account's posts.


def is_senior(user: Any) -> bool:
    """A senior leader in the policy's sense (SMT)."""
    return can(user, "posts.approve_senior")


def runner_places(user: Any) -> QuerySet[AccountRunner]:
    """Where `user` is a runner now: active places, not having left (leave date today or before).
    One definition for every "the accounts they run" question, asked in the database."""
    if not _signed_in(user):
        return AccountRunner.objects.none()
    return AccountRunner.objects.filter(staff__user=user, active=True).exclude(
        staff__leave_date__lte=timezone.localdate()
    )


def runs_account(user: Any, account: OrgAccount) -> bool:
    return runner_places(user).filter(account=account).exists()


# --- Who may take a proposal's steps (accounts.transitions) -----------------------------------


def _staff(user: Any) -> StaffMember | None:
    return StaffMember.objects.filter(user=user).first() if _signed_in(user) else None


def is_proposer(user: Any, proposal: Proposal) -> bool:
    me = _staff(user)
    return me is not None and me.pk == proposal.proposer_id


def is_named(user: Any, proposal: Proposal) -> bool:
    """The proposer and the proposed runners: they comment on a proposal but never decide it."""
    me = _staff(user)
    return me is not None and (me.pk == proposal.proposer_id or proposal.runners.filter(staff=me).exists())


def may_decide(user: Any, proposal: Proposal) -> bool:
    return can(user, "accounts.decide") and not is_named(user, proposal)


def may_create(user: Any, proposal: Proposal) -> bool:
    return can(user, "accounts.manage")


def require(actor: Any, action: str) -> None:
    """Refuse `actor` unless they may take `action`: every service asks (a proposal's steps
    through accounts.transitions), so no surface (web, API, CLI) can skip the check."""
    permissions.require(actor, action)
