"""The engine's inputs (Post, PolicyContext) and outputs (Finding, Report)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# The longest post any platform accepts (Facebook: 63,206 characters; X 280, or 25,000 with a
# subscription; LinkedIn 3,000; Instagram captions 2,200). Anything longer is not a post, and
# one unbounded text would keep a worker busy for as long as the sender likes.
MAX_TEXT_CHARS = 63_206
# Links, recipients, people shown, media items: each list and each string in it.
MAX_ITEMS = 100
MAX_ITEM_CHARS = 2_048


class AccountKind(StrEnum):
    ORGANISATIONAL = "organisational"
    PERSONAL = "personal"


class Severity(StrEnum):
    """What a finding means for the post: block it, send it to a person, or advise only."""

    BLOCK = "block"
    REVIEW = "review"
    ADVICE = "advice"


class Verdict(StrEnum):
    PASS = "pass"
    REVIEW = "review"
    BLOCK = "block"


@dataclass(frozen=True)
class Author:
    name: str = ""
    job_title: str = ""


@dataclass(frozen=True)
class MediaItem:
    """A photo or video attached to a post."""

    description: str = ""
    people_shown: tuple[str, ...] = ()  # names as in the register
    consent_recorded: tuple[str, ...] = ()  # those shown whose written consent is on file
    tagged: tuple[str, ...] = ()  # people tagged in it
    third_party: bool = False  # made by someone outside the organisation
    permission: bool = False  # permission to share it is recorded


# Half of a UTF-16 surrogate pair on its own: JSON can spell one ("\ud800"), no text can hold one.
UNPAIRED_SURROGATE = re.compile("[\ud800-\udfff]")


def mended(value: str) -> str:
    """`value` with each half character (a lone surrogate) read as U+FFFD: for text fetched from
    elsewhere, which is stored and checked rather than refused."""
    return UNPAIRED_SURROGATE.sub("\ufffd", value)


def whole_characters(name: str, value: str) -> str:
    """`value`, refused where it holds half a character (a lone surrogate): the models cannot read
    it, and a post that holds one was mangled before it reached us."""
    found = UNPAIRED_SURROGATE.search(value)
    if found:
        raise ValueError(
            f"'{name}' has half of a character (U+{ord(found.group()):04X}, an unpaired surrogate) at "
            f"character {found.start() + 1:,}: the text was cut or mis-encoded; send it as whole UTF-8"
        )
    return value


@dataclass(frozen=True)
class Post:
    text: str
    id: str = ""
    platform: str = ""
    account: AccountKind = AccountKind.ORGANISATIONAL
    author: Author = Author()
    links: tuple[str, ...] = ()  # links attached beside those in the text
    media: tuple[MediaItem, ...] = ()
    is_reply: bool = False
    is_direct_message: bool = False
    recipients: tuple[str, ...] = ()  # names or handles a reply or message goes to
    connection_request_to: tuple[str, ...] = ()  # friend/follow/connect requests the post makes

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Post:
        """Build from JSON-like data, as `socialguard check --file` and the API receive it."""
        known = {
            "text",
            "id",
            "platform",
            "account",
            "author",
            "links",
            "media",
            "is_reply",
            "is_direct_message",
            "recipients",
            "connection_request_to",
        }
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown field(s): {', '.join(unknown)}")
        text = data.get("text")
        if not isinstance(text, str):
            raise ValueError("'text' must be a string")
        if len(text) > MAX_TEXT_CHARS:
            raise ValueError(
                f"'text' is {len(text):,} characters; the longest post any platform allows is "
                f"{MAX_TEXT_CHARS:,} (Facebook), so check it in parts"
            )
        whole_characters("text", text)

        def short(name: str, value: Any) -> str:
            value = str(value)
            if len(value) > MAX_ITEM_CHARS:
                raise ValueError(f"'{name}' is {len(value):,} characters; at most {MAX_ITEM_CHARS:,}")
            return whole_characters(name, value)

        def items(name: str, value: Any) -> list[Any]:
            if len(value) > MAX_ITEMS:
                raise ValueError(f"'{name}' has {len(value):,} items; at most {MAX_ITEMS}")
            return list(value)

        def strings(name: str, value: Any) -> tuple[str, ...]:
            if value is None:
                return ()
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"'{name}' must be a list of strings")
            return tuple(short(f"{name}[{n}]", v) for n, v in enumerate(items(name, value)))

        author = data.get("author") or {}
        if isinstance(author, str):
            author = {"name": author}
        if not isinstance(author, dict):
            raise ValueError("'author' must be a name or an object with 'name' and 'job_title'")
        media = []
        raw_media = data.get("media") or []
        if not isinstance(raw_media, list):
            raise ValueError("'media' must be a list of objects")
        for n, item in enumerate(items("media", raw_media)):
            if not isinstance(item, dict):
                raise ValueError(f"media[{n}] must be an object")
            media.append(
                MediaItem(
                    description=short(f"media[{n}].description", item.get("description", "")),
                    people_shown=strings(f"media[{n}].people_shown", item.get("people_shown")),
                    consent_recorded=strings(f"media[{n}].consent_recorded", item.get("consent_recorded")),
                    tagged=strings(f"media[{n}].tagged", item.get("tagged")),
                    third_party=bool(item.get("third_party", False)),
                    permission=bool(item.get("permission", False)),
                )
            )
        try:
            account = AccountKind(data.get("account", AccountKind.ORGANISATIONAL))
        except ValueError:
            raise ValueError("'account' must be 'organisational' or 'personal'") from None
        return cls(
            text=text,
            id=short("id", data.get("id", "")),
            platform=short("platform", data.get("platform", "")),
            account=account,
            author=Author(
                name=short("author.name", author.get("name", "")),
                job_title=short("author.job_title", author.get("job_title", "")),
            ),
            links=strings("links", data.get("links")),
            media=tuple(media),
            is_reply=bool(data.get("is_reply", False)),
            is_direct_message=bool(data.get("is_direct_message", False)),
            recipients=strings("recipients", data.get("recipients")),
            connection_request_to=strings("connection_request_to", data.get("connection_request_to")),
        )


@dataclass(frozen=True)
class RegisterPerson:
    name: str
    handles: tuple[str, ...] = ()
    kind: str = "learner"  # learner | past_learner | guardian
    adult: bool = False  # 18 or over by a known date of birth; unknown counts as possibly under 18


@dataclass
class PolicyContext:
    """What the engine knows about the organisation. Built once; an Engine compiles it once."""

    organisation_names: list[str] = field(default_factory=list)  # names, aliases
    organisation_handles: list[str] = field(default_factory=list)
    register: list[RegisterPerson] = field(default_factory=list)  # learners, past learners, guardians
    staff_names: list[str] = field(default_factory=list)
    allowed_domains: list[str] = field(default_factory=list)  # known to permit linking
    confidential_terms: list[str] = field(default_factory=list)
    approved_platforms: list[str] = field(default_factory=list)
    disclaimer: str = ""


@dataclass(frozen=True)
class Finding:
    rule: str
    name: str
    category: str
    clause: str
    severity: Severity
    message: str
    start: int
    end: int
    fix: str = ""
    # The organisation's clause text (or that the rule maps to none), where its pack maps clauses.
    clause_text: str = ""

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "name": self.name,
            "category": self.category,
            "clause": self.clause,
            "severity": str(self.severity),
            "message": self.message,
            "start": self.start,
            "end": self.end,
        }
        if self.fix:
            data["fix"] = self.fix
        if self.clause_text:
            data["clause_text"] = self.clause_text
        return data


@dataclass(frozen=True)
class Report:
    post: Post
    findings: tuple[Finding, ...]

    @property
    def verdict(self) -> Verdict:
        severities = {f.severity for f in self.findings}
        if Severity.BLOCK in severities:
            return Verdict.BLOCK
        if Severity.REVIEW in severities:
            return Verdict.REVIEW
        return Verdict.PASS

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.post.id,
            "verdict": str(self.verdict),
            "findings": [f.as_dict() for f in self.findings],
        }
