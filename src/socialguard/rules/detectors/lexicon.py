"""Lexicons and name lists compiled into Aho-Corasick automata: one pass finds every term.

Terms are normalised exactly as post text is (see rules/text.py). A term ending in `*` matches
as a prefix ("wank*" matches "wanker"); others must match whole words. Matching is linear in the
text's length whatever the number of terms, so an organisation's own lexicon cannot slow or
hang the engine the way a user-supplied regular expression could.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

import ahocorasick

from socialguard.rules.detectors import Hit
from socialguard.rules.text import fold, is_word_char, normalise

if TYPE_CHECKING:
    from socialguard.rules.analysis import Analysis


def _key(term: str, *, plain: bool) -> str:
    return normalise(term).plain if plain else fold(term)


# Kept between compilations: the engine is compiled again whenever the register changes, and
# normalising the packs' ten thousand terms was two thirds of each compilation (~70 ms of 110).
@lru_cache(maxsize=1 << 16)
def term_key(raw: str, *, plain: bool) -> tuple[str, bool] | None:
    """The key a term is matched by and whether it is a prefix (a trailing `*`), or None for a
    term that can match nothing: empty once stripped and its `*` removed, or a single letter or
    digit (noise; a single emoji is a real term). The pack's validator refuses what this drops."""
    raw = raw.strip()
    prefix = raw.endswith("*")
    key = _key(raw.rstrip("*"), plain=plain).strip()
    if not key or (len(key) < 2 and key.isalnum()):
        return None
    return key, prefix


class Automaton:
    """Whole-word (or prefix) matching of many terms at once, each tagged with kinds."""

    def __init__(self, terms: Mapping[str, Iterable[str]], *, plain: bool) -> None:
        self.plain = plain
        self.automaton = ahocorasick.Automaton()
        # A key's kinds that match it as a whole word and those that match it as a prefix: the same
        # word may be a prefix in one lexicon ("webinar*") and a whole word in another ("webinar").
        entries: dict[str, tuple[set[str], set[str]]] = {}
        for kind, words in terms.items():
            for raw in words:
                found = term_key(raw, plain=plain)
                if found is None:
                    continue
                key, prefix = found
                whole, prefixed = entries.setdefault(key, (set(), set()))
                (prefixed if prefix else whole).add(kind)
        for key, (whole, prefixed) in entries.items():
            self.automaton.add_word(key, (key, tuple(sorted(whole)), tuple(sorted(prefixed))))
        self.empty = not entries
        if not self.empty:
            self.automaton.make_automaton()

    def find(self, haystack: str) -> list[tuple[int, int, str, tuple[str, ...]]]:
        if self.empty:
            return []
        found = []
        size = len(haystack)
        for end_index, (key, whole, prefixed) in self.automaton.iter(haystack):
            start = end_index - len(key) + 1
            end = end_index + 1
            # Keys beginning with @ or # (handles) need no word boundary on their left.
            if start > 0 and is_word_char(haystack[start - 1]) and is_word_char(key[0]):
                continue
            # A whole-word key ends where the word does (or at a key's own non-word last character).
            ends_word = end == size or not is_word_char(haystack[end]) or not is_word_char(key[-1])
            if not prefixed:
                if ends_word:
                    found.append((start, end, key, whole))
                continue
            if whole and ends_word and (end == size or not is_word_char(haystack[end])):
                found.append((start, end, key, tuple(sorted({*whole, *prefixed}))))  # the word is the key
                continue
            word_end = end
            while word_end < size and is_word_char(haystack[word_end]):
                word_end += 1
            found.append((start, word_end, key, prefixed))
            if whole and ends_word:
                found.append((start, end, key, whole))
        return found


# Insults that are also plain words, and the words before them that make them plain: "get lost"
# is an insult ("Oh just get lost", "you can get lost") but not in "ask at reception if you get
# lost on your first day" or "easy to get lost in the new building". Checked on the words just
# before the match (the de-obfuscated text); the pack's [allow] list cannot do this, as it
# blanks a phrase for every reader, the learned models included.
LITERAL_BEFORE: dict[tuple[str, str], re.Pattern[str]] = {
    ("lexicon:insult", "get lost"): re.compile(
        r"(?:\b(?:if|when|whenever|in case|so that)\s+(?:[\w']+\s+){1,3}"
        r"|\b(?:don'?t|do not|not to|never|won'?t|will not|(?:easy|easier|hard|harder) to|easily)\s+)$"
    ),
}
# Enough of the text before a match for LITERAL_BEFORE's longest context.
LITERAL_WINDOW = 60


