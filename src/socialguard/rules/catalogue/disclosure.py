"""Speaking about or for the organisation (5.1, the Do's): disclaimers, saying who is posting,
and references that imply the organisation's endorsement."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from socialguard.rules.catalogue import Example, Flag, allows, flags, rule
from socialguard.rules.catalogue.example_context import DISCLAIMER
from socialguard.rules.model import AccountKind, Author, Post, Severity

if TYPE_CHECKING:
    from socialguard.rules.analysis import Analysis
    from socialguard.rules.compiled import CompiledContext

PERSONAL = AccountKind.PERSONAL
SHORT_DISCLAIMER = re.compile(
    r"\bviews (?:expressed )?(?:are )?(?:my|mine|my own)\b|\bviews my own\b|\bopinions? (?:are )?my own\b|"
    r"\bmy (?:own )?(?:views|opinions?)\b|\bnot (?:those of )?my employer'?s?\b|\bpersonal (?:views?|opinions?)\b"
)
OPINION = re.compile(
    r"\b(?:i think|i feel|i believe|in my (?:view|opinion)|imo|imho|personally|i reckon|i love|i hate|"
    r"honestly|best|worst|brilliant|terrible|awful|amazing|recommend)\b",
    re.I,
)
# The author's own employer, unnamed: "my college", "where I work".
MY_EMPLOYER = re.compile(
    r"\b(?:my|our) (?:college|employer|workplace|training provider|provider|company|organisation)\b|"
    r"\bwhere i work\b",
    re.I,
)
TEACHER = Author(name="Tom Bradley", job_title="Digital Marketing Tutor")


@rule(
    code="MD001",
    name="personal-view-without-disclaimer",
    clause="5.1",
    category="missing-disclaimer",
    severity=Severity.REVIEW,
    what="A personal account giving a view about the organisation without the policy's disclaimer.",
    why="Section 5.1 and the Do's: use the disclaimer when expressing personal views; others may reasonably "
    "think you speak for the organisation (5.2).",
    instead="Add the disclaimer (the suggested fix appends it).",
    examples=(
        flags("I think DMM has the best tutors in Manchester", account=PERSONAL),
        allows(f"I think DMM has the best tutors in Manchester. {DISCLAIMER}", account=PERSONAL),
        allows("I think Manchester has the best weather", account=PERSONAL),
        flags("Honestly I think my college's new timetable is a mistake", account=PERSONAL),
    ),
)
def personal_view(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if a.post.account != PERSONAL:
        return
    org = [(h.start, h.end) for h in a.get("name:organisation")]
    if org:
        if not (OPINION.search(a.text.original) or a.has("lexicon:opinion")):
            return
    else:
        # Unnamed ("my college"): only a critical view needs the disclaimer; "brilliant day at my
        # college" is not a statement others could take as the organisation's.
        employer = MY_EMPLOYER.search(a.text.original)
        if not employer or not a.has("lexicon:opinion"):
            return
        org.append((employer.start(), employer.end()))
    if (c.disclaimer and c.disclaimer in a.text.folded) or SHORT_DISCLAIMER.search(a.text.folded):
        return
    disclaimer = c.context.disclaimer or "The views expressed are my own."
    yield Flag(
        org[0][0],
        org[0][1],
        "a personal view about the organisation needs the disclaimer",
        fix=f"{a.text.original.rstrip()} {disclaimer}",
    )


@rule(
    code="MD002",
    name="poster-not-identified",
    clause="Do's",
    category="missing-disclaimer",
    severity=Severity.ADVICE,
    what="An organisational post that does not show who wrote it (name, or initials such as ^TB).",
    why="Section 5.1: clearly identify yourself, including your name and job title; the Do's: make it clear "
    "who is posting content.",
    instead="Sign the post (the suggested fix adds your name and job title).",
    examples=(
        Example(Post("Applications are open for September", author=TEACHER), True),
        Example(Post("Applications are open for September ^TB", author=TEACHER), False),
        Example(
            Post("Applications are open for September. Tom Bradley, Digital Marketing Tutor", author=TEACHER),
            False,
        ),
    ),
)
def poster_not_identified(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    post = a.post
    if post.account != AccountKind.ORGANISATIONAL or not post.author.name or not post.text.strip():
        return
    folded = a.text.folded
    name = post.author.name.casefold()
    initials = "".join(part[0] for part in name.split() if part)
    signed = (
        name in folded
        or name.split()[0] in folded.split()
        or re.search(rf"[\^~-]\s*{re.escape(initials)}\b", folded)
    )
    if not signed:
        signature = post.author.name + (f", {post.author.job_title}" if post.author.job_title else "")
        yield Flag(0, 0, "readers cannot tell who posted this", fix=f"{post.text.rstrip()} — {signature}")


@rule(
    code="EN001",
    needs=("lexicon:endorsement", "lexicon:reference"),
    name="implied-endorsement",
    clause="5.1",
    category="endorsement",
    severity=Severity.REVIEW,
    what="A reference or recommendation for someone that could read as the organisation's endorsement.",
    why="Section 5.1: you must not provide references or recommendations in any way that suggests the "
    "organisation's endorsement; seek the senior management team's advice first.",
    instead="Ask the senior management team; make clear it is personal and can be withdrawn.",
    examples=(
        flags("I highly recommend Jo Smith, a brilliant marketer, hire her!"),
        flags("I highly recommend Jo Smith, hire her!", account=PERSONAL),
        allows("We recommend learners bring a laptop"),
        allows("Finished a brilliant book today, highly recommend it", account=PERSONAL),
        allows("The centre is a polling station on Thursday. We do not endorse any party or candidate."),
        flags("I can't recommend Jo Smith highly enough, hire her!"),
        flags(
            "I'd recommend Clearline Payroll to any provider, and I'm happy to say so on our behalf.",
            account=PERSONAL,
        ),
    ),
)
def endorsement(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if a.post.account == PERSONAL:
        # 5.1 is about references for people; a personal account may recommend a book or a film,
        # but not recommend anyone or anything on the organisation's behalf.
        hits = [h for h in a.get("lexicon:endorsement", "lexicon:reference") if h.value in ABOUT_A_PERSON]
        hits += a.get("lexicon:reference")
        if not hits and ON_ITS_BEHALF.search(a.text.original):
            hits = a.get("lexicon:endorsement")
    else:
        hits = a.get("lexicon:endorsement", "lexicon:reference")
    hits = [h for h in hits if not _denied(a.text.original, h.start, h.end)]
    for hit in hits[:1]:
        yield Flag(
            hit.start,
            hit.end,
            f"'{a.text.original[hit.start : hit.end]}' may read as the organisation's endorsement",
        )


ON_ITS_BEHALF = re.compile(
    r"\bon (?:our|the (?:college|organisation|company)'s) behalf\b|\bon behalf of (?:us|the (?:college|organisation|company))\b",
    re.I,
)
# "We do not endorse any party", "doesn't recommend": the post says the opposite. "Can't recommend
# her highly enough" is the strongest recommendation, so a following "enough" undoes the negation.
DENIED_BEFORE = re.compile(r"(?:\bnot|n['’]t|\bnever|\bneither|\bnor)\s+(?:\w+ly\s+)?$", re.I)
ENOUGH_AFTER = re.compile(r"^[^.!?\n]{0,60}\benough\b", re.I)


def _denied(text: str, start: int, end: int) -> bool:
    return bool(DENIED_BEFORE.search(text[max(0, start - 30) : start])) and not ENOUGH_AFTER.search(
        text[end : end + 80]
    )


# Endorsement terms that are about a person (a reference, a hire), which 5.1 covers on any account.
ABOUT_A_PERSON = frozenset(
    {
        "can vouch",
        "vouch for",
        "reference for",
        "endorse",
        "endorsed by",
        "hire her",
        "hire him",
        "hire them",
        "you should hire",
        "best candidate",
        "on behalf of dmm",
        "on behalf of digital marketing mentor",
    }
)
