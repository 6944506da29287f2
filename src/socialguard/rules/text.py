"""Normalise a post's text once, keeping a map back to the original for finding spans.

- `folded`: Unicode NFKC and case folding (so "Ｆｕｃｋ" and "FUCK" read "fuck").
- `plain`: `folded` with leetspeak undone ("sh1t", "@ss" read "shit", "ass") and letters split
  by dots, dashes or spaces joined again ("f.u.c.k", "f u c k" read "fuck").
Both keep one entry per character in an offsets list, pointing into the original text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "8": "b",
        "@": "a",
        "$": "s",
        "|": "l",
        "€": "e",
        "+": "t",
    }
)
# Leetspeak is undone only inside tokens that contain a letter ("sh1t", "@ss"), so numbers
# ("10 friends", "£5") stay numbers; "!" counts as "i" only between letters ("sh!t", not "wow!!!").
# Only tokens that mix letters with leet characters are rewritten (most tokens have none).
# A token either matches from its first character or not at all, so the lookbehind (only start
# at a token's first character) and the possessive runs change nothing but the cost: without
# them one 60,000-letter word took seconds, as every position re-scanned the rest of the word.
LEET_TOKEN = re.compile(
    r"(?<![a-z0-9@$|€+])(?:[a-z]++[0-9@$|€+][a-z0-9@$|€+]*+|[0-9@$|€+]++[a-z][a-z0-9@$|€+]*+)"
)
NON_ASCII = re.compile(r"[^\x00-\x7f]")
BANG_IN_WORD = re.compile(r"(?<=[a-z])!+(?=[a-z])")
# Three or more single letters separated by the same filler: "f.u.c.k", "f u c k", "f-u-c-k",
# "s/h/i/t", "p. r. i. c. k" (a dot and a space; not a dot and a line break, a list's "a.\nb.").
SPACED_LETTERS = re.compile(r"(?<![^\W_])[^\W\d_](\. |[\s.\-_*/])(?:[^\W\d_]\1){1,}[^\W\d_](?![^\W_])")
FILLER = re.compile(r"[\s.\-_*/]")
# Letters stretched for emphasis: "fuuuuck" -> "fuuck" (two kept so "good" stays "good").
STRETCHED = re.compile(r"([a-z])\1{2,}")


@dataclass(frozen=True)
class NormalisedText:
    original: str
    folded: str
    folded_offsets: tuple[int, ...] | None  # None: same length and positions as the original
    plain: str
    plain_offsets: tuple[int, ...]
    # A second reading for the lexicons: `plain` with letters repeated three or more times kept
    # once ("shiiiit" -> "shit", where `plain` has "shiit") and a spaced-out word's leading "a" or
    # "i" kept apart ("a c u n t" -> "a cunt"); None when neither is in the post (most posts).
    squeezed: str | None = None
    squeezed_offsets: tuple[int, ...] | None = None

    def span(self, start: int, end: int, *, plain: bool = False, squeezed: bool = False) -> tuple[int, int]:
        """Map a [start, end) span in `folded` (or `plain`, or `squeezed`) back to the original text."""
        if plain or squeezed:
            offsets = self.squeezed_offsets if squeezed and self.squeezed_offsets else self.plain_offsets
            o_start = offsets[start] if start < len(offsets) else len(self.original)
            o_end = offsets[end - 1] + 1 if end - 1 < len(offsets) else len(self.original)
            original = self.original
            # A stretched last letter kept once (or twice) stands for its whole run: "fuuuckkk".
            while 0 < o_end < len(original) and original[o_end].lower() == original[o_end - 1].lower():
                o_end += 1
        elif self.folded_offsets is None:
            return start, end
        else:
            offsets = self.folded_offsets
            o_start = offsets[start] if start < len(offsets) else len(self.original)
            o_end = offsets[end - 1] + 1 if 0 < end <= len(offsets) else len(self.original)
        return o_start, max(o_start, o_end)


CURLY_APOSTROPHES = frozenset("’‘ʼ")

# Small capitals ("ʏᴏᴜ ᴀʀᴇ"), which NFKC keeps: only ever a styling of Latin letters.
SMALL_CAPITALS = dict(zip("ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡʏᴢ₵", "abcdefghijklmnopqrstuvwyzc", strict=True))
# Cyrillic and Greek letters that look Latin (case-folded), read as Latin inside a word that also has
# Latin letters ("shіt", "Wоmen"): a word all in one script (Russian, Greek) is left alone.
LOOKALIKES = str.maketrans(
    dict(zip("авекмнорстухѕіјԁһӏαβεικνορτυχη", "abekmhopctyxsijdhlabeikvoptuxn", strict=True))
)
LOOKALIKE_HINT = re.compile("[\u0370-\u03ff\u0400-\u052f]")
MIXED_WORD = re.compile(r"[^\W\d_]*[a-z][^\W\d_]*")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    mapped = unicodedata.normalize("NFKC", ch).casefold()
    if mapped in CURLY_APOSTROPHES:
        return "'"  # phones type ’: "it’s", "don’t" must match the lexicons' "it's", "don't"
    if mapped in SMALL_CAPITALS:
        return SMALL_CAPITALS[mapped]
    # Drop combining marks so accents ("shît") do not hide words.
    return "".join(c for c in unicodedata.normalize("NFKD", mapped) if not unicodedata.combining(c))


def _fold(text: str) -> tuple[str, tuple[int, ...] | None]:
    if text.isascii():
        return text.lower(), None  # fast path: one character for one
    parts: list[str] = []
    offsets: list[int] = []
    last = 0
    # ASCII runs are lowered in bulk; only the non-ASCII characters are mapped one by one.
    for match in NON_ASCII.finditer(text):
        i = match.start()
        if i > last:
            parts.append(text[last:i].lower())
            offsets.extend(range(last, i))
        mapped = _fold_char(text[i])
        parts.append(mapped)
        offsets.extend([i] * len(mapped))
        last = i + 1
    parts.append(text[last:].lower())
    offsets.extend(range(last, len(text)))
    folded = "".join(parts)
    if LOOKALIKE_HINT.search(folded):  # one letter for one: the offsets stand
        folded = MIXED_WORD.sub(lambda m: m.group().translate(LOOKALIKES), folded)
    return folded, tuple(offsets)


def fold(text: str) -> str:
    """Case folding and NFKC only: what names and handles are matched on."""
    return _fold(text)[0]


def normalise(text: str) -> NormalisedText:
    folded, folded_offsets = _fold(text)
    base = folded_offsets if folded_offsets is not None else range(len(folded))
    leet = BANG_IN_WORD.sub(lambda m: "i" * len(m.group()), folded) if "!" in folded else folded
    leet = LEET_TOKEN.sub(lambda m: m.group().translate(LEET), leet)
    # Join spaced-out letters and squeeze stretched letters, keeping the offsets in step.
    if SPACED_LETTERS.search(leet) or STRETCHED.search(leet):
        chars: list[str] = []
        offsets: list[int] = []
        # The second reading (see NormalisedText.squeezed) keeps a leading "a" or "i" apart: in
        # "you are a c u n t" it is the article, and the first reading joins "acunt".
        others: list[int] = []  # positions in `leet`
        apart = False
        last = 0
        for match in SPACED_LETTERS.finditer(leet):
            chars.extend(leet[last : match.start()])
            offsets.extend(base[last : match.start()])
            others.extend(range(last, match.start()))
            letters = [j for j in range(match.start(), match.end()) if not FILLER.match(leet[j])]
            chars.extend(leet[j] for j in letters)
            offsets.extend(base[j] for j in letters)
            if leet[letters[0]] in "ai" and len(letters) >= 4:
                others.extend([letters[0], letters[0] + 1, *letters[1:]])  # the letter, its filler
                apart = True
            else:
                others.extend(letters)
            last = match.end()
        chars.extend(leet[last:])
        offsets.extend(base[last:])
        others.extend(range(last, len(leet)))
        joined = "".join(chars)
        squeezed: list[str] = []
        squeezed_offsets: list[int] = []
        for j, ch in enumerate(joined):
            if j >= 2 and ch == joined[j - 1] == joined[j - 2] and ch.isalpha():
                continue
            squeezed.append(ch)
            squeezed_offsets.append(offsets[j])
        once, once_offsets = None, None
        if apart or STRETCHED.search(joined):
            second = "".join(leet[j] for j in others)
            kept = [others[j] for j, run in _runs(second) for j in ([j] if run >= 3 else range(j, j + run))]
            once, once_offsets = "".join(leet[j] for j in kept), tuple(base[j] for j in kept)
        return NormalisedText(
            text, folded, folded_offsets, "".join(squeezed), tuple(squeezed_offsets), once, once_offsets
        )
    return NormalisedText(text, folded, folded_offsets, leet, tuple(base))


# Characters that show nothing: zero-width spaces and joiners, soft hyphens, word joiners, direction
# marks, the byte-order mark, and blank letters (Hangul fillers, the braille blank). Put inside a word
# ("s\u200bhit", "W\u200bhatsApp") they hid it from every list and pattern, and from the models.
# The zero-width joiner and non-joiner only between letters: they build emoji and some scripts.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\u2800\u3164\ufeff\uffa0]"
    "|(?<=[A-Za-z])[\u200c\u200d]+(?=[A-Za-z])"
)


def visible(text: str) -> tuple[str, tuple[int, ...] | None]:
    """The text without its invisible characters, and each kept character's position in `text`
    (None when there was nothing to take out: most posts)."""
    if text.isascii() or not INVISIBLE.search(text):
        return text, None
    kept: list[int] = []
    last = 0
    for m in INVISIBLE.finditer(text):
        kept.extend(range(last, m.start()))
        last = m.end()
    kept.extend(range(last, len(text)))
    return "".join(text[i] for i in kept), tuple(kept)


def _runs(text: str) -> list[tuple[int, int]]:
    """(start, length) of each run of one repeated letter (other characters are runs of one)."""
    runs: list[tuple[int, int]] = []
    j = 0
    while j < len(text):
        k = j + 1
        if text[j].isalpha():
            while k < len(text) and text[k] == text[j]:
                k += 1
        runs.append((j, k - j))
        j = k
    return runs


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


# What a learned model needs to read before its scores mean anything: on "We", "ok", "Well done" or
# "a" (a draft as it is being typed) the models' scores are noise, and they asked for review. Replies
# are read however short (a curt "k." to a complainant is a finding).
MIN_WORDS_TO_LEARN_FROM = 4
LETTER = re.compile(r"[^\W\d_]")


def words_to_learn_from(text: str, enough: int | None = None) -> int:
    """Words with a letter in them, not counting @handles and links: what the learned rules read.
    Counting stops at `enough` (most posts get there in their first words: every post is asked)."""
    count = 0
    for token in text.split():
        if LETTER.search(token) and not token.startswith(("@", "http://", "https://", "www.")):
            count += 1
            if count == enough:
                break
    return count


def too_short_to_learn_from(text: str) -> bool:
    return words_to_learn_from(text, MIN_WORDS_TO_LEARN_FROM) < MIN_WORDS_TO_LEARN_FROM
