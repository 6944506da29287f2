"""The content workflow's own checks (PB…): what the engine cannot tell from a post's text — the
account's state and runners, the platform's length limit, the account's sign-off, a video's
metadata — and the consent register's checks on a draft's photos and videos (CN…). The content
and consent apps run them; they are described here, beside the engine's catalogue, so
that a pack's [clauses] can map them to the organisation's own numbering and `socialguard rule
PB004` explains them like any rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from socialguard.rules.model import Severity

PUBLISHING_CATEGORY = "publishing"


@dataclass(frozen=True)
class PublishingCheck:
    code: str
    name: str
    clause: str  # the engine's clause key, mapped like a rule's through the pack's [clauses]
    severity: Severity
    what: str
    why: str
    instead: str


PUBLISHING_CHECKS: dict[str, PublishingCheck] = {
    c.code: c
    for c in (
        PublishingCheck(
            "PB001", "empty-post", "5.1", Severity.BLOCK,
            "A post with no text.",
            "Communications must be of high quality in content and form (5.1).",
            "Write the post.",
        ),
        PublishingCheck(
            "PB002", "over-platform-length", "5.1", Severity.BLOCK,
            "A post longer than the account's platform allows (Bluesky and X count graphemes).",
            "Communications must comply with the platform's terms (5.1): it would refuse or cut the post.",
            "Shorten it by the number of characters the finding gives.",
        ),
        PublishingCheck(
            "PB003", "missing-sign-off", "Do's", Severity.BLOCK,
            "A post on an account with a sign-off (such as ^{initials}) that does not end with the author's.",
            "The Do's: make it clear who is posting on an organisational account.",
            "End the post with the sign-off the finding names.",
        ),
        PublishingCheck(
            "PB004", "account-not-active", "3.2", Severity.BLOCK,
            "A post for an account that is proposed, suspended, being transferred or closed.",
            "SMT create, run and close the organisation's accounts (3.2); only an active account publishes.",
            "Choose an active account; SMT manage the registry.",
        ),
        PublishingCheck(
            "PB005", "account-has-no-runners", "5.5", Severity.BLOCK,
            "A post for an account with no current runners.",
            "Named people answer for each organisational account (5.5).",
            "SMT name at least two runners for the account before it posts.",
        ),
        PublishingCheck(
            "PB006", "video-metadata-kept", "5.2", Severity.ADVICE,
            "A video attached to a post: socialguard removes photos' metadata but not videos'.",
            "A video's metadata can say where it was filmed, and so where learners are (5.2).",
            "Export the video without location data before attaching it.",
        ),
        PublishingCheck(
            "CN001", "people-shown-not-stated", "5.2", Severity.BLOCK,
            "A photo or video whose author has not said who it shows.",
            "Only people who have consented may be posted (5.2 The use of images).",
            "Name everyone who can be recognised, from the register, or answer “no identifiable people” "
            "or “a crowd at a public event”.",
        ),
        PublishingCheck(
            "CN002", "faces-not-accounted-for", "5.2", Severity.BLOCK,
            "A photo in which the face count found more faces than the people named.",
            "Someone shown may not have consented (5.2 The use of images).",
            "Name each person whose face shows, crop them out, or say it is a crowd at a public event.",
        ),
        PublishingCheck(
            "CN003", "learner-named-beside-photo", "5.2", Severity.BLOCK,
            "A learner under 18 shown in a photo and named in the post's text.",
            "A child's name beside their picture identifies them to anyone (5.2 The use of images).",
            "Remove the name.",
        ),
        PublishingCheck(
            "CN004", "learner-tagged", "5.2", Severity.BLOCK,
            "A learner's handle tagged in a post with photos.",
            "Tagging a learner links the organisation's photos to their own account (5.2).",
            "Remove the tag.",
        ),
    )
}  # fmt: skip


def publishing_finding(
    code: str, message: str, start: int = 0, end: int = 0, fix: str = ""
) -> dict[str, Any]:
    """A check's finding, shaped like the engine's (`Finding.as_dict`)."""
    check = PUBLISHING_CHECKS[code]
    data: dict[str, Any] = {
        "rule": code,
        "name": check.name,
        "category": PUBLISHING_CATEGORY,
        "clause": check.clause,
        "severity": str(check.severity),
        "message": message,
        "start": start,
        "end": end,
    }
    if fix:
        data["fix"] = fix
    return data
