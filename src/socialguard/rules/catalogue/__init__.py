"""The rule catalogue: one small definition per rule, like ruff's.

Each rule has a stable code, a kebab-case name, the clause of the policy it enforces, a category
(stable API), a default severity, documentation in fixed sections (what it flags, why the policy
forbids it, what to do instead) and examples that must be flagged or allowed; the test suite
runs every example (tests/rules/test_catalogue.py) and `socialguard rule CODE` prints them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from socialguard.rules.model import Post, Severity

if TYPE_CHECKING:
    from socialguard.rules.analysis import Analysis
    from socialguard.rules.compiled import CompiledContext
    from socialguard.rules.detectors import Hit

CATEGORIES = (
    "personal-data",
    "learner-identity",
    "confidential",
    "offensive",
    "discrimination",
    "harassment",
    "disparagement",
    "politics-religion",
    "third-party-link",
    "chain-mail",
    "missing-disclaimer",
    "endorsement",
    "grievance",
    "copyright",
    "image-consent",
    "learner-contact",
    "controversial",
    "quality",
    # Added for plain-language breaches (issue 15 item 2).
    "defamation",
    "disrepute",
    "commercial",
    "data-request",
)

# The classifier scores a rule may declare it reads (Rule.scores): "offensive" (the cascade's
# offensive probability), "hate" (the hate-speech head), "sentiment" (negative and positive).
SCORES = ("offensive", "hate", "sentiment")


@dataclass(frozen=True)
class Flag:
    """One place a rule objects to, in the original text's coordinates."""

    start: int
    end: int
    message: str
    fix: str = ""


@dataclass(frozen=True)
class Example:
    post: Post
    flagged: bool
    note: str = ""


def flags(text: str, note: str = "", **post: object) -> Example:
    return Example(Post(text=text, **post), True, note)  # type: ignore[arg-type]


def allows(text: str, note: str = "", **post: object) -> Example:
    return Example(Post(text=text, **post), False, note)  # type: ignore[arg-type]


Check = Callable[["Analysis", "CompiledContext"], Iterable[Flag]]


def lexicon_flags(a: Analysis, *kinds: str, message: str) -> Iterator[Flag]:
    """One flag per lexicon or name hit; `message` may use {word}, the text as written."""
    for hit in a.get(*kinds):
        yield Flag(
            hit.start, hit.end, message.format(word=a.text.original[hit.start : hit.end], value=hit.value)
        )


def first_pair(a: Analysis, first: tuple[str, ...], second: tuple[str, ...]) -> tuple[Hit, Hit] | None:
    """The first hit of `first` and of `second` when the post has both (a word and its context):
    rules that pair two lexicons flag only when both are present, never on one word alone."""
    one = a.get(*first)
    if not one:
        return None
    two = a.get(*second)
    return (one[0], two[0]) if two else None


# "Scam alert", "fraud awareness week": a word followed by these names a warning about the thing, not a
# charge against anyone (DF001, DP001).
WARNING_AFTER = re.compile(r"\s*(?:alerts?|warnings?|awareness|prevention|advice)\b", re.I)


SENTENCE_END = re.compile(r"[.!?\n]\s|\n")


class Sentences:
    """A post's sentences by number, found in one pass (a long post costs linear time, whatever the
    number of hits a rule asks about): which sentence a position is in, and the text of a run of them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ends = [m.end() for m in SENTENCE_END.finditer(text)]

    def number(self, position: int) -> int:
        return bisect.bisect_right(self.ends, position)

    def text_of(self, first: int, last: int | None = None) -> str:
        """Sentences `first` to `last` (inclusive; `first` alone by default)."""
        last = first if last is None else last
        start = self.ends[first - 1] if first > 0 else 0
        return self.text[start : self.ends[last] if last < len(self.ends) else len(self.text)]


def quoted(a: Analysis, hit: Hit) -> str:
    return a.text.original[hit.start : hit.end]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    clause: str
    category: str
    severity: Severity
    what: str
    why: str
    instead: str
    examples: tuple[Example, ...]
    check: Check
    # The classifier scores the check reads (names from SCORES). The engine routes a post on to
    # the stage of the cascade that gives each score reliably whenever a selected rule that
    # would run on the post declares it; a score no rule declares may be missing (None).
    scores: tuple[str, ...] = ()
    uses_classifier: bool = False  # derived: True when `scores` is not empty
    # Hit kinds the check reads; when the post has none of them the engine skips the rule.
    needs: tuple[str, ...] = ()
    # Hit kinds in whose presence the check decides without its scores (OF002 says nothing where
    # the profanity rule already flags the word): such a post is not scored for this rule, which
    # spares the transformer. tests/rules/test_engine.py checks the findings do not change.
    scores_unless: tuple[str, ...] = ()
    # A fallback (the learned rules): its findings are dropped where a rule of the same category
    # that is not a fallback already flagged the post, so one breach is reported once.
    defers_to_category: bool = False
    added_in: str = "0.1.0"

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"{self.code}: unknown category {self.category!r}")
        if not any(e.flagged for e in self.examples) or not any(not e.flagged for e in self.examples):
            raise ValueError(f"{self.code}: needs at least one flagged and one allowed example")
        unknown = [s for s in self.scores if s not in SCORES]
        if unknown:
            raise ValueError(f"{self.code}: unknown score(s) {unknown}; a rule may read {', '.join(SCORES)}")
        if self.uses_classifier and not self.scores:
            # A rule that reads scores it has not declared would see None wherever the fast
            # stage decided alone, silently passing what it should flag.
            raise ValueError(
                f"{self.code}: uses_classifier without scores=(...); declare the scores it reads"
            )
        if self.scores_unless and not self.scores:
            raise ValueError(f"{self.code}: scores_unless without scores=(...)")
        object.__setattr__(self, "uses_classifier", bool(self.scores))


RULES: dict[str, Rule] = {}


def rule(**fields: object) -> Callable[[Check], Check]:
    """Register the decorated check function as a rule."""

    def register(check: Check) -> Check:
        definition = Rule(check=check, **fields)  # type: ignore[arg-type]
        if definition.code in RULES:
            raise ValueError(f"duplicate rule code {definition.code}")
        RULES[definition.code] = definition
        return check

    return register


def all_rules() -> dict[str, Rule]:
    # Importing the families registers their rules.
    from socialguard.rules.catalogue import (  # noqa: F401
        conduct,
        content,
        disclosure,
        learned,
        people,
        personal_data,
        reputation,
        sharing,
        writing,
    )

    return dict(sorted(RULES.items()))
