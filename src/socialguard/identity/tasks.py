"""Emails about a person's own sign-in, sent by the task worker rather than inside a web request."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from socialguard.mail import email_now

NOTICES = {
    "enrolled": (
        "a new authenticator was set up for your sign-in",
        "An authenticator app was set up for two-factor sign-in to your socialguard account.",
    ),
    "replaced": (
        "your authenticator was replaced",
        "A new authenticator app replaced the one you used for two-factor sign-in to your socialguard "
        "account. Codes from the old one no longer work.",
    ),
    "reset": (
        "your authenticator was removed",
        "The authenticator app for two-factor sign-in to your socialguard account was removed by the "
        "senior management team. You will set up a new one at your next sign-in.",
    ),
}


@task()
def send_two_factor_notice(*, user_id: int, change: str, at: str) -> bool:
    """Tell a person their second factor changed, so an enrolment they did not make is noticed.

    The message holds no code, key or link that would help whoever made the change.
    """
    from socialguard.identity.models import User

    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return False
    subject, what = NOTICES[change]
    when = timezone.localtime(dt.datetime.fromisoformat(at)).strftime("%d %B %Y at %H:%M")
    body = (
        f"Hello {user.get_short_name()},\n\n"
        f"{what} ({when}, {user.email})\n\n"
        "If this was you, there is nothing to do.\n\n"
        "If it was not, someone else knows your password. Tell the senior management team today so "
        "that they can remove that authenticator, and choose a new password here:\n"
        f"{settings.SITE_URL}{reverse('identity:password_reset')}\n"
    )
    email_now(subject=f"socialguard: {subject}", body=body, to=[user.email])
    return True


@task()
def send_password_reset(*, user_id: int, site: str, attempt: int = 1) -> str:
    """Write the password-reset email here, in the worker, so the one-time link is made when it is
    sent and never kept in the database; a failed delivery enqueues this task again, not the link."""
    from django.contrib.auth.tokens import default_token_generator
    from django.template import loader
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from socialguard.identity.backends import not_left
    from socialguard.mail import try_send

    user = not_left().filter(pk=user_id, is_active=True).first()  # a leaver by now: nothing to send
    if user is None or not user.email or not user.has_usable_password():
        return "no one to send to"
    protocol, _, domain = site.partition("://")
    context = {
        "email": user.email,
        "domain": domain,
        "protocol": protocol,
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    subject = "".join(
        loader.render_to_string("identity/email/password_reset_subject.txt", context).splitlines()
    )
    body = loader.render_to_string("identity/email/password_reset.txt", context)
    sent, when = try_send(subject=subject, body=body, to=user.email, attempt=attempt)
    if sent or when is None:
        return "sent" if sent else "given up"
    send_password_reset.using(run_after=when).enqueue(user_id=user_id, site=site, attempt=attempt + 1)
    return "will retry"
