"""Words an organisational post spells in a way no dictionary knows, with a suggested correction.

The dictionary is pyspellchecker's English word-frequency list (`spellchecker/resources/en.json.gz`,
about 160,000 words), read from its package directory once per process, on the first
organisational post, without importing the package: its `SpellChecker` builds a second copy of
the list (a tenth of a second more). The list is American, so British forms (colour, organisation,
programme, centre, travelled, catalogue) are added, made from it by the spelling patterns below
once and kept in `rules/models/british-spellings.json` (see `british_forms`); the
pack's `spelling_known` lexicon adds the sector's words (Ofsted, BTEC, wellbeing, T-levels).

What is not a misspelling is skipped: capitalised words inside a sentence (names, places, course
and brand names), capitals (acronyms), handles, hashtags, links, emails, anything with a digit,
words under four letters, quoted words, the register's and the organisation's names. A capitalised
first word of a sentence is reported only when one edit turns it into a frequent word
("Congradulations"), so a name opening a sentence ("Kayden starts…") is not.

Each unknown word is a `spelling:unknown` hit whose `detail` is the correction: the most frequent
known word one edit away (a letter deleted, swapped, changed or added, as pyspellchecker's
`candidates` at distance 1 but never the first letter), and only when that word is frequent enough
to be what was meant.
Corrections are worked out for the first few unknown words only, so a long post of slang cannot
cost more than a few hundred set lookups each.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from socialguard.rules.detectors import Hit
from socialguard.rules.model import AccountKind

if TYPE_CHECKING:
    from socialguard.rules.analysis import Analysis

KIND = "spelling:unknown"
BRITISH_FILE = Path(__file__).resolve().parents[1] / "models" / "british-spellings.json"
KNOWN_LEXICON = "lexicon:spelling_known"
# A correction is offered (and one unknown word is enough to report, see QL010) only when the word
# one edit away is at least this frequent in the list: "recieve" -> "receive" (about 75,000), not
# "tutees" -> "tutee" or a name -> a rarer name. Chosen on training/data/spelling_posts.jsonl.
MIN_SUGGESTION_FREQUENCY = 500
MAX_CORRECTED = 4  # unknown words per post whose correction is worked out
MAX_WORD = 20  # longer "words" are not words (a pasted token); never corrected

# Spans that hold no words to check: links, emails, handles, hashtags, quotations. The parts before
# "@" and "." are bounded (an address's local part and a domain label are at most 64 and 63
# characters): unbounded, a 20,000-character run with neither took the pattern most of a second.
NOT_WORDS = re.compile(
    r"(?:https?://|www\.)\S+|\S{1,64}@\S+|[@#]\w+|\b[\w-]{1,63}(?:\.[\w-]+)+\S*"
    r"|\"[^\"\n]{1,200}\"|“[^”\n]{1,200}”|‘[^’\n]{1,200}’"
)
# A word: letters, with inner apostrophes or hyphens (we're, learners', T-levels, co-ordinator);
# a word touching a digit or an underscore is no word (Gr8, 2moro, user_name).
WORD = re.compile(r"(?<![\w’'])[A-Za-z]+(?:['’-][A-Za-z]+)*['’]?(?![\w])")
SENTENCE_START = re.compile(r"(?:^|[.!?:;…\n]|[\U0001f300-\U0001faff\u2600-\u27bf])[\s\"“‘'(\[]*$")
APOSTROPHE_TAIL = ("'s", "'", "'ll", "'re", "'ve", "'d", "'m", "n't")
LETTERS = "abcdefghijklmnopqrstuvwxyz'"  # the apostrophe too: dont -> don't
MIN_LETTERS = 4  # shorter words are mostly abbreviations (hrs, ngl, aww); QL006 lists the short typos
# A capitalised first word of a sentence is reported only when its correction is this common
# ("Thier" -> "their"), as names opening a sentence are often one edit from a word (Keir, Trans).
MIN_CAPITALISED_FREQUENCY = 200_000
MIN_CAPITALISED_LETTERS = 5
# Corrections written with a capital whatever the word's case.
PROPER = frozenset(
    [
        "january",
        "february",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "english",
        "british",
        "christmas",
        "easter",
    ]
)
# First parts of hyphenated words that the list does not hold alone (multi-faith, non-uniform).
PREFIXES = frozenset(
    ("multi", "non", "pre", "post", "anti", "co", "re", "sub", "inter", "cross", "self", "semi", "mid", "ex")
)

# British forms of American words: (American, British), each carried over to every word the list
# has beginning with the American form (colors -> colours, centered -> centred).
BRITISH = (
    ("color", "colour"),
    ("honor", "honour"),
    ("labor", "labour"),
    ("favor", "favour"),
    ("behavior", "behaviour"),
    ("neighbor", "neighbour"),
    ("humor", "humour"),
    ("flavor", "flavour"),
    ("rumor", "rumour"),
    ("harbor", "harbour"),
    ("endeavor", "endeavour"),
    ("savior", "saviour"),
    ("armor", "armour"),
    ("vapor", "vapour"),
    ("parlor", "parlour"),
    ("odor", "odour"),
    ("vigor", "vigour"),
    ("center", "centre"),
    ("theater", "theatre"),
    ("meter", "metre"),
    ("liter", "litre"),
    ("fiber", "fibre"),
    ("somber", "sombre"),
    ("specter", "spectre"),
    ("meager", "meagre"),
    ("maneuver", "manoeuvre"),
    ("catalog", "catalogue"),
    ("dialog", "dialogue"),
    ("analog", "analogue"),
    ("prolog", "prologue"),
    ("epilog", "epilogue"),
    ("monolog", "monologue"),
    ("defense", "defence"),
    ("offense", "offence"),
    ("pretense", "pretence"),
    ("license", "licence"),
    ("program", "programme"),
    ("gray", "grey"),
    ("check", "cheque"),
    ("aluminum", "aluminium"),
    ("mold", "mould"),
    ("plow", "plough"),
    ("pajama", "pyjama"),
    ("mustache", "moustache"),
    ("skeptic", "sceptic"),
    ("jewelry", "jewellery"),
    ("cozy", "cosy"),
    ("artifact", "artefact"),
    ("math", "maths"),
    ("mom", "mum"),
    ("pediatric", "paediatric"),
    ("encyclopedia", "encyclopaedia"),
    ("anemia", "anaemia"),
    ("anemic", "anaemic"),
    ("anesthetic", "anaesthetic"),
    ("leukemia", "leukaemia"),
    ("orthopedic", "orthopaedic"),
    ("archeology", "archaeology"),
    ("gynecology", "gynaecology"),
    ("hemorrhage", "haemorrhage"),
    ("estrogen", "oestrogen"),
    ("fetus", "foetus"),
    ("diarrhea", "diarrhoea"),
    ("esophagus", "oesophagus"),
    ("enroll", "enrol"),
    ("fulfill", "fulfil"),
    ("installment", "instalment"),
    ("airplane", "aeroplane"),
    ("donut", "doughnut"),
    ("counselor", "counsellor"),
)
# The endings a British form carries over (colors, honorable, favorite, centered, neighborhood).
TAILS = frozenset(
    (
        "",
        "s",
        "es",
        "ed",
        "d",
        "ing",
        "er",
        "ers",
        "ful",
        "fully",
        "less",
        "ist",
        "ists",
        "ic",
        "ical",
        "al",
        "ally",
        "able",
        "ably",
        "ation",
        "ations",
        "ment",
        "ments",
        "ous",
        "ite",
        "ites",
        "hood",
        "hoods",
        "y",
    )
)
IZE = re.compile(r"^([a-z]{3,}[^aeiou])iz(e|es|ed|ing|er|ers|ation|ations|able)$")
YZE = re.compile(r"^([a-z]+)yz(e|es|ed|ing|er|ers)$")
# travel-ed -> travelled: a single l after one vowel, doubled before a suffix (not smile-d, feel-ing).
SINGLE_L = re.compile(r"^([a-z]*[^aeiou][aeiou])l(ed|ing|er|ers|or|ors)$")
L_ENDINGS = ("led", "ling", "ler", "lers", "lor", "lors")
# The American forms by their first two letters: one dictionary lookup rules out most words.
US_BY_START: dict[str, tuple[str, ...]] = {}
for _us, _ in BRITISH:
    US_BY_START[_us[:2]] = (*US_BY_START.get(_us[:2], ()), _us)


def british_forms(words: dict[str, int]) -> dict[str, str]:
    """British form -> the American word of the list it comes from (the more frequent where two
    give the same form). Written to BRITISH_FILE by training/make_british_spellings.py, so a
    process reads 2,700 pairs instead of running the patterns over 160,000 words."""
    found: dict[str, str] = {}

    def add(uk: str, us: str) -> None:
        if uk not in words and (uk not in found or words[us] > words[found[uk]]):
            found[uk] = us

    # Cheap filters over the 160,000 words first (comprehensions run at C speed); the patterns and
    # the loops below see only the few thousand words that pass.
    for word in [w for w in words if "iz" in w or "yz" in w]:
        if m := IZE.match(word):
            add(f"{m.group(1)}is{m.group(2)}", word)
        elif m := YZE.match(word):
            add(f"{m.group(1)}ys{m.group(2)}", word)
    for word in [w for w in words if w.endswith(L_ENDINGS)]:
        if (m := SINGLE_L.match(word)) and f"{m.group(1)}le" not in words:
            add(f"{m.group(1)}ll{m.group(2)}", word)
    for word in [w for w in words if w[:2] in US_BY_START and w.startswith(US_BY_START[w[:2]])]:
        for us, uk in BRITISH:
            tail = word[len(us) :]
            if word.startswith(us) and tail in TAILS:
                stem = uk[:-1] if uk.endswith("e") and tail[:1] in ("e", "i") else uk
                add(stem + tail, word)
    return dict(sorted(found.items()))


def english_words() -> dict[str, int]:
    """pyspellchecker's English list as it ships: word -> frequency."""
    spec = importlib.util.find_spec("spellchecker")
    if spec is None or spec.origin is None:
        raise RuntimeError("pyspellchecker (the English word list) is not installed")
    path = Path(spec.origin).parent / "resources" / "en.json.gz"
    with gzip.open(path, "rb") as f:
        words: dict[str, int] = json.loads(f.read())
    return words


