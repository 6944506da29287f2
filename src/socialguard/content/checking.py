"""The policy check every draft goes through on every save, and that the compose page runs on
unsaved text as the author types: the rules engine with the organisation's real context, plus
what the engine cannot know (the platform's length limit, the account's sign-off, whether the
account may publish at all).

`check_composition` is pure in the sense the compose page needs: it reads the register and the
account but writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import regex

from socialguard.accounts.models import AccountRunner, AccountStatus, OrgAccount
from socialguard.people.models import Guardian, Learner, StaffMember
from socialguard.policies.engine import policy_engine
from socialguard.rules import AccountKind, Author, MediaItem, Post, Severity, Verdict
from socialguard.rules.publishing import publishing_finding

# Platforms' limits, in characters (Bluesky's in graphemes). A platform with a connector uses
# the connector's own `max_length` instead (see `max_length`).
MAX_LENGTH = {
    "bluesky": 300,
    "x": 280,
    "linkedin": 3000,
    "facebook": 63206,
    "instagram": 2200,
    "threads": 500,
    "tiktok": 2200,
    "youtube": 5000,
}
GRAPHEME_PLATFORMS = {"bluesky"}


@dataclass(frozen=True)
class MediaInfo:
    sha256: str
    content_type: str = ""
    alt_text: str = ""
    people_shown: tuple[dict[str, str], ...] = ()  # {"kind": "learner"|"staff"|"guardian", "id": ...}
    metadata_kept: bool = False
    shown_answer: str = ""  # "none" or "crowd" when nobody is named (consent.faces.ANSWERS)
    faces_found: int | None = None


@dataclass(frozen=True)
class Composition:
    """What is checked and what an approval is bound to."""

    account: OrgAccount
    author: StaffMember | None
    text: str
    links: tuple[str, ...] = ()
    is_reply: bool = False
    reply_to: str = ""
    media: tuple[MediaInfo, ...] = ()
    kind: str = "post"
    corrects_id: int | None = None


@dataclass(frozen=True)
class Outcome:
    verdict: str
    findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def blocking(self) -> list[dict[str, Any]]:
        return [f for f in self.findings if f["severity"] == Severity.BLOCK]


def content_hash(comp: Composition) -> str:
    """A hash of exactly what would be published: text, media, links and the reply target."""
    data = {
        "kind": comp.kind,
        "text": comp.text,
        "links": list(comp.links),
        "media": [m.sha256 for m in comp.media],
        "reply_to": comp.reply_to if comp.is_reply else "",
        "corrects": comp.corrects_id,
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def max_length(platform: str) -> int | None:
    from socialguard.connectors import base

    factory = base.factory_for(platform)
    limit = getattr(factory, "max_length", None)  # a connector class declares its own
    return int(limit) if isinstance(limit, int) else MAX_LENGTH.get(platform)


def length_of(text: str, platform: str) -> int:
    if platform in GRAPHEME_PLATFORMS:
        return len(regex.findall(r"\X", text))
    return len(text)


def initials(staff: StaffMember) -> str:
    return "".join(part[:1] for part in (staff.first_name, staff.last_name) if part).upper()


def expected_sign_off(account: OrgAccount, author: StaffMember | None) -> str:
    if not account.sign_off or author is None:
        return ""
    return account.sign_off.replace("{initials}", initials(author))


def register_names(people: Sequence[dict[str, str]]) -> tuple[list[str], list[str]]:
    """Names for register references, and the references that match nobody."""
    models: dict[str, type[Learner] | type[StaffMember] | type[Guardian]] = {
        "learner": Learner,
        "staff": StaffMember,
        "guardian": Guardian,
    }
    names, unknown = [], []
    for ref in people:
        model = models.get(str(ref.get("kind", "")))
        person = model.objects.filter(external_id=str(ref.get("id", ""))).first() if model else None
        if person is None:
            unknown.append(f"{ref.get('kind', '?')} {ref.get('id', '?')}")
        else:
            names.append(person.full_name)
    return names, unknown


def _finding(code: str, message: str, start: int, end: int, fix: str = "") -> dict[str, Any]:
    return publishing_finding(code, message, start, end, fix)


def _cited(finding: dict[str, Any], pack: Any) -> dict[str, Any]:
    """The organisation's own clause number and text, as the engine's findings cite them."""
    number, text = pack.clause_for(finding["rule"], finding["clause"])
    return {**finding, "clause": number, **({"clause_text": text} if text else {})}


def content_findings(comp: Composition) -> list[dict[str, Any]]:
    """What the engine cannot know: each finding cites its clause and says how to fix it."""
    account, text = comp.account, comp.text
    found: list[dict[str, Any]] = []
    if account.status != AccountStatus.ACTIVE:
        found.append(_finding(
            "PB004", f"{account} is {account.get_status_display().lower()}: nothing can be published on it",
            0, 0, "Choose an active account; SMT manage the registry.",
        ))  # fmt: skip
    elif not AccountRunner.objects.filter(account=account, active=True).exists():
        found.append(_finding(
            "PB005", f"{account} has no current runners: nobody answers for what it publishes",
            0, 0, "SMT must name at least two runners for the account before it posts.",
        ))  # fmt: skip
    if comp.kind == "deletion":
        return found  # nothing is published: the text is the reason for removing the post
    if not text.strip():
        found.append(_finding(
            "PB001", "the post is empty", 0, 0,
            "Write the post: communications must be of high quality in content and form (5.1).",
        ))  # fmt: skip
    limit = max_length(account.platform)
    length = length_of(text, account.platform)
    if limit is not None and length > limit:
        unit = "characters (graphemes)" if account.platform in GRAPHEME_PLATFORMS else "characters"
        found.append(_finding(
            "PB002", f"the post is {length:,} {unit}; {account.get_platform_display()} allows {limit:,}",
            0, len(text), f"Shorten it by {length - limit:,}: comply with the platform's terms (5.1).",
        ))  # fmt: skip
    sign_off = expected_sign_off(account, comp.author)
    if sign_off and text.strip() and not re.search(re.escape(sign_off) + r"(?![\w])", text):
        found.append(_finding(
            "PB003", f"the post is not signed: this account's posts end with {sign_off}",
            len(text), len(text), f"End the post with {sign_off} (the Do's: make it clear who is posting).",
        ))  # fmt: skip
    for n, item in enumerate(comp.media):
        if item.metadata_kept:
            found.append(_finding(
                "PB006", f"media {n + 1} is a video: its metadata (which may include where it was filmed) "
                "is not removed by socialguard", 0, 0,
                "Export the video without location data before attaching it.",
            ))  # fmt: skip
    from socialguard.content.consent_checks import consent_findings

    found += consent_findings(comp)
    return found


def engine_post(comp: Composition) -> Post:
    """The engine's post. Whose consent is recorded comes from the consent register (each
    person's current social-media consent), never from the caller."""
    from socialguard.consent.selectors import states_for_refs, subject

    media = []
    for item in comp.media:
        states = states_for_refs(item.people_shown)
        names, consented = [], []
        for ref in item.people_shown:
            key = (str(ref.get("kind", "")), str(ref.get("id", "")))
            person = subject(*key)
            if person is None:
                continue
            names.append(person.full_name)
            if states[key].may_post:
                consented.append(person.full_name)
        media.append(
            MediaItem(description=item.alt_text, people_shown=tuple(names), consent_recorded=tuple(consented))
        )
    author = comp.author
    return Post(
        text=comp.text,
        platform=comp.account.platform,
        account=AccountKind.ORGANISATIONAL,
        author=Author(author.full_name, author.job_title) if author else Author(),
        links=comp.links,
        media=tuple(media),
        is_reply=comp.is_reply,
        recipients=(comp.reply_to,) if comp.is_reply and comp.reply_to else (),
    )


