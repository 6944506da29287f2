from __future__ import annotations

from django.conf import settings
from django_tasks import task

from socialguard.identity.roles import Role
from socialguard.mail import email_now


@task()
def publish_draft(*, draft_id: int) -> str:
    """Publish one approved post at its time (content.publishing explains the exactly-once steps)."""
    from socialguard.content.publishing import publish

    return publish(draft_id)


@task()
def send_publish_failed_notice(*, draft_id: int) -> int:
    """Tell the author and SMT a post could not be published, why, and what to do. The message
    names the account and the reason, not the post's text."""
    from socialguard.content.models import Draft, State
    from socialguard.identity.models import User

    draft = Draft.objects.select_related("account", "author").filter(pk=draft_id).first()
    if draft is None or draft.state != State.FAILED:
        return 0
    smt = User.objects.filter(is_active=True, role_assignments__role=Role.SMT).distinct()
    to = sorted({u.email for u in smt} | ({draft.author.email} if draft.author.email else set()))
    if not to:
        return 0
    body = (
        f"A post for {draft.account} by {draft.author.full_name} could not be published "
        f"after {draft.attempts} attempt{'s' if draft.attempts != 1 else ''}:\n\n"
        f"{draft.last_error}\n\n"
        "Nothing was published. Once the cause is fixed, open the post in socialguard and try again, "
        f"or publish it by hand and record the link.\n{settings.SITE_URL}/\n"
    )
    email_now(subject=f"socialguard: a post for {draft.account} was not published", body=body, to=to)
    return len(to)


@task()
def send_stray_post_notice(
    *, draft_id: int, where: str, removed: bool, error: str = "", state: str = ""
) -> int:
    """Tell the author and SMT that a post reached the platform after its draft was changed,
    pulled back or discarded, and whether socialguard took it down. Names the account and the
    link, not the post's words."""
    from socialguard.content.models import Draft
    from socialguard.identity.models import User

    draft = Draft.objects.select_related("account", "author").filter(pk=draft_id).first()
    if draft is None:
        return 0
    smt = User.objects.filter(is_active=True, role_assignments__role=Role.SMT).distinct()
    to = sorted({u.email for u in smt} | ({draft.author.email} if draft.author.email else set()))
    if not to:
        return 0
    state = state or draft.get_state_display().lower()  # as it was when the post landed
    if removed:
        outcome = "socialguard removed it from the platform. Nothing more is needed, unless it was seen."
    else:
        outcome = f"socialguard could not remove it ({error}). Delete it on the platform now:\n{where}"
    body = (
        f"A post for {draft.account} by {draft.author.full_name} reached the platform late, after "
        f"its draft was {state} in socialguard ({where}).\n\n{outcome}\n\n"
        f"Its history in socialguard: {settings.SITE_URL}/posts/{draft.pk}/\n"
    )
    subject = "removed" if removed else "must be deleted"
    email_now(subject=f"socialguard: a late post on {draft.account} {subject}", body=body, to=to)
    return len(to)
