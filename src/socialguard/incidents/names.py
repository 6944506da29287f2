"""Matching the names people type in a report against the register, for safeguarding routing.

A report that names a learner under 18 must reach the DSL however the name is written: "Abbott,
Caroline", "Caroline J Abbott", "Caroline Abbott (learner)", with an invisible joiner pasted from a
chat, or with a Cyrillic "о" in place of a Latin "o". Restricting a case too readily costs little
(the DSL can see it is not theirs); missing a child costs a lot, so the match is deliberately broad:
a register name matches when every word of its first and last names appears among the words typed.
"""

from __future__ import annotations

import re
import unicodedata

# Cyrillic and Greek letters that look like Latin ones (after case folding): a name typed or pasted
# with one must still match the register.
_LOOK_ALIKES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
        "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
        "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w",
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
        "τ": "t", "υ": "u", "χ": "x",
    }
)  # fmt: skip
_LETTERS = re.compile(r"[^\W\d_]+")
# More words than any name has: a longer text is not a name, and bounds the register query.
MAX_WORDS = 12


def name_words(text: str) -> set[str]:
    """The words of a name as compared: NFKC-normalised, without invisible format characters,
    case-folded, look-alike letters folded to Latin, accents dropped, split at anything that is not
    a letter (so commas, brackets, initials' full stops and hyphens all separate words)."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = text.casefold().translate(_LOOK_ALIKES)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return set(_LETTERS.findall(text)[:MAX_WORDS])


def names(words: set[str], first_name: str, last_name: str) -> bool:
    """Whether typed `words` (from `name_words`) name the person with this first and last name."""
    first, last = name_words(first_name), name_words(last_name)
    return bool(first) and bool(last) and (first | last) <= words
