"""Quality of writing in organisational posts (5.1: communications of high quality, grammatically
correct, appropriate for the audience): slips a proof-reader catches that the other QL rules do not.

Each rule reads an organisational post only: a member of staff's own post is theirs to write.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from typing import TYPE_CHECKING

from socialguard.rules.catalogue import Flag, allows, flags, rule
from socialguard.rules.model import AccountKind, Severity

if TYPE_CHECKING:
    from socialguard.rules.analysis import Analysis
    from socialguard.rules.compiled import CompiledContext

ORGANISATIONAL = AccountKind.ORGANISATIONAL

# Words that are never doubled on purpose ("had had", "that that", "bye bye" and "very very" can be,
# and so can "in in" in "drop in in the atrium", "Will will" before a name, "what it is is" and a
# show called "You You You"; "a a" is a grade in "got A A B").
NEVER_DOUBLED = frozenset((
    "the", "an", "to", "for", "of", "and", "at", "with", "by", "from", "our",
    "your", "their", "are", "we", "this", "be", "it"
))  # fmt: skip
DOUBLED_WORD = re.compile(rf"\b({'|'.join(sorted(NEVER_DOUBLED))})\s+\1\b", re.IGNORECASE)


@rule(
    code="QL011",
    name="repeated-word",
    clause="5.1",
    category="quality",
    severity=Severity.REVIEW,
    what="A word typed twice in an organisational post ('visited the the studios', 'for for Children in "
    "Need'): only words nobody doubles on purpose (the, a, to, for, of, and, our, …).",
    why="Section 5.1: communications must be of high quality and grammatically correct.",
    instead="Delete the repeated word.",
    examples=(
        flags("Our Level 3 learners visited the the BBC's studios this week"),
        flags("Thank you to everyone who donated to our bake sale for for Children in Need"),
        allows("Our Level 3 learners visited the BBC's studios this week"),
        allows("She had had enough of the rain, so the trip moved indoors"),
        allows("Thank you, thank you, thank you to our amazing volunteers!"),
        allows("Will will be leading the drop in in the atrium on Friday"),
        flags("Doors open at 6pm, see you at the the!"),
    ),
)
def repeated_word(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if a.post.account != ORGANISATIONAL:
        return
    words = a.text.folded.split()
    if any(w[-1] in ".,!?;:" for w in words):
        words = [w.rstrip(".,!?;:") for w in words]  # "at the the!"
    # Neighbouring words first, in C: the regex below only places the flag (a tenth of the time).
    if not any(w == v and w in NEVER_DOUBLED for w, v in pairwise(words)):
        return
    for m in DOUBLED_WORD.finditer(a.text.original):
        yield Flag(m.start(), m.end(), f"'{m.group(0)}': a word typed twice", fix=m.group(1))
        return


MONTH_DAYS = {
    "january": 31, "february": 29, "march": 31, "april": 30, "may": 31, "june": 30, "july": 31,
    "august": 31, "september": 30, "october": 31, "november": 30, "december": 31,
    "jan": 31, "feb": 29, "mar": 31, "apr": 30, "jun": 30, "jul": 31, "aug": 31, "sep": 30,
    "sept": 30, "oct": 31, "nov": 30, "dec": 31,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTH_DAYS, key=len, reverse=True))
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
DAY_MONTH = re.compile(rf"\b{_DAY}(?:\s+of)?\s+({_MONTH})\b\.?", re.IGNORECASE)
MONTH_DAY = re.compile(rf"\b({_MONTH})\.?\s+{_DAY}\b(?!\s*(?:[:.]\d|am\b|pm\b|%|-|–))", re.IGNORECASE)


@rule(
    code="QL012",
    name="impossible-date",
    clause="5.1",
    category="quality",
    severity=Severity.REVIEW,
    what="A date that does not exist in an organisational post: '31 September', 'February 30th', '0 May'.",
    why="Section 5.1: communications must be of high quality; a deadline or an event on a day that does "
    "not exist leaves readers guessing.",
    instead="Check the date against a calendar.",
    examples=(
        flags("Good news: the enrolment deadline has been extended to Friday 31 September."),
        flags("Our open evening is on February 30th from 5pm"),
        flags("Join us on the 31st of April for our careers fair"),
        allows("The enrolment deadline has been extended to Friday 30 September."),
        allows("Our open evening is on 29 February from 5pm"),
        allows("Results day is August 31. Good luck to all our learners!"),
        allows("We have 31 June starters and 45 in September", note="a count, not a date"),
        allows("Adults over 50 may be eligible for a free course"),
        allows("In June 31 new apprentices started with us"),
    ),
)
def impossible_date(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if a.post.account != ORGANISATIONAL:
        return
    text = a.text.original
    folded = a.text.folded
    if not any(d in text for d in DIGITS) or not any(m in folded for m in MONTH_STEMS):
        return  # most posts name no date: two scans in C instead of two regular expressions
    for pattern, day_group, month_group in ((DAY_MONTH, 1, 2), (MONTH_DAY, 2, 1)):
        for m in pattern.finditer(text):
            day, written = int(m.group(day_group)), m.group(month_group)
            month = written.casefold()
            if not LAST_DAYS <= day <= 31 or _counts_people(text, m.end()):
                continue  # "Adults over 50 may…", "In September 32 apprentices…", "31 June starters"
            if month in VERBS_TOO and not written[0].isupper():
                continue  # "up to 30 may attend", "over 30 march"
            if day > MONTH_DAYS[month]:
                yield Flag(m.start(), m.end(), f"'{m.group(0).strip()}' is not a date: check the calendar")
                return


DIGITS = "0123456789"
LAST_DAYS = 29  # only the 29th to the 31st can fall outside a month
VERBS_TOO = frozenset({"may", "march"})
MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
COUNTED_AFTER = re.compile(
    r"\s*(?:new |more |of our |adult |young )?(?:starters|learners|apprentices|students|places|leavers|people|"
    r"staff|tutors|employers|pupils|visitors)\b",
    re.I,
)


def _counts_people(text: str, end: int) -> bool:
    """'31 June starters': a number of people who start in June, not the 31st of June."""
    return COUNTED_AFTER.match(text, end) is not None


# Capitalised abbreviations: "IQA", "OTJ", "T&L", "ACs" (a plural), "the IQA's", "IQA/OTJ"; "L3" is a
# level, not jargon.
ACRONYM = re.compile(r"(?<![\w@#&.'’-])([A-Z][A-Z&]{1,5})s?(?:['’]s)?(?![\w@&'’-]|\.\w)")
# "EPA (end-point assessment)" or "end-point assessment (EPA)": explained where it is used, when the
# words' initials spell it ("SENCO (maternity cover)" and "IQA (TBC)" explain nothing).
BRACKET_AFTER = re.compile(r"\s*\(([^()]{3,80})\)")
WORDS_BEFORE = re.compile(r"((?:[\w'’]+[\s-]+){1,8})\($")
INITIAL = re.compile(r"(?<![\w'’])\w")
MIN_UNEXPLAINED = 3


@rule(
    code="QL013",
    name="unexplained-jargon",
    clause="5.1",
    category="quality",
    severity=Severity.REVIEW,
    what="An organisational post with three or more different abbreviations that it never explains and "
    "that the public would not know ('make sure all OTJ logs are up to date in the LMS before the IQA "
    "window'). Everyday ones (UK, IT, CEO), those the pack's plain_acronyms lexicon lists for the sector "
    "(GCSE, BTEC, UCAS, DBS), the organisation's own name and any spelt out in brackets where they are "
    "used are not counted.",
    why="Section 5.1: communications must be appropriate for the audience; learners, parents and "
    "employers read the organisation's posts, not only its staff.",
    instead="Spell each abbreviation out the first time ('off-the-job (OTJ) hours'), or say it plainly.",
    examples=(
        flags("Reminder to all APs: the IQA sampling window closes on the 14th, so please make sure all OTJ "
              "logs are up to date in the LMS."),
        flags("New T&L CPD session for ACs this Weds, focusing on KSB mapping and EPAO gateway prep."),
        allows("GCSE and BTEC results day: well done to everyone, and see the NHS and UCAS stands at 10am"),
        allows("Our internal quality assurer (IQA) samples off-the-job (OTJ) logs in the learning system "
               "(LMS) every month"),
        allows("SO PROUD OF OUR LEARNERS TODAY, WELL DONE ALL", note="capitals throughout are QL001's"),
        allows("FREE courses for adults: enrol NOW, places run OUT fast"),
        allows("Our special educational needs co-ordinator (SENCO) and designated safeguarding lead "
               "(DSL) explain what an EHCP (education, health and care plan) is"),
        flags("Our SENCO (maternity cover), the IQA's team and the LMS are all new this term"),
    ),
)  # fmt: skip
def unexplained_jargon(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if a.post.account != ORGANISATIONAL:
        return
    text = a.text.original
    # Three words that start with two capitals, before the regular expression (most posts have none).
    if sum(1 for w in text.split() if w[:2].isupper() and len(w) > 1) < MIN_UNEXPLAINED:
        return
    found = ACRONYM.findall(text)
    if len(found) < MIN_UNEXPLAINED or _mostly_capitals(text):
        return
    known = {t.casefold() for t in c.lexicons.get("plain_acronyms", ())}
    known |= {n.casefold() for n in c.context.organisation_names}
    unexplained: dict[str, int] = {}
    for m in ACRONYM.finditer(text):
        word = m.group(1)
        if word.casefold() in known or word in EVERYDAY_ACRONYMS or word in unexplained:
            continue
        if word in EMPHASIS or _explained(text, m.start(), m.end(), word):
            known.add(word.casefold())  # explained here, so known wherever else it appears
            continue
        unexplained[word] = m.start()
    if len(unexplained) >= MIN_UNEXPLAINED:
        first = min(unexplained.values())
        yield Flag(
            first,
            first + len(min(unexplained, key=unexplained.__getitem__)),
            f"{', '.join(unexplained)}: abbreviations the audience may not know",
        )


def _explained(text: str, start: int, end: int, word: str) -> bool:
    """Whether the words in brackets after it, or before its own brackets, have its initials."""
    after = BRACKET_AFTER.match(text, end)
    if after and _spells(after.group(1), word):
        return True
    if text[start - 1 : start] == "(":
        before = WORDS_BEFORE.search(text, max(0, start - 120), start)
        return before is not None and _spells(before.group(1), word)
    return False


def _spells(words: str, acronym: str) -> bool:
    """'end-point assessment' spells EPA; 'special educational needs co-ordinator' SENCO (most of
    its letters are the words' initials, the first one first)."""
    initials = [m.group(0).casefold() for m in INITIAL.finditer(words)]
    letters = [ch for ch in acronym.casefold() if ch.isalpha()]
    if not initials or not letters:
        return False
    # Words before the brackets: the abbreviation's words are the last ones there.
    for first in range(len(initials)):
        if initials[first] == letters[0]:
            rest = initials[first:]
            return sum(1 for ch in letters if ch in rest) * 2 >= len(letters) + 1
    return False


# Capitals for emphasis, not abbreviations: "FREE courses, enrol NOW".
EMPHASIS = frozenset((
    "FREE", "NOW", "OUT", "NEW", "ALL", "WIN", "OPEN", "BIG", "DAY", "TOP", "YES", "NO", "NOT", "AND",
    "THE", "FOR", "YOU", "OUR", "MUST", "LAST", "ONLY", "SAVE", "BOOK", "JOIN", "TODAY", "SALE", "OFF",
    "HOT", "WOW", "OMG", "ONE", "TWO", "GO", "GET", "DO", "BE", "WE", "ME", "MY", "SO", "UP", "ON", "IN",
    "AT", "OR", "OF", "TO", "IS", "BY", "AN", "AS", "HE", "FUN", "END", "WHY", "HOW", "WHO", "NEVER",
    "EVER", "MORE", "BEST", "GOOD", "WELL", "DONE", "LIVE", "HERE", "THIS", "YOUR", "ARE", "CAN",
    "NEXT", "WEEK", "STOP", "READ", "LOOK", "SEE", "WAIT", "HUGE", "HELP", "NEED", "WANT", "VERY"
))  # fmt: skip


# Abbreviations anyone knows, or that are also everyday words in capitals.
EVERYDAY_ACRONYMS = frozenset((
    "UK", "US", "USA", "EU", "UN", "IT", "TV", "PC", "AM", "PM", "OK", "ID", "PE", "PS", "FAQ",
    "CEO", "MD", "HR", "PR", "DIY", "ASAP", "RSVP", "BBC", "ITV", "NHS", "DVLA", "HMRC", "MP",
    "GP", "ATM", "VAT", "Q&A", "PIN", "SMS", "URL", "PDF", "CV", "AI", "VR", "AR", "TBC", "RIP", "LOL",
    "FYI", "DJ", "MC", "KFC", "ASDA", "JD", "RAF", "MOD", "NSPCC", "RNLI", "RSPCA", "UFO", "BBQ"
))  # fmt: skip
UPPER = re.compile(r"[A-Z]")
LETTER = re.compile(r"[A-Za-z]")


def _mostly_capitals(text: str) -> bool:
    letters = len(LETTER.findall(text))
    return letters > 0 and len(UPPER.findall(text)) / letters > 0.5


# A post that stops where its sentence should go on: "…and the entrance is via", "2." at the end.
# Only words no sentence ends on: prepositions can ("the team we're proud of", "who to talk to").
ENDS_MID_SENTENCE = re.compile(
    r"(?:\s(?:the|a|an|and|or|but|because|our|your|their|via|than|such as|including|as well as)"
    r"|(?:^|\s)(\d{1,2})[.)])\s*$",
    re.IGNORECASE,
)
MIN_WORDS_TO_END = 6
ENDING_WORDS = frozenset((
    "the", "a", "an", "and", "or", "but", "because", "our", "your", "their", "via", "than", "as",
    "including"
))  # fmt: skip


@rule(
    code="QL014",
    name="cut-off-post",
    clause="5.1",
    category="quality",
    severity=Severity.REVIEW,
    what="An organisational post that stops in the middle of a sentence: its last word is one a sentence "
    "cannot end on ('the', 'and', 'via', 'our'; not a preposition, which can) or a list's next number.",
    why="Section 5.1: communications must be of high quality; a post cut off by a character limit or a "
    "slip of the keyboard looks careless and loses what it meant to say.",
    instead="Finish the sentence (and check the platform's character limit).",
    examples=(
        flags("Our open evening runs from 5pm to 7pm on Thursday. Parking is at the rear and the entrance is via"),
        flags("Three reasons to choose an apprenticeship: 1. You earn while you learn. 2."),
        flags("Our new course in digital marketing starts on Monday and will cover the"),
        allows("Our open evening runs from 5pm to 7pm on Thursday. Parking is at the rear."),
        allows("Thank you to everyone who came along"),
        allows("Join us at the Manchester skills show, stand 42."),
        allows("Talks start at 6.00pm in Lecture Theatre 7."),
        allows("Start with Level 1, then Level 2. Before long you'll be ready for Level 3."),
        allows("Our open evening is in Block A"),
        flags("Why choose us?\n1) Small classes\n2)"),
        allows("Meet the brilliant team of tutors we are so proud of"),
        allows("Our men's mental health group is open to all. Tuesdays at 5."),
        allows("Who are you cheering for", note="short: no sentence to finish"),
    ),
)  # fmt: skip
def cut_off(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if a.post.account != ORGANISATIONAL:
        return
    text = a.text.original.rstrip()
    words = text[-40:].split()
    last = words[-1] if words else ""
    if last == "A" or (
        last.casefold() not in ENDING_WORDS and not (last[:-1].isdigit() and last[-1:] in ".)")
    ):
        return  # the last word alone decides most posts ("Block A", "Plan A": a letter, not "a")
    m = ENDS_MID_SENTENCE.search(text[-24:])
    if m and m.group(1):
        # "1. … 2." ends where a list's next item should be; "stand 42." and "then Level 2. … Level 3."
        # end sentences: a list's numbers start a line or follow a sentence's end or a colon.
        item = rf"(?:^|\n|[.:;!?]\s+)\s*{{}}{re.escape(last[-1])}"
        previous = re.search(item.format(int(m.group(1)) - 1) + r"\s", text)
        if not previous or not re.search(item.format(m.group(1)) + r"$", text):
            m = None
    if m and len(text.split()) >= MIN_WORDS_TO_END:
        start = len(text) - 24 + m.start() if len(text) > 24 else m.start()
        yield Flag(max(start, 0), len(text), "the post stops in the middle of a sentence")


@rule(
    code="QL015",
    needs=("lexicon:vague",),
    name="vague-post",
    clause="5.1",
    category="quality",
    severity=Severity.REVIEW,
    what="An organisational post that leaves out what it is about ('The thing is on tomorrow', 'the stuff "
    "we mentioned before has changed', 'check with whoever you normally ask'), from the pack's vague "
    "lexicon.",
    why="Section 5.1: communications must be of high quality and appropriate for the audience; readers "
    "who were not in the room cannot tell what the post means.",
    instead="Name the event, the change and who to ask, with the date and time.",
    examples=(
        flags("The thing is on tomorrow, don't forget!"),
        flags("Remember the stuff we mentioned before? It's changed a bit, so check with whoever you "
              "normally ask."),
        allows("The careers fair is on tomorrow from 10am in the main hall, don't forget your CV!"),
        allows("The thing is, every one of our learners is different, and so is every course."),
    ),
)  # fmt: skip
def vague(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if a.post.account != ORGANISATIONAL:
        return
    hit = a.get("lexicon:vague")[0]
    yield Flag(hit.start, hit.end, f"'{a.text.original[hit.start : hit.end]}': say what, when and who")