@cache
def dictionary() -> dict[str, int]:
    """Word -> frequency: pyspellchecker's English list with British forms; built once."""
    words = english_words()
    pairs: dict[str, str] = json.loads(BRITISH_FILE.read_text(encoding="utf-8"))
    for uk, us in pairs.items():
        if us in words:  # each British form is as frequent as its American one
            words.setdefault(uk, words[us])
    return words


def edits(word: str) -> Iterator[str]:
    """Every string one edit from `word` that keeps its first letter: a deletion, a swap of
    neighbours, a change, an insertion (some more than once). People seldom mistype a first letter,
    and a word one first letter away is most often another word (mocktails, cocktails)."""
    yield word[1:2] + word[:1] + word[2:]  # "hte": the first two letters swapped
    for i in range(1, len(word) + 1):
        a, b = word[:i], word[i:]
        if b:
            yield a + b[1:]
            if len(b) > 1:
                yield a + b[1] + b[0] + b[2:]
            rest = b[1:]
            for c in LETTERS:
                yield a + c + rest
        for c in LETTERS:
            yield a + c + b


def correction(word: str, words: dict[str, int] | None = None) -> str:
    """The most frequent known word one edit away, if frequent enough to be what was meant; else ""."""
    words = words if words is not None else dictionary()
    if len(word) > MAX_WORD:
        return ""
    best, best_count = "", MIN_SUGGESTION_FREQUENCY - 1
    get = words.get
    for candidate in edits(word.lower()):
        count = get(candidate, 0)
        if count > best_count:
            best, best_count = candidate, count
    return best


