"""Who may see and act on which draft and which archived post. The web pages, the API and the
CLI all ask here, so that a person gets the same answer on every surface.

- Drafts: SMT see every draft (they approve what the policy sends to a senior leader); anyone
  else sees the drafts they wrote and the drafts for the accounts they currently run (they
  approve each other's posts). Nobody else: a draft is work in progress, not a record.
- Archive: those who oversee the registry (SMT, the Quality Director, the auditor) read all of
  it; a runner reads their accounts' posts and anyone the posts they drafted.
- Drafting: the account's current runners (who have not left) and SMT, for an active account.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from socialguard.accounts.access import is_senior
from socialguard.accounts.access import runner_places as runner_places
from socialguard.accounts.access import runs_account as runs_account  # the posts' callers ask here
from socialguard.accounts.models import AccountRunner, AccountStatus, OrgAccount
from socialguard.content.models import Draft, PublishedPost
from socialguard.identity.permissions import can
from socialguard.people.models import StaffMember


def _signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def staff_of(user: Any) -> StaffMember | None:
    return StaffMember.objects.filter(user=user).first() if _signed_in(user) else None


def _run_account_ids(user: Any) -> Any:
    # The ids of the accounts this person currently runs, as a subquery.
    return AccountRunner.objects.filter(staff__user=user, active=True).values("account_id")


def drafts_visible(user: Any) -> QuerySet[Draft]:
    if not _signed_in(user):
        return Draft.objects.none()
    if is_senior(user):
        return Draft.objects.all()
    if not can(user, "posts.view"):
        return Draft.objects.none()
    return Draft.objects.filter(Q(author__user=user) | Q(account_id__in=_run_account_ids(user)))


def may_see_draft(user: Any, draft: Draft) -> bool:
    return drafts_visible(user).filter(pk=draft.pk).exists()


def accounts_for_drafting(user: Any) -> QuerySet[OrgAccount]:
    """The active accounts this person may draft for."""
    if not can(user, "posts.draft") or staff_of(user) is None:
        return OrgAccount.objects.none()
    active = OrgAccount.objects.filter(status=AccountStatus.ACTIVE)
    if is_senior(user):
        return active
    staff = staff_of(user)
    if staff is None or staff.has_left:
        return OrgAccount.objects.none()
    return active.filter(pk__in=_run_account_ids(user))


def may_draft_for(user: Any, account: OrgAccount) -> bool:
    return accounts_for_drafting(user).filter(pk=account.pk).exists()


def archive_visible(user: Any) -> QuerySet[PublishedPost]:
    if not _signed_in(user) or not can(user, "posts.archive"):
        return PublishedPost.objects.none()
    if can(user, "accounts.view"):
        return PublishedPost.objects.all()
    return PublishedPost.objects.filter(Q(drafter__user=user) | Q(account_id__in=_run_account_ids(user)))


def may_see_published(user: Any, post: PublishedPost) -> bool:
    return archive_visible(user).filter(pk=post.pk).exists()
