"""Page-shaped reads for the posts pages (content.views): findings with their span, clause and fix
in words, the archive search, the home and digest items. Reads only; writes are content.services
and content.publishing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from socialguard.content import access, routing, selectors
from socialguard.content.checking import expected_sign_off, length_of, max_length
from socialguard.content.models import Draft, DraftEvent, EventKind, FindingOverride, State
from socialguard.policies.models import Clause
from socialguard.policies.packs import clause_words
from socialguard.policies.reminders import Reminder
from socialguard.policies.selectors import current_version

SEVERITY_WORDS = {
    "block": "Blocks the post",
    "review": "Needs an SMT member's review",
    "advice": "Advice",
}
VERDICT_WORDS = {
    "pass": "Passes the policy check",
    "review": "Needs review by an SMT member",
    "block": "Blocked by the policy check",
}
# What each state means to the person looking at the post, in a sentence.
STATE_SENTENCES = {
    State.DRAFT: "Only its author changes it; nobody is asked to approve it until it is submitted.",
    State.SUBMITTED: "A second person must approve it before it goes out.",
    State.CHANGES_REQUESTED: "Sent back to its author with a comment (see the history).",
    State.APPROVED: "Waiting to be published.",
    State.SCHEDULED: "socialguard publishes it at its time.",
    State.PUBLISHING: "socialguard is publishing it now.",
    State.PUBLISHED: "The archive keeps exactly what went out.",
    State.FAILED: "It could not be published; the author and SMT have been told.",
    State.DISCARDED: "Nobody will publish it: its words, links, photos and check were deleted.",
}


@dataclass(frozen=True)
class ClauseRef:
    number: str
    heading: str
    text: str

    @property
    def title(self) -> str:
        return f"{self.number} {self.heading}".strip() if self.heading != self.number else self.number


def clause_refs() -> dict[str, ClauseRef]:
    """The current policy version's clauses by number (and by heading, for the Do's and Don'ts
    that have none), so a finding names its clause as the policy now words it."""
    version = current_version()
    refs: dict[str, ClauseRef] = {}
    if version is None:
        return refs
    clauses = list(Clause.objects.filter(version=version).order_by("order"))
    for clause in clauses:
        heading = clause.heading or clause.label
        ref = ClauseRef(clause.number or heading, heading, clause_words(clause, clauses))
        if clause.number:
            refs.setdefault(clause.number, ref)
        if heading:
            refs.setdefault(_simple(heading), ref)
    return refs


def _simple(words: str) -> str:
    # "The Do's", "Do's" and "The Dos" all name the same heading.
    folded = "".join(c for c in words.lower() if c.isalnum() or c == " ").strip()
    return folded.removeprefix("the ").strip()


def clause_for(code: str, refs: dict[str, ClauseRef]) -> ClauseRef:
    """The clause a finding cites, from the current version; the rule's own words if the policy
    has no such clause (an older rule, or no version published yet)."""
    if not code:  # the organisation's pack maps this rule to no clause (rules.pack.UNMAPPED)
        return ClauseRef("", "This rule maps to no clause of your policy", "")
    return refs.get(code) or refs.get(_simple(code)) or ClauseRef(code, code, "")


CONTEXT = 80


@dataclass(frozen=True)
class FindingShown:
    rule: str
    name: str
    category: str
    severity: str
    severity_words: str
    clause: ClauseRef
    message: str
    fix: str
    start: int
    end: int
    before: str  # the text around the span, for a copy with the span marked
    span: str
    after: str
    override: FindingOverride | None
    # An approver's judgement that this review finding was a false alarm (policies.FindingDismissal).
    dismissal: Any = None

    @property
    def before_short(self) -> str:
        # Enough of the words before the span to find it in a long post.
        return self.before if len(self.before) <= CONTEXT else "…" + self.before[-CONTEXT:]

    @property
    def after_short(self) -> str:
        return self.after if len(self.after) <= CONTEXT else self.after[:CONTEXT] + "…"

    @property
    def blocks(self) -> bool:
        return self.severity == "block" and self.override is None


def show_findings(
    text: str,
    findings: list[dict[str, Any]],
    overrides: list[FindingOverride] | None = None,
    dismissals: Sequence[Any] = (),
) -> list[FindingShown]:
    refs = clause_refs()
    dismissed = {(d.rule, d.start, d.end): d for d in dismissals}
    shown = []
    order = {"block": 0, "review": 1, "advice": 2}
    for f in sorted(findings, key=lambda f: (order.get(str(f.get("severity")), 3), int(f.get("start", 0)))):
        start = max(0, min(int(f.get("start", 0)), len(text)))
        end = max(start, min(int(f.get("end", 0)), len(text)))
        severity = str(f.get("severity", ""))
        key = (str(f.get("rule", "")), int(f.get("start", 0)), int(f.get("end", 0)))
        shown.append(
            FindingShown(
                rule=str(f.get("rule", "")),
                name=str(f.get("name", "")),
                category=str(f.get("category", "")),
                severity=severity,
                severity_words=SEVERITY_WORDS.get(severity, severity),
                clause=clause_for(str(f.get("clause", "")), refs),
                message=str(f.get("message", "")),
                fix=str(f.get("fix", "")),
                start=start,
                end=end,
                before=text[:start],
                span=text[start:end],
                after=text[end:],
                override=routing.override_for(f, text, overrides) if overrides is not None else None,
                dismissal=dismissed.get(key),
            )
        )
    return shown


@dataclass(frozen=True)
class Length:
    used: int
    limit: int | None
    unit: str

    @property
    def over(self) -> bool:
        return self.limit is not None and self.used > self.limit


def length(text: str, platform: str) -> Length:
    return Length(length_of(text, platform), max_length(platform), "characters")


def sign_off_hint(draft_or_account: Any, author: Any) -> str:
    account = getattr(draft_or_account, "account", draft_or_account)
    return expected_sign_off(account, author)


# --- Archive ------------------------------------------------------------------------------------
# The search itself (full text on FTS5 and PostgreSQL) and the exports are content.archive.

PAGE_SIZE = 25


def archive_categories(user: Any) -> list[str]:
    """The finding categories found in the archive this person reads, for the filter."""
    found: set[str] = set()
    for value in access.archive_visible(user).order_by().values_list("categories", flat=True).distinct():
        found.update(value.split())
    return sorted(found)


# --- Home page and digest items -----------------------------------------------------------------


def reminders(user: Any) -> list[Reminder]:
    """Posts waiting for this person: approvals they may give now, changes asked of them, blocked
    posts that wait for an SMT decision, approved posts to publish by hand, failures."""
    items: list[Reminder] = []
    if not getattr(user, "is_authenticated", False):
        return items
    queue = selectors.approval_queue_count(user)
    if queue.total:
        n, senior = queue.total, queue.senior
        detail = "Another person must approve each post before it goes out."
        if senior:
            detail = f"{senior} of them need{'s' if senior == 1 else ''} a senior leader (SMT). " + detail
        items.append(
            Reminder(
                f"content.queue.{user.pk}",
                f"{n} post{'s' if n != 1 else ''} waiting for your approval",
                detail,
                reverse("posts:queue"),
                "due",
            )
        )
    blocked = selectors.awaiting_override(user)
    if blocked:
        n = len(blocked)
        items.append(
            Reminder(
                f"content.blocked.{user.pk}",
                f"{n} blocked post{'s' if n != 1 else ''} waiting for a decision",
                "Ask the author for changes, or override a finding with a written reason.",
                reverse("posts:queue"),
                "info",
            )
        )
    staff = access.staff_of(user)
    if staff is not None:
        # Each with the request for changes it shows, read with the drafts, not one query each.
        asked = DraftEvent.objects.filter(kind=EventKind.CHANGES_REQUESTED).select_related("actor")
        for draft in (
            Draft.objects.filter(author=staff, state=State.CHANGES_REQUESTED)
            .select_related("account")
            .prefetch_related(Prefetch("events", asked.order_by("-at", "-pk"), to_attr="change_requests"))
        ):
            items.append(
                Reminder(
                    f"content.changes.{draft.pk}",
                    f"Changes asked for your post on {draft.account.handle}",
                    _last_comment(draft),
                    reverse("posts:draft", args=[draft.pk]),
                    "due",
                )
            )
        for failed in Draft.objects.filter(author=staff, state=State.FAILED).select_related("account"):
            items.append(
                Reminder(
                    f"content.failed.{failed.pk}",
                    f"Your post on {failed.account.handle} could not be published",
                    failed.last_error[:200] or "Open it to try again.",
                    reverse("posts:draft", args=[failed.pk]),
                    "overdue",
                )
            )
    manual = list(selectors.manual_to_publish(user))
    if manual:
        n = len(manual)
        items.append(
            Reminder(
                f"content.manual.{user.pk}",
                f"{n} approved post{'s' if n != 1 else ''} to publish by hand",
                "Copy the approved text, publish it, then record its link.",
                reverse("posts:draft", args=[manual[0].pk]) if n == 1 else reverse("posts:index"),
                "due",
            )
        )
    return items


def _last_comment(draft: Draft) -> str:
    requests = draft.change_requests  # type: ignore[attr-defined]  # prefetched, newest first
    event = requests[0] if requests else None
    if event is None:
        return "Open the post to see what to change."
    who = event.actor.full_name if event.actor is not None else "A reviewer"
    return f"{who}: “{event.comment[:160]}”"
