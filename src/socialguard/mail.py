"""Email goes out from the task worker, never inside a web request: a service enqueues it when its
transaction commits, so a slow or stopped SMTP server neither slows a page nor loses the message.
A failed delivery is tried again later (RETRY_AFTER_MINUTES), then given up and logged."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# About a day of retries in all: an SMTP server down overnight still delivers the morning's mail.
RETRY_AFTER_MINUTES = (1, 5, 15, 60, 240, 720)


def retry_later(attempt: int) -> dt.datetime | None:
    """When to try a delivery again after `attempt` failed, or None when it is time to give up."""
    if attempt > len(RETRY_AFTER_MINUTES):
        return None
    return timezone.now() + dt.timedelta(minutes=RETRY_AFTER_MINUTES[attempt - 1])


def try_send(*, subject: str, body: str, to: str, attempt: int = 1) -> tuple[bool, dt.datetime | None]:
    """Send one message: (sent, when to try again; None once given up, which is logged)."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    except (smtplib.SMTPException, OSError) as exc:
        when = retry_later(attempt)
        # The address and the body stay out of the log: they may name a case or a person.
        if when is None:
            logger.error("email given up after %d attempts: %s", attempt, exc.__class__.__name__)
        else:
            logger.warning("email not delivered (%s); trying again at %s", exc.__class__.__name__, when)
        return False, when
    return True, None


@task()
def deliver_email(*, subject: str, body: str, to: str, attempt: int = 1) -> str:
    """Send one message to one address (one address per task: a failing one delays no one else).
    Never for a message holding a secret: the task's arguments are kept in the database."""
    sent, when = try_send(subject=subject, body=body, to=to, attempt=attempt)
    if sent or when is None:
        return "sent" if sent else "given up"
    deliver_email.using(run_after=when).enqueue(subject=subject, body=body, to=to, attempt=attempt + 1)
    return "will retry"


def email_after_commit(*, subject: str, body: str, to: Iterable[str]) -> None:
    """Queue a message to each address once the current transaction commits (at once outside one)."""
    recipients = sorted({address for address in to if address})

    def enqueue() -> None:
        for address in recipients:
            deliver_email.enqueue(subject=subject, body=body, to=address)

    if recipients:
        transaction.on_commit(enqueue)


def email_now(*, subject: str, body: str, to: Iterable[str]) -> None:
    """For code already running in the worker: send now, each address retried on its own if it fails."""
    for address in sorted({address for address in to if address}):
        deliver_email.call(subject=subject, body=body, to=address)
