"""The content check's consent findings for a draft with photos or videos (policy 5.2 "The use
of images"). The rules engine's IC001 blocks a learner shown without current consent, fed from
the register by `content.checking.engine_post`; these add what only the register and the
attachment know:

- CN001 people-shown-not-stated: the author has not said who is shown (name each person, or
  answer "no identifiable people" / "a crowd at a public event").
- CN002 faces-not-accounted-for: the face count found more faces than the people named.
- CN003 learner-named-beside-photo: an under-18 learner shown in a photo is named in its text.
- CN004 learner-tagged: a learner's handle is tagged in a post with photos.

They are part of the content check (the register knows nothing of posts), so they live here and
read the register through consent.selectors.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from socialguard.consent.faces import ANSWERS
from socialguard.consent.selectors import subject
from socialguard.people.models import Learner
from socialguard.rules.publishing import publishing_finding

if TYPE_CHECKING:
    from socialguard.content.checking import Composition


def _finding(code: str, message: str, fix: str, start: int = 0, end: int = 0) -> dict[str, Any]:
    return publishing_finding(code, message, start, end, fix)  # name, clause, severity: rules.publishing


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def consent_findings(comp: Composition) -> list[dict[str, Any]]:
    if not comp.media:
        return []
    found: list[dict[str, Any]] = []
    shown: list[Learner] = []
    for n, item in enumerate(comp.media, start=1):
        named = len(item.people_shown)
        if not named and item.shown_answer not in ANSWERS:
            found.append(_finding(
                "CN001", f"media {n}: say who it shows",
                "Name everyone who can be recognised, from the register, or answer “no identifiable "
                "people” or “a crowd at a public event” (5.2: only people who consented are posted).",
            ))  # fmt: skip
        faces = item.faces_found or 0
        if faces > named and item.shown_answer != "crowd":
            found.append(_finding(
                "CN002", f"media {n}: the face count found {_plural(faces, 'face')} but "
                + (f"only {_plural(named, 'person')} {'is' if named == 1 else 'are'} named" if named
                   else "the answer is “no identifiable people”" if item.shown_answer == "none"
                   else "nobody is named"),
                "Name each person whose face shows, crop them out, or, for a crowd at a public event, "
                "say so.",
            ))  # fmt: skip
        for ref in item.people_shown:
            if ref.get("kind") == "learner":
                person = subject("learner", str(ref.get("id", "")))
                if isinstance(person, Learner) and person not in shown:
                    shown.append(person)
    text = comp.text
    for learner in shown:
        if learner.is_under_18:
            for pattern in (learner.full_name, learner.first_name):
                match = (
                    re.search(rf"(?<!\w){re.escape(pattern)}(?!\w)", text, re.IGNORECASE) if pattern else None
                )
                if match:
                    found.append(_finding(
                        "CN003", f"{learner.full_name} is under 18 and is named beside their photo",
                        "Do not name a learner under 18 in a post with their picture: remove the name.",
                        match.start(), match.end(),
                    ))  # fmt: skip
                    break
    # Only learners whose handles the text could be tagging: one query per handle written, not a
    # read of every learner with a handle on each live check.
    written = {m.group(1).casefold() for m in re.finditer(r"@([\w.-]+)", text)}
    maybe = Q()
    for handle in written:
        maybe |= Q(social_handles__icontains=handle.rstrip(".-"))
    for learner in Learner.objects.filter(maybe) if written else ():
        for handle in learner.social_handles.splitlines():
            handle = handle.strip().lstrip("@")
            if not handle:
                continue
            # A full stop after the handle ends the sentence; one before more letters continues the handle.
            match = re.search(rf"@{re.escape(handle)}(?![\w-]|\.[\w-])", text, re.IGNORECASE)
            if match:
                found.append(_finding(
                    "CN004", f"tags {match.group(0)}, a learner ({learner.full_name}), in a post with photos",
                    "Do not tag learners in the organisation's photos: remove the tag.",
                    match.start(), match.end(),
                ))  # fmt: skip
    return found
