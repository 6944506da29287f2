"""Emails about a person's own sign-in, sent by the task worker rather than inside a web request."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

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
    send_mail(f"socialguard: {subject}", body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True