def _is_known(word: str, words: dict[str, int]) -> bool:
    if word in words:
        return True
    for tail in APOSTROPHE_TAIL:  # learners', college's, Ofsted'll
        if word.endswith(tail) and word[: -len(tail)] in words:
            return True
    if "-" in word:  # e-safety, co-ordinator, open-day: known when each part is (or is tiny)
        return all(len(part) < 3 or part in PREFIXES or _is_known(part, words) for part in word.split("-"))
    return False


class SpellingDetector:
    """Unknown words in organisational posts (personal posts are the writer's own affair)."""

    name: str = "spelling"
    kinds: tuple[str, ...] = (KIND,)

    def warm_up(self) -> None:
        """Read the word list now rather than on the first organisational post."""
        dictionary()

    def detect(self, analysis: Analysis) -> None:
        if analysis.post.account != AccountKind.ORGANISATIONAL:
            return
        original = analysis.text.original
        # One character for one, so spans stay the original's.
        text = original if original.isascii() else original.replace("’", "'")
        words = dictionary()
        skip: bytearray | None = None  # worked out at the first unknown word
        corrected = 0
        for m in WORD.finditer(text):
            token = m.group(0)
            if len(token) < MIN_LETTERS:
                continue
            lowered = token.lower()
            if lowered in words or token.isupper() or _is_known(lowered, words):
                continue  # most words stop here
            start, end = m.span()
            capitalised = token[0].isupper()
            if capitalised and (
                len(token) < MIN_CAPITALISED_LETTERS
                or not SENTENCE_START.search(text, max(0, start - 20), start)  # only what precedes it
            ):
                continue  # a name, a place, a course or a brand
            if any(c.isupper() for c in token[1:]):
                continue  # eBay, iPad, DeWalt, YouTube
            if skip is None:
                # The characters inside the skipped spans, marked once: asking each unknown word
                # about every span took a second on a long post of links and unknown words.
                skip = bytearray(len(original) + 1)
                spans = [
                    (h.start, h.end) for kind, hits in analysis.hits.items() if _skips(kind) for h in hits
                ]
                for s, e in spans + [n.span() for n in NOT_WORDS.finditer(original)]:
                    skip[s:e] = b"\x01" * max(0, e - s)
            if skip.find(1, start, end) != -1:
                continue
            suggestion = ""
            if corrected < MAX_CORRECTED:
                corrected += 1
                suggestion = correction(lowered.rstrip("'"), words)
            if capitalised and words.get(suggestion, 0) < MIN_CAPITALISED_FREQUENCY:
                continue  # a name opening a sentence ("Kayden starts…", "Keir said") is no misspelling
            if suggestion in PROPER:
                suggestion = suggestion.capitalize()  # the list is lower case: "septmber" -> September
            analysis.add(Hit(KIND, start, end, lowered, suggestion))


def _skips(kind: str) -> bool:
    """Hits whose words are never misspellings: names, links, emails, the sector's own words."""
    return kind.startswith(("name:", "pii:email", "link")) or kind == KNOWN_LEXICON