class LexiconDetector:
    """Conduct lexicons (profanity, slurs, threats, …) matched on the de-obfuscated text."""

    name: str = "lexicon"

    def __init__(self, lexicons: Mapping[str, Iterable[str]]) -> None:
        self.kinds = tuple(f"lexicon:{k}" for k in lexicons)
        self.automaton = Automaton({f"lexicon:{k}": v for k, v in lexicons.items()}, plain=True)

    def detect(self, analysis: Analysis) -> None:
        text = analysis.text
        found: set[tuple[str, int, int]] = set()
        for start, end, key, kinds in self.automaton.find(text.plain):
            o_start, o_end = text.span(start, end, plain=True)
            for kind in kinds:
                literal = LITERAL_BEFORE.get((kind, key))
                if literal and literal.search(text.plain[max(0, start - LITERAL_WINDOW) : start]):
                    continue
                analysis.add(Hit(kind, o_start, o_end, key))
                found.add((kind, o_start, o_end))
        if text.squeezed is None:
            return
        # Stretched letters kept once as well: "shiiiit" is "shiit" in plain, which no list has.
        for start, end, key, kinds in self.automaton.find(text.squeezed):
            o_start, o_end = text.span(start, end, squeezed=True)
            for kind in kinds:
                literal = LITERAL_BEFORE.get((kind, key))
                if literal and literal.search(text.squeezed[max(0, start - LITERAL_WINDOW) : start]):
                    continue
                if (kind, o_start, o_end) not in found:
                    analysis.add(Hit(kind, o_start, o_end, key))
                    found.add((kind, o_start, o_end))


class NamesDetector:
    """The organisation's names and handles, staff names, the learner and guardian register,
    and confidential terms, matched on case-folded text (handles keep their @)."""

    name: str = "names"
    kinds: tuple[str, ...] = (
        "name:organisation",
        "name:staff",
        "name:learner",
        "name:past_learner",
        "name:guardian",
        "name:confidential",
    )

    def __init__(self, names: Mapping[str, Iterable[str]]) -> None:
        self.automaton = Automaton(names, plain=False)

    def detect(self, analysis: Analysis) -> None:
        text = analysis.text
        for start, end, key, kinds in self.automaton.find(text.folded):
            o_start, o_end = text.span(start, end)
            for kind in kinds:
                analysis.add(Hit(kind, o_start, o_end, key))


# A handle's parts: "@sophie_b_assessor" -> "sophie b assessor", "@AmyMentorDMM" -> "Amy Mentor DMM".
HANDLE = re.compile(r"(?<![\w@])@(\w[\w.]*)")
HANDLE_SEPARATOR = re.compile(r"[_.\d]+|(?<=[a-z])(?=[A-Z])")


class HandleWordsDetector:
    """Words inside handles, as `handle:KIND` hits over the whole handle. To the other detectors a
    handle is one word, so "@sophie_b_assessor" says nothing; its parts say the post is about
    someone at work (a role: the pack's `work_role` lexicon; or the organisation's name)."""

    name: str = "handle-words"

    def __init__(self, lexicons: Mapping[str, Iterable[str]]) -> None:
        self.kinds = tuple(f"handle:{k}" for k in lexicons)
        self.automaton = Automaton({f"handle:{k}": v for k, v in lexicons.items()}, plain=True)

    def detect(self, analysis: Analysis) -> None:
        text = analysis.post.text
        if "@" not in text or self.automaton.empty:
            return
        for handle in HANDLE.finditer(text):
            words = HANDLE_SEPARATOR.sub(" ", handle.group(1)).strip()
            found = self.automaton.find(normalise(words).plain)
            for kind in sorted({k for *_, kinds in found for k in kinds}):
                analysis.add(Hit(kind, handle.start(), handle.end(), words))
