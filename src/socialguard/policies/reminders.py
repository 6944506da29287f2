"""What each person must do about the policy and training: shown on their home page and sent as
at most one digest email a day. Both read the same `reminders_for`, so they never disagree."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from socialguard.audit.services import audit_record
from socialguard.identity.models import User
from socialguard.identity.permissions import can, roles_of
from socialguard.identity.roles import Role
from socialguard.policies import selectors
from socialguard.policies.models import DigestLog

logger = logging.getLogger(__name__)

# A digest repeats unchanged reminders no more often than this; anything new goes out next day.
REPEAT_UNCHANGED_DAYS = 7
# The policy owner and the team that implements it hear about reviews (3.1, 3.2).
REVIEW_REMINDED = frozenset({Role.QUALITY_DIRECTOR, Role.SMT})


@dataclass(frozen=True)
class Reminder:
    key: str  # stable identity, so a digest can tell new reminders from repeats
    title: str
    detail: str
    url: str
    urgency: str = "due"  # info | due | overdue
    # False: someone else's job, told for oversight (SMT hear of the review the Quality Director
    # runs). Each person's own work comes first, whatever the urgency of what they only watch.
    mine: bool = True


def sort_key(urgency: str, mine: bool) -> tuple[bool, int]:
    """Own work before oversight, then overdue, due, for information."""
    return (not mine, {"overdue": 0, "due": 1, "info": 2}[urgency])


def escalation_days() -> int:
    return int(getattr(settings, "DECLARATION_ESCALATION_DAYS", 14))


def _declaration_reminders(staff: Any) -> list[Reminder]:
    row = selectors.declaration_owed(staff)
    version = selectors.current_version()
    if row is None or version is None:
        return []
    today = timezone.localdate()
    days = row.days_owed(today)
    return [
        Reminder(
            key=f"declare:v{version.number}",
            title=f"Declare that you have read the social media policy (version {version.number})",
            detail=selectors.reason_to_declare(row, version)
            + (f" Owed for {days} days." if days > 0 else " It takes two minutes."),
            url=reverse("policies:declare"),
            urgency="overdue" if days > escalation_days() else "due",
        )
    ]


def _training_reminders(staff: Any) -> list[Reminder]:
    if staff is None or staff.has_left:
        return []
    result = []
    for status in selectors.training_statuses(staff=staff):
        if not status.needs_action:
            continue
        result.append(
            Reminder(
                key=f"training:{status.course.code}:{status.state}",
                title=f"Training: {status.course.name}",
                detail=f"{selectors.sentence(status.label)}. "
                "Ask SMT to book it, or send them your certificate.",
                url=reverse("policies:my_training"),
                urgency="overdue" if status.state in ("overdue", "expired") else "due",
            )
        )
    return result


def _review_reminders(user: Any) -> list[Reminder]:
    if not roles_of(user) & REVIEW_REMINDED:
        return []
    document = selectors.policy_document()
    if document is None:
        return []
    state = selectors.review_state(document)
    if state.state not in ("overdue", "due-soon"):
        return []
    review = selectors.open_review(document)
    detail = selectors.sentence(state.describe) + "."
    runs_it = Role.QUALITY_DIRECTOR in roles_of(user)
    if review:
        detail += " A review is open." if runs_it else " A review is open: add comments on clauses there."
    elif runs_it:
        detail += " You start the review."
    else:
        detail += " The Quality Director starts the review."
    return [
        Reminder(
            key=f"review:{state.state}:{document.next_review_date}",
            # The urgency ("overdue", "due") is shown beside the title, so the title does not say it.
            title=f"{document.title} review",
            detail=detail,
            url=reverse("policies:review"),
            urgency="overdue" if state.state == "overdue" else "due",
            mine=runs_it,
        )
    ]


def _escalations(staff: Any) -> list[Reminder]:
    """A line manager hears about reports who owe a declaration for longer than the set time."""
    if staff is None:
        return []
    version = selectors.current_version()
    if version is None:
        return []
    reports = selectors.staff_in_post().filter(line_manager=staff)
    today = timezone.localdate()
    late = [
        r
        for r in selectors.declaration_rows(version, reports)
        if r.owed_since and r.days_owed(today) > escalation_days()
    ]
    if not late:
        return []
    names = ", ".join(r.staff.full_name for r in late[:8]) + (
        f" and {len(late) - 8} more" if len(late) > 8 else ""
    )
    return [
        Reminder(
            key="escalate:" + ",".join(sorted(r.staff.external_id for r in late)),
            title=f"{len(late)} of your team {'has' if len(late) == 1 else 'have'} not declared the policy",
            detail=f"{names}: owed for more than {escalation_days()} days. Please ask them to declare.",
            url=reverse("policies:coverage") if can_view_coverage(staff) else reverse("policies:current"),
            urgency="overdue",
        )
    ]


def can_view_coverage(staff: Any) -> bool:
    return bool(staff.user and can(staff.user, "declarations.view"))


# Other features add what people owe them (the accounts app: decisions, leaver tasks, monitoring),
# so the home page and the one daily digest cover everything.
EXTRA_SOURCES: list[Callable[[Any], list[Reminder]]] = []


def reminders_for(user: Any) -> list[Reminder]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    staff = selectors.staff_for_user(user)
    items = _declaration_reminders(staff) + _training_reminders(staff)
    items += _review_reminders(user) + _escalations(staff)
    for source in EXTRA_SOURCES:
        items += source(user)
    return sorted(items, key=lambda r: sort_key(r.urgency, r.mine))


# --- Digests -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Digest:
    user: Any
    items: list[Reminder]
    subject: str
    body: str
    send: bool
    why: str  # why it would or would not go out today


def _body(user: Any, items: list[Reminder], site: str | None = None) -> str:
    site = site or settings.SITE_URL
    lines = [f"Hello {user.full_name or user.email},", "", "Here is what needs your attention:", ""]
    for n, item in enumerate(items, start=1):
        flag = " (overdue)" if item.urgency == "overdue" else ""
        lines += [f"{n}. {item.title}{flag}", f"   {item.detail}", f"   {site}{item.url}", ""]
    lines += [
        "You get at most one of these emails a day, and only when something needs you.",
        f"See everything on your home page: {site}/",
    ]
    return "\n".join(lines)


def digest_for(user: Any, today: dt.date | None = None, site: str | None = None) -> Digest:
    """The digest due to `user`. Its links start with `site` (SITE_URL unless given: the preview
    page passes the address it was asked on, so its links work however the server is reached)."""
    today = today or timezone.localdate()
    site = (site or settings.SITE_URL).rstrip("/")
    items = reminders_for(user)
    count = len(items)
    subject = (
        f"socialguard: {count} thing{'s' if count != 1 else ''} to do"
        if count
        else "socialguard: nothing to do"
    )
    last = DigestLog.objects.filter(user=user).order_by("-day").first()
    keys = {i.key for i in items}
    if not items:
        send, why = False, "Nothing needs you, so no email is sent."
    elif last is not None and last.day >= today:
        send, why = False, "You have already had today's email; the next one can go tomorrow."
    elif last is not None and keys <= set(last.item_keys) and (today - last.day).days < REPEAT_UNCHANGED_DAYS:
        repeat = last.day + dt.timedelta(days=REPEAT_UNCHANGED_DAYS)
        send, why = (
            False,
            f"Nothing new since the email of {last.day:%-d %B}; it repeats on {repeat:%-d %B} if still open.",
        )
    else:
        send, why = True, "This goes out with the next daily run."
    return Digest(user, items, subject, _body(user, items, site) if items else "", send, why)


def send_digests(users: Iterable[User] | None = None, today: dt.date | None = None) -> int:
    """Send today's digests; returns how many went. Safe to run twice: the log allows one a day."""
    today = today or timezone.localdate()
    sent = 0
    connection = get_connection()
    people = (
        users if users is not None else User.objects.filter(is_active=True).exclude(email="").order_by("pk")
    )
    with connection:  # one SMTP session for the whole run
        for user in people:
            sent += _send_one(user, today, connection)
    return sent


def _send_one(user: User, today: dt.date, connection: Any) -> int:
    digest = digest_for(user, today)
    if not digest.send:
        return 0
    keys = sorted(i.key for i in digest.items)
    try:
        with transaction.atomic():
            DigestLog.objects.create(user=user, day=today, subject=digest.subject, item_keys=keys)
            audit_record(
                actor=None, action="reminders.digest_sent", target=user, after={"day": today, "items": keys}
            )
            # Sent inside the transaction: if delivery fails, no log row claims it went.
            EmailMessage(
                digest.subject, digest.body, settings.DEFAULT_FROM_EMAIL, [user.email], connection=connection
            ).send()
    except IntegrityError:
        return 0  # another worker sent this person's digest today
    except (smtplib.SMTPException, OSError) as exc:
        # One refused address must not stop everyone else's; the next run tries again.
        logger.warning("digest to user %s not delivered: %s", user.pk, exc.__class__.__name__)
        return 0
    return 1
