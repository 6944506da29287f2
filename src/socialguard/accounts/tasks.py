from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from socialguard.accounts.lifecycle import leavers_scan, tasks_refresh
from socialguard.mail import email_now
from socialguard.scheduling.jobs import record_finished


@task()
def handle_leavers() -> int:
    """Daily: leaver tasks raised, access withdrawn on the leave date, finished tasks closed."""
    raised = leavers_scan()
    closed = tasks_refresh()
    record_finished("leavers", f"{len(raised)} task(s) raised, {closed} closed")
    return len(raised)


@task()
def send_approval_blocked_notice(*, proposal_id: int) -> bool:
    """Tell the proposer SMT tried to approve but could not, and what still stands in the way.

    The reasons are worked out again when the message is sent, so it never names a gap that was
    closed in the meantime; it holds names and course titles only, and a link.
    """
    from socialguard.accounts.models import Proposal, ProposalStatus
    from socialguard.accounts.services import approval_blockers

    proposal = Proposal.objects.select_related("proposer").filter(pk=proposal_id).first()
    if proposal is None or proposal.status != ProposalStatus.SUBMITTED or not proposal.proposer.email:
        return False
    blockers = approval_blockers(proposal)
    if not blockers:
        return False
    link = settings.SITE_URL + reverse("accounts:proposal", args=[proposal.pk])
    body = (
        f"Hello {proposal.proposer.first_name},\n\n"
        f"The senior management team tried to approve your proposal for {proposal.handle} on "
        f"{proposal.get_platform_display()}, but cannot yet. Policy 5.5 asks them to be satisfied that "
        "every runner has read the policy and been trained, and:\n\n"
        + "".join(f"- {b}\n" for b in blockers)
        + "\nAsk the runners to declare the policy and complete their training (SMT record it), "
        f"or change the runners. The proposal is here:\n{link}\n"
    )
    email_now(
        subject=f"socialguard: your proposal for {proposal.handle} is waiting on its runners",
        body=body,
        to=[proposal.proposer.email],
    )
    return True
