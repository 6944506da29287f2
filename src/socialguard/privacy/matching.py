"""Match a person's connections with the register, in memory.

Names match "sensibly": accents, case, apostrophes, hyphens and extra spaces are ignored, the
order of the words does not matter ("Doe, Jane" is Jane Doe), and a connection with a middle name
matches on its first and last words. Handles match exactly (after taking off "@", case and any
profile address around them). Nothing is guessed beyond that: a false match would ask someone to
drop a friend for nothing, a missed one is caught by the next check or by the person themself.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from socialguard.privacy.exports import Connection, handle_of

CURRENT_LEARNER = "current_learner"
PAST_LEARNER_UNDER_18 = "past_learner_under_18"
GUARDIAN = "guardian"
WHY = {
    CURRENT_LEARNER: "a current learner",
    PAST_LEARNER_UNDER_18: "a past learner under 18 (or whose date of birth is not recorded)",
    GUARDIAN: "a learner's parent or guardian",
}
CLAUSE = "5.2 Acceptance of friends"
CLAUSE_TEXT = (
    "You must not accept and/or invite learners of any age or past learners under the age of 18, "
    "or parents to be 'friends' on personal social media accounts or other online services."
)
# Apostrophes (straight, curly, backtick, acute) and full stops go; hyphens and dashes split words.
_DROP = str.maketrans("", "", "'\u2019\u2018`\u00b4.")
_SPACE = str.maketrans("-\u2010\u2013_", "    ")


def name_key(name: str) -> str:
    """The words of a name, folded and sorted: 'Renée O\u2019Brien', 'OBRIEN, renee' → 'obrien renee'."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    folded = folded.translate(_DROP).translate(_SPACE).replace(",", " ")
    return " ".join(sorted(w for w in folded.split() if w))


def _short_keys(name: str) -> set[str]:
    """A name's key, and with middle names left out (its first and last words, in either order)."""
    key = name_key(name)
    keys = {key}
    words = [w for w in name.replace(",", " ").split() if w]
    if "," in name and len(words) >= 2:  # "Doe, Jane Mary": the last name comes first
        words = words[1:] + words[:1]
    if len(words) > 2:
        keys.add(name_key(f"{words[0]} {words[-1]}"))
    return keys


@dataclass(frozen=True)
class RegisterEntry:
    name: str
    kind: str  # one of WHY
    handles: tuple[str, ...] = ()
    ref: str = ""  # the register record ("learner:12"), so one person matched twice counts once


@dataclass
class Index:
    by_name: dict[str, list[RegisterEntry]] = field(default_factory=dict)
    by_handle: dict[str, list[RegisterEntry]] = field(default_factory=dict)

    @classmethod
    def build(cls, entries: Iterable[RegisterEntry]) -> Index:
        index = cls()
        for entry in entries:
            for key in _short_keys(entry.name):
                index.by_name.setdefault(key, []).append(entry)
            for handle in entry.handles:
                if handle_of(handle):
                    index.by_handle.setdefault(handle_of(handle), []).append(entry)
        return index


@dataclass(frozen=True)
class Match:
    shown_as: str  # the connection as the person's own export shows it
    how: str  # "name" or "handle"
    kinds: tuple[str, ...]  # why, most serious first
    register_count: int  # people in the register it could be (duplicates, namesakes)

    @property
    def why(self) -> str:
        return "; ".join(WHY[k] for k in self.kinds)


_ORDER = [CURRENT_LEARNER, PAST_LEARNER_UNDER_18, GUARDIAN]


def match(connections: Iterable[Connection], index: Index) -> list[Match]:
    """Each connection that is someone the policy says not to be friends with, once, sorted."""
    found: dict[tuple[str, str], Match] = {}
    for conn in connections:
        hits: list[RegisterEntry] = []
        how = ""
        if conn.handle and conn.handle in index.by_handle:
            hits, how = index.by_handle[conn.handle], "handle"
        elif conn.account_id and conn.account_id in index.by_handle:
            hits, how = index.by_handle[conn.account_id], "handle"
        elif conn.name:
            for key in _short_keys(conn.name):
                if key in index.by_name:
                    hits, how = index.by_name[key], "name"
                    break
        if not hits:
            continue
        shown = conn.name or (f"@{conn.handle}" if conn.handle else f"X account {conn.account_id}")
        kinds = tuple(k for k in _ORDER if any(h.kind == k for h in hits))
        people = {h.ref or h.name for h in hits}
        found[(how, shown.casefold())] = Match(shown, how, kinds, len(people))
    return sorted(found.values(), key=lambda m: (_ORDER.index(m.kinds[0]), name_key(m.shown_as)))