# Rules whose finding means a child may be at risk: the compose page links to reporting a concern.
SAFEGUARDING_RULES = frozenset({"CF005"})


def check_composition(comp: Composition) -> Outcome:
    """The findings and verdict for `comp`; writes nothing (the compose page calls it live)."""
    engine = policy_engine()
    findings = [_cited(f, engine.pack) for f in content_findings(comp)]
    if comp.kind != "deletion" and comp.text.strip():
        report = engine.check(engine_post(comp))
        findings += [f.as_dict() for f in report.findings]
    if any(f["rule"] in SAFEGUARDING_RULES for f in findings):
        # Nothing of a safeguarding disclosure is to be posted: no finding offers a fix that
        # would (MD002 offered to sign it), only the way to tell the safeguarding lead.
        findings = [{**f, "fix": ""} for f in findings]
    severities = {f["severity"] for f in findings}
    verdict = (
        Verdict.BLOCK
        if Severity.BLOCK in severities
        else Verdict.REVIEW
        if Severity.REVIEW in severities
        else Verdict.PASS
    )
    return Outcome(str(verdict), findings)


def check_text(
    *,
    account: OrgAccount,
    author: StaffMember | None,
    text: str,
    links: Sequence[str] = (),
    is_reply: bool = False,
    reply_to: str = "",
) -> Outcome:
    """Live check of unsaved text, for the compose page as the author types."""
    return check_composition(Composition(account, author, text, tuple(links), is_reply, reply_to))
