"""Breaches stated in plain words, about people and the organisation (5.2, the Don'ts): grievances,
defamation, disrepute, stereotypes without slurs, discriminatory adverts, sexual comments and
sneering replies.

A word on its own never holds a post here: each rule pairs two lexicons from the pack (a complaint
and a workplace target; an accusation and someone identifiable; …) or a lexicon and a pattern, so
"our managers run a pay workshop" passes while "my manager is a joke" does not. The lexicons live
in the pack's `[lexicons]`, so an organisation can add its own words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from socialguard.rules.catalogue import (
    WARNING_AFTER,
    Flag,
    Sentences,
    allows,
    first_pair,
    flags,
    quoted,
    rule,
)
from socialguard.rules.model import AccountKind, Severity

if TYPE_CHECKING:
    from socialguard.rules.analysis import Analysis
    from socialguard.rules.compiled import CompiledContext
    from socialguard.rules.detectors import Hit

PERSONAL = AccountKind.PERSONAL
REGISTER_NAMES = ("name:staff", "name:learner", "name:past_learner", "name:organisation")

# Someone identifiable without a register: a title and surname, a role with a determiner
# ("our finance director", "that lad"), or a named organisation ("Salford Tech", "Smith's Garage").
TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.? [A-Z][a-z]+")
ROLE = re.compile(
    r"\b(?:our|my|the|their|your|that|this|one of (?:the|our|my)|a local|the local)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:director|principal|vice[- ]principal|head|hod|manager|tutor|teacher|lecturer|assessor|governor|"
    r"chair|ceo|boss|owner|receptionist|caretaker|coordinator|lad|girl|guy|bloke|woman|man|learner|apprentice|"
    r"colleague|company|provider|college|firm|business|employer|garage|school|trust|agency|contractor|"
    r"supplier|moderator|examiner|inspector|technician|tech|head teacher|headteacher)s?\b",
    re.I,
)
# Each word at most 41 characters: a word may start after any "-" or "'", and unbounded words made
# "A-A-A-…" (no organisation) scan to the end from every letter (63,000 characters took 21 s).
ORGANISATION = re.compile(
    r"\b(?:[A-Z][\w'&.-]{0,40}\s){1,3}(?:College|Tech|Training|Ltd|Limited|Garage|Motors|Academy|School|"
    r"University|Group|Council|Trust|Centre|Solutions|Services|Agency|Plc|PLC|Plumbing|Plumbers|Builders|"
    r"Construction|Electrical|Electricians|Salon|Cars|Autos|Recruitment|Apprenticeships|Skills|Learning|"
    r"Consulting|Consultancy|Care|Homes|Nursery|Bakery|Cafe|Restaurant|Hotel|Gym|Fitness|Studio|Shop|Store|"
    r"Supplies|Logistics|Transport|Hair|Beauty|Barbers|Dental|Clinic|Pharmacy|Estates|Lettings|Partners|"
    r"Associates|Sons)\b"
)
# "Helen from Quality", "Dave in IT"; a first and last name ("Owen Clarke").
NAME_FROM = re.compile(r"\b[A-Z][a-z]{2,} (?:from|in) (?:the )?[A-Z][A-Za-z]+\b")
FULL_NAME = re.compile(
    r"\b(?!(?:The|This|That|Our|My|Their|Heads|Word|Bit|Watch|Everyone|Just|Happy|Well|Good|Great)\b)"
    r"[A-Z][a-z]{2,} [A-Z][a-z]{2,}\b(?! (?:College|Tech|Training|Ltd|School|University|Group|Council)\b)"
)
NAME_AND_ROLE = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+ \((?:[A-Za-z ]+)\)")


def identifiable(a: Analysis, besides: Sequence[Hit] = ()) -> tuple[int, int] | None:
    """Where the post names or points at a person or organisation, if it does, other than inside
    the `besides` hits' spans."""

    def free(start: int, end: int) -> bool:
        return not any(h.start < end and start < h.end for h in besides)

    for named in a.get(*REGISTER_NAMES):
        if free(named.start, named.end):
            return named.start, named.end
    text = a.text.original
    for pattern in (TITLED, NAME_AND_ROLE, ORGANISATION, ROLE, NAME_FROM, FULL_NAME):
        for m in pattern.finditer(text):
            if free(m.start(), m.end()):
                return m.start(), m.end()
    return None


@rule(
    code="GR002",
    needs=("lexicon:work_target",),
    name="workplace-complaint",
    clause="Don'ts",
    category="grievance",
    severity=Severity.REVIEW,
    what="A complaint about work in plain words: complaint language ('a joke', 'refused', 'underpaid', "
    "'again', a sarcastic 🙃) aimed at pay, a manager, SMT, HR, the rota or workload.",
    why="The Don'ts: don't use social media to air internal grievances; 5.2: keep to the organisation's "
    "procedures rather than complain in public.",
    instead="Raise it with your line manager or through the grievance procedure; 5.4 explains how to report "
    "bullying.",
    examples=(
        flags("My line manager is a joke, takes credit for everything", account=PERSONAL),
        flags("HR have lost my forms again. Third time.", account=PERSONAL),
        flags("Paid less than a shelf stacker to teach 30 teenagers", account=PERSONAL),
        allows("Our managers are running a workshop on pay and progression"),
        allows("Thanks to HR for sorting the new staff handbook so quickly", account=PERSONAL),
    ),
)
def workplace_complaint(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    pair = first_pair(a, ("lexicon:work_target",), ("lexicon:complaint",))
    if pair:
        target, moan = pair
        yield Flag(
            target.start,
            target.end,
            f"'{quoted(a, moan)}' about '{quoted(a, target)}' reads as an internal grievance",
        )


# "careers investigating fraud", "how to spot scammers": the word names a subject, not a charge.
SUBJECT_NOT_CHARGE = re.compile(
    r"\b(?:investigat\w*|tackl\w*|prevent\w*|spot\w*|avoid\w*|protect\w*|about|against|victims? of|"
    r"report\w*|awareness|careers? in|beware of|stop|recognis\w*|what is|what counts as|"
    r"action)\W+(?:\w+\W+)?$",  # "Action Fraud", the UK's fraud reporting centre
    re.I,
)


# "If someone online is bullying you, screenshot it and tell your tutor": what to do if it happens, not
# a charge against anyone.
HYPOTHETICAL = re.compile(
    r"\b(?:if|when|whenever|in case) (?:someone|anyone|somebody|a (?:friend|stranger|person|learner|member "
    r"of staff|colleague)|they)\b[^.!?,;:]{0,30}$",
    re.I,
)


@rule(
    code="DF001",
    needs=("lexicon:accusation",),
    name="accusation-against-someone",
    clause="5.2",
    category="defamation",
    severity=Severity.REVIEW,
    what="An accusation of wrongdoing (stealing, fraud, lying, cheating, bullying, being drunk at work, "
    "exploiting apprentices) aimed at someone identifiable: a name from the register, a title and name "
    "('Mr Hughes'), a role ('our finance director', 'one of the tutors') or a named organisation.",
    why="Section 5.2 forbids defamatory statements about the organisation, its staff, learners, employers "
    "and other organisations; an untrue public accusation can make you and the organisation liable.",
    instead="Do not post it. Report a concern about wrongdoing through whistleblowing or safeguarding "
    "procedures, where it can be looked into fairly.",
    examples=(
        flags("Mr Hughes in the maths department is stealing from the college"),
        flags("Our finance director has been cooking the books, watch this space", account=PERSONAL),
        flags("Avoid Smith's Garage, they use apprentices as cheap labour", account=PERSONAL),
        flags("Our caretaker has been nicking tools from the workshop for years", account=PERSONAL),
        allows("Our finance director explained the budget at today's staff briefing"),
        allows("How to spot fraud: our free online safety session for learners"),
        allows(
            "Safeguarding reminder 💙 if someone online is bullying, threatening or pestering you, screenshot "
            "it and tell your tutor."
        ),
        allows(
            "Scam alert: fake adverts offer 'free DMM apprenticeships'. Please report them to Action Fraud."
        ),
        allows(
            "If you are worried about abuse or grooming online, talk to our Designated Safeguarding Lead "
            "or call Childline on 0800 1111."
        ),
        flags("Talk to our Designated Safeguarding Lead: Mr Hughes has been grooming learners"),
    ),
)
def accusation(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    text = a.text.original
    charge = [
        h
        for h in a.get("lexicon:accusation")
        if not SUBJECT_NOT_CHARGE.search(text[max(0, h.start - 40) : h.start])
        and not WARNING_AFTER.match(text, h.end)
        and not HYPOTHETICAL.search(text[max(0, h.start - 50) : h.start])
    ]
    # "If you are worried about grooming, talk to our Designated Safeguarding Lead": the service a
    # post points people to is not the one it accuses.
    where = identifiable(a, besides=a.get("lexicon:signposting"))
    if charge and where:
        yield Flag(
            *where,
            f"accuses '{a.text.original[where[0] : where[1]]}' of wrongdoing ('{quoted(a, charge[0])}')",
        )


@rule(
    code="DR001",
    needs=("lexicon:disrepute_drink",),
    name="misconduct-linked-to-work",
    clause="Don'ts",
    category="disrepute",
    severity=Severity.REVIEW,
    what="Drunkenness, drugs, drink-driving or skiving mentioned together with work (the college, a staff "
    "party, your job, your learners).",
    why="The Don'ts: don't bring the organisation into disrepute; 5.2: others may reasonably take what "
    "you post as reflecting on the organisation once your work is in view.",
    instead="Keep it off social media, or at least away from anything that ties it to your work.",
    examples=(
        flags("Lecturer by day, absolute mess by night 🍻🍻", account=PERSONAL),
        flags("Drove home after the staff party, no idea how I got there lol", account=PERSONAL),
        allows("Lovely evening at the staff party, thanks to the organisers!", account=PERSONAL),
        allows("So hungover this morning, never again", account=PERSONAL),
        allows(
            "First week back at college and I've already drunk my body weight in tea ☕", account=PERSONAL
        ),
    ),
)
def misconduct(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    pair = first_pair(a, ("lexicon:disrepute_drink",), ("lexicon:workplace", "name:organisation"))
    if pair:
        act, work = pair
        yield Flag(act.start, act.end, f"'{quoted(a, act)}' alongside '{quoted(a, work)}' reflects on work")


@rule(
    code="DR002",
    needs=("lexicon:own_org",),
    name="mocking-own-organisation",
    clause="Don'ts",
    category="disrepute",
    severity=Severity.REVIEW,
    what="Derision of the organisation's own work or learners by its staff: 'our courses are a "
    "money-making scheme', 'don't bother sending your kids', 'these kids are thick'.",
    why="The Don'ts: don't bring the organisation into disrepute; 5.2 forbids disparaging statements "
    "about the organisation and its learners.",
    instead="Raise concerns internally; never ridicule learners or their work in public.",
    examples=(
        flags("Don't bother sending your kids to our college, it's a shambles", account=PERSONAL),
        flags("Some of the answers in my marking today, these kids are thick as mince", account=PERSONAL),
        allows("Our college has been shortlisted for a national award!"),
        allows("My learners were brilliant at the open day today", account=PERSONAL),
    ),
)
def mocking_own(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    pair = first_pair(a, ("lexicon:own_org",), ("lexicon:derision",))
    if pair:
        own, scorn = pair
        yield Flag(
            own.start, own.end, f"'{quoted(a, scorn)}' about '{quoted(a, own)}' brings it into disrepute"
        )


@rule(
    code="DI003",
    needs=("lexicon:group",),
    name="stereotype",
    clause="5.2",
    category="discrimination",
    severity=Severity.REVIEW,
    what="A generalisation about people by sex, age, race or nationality, religion, disability, sexual "
    "orientation, gender reassignment, pregnancy or background, without any slur: 'women just aren't cut "
    "out for…', 'anyone over 40', 'always cheat', 'never hire women in their thirties'.",
    why="Section 5.2 forbids discriminating against staff, learners, employers or third parties and posting "
    "discriminatory content; the Equality Act 2010 protects these characteristics.",
    instead="Speak about people as individuals. If you meant to discuss a real difference, cite the evidence "
    "and leave out the generalisation.",
    examples=(
        flags("Women just aren't cut out for the construction trades", account=PERSONAL),
        flags("Apprenticeships are wasted on anyone over 40", account=PERSONAL),
        flags("Never hire women in their thirties, they'll be off on maternity", account=PERSONAL),
        allows("Women in construction: meet three of our bricklaying apprentices"),
        allows("Adult learners can apply for free Level 3 courses"),
        flags("The over-55s on our courses simply cannot keep up with platform changes", account=PERSONAL),
        flags("The older lady was lovely but she's not going to pick up Canva at her age", account=PERSONAL),
    ),
)
def stereotype(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    pair = first_pair(a, ("lexicon:group",), ("lexicon:stereotype",))
    if pair:
        who, claim = pair
        yield Flag(who.start, who.end, f"a generalisation about '{quoted(a, who)}' ('{quoted(a, claim)}')")


BIASED_ADVERT = re.compile(
    r"\b(?:(?:young|younger|energetic|pretty|attractive|bubbly|strong|fit)\b[, ]+(?:(?:and|energetic|young|"
    r"enthusiastic|bubbly)[, ]+)*(?:girl|boy|lad|woman|man|lady|female|male|gentleman|graduate)s?"
    r"|under (?:2\d|3\d)s?|no older than \d\d|digital natives?|native english speakers?|men[- ]only|"
    r"(?:male|female) only)\b",
    re.I,
)


@rule(
    code="DI004",
    name="discriminatory-advert",
    clause="5.2",
    category="discrimination",
    severity=Severity.REVIEW,
    what="A job advert or invitation that asks for a sex or an age ('young, energetic girl', 'under 30s', "
    "'digital native', 'men-only').",
    why="Section 5.2 forbids discrimination; under the Equality Act 2010 a job advert may not state a sex "
    "or age preference unless an exception applies.",
    instead="Describe the job and the skills it needs, not the person's sex or age.",
    examples=(
        flags("Looking for a young, energetic girl to front our reception desk"),
        flags("We're hiring: marketing assistant, ideally under 30"),
        allows("We're hiring: marketing assistant, all ages and backgrounds welcome"),
    ),
)
def discriminatory_advert(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if not a.has("lexicon:hiring"):
        return
    m = BIASED_ADVERT.search(a.text.original)
    if m:
        yield Flag(m.start(), m.end(), f"'{m.group(0)}' states a sex or age preference")


SECOND_PERSON_OR_MENTION = re.compile(r"(?<!\w)@\w{2,}|\b(?:you|your|you're|u|ur)\b", re.I)


# Advice that names harassment ("comments about your body … that's harassment, and it's never okay").
NAMES_HARASSMENT = re.compile(
    r"\b(?:is|that's|thats|that is|counts as|are|it's|its) (?:sexual )?harassment\b|"
    r"\b(?:never|not|isn't|is not) (?:ok|okay|acceptable)\b",
    re.I,
)


@rule(
    code="HA003",
    needs=("lexicon:sexual_comment",),
    name="sexual-comment",
    clause="5.2",
    category="harassment",
    severity=Severity.REVIEW,
    what="Comments on someone's body or looks aimed at them ('your legs looked amazing', 'wear skirts more').",
    why="Section 5.2 forbids harassing staff, learners or others; unwanted comments of a sexual nature are "
    "harassment under the Equality Act 2010.",
    instead="Don't comment on colleagues' or learners' bodies or clothes.",
    examples=(
        flags("@lisa_assessor your legs looked amazing today", account=PERSONAL),
        allows("Your work looked amazing today, well done", account=PERSONAL),
        allows(
            "Unwanted messages, comments about your body, repeated requests for dates after you've said no: "
            "that's harassment, and it's never okay. Tell your tutor."
        ),
    ),
)
def sexual_comment(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    words = a.get("lexicon:sexual_comment")
    if words and NAMES_HARASSMENT.search(a.text.original):
        return  # advice: "comments about your body … that's harassment, and it's never okay"
    if words and (a.post.is_reply or SECOND_PERSON_OR_MENTION.search(a.text.original)):
        yield Flag(words[0].start, words[0].end, f"'{quoted(a, words[0])}' comments on someone's body")


# Marks of sarcasm that sneer only when the post answers someone (a reply or "you") or compares.
WEAK_SNEER = re.compile(r"🙄|😏|🤷|\bgenius\b|👏👏|\bsweetie\b|\bhun\b", re.I)
ADDRESSED = re.compile(r"\b(?:you|your|you're|ur)\b|(?<!\w)@\w{2,}", re.I)


@rule(
    code="DP002",
    name="sneering",
    clause="Do's",
    category="disparagement",
    severity=Severity.REVIEW,
    what="Sneering or sarcastic replies and jibes at complainants, other providers or employers: 'maybe read "
    "the course page before moaning', 'cry more', 'unlike some colleges…', 'imagine paying to study there'.",
    why="The Do's ask for an appropriate and professional tone; 5.1: do not respond to adverse criticism "
    "without SMT's approval; 5.2 forbids disparaging other organisations.",
    instead="Answer the point politely and factually, or take it offline; leave other providers out of it.",
    examples=(
        flags("Maybe read the course page before moaning? It's all there 🙄", is_reply=True),
        flags("Unlike some colleges, our learners actually pass 😏"),
        flags("Bless you, it's called a timetable. Have a look at it sometime"),
        allows("Thanks for your question, the timetable is on the course page"),
        allows("Bless you all for the donations to our food bank appeal!"),
    ),
)
def sneering(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    strong = a.get("lexicon:sneer")
    if strong:
        yield Flag(strong[0].start, strong[0].end, f"'{quoted(a, strong[0])}' sneers")
        return
    text = a.text.original
    if not (a.post.is_reply or "you" in a.text.folded or " ur " in a.text.folded or "@" in text):
        return  # the weak marks sneer only at someone addressed
    m = WEAK_SNEER.search(text)
    if m and (a.post.is_reply or ADDRESSED.search(text)):
        yield Flag(m.start(), m.end(), f"'{m.group(0)}' in a reply reads as sarcastic")


POINTED_AT = re.compile(
    r"(?<!\w)@\w{2,}|\b(?:you|your|this|that|he|she|him|her|some people|someone|somebody)\b|"
    r"\b(?:learner|student|apprentice|colleague|lad|girl|guy|kid)s?\b|"
    # Someone at work, named by their role: "the new caretaker", "our receptionist".
    r"\b(?:caretaker|cleaner|receptionist|technician|tutor|teacher|lecturer|assessor|trainer|manager|"
    r"boss|supervisor|invigilator|principal)s?\b",
    re.I,
)


@rule(
    code="HA004",
    needs=("lexicon:ridicule",),
    name="mocking-someone",
    clause="5.2",
    category="harassment",
    severity=Severity.REVIEW,
    what="Mocking a person in public: ridicule ('look at this…', 'imagine failing…', 🤣, 🤡) with belittling "
    "words ('three times', 'can't spell', 'loser') aimed at someone.",
    why="Section 5.2 forbids harassing or bullying staff, learners or others; mocking someone in public is "
    "cyberbullying, and 5.4 lets anyone bullied by a post report it.",
    instead="Don't post it. If someone needs help, support them privately.",
    examples=(
        flags("Imagine failing Level 1 English three times. Some people 🤡", account=PERSONAL),
        flags("look at this lad trying to reverse park, three times 🤣🤣", account=PERSONAL),
        flags(
            "Look at the state of the new caretaker trying to fix the boiler 🤡 #useless", account=PERSONAL
        ),
        allows("Our learners had us in stitches at the talent show 😂😂", account=PERSONAL),
        allows("Look at our tutors trying to bake for Children in Need 😂😂 Vote for your favourite!"),
    ),
)
def mocking_someone(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    pair = first_pair(a, ("lexicon:ridicule",), ("lexicon:belittle", "lexicon:insult"))
    if pair and POINTED_AT.search(a.text.original):
        mock, word = pair
        yield Flag(mock.start, mock.end, f"'{quoted(a, mock)}' with '{quoted(a, word)}' mocks someone")


# A colleague given a nickname for how they look: "Fat Gary from the maths department", "Sweaty Steve".
# Only where work is in view (a department or team at work, "christened him"; a pet is "Fat Biscuit"):
# on tweets the same shape is mostly celebrities ("fat Kardashians") and "Smelly Cat".
NICKNAME = re.compile(
    r"\b(?i:fat|ugly|smelly|sweaty|greasy|gormless|creepy|tubby|porky|lardy|fatty|baldy|specky|spotty|"
    r"stinky|lanky|chubby|pizza[- ]face|crater[- ]face)\s+(?!(?:Friday|Tuesday|Cat|Face|Boy|Boys|Bear|Bastard|Sunday|Monday|Tony)\b)"
    r"[A-Z][a-z]{2,}\b"
)
AT_WORK = re.compile(
    r"\b(?:department|dept|office|staffroom|faculty|christened|nickname\w*|calling (?:him|her) it)\b|"
    r"\b(?:from|in) (?:the )?(?:accounts|finance|reception|IT|HR|maths|english|admin|marketing)\b",
    re.I,
)


@rule(
    code="HA008",
    name="mocking-nickname",
    clause="5.2",
    category="harassment",
    severity=Severity.REVIEW,
    what="A colleague or learner given a nickname for how they look ('Fat Gary from the maths department', "
    "'Sweaty Steve'), where work is in view.",
    why="Section 5.2 forbids harassing or bullying staff, learners or others; a mocking nickname in public "
    "is bullying, and 5.4 lets anyone bullied by a post report it.",
    instead="Don't post it. Call people by their names.",
    examples=(
        flags("Fat Gary from the maths department broke another chair today 🤣🤣", account=PERSONAL),
        flags("Christened him Sweaty Steve at the staff do and it's stuck 💦", account=PERSONAL),
        allows("Fat Friday in the staffroom: bacon rolls for everyone 🥓", account=PERSONAL),
        allows("Gary from the maths department ran the Great North Run today 🏃", account=PERSONAL),
        allows("The kids have renamed our cat Fat Biscuit after Christmas 🐱", account=PERSONAL),
        flags(
            "Pizza Face Pete from IT is running the training again today, brace yourselves", account=PERSONAL
        ),
    ),
)
def mocking_nickname(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    text = a.text.original
    name = NICKNAME.search(text)
    if name and AT_WORK.search(text):
        yield Flag(name.start(), name.end(), f"'{name.group(0)}' mocks how someone looks")


# A grade in quotes is the inspectorate's word, not a sneer: "their 'Outstanding' Ofsted grade",
# "rated 'Good'"; "their 'outstanding' teaching" still sneers.
GRADE_AFTER = re.compile(
    r"\s*(?:ofsted\s+|inspection\s+)?(?:grade|rating|judgement|judgment|result|report)", re.I
)
GRADE_BEFORE = re.compile(r"(?:rated|graded|judged|judged as|awarded|grade of|achieved|retained)\s*$", re.I)


SARCASM_AFTER = re.compile(r"[🙄😂🤣😏🤡]|\b(?:clearly|apparently|somehow|yeah right|lol)\b", re.I)


def _names_a_grade(text: str, start: int, end: int) -> bool:
    quoted_word = text[start:end]
    if not (quoted_word[:1] in "'‘\"“" and quoted_word[-1:] in "'’\"”"):
        return False
    if SARCASM_AFTER.search(text, end, end + 40):
        return False  # "rated 'Outstanding' 🙄 by inspectors who clearly never visited"
    return bool(GRADE_AFTER.match(text, end) or GRADE_BEFORE.search(text[max(0, start - 20) : start]))


OTHER_PROVIDER = re.compile(
    r"\b(?:other|another|that|those|rival|local|some|certain) (?:colleges?|providers?|training providers?|"
    r"unis?|universities|schools?|academ(?:y|ies)|employers?|companies|firms?)\b|\b(?:colleges?|providers?|"
    r"schools?|unis?) (?:across town|down the road|up the road|round the corner|next door|nearby)\b",
    re.I,
)


@rule(
    code="DP003",
    needs=("lexicon:disparaging", "lexicon:derision", "lexicon:insult", "lexicon:jibe", "lexicon:sneer"),
    name="disparaging-others",
    clause="5.2",
    category="disparagement",
    severity=Severity.REVIEW,
    what="Disparaging another organisation: a named college, company or employer ('Bolton Tech', 'Dave's "
    "Motors') or 'other colleges' with words like 'rubbish', 'a joke', 'avoid', 'cowboys'.",
    why="Section 5.2 forbids defamatory or disparaging statements about other organisations, employers and "
    "third parties.",
    instead="Talk about what your organisation does well, without running others down.",
    examples=(
        flags("Avoid Salford Tech, their courses are a joke", account=PERSONAL),
        flags("Other colleges are rubbish at this, we're not", account=PERSONAL),
        allows("Congratulations to Salford Tech on their new building"),
        allows("Congratulations to our partners at Northgate Skills on their 'Outstanding' Ofsted grade"),
        flags("Salford Tech, rated 'Outstanding' 🙄 by inspectors who clearly never set foot in the place"),
        flags("Bolton Tech and their 'outstanding' teaching 🙄", account=PERSONAL),
    ),
)
def disparaging_others(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    text = a.text.original
    words = [
        w
        for w in a.get(
            "lexicon:disparaging", "lexicon:derision", "lexicon:insult", "lexicon:jibe", "lexicon:sneer"
        )
        if not _names_a_grade(text, w.start, w.end)
    ]
    other = ORGANISATION.search(text) or OTHER_PROVIDER.search(text)
    if words and other:
        yield Flag(other.start(), other.end(), f"'{quoted(a, words[0])}' about '{other.group(0)}'")


# A group named, then within two words a verb that generalises about all of them.
GENERALISING = re.compile(
    r"^\W{0,3}(?:[\w'-]+\s+){0,2}?(?:are|were|is|always|never|can't|cannot|don't|won't|just|all)\b", re.I
)


SENTENCE_REST = re.compile(r"[^.!?\n]{0,160}")
THEY_GENERALISE = re.compile(
    r"\bthey(?:'re| are)? (?:all |simply |just |basically |honestly |generally )?(?:always|never|can'?t|cannot|"
    r"won'?t|don'?t|are all|all)\b",
    re.I,
)


@rule(
    code="DI005",
    needs=("lexicon:group",),
    name="group-generalisation",
    clause="5.2",
    category="discrimination",
    severity=Severity.REVIEW,
    what="A group of people by a protected characteristic (or background) followed by a sweeping claim and "
    "a negative trait: 'millennials are hopeless', 'Muslim learners always want time off', 'older staff "
    "never…'.",
    why="Section 5.2 forbids discriminatory content; judging people by the group they belong to is "
    "stereotyping, whatever the words.",
    instead="Speak about individuals and what they did, not about the group.",
    examples=(
        flags("Millennials are hopeless at turning up on time", account=PERSONAL),
        flags("Older staff are useless with technology", account=PERSONAL),
        allows("Older learners are welcome on all our courses"),
        allows("Women are under-represented in engineering, so we're running taster days"),
        flags(
            "I'd avoid booking Muslim apprentices in the spring, because in my experience they simply can't "
            "concentrate",
            account=PERSONAL,
        ),
        allows("Older learners told us they never had the chance to study, so they're loving it"),
    ),
)
def group_generalisation(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    text = a.text.original
    traits = a.get("lexicon:negative_trait")
    if not traits:
        return
    for who in a.get("lexicon:group"):
        if GENERALISING.match(text[who.end : who.end + 40]):
            yield Flag(who.start, who.end, f"generalises about '{quoted(a, who)}' ('{quoted(a, traits[0])}')")
            return
        # "Muslim apprentices in the spring, because in my experience they simply can't concentrate":
        # the group, then "they" and the sweeping verb, with a negative trait, in one sentence.
        rest = SENTENCE_REST.match(text, who.end)
        if rest and THEY_GENERALISE.search(rest.group(0)):
            trait = next((t for t in traits if who.end <= t.start < rest.end()), None)
            if trait:
                yield Flag(who.start, who.end, f"generalises about '{quoted(a, who)}' ('{quoted(a, trait)}')")
                return


@rule(
    code="HA005",
    needs=("lexicon:bullying",),
    name="bullying-or-pestering",
    clause="5.2",
    category="harassment",
    severity=Severity.REVIEW,
    what="Bullying or pestering someone in public: 'everyone hates her', 'not naming names but…', 'stop "
    "ignoring my messages', posting a picture to mock someone.",
    why="Section 5.2 forbids harassing or bullying staff or learners; 5.4 lets anyone bullied by a post "
    "report it.",
    instead="Don't post it; talk to your line manager or use the grievance or bullying procedure.",
    examples=(
        flags("Not naming names but a certain someone thinks she's God's gift", account=PERSONAL),
        flags("@dan_w stop ignoring my messages", account=PERSONAL),
        flags("Sent @megan_t another message, she'll reply eventually if I keep at it 😂", account=PERSONAL),
        flags(
            "@nina_k when are you going to let me take you out? That's 5 times I've asked now",
            account=PERSONAL,
        ),
        flags(
            "Ayesha, I know you said no, but I've booked a table for two on Friday anyway", account=PERSONAL
        ),
        flags(
            "Rachel, you looked lovely today. Drinks on Friday, just the two of us? I shan't take no for an answer",
            account=PERSONAL,
        ),
        allows("Everyone hates Mondays, but our learners made today brilliant"),
        allows("Look who's back! Our learners returned to a sunny campus today"),
        allows("Go and tell your friends about our open day on Saturday!"),
        # Calls to comment and share on the organisation's own posts, not at someone.
        allows("Tell everyone what you loved about your course in the comments below!"),
        allows("Go and comment on our latest video and tell us your favourite bit"),
        allows("Thanks to Sam for posting this photo of the open day"),
        flags("Go and comment on her post, let her know what we all think of her 😂", account=PERSONAL),
    ),
)
def bullying(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    hit = a.get("lexicon:bullying")[0]
    if POINTED_AT.search(a.text.original):
        yield Flag(hit.start, hit.end, f"'{quoted(a, hit)}' bullies or pesters someone")


# HA006: a call to others, then what they should do to someone. Each part alone is ordinary ("let's
# all", "report", "her page"); the three together, in one sentence, are a pile-on.
CALL_TO_OTHERS = re.compile(
    r"\b(?:let'?s(?: all)?|lets all|everyone|everybody|all of you|you lot|anyone (?:fancy|want to|"
    r"wanna|up for)|who(?:'s| is) (?:up for|in|with me)|shall we(?: all)?|go on,? (?:all )?of you|"
    r"you know what to do|rt if|share this so|we should all|can we all|can everyone|come on,? (?:guys|"
    r"people|everyone))\b|(?:^|[.!?]\s+)(?:guys|people|folks|lads|girls)\b",
    re.I,
)
# Someone: a handle, a pronoun or (case kept) a name; "his", "her", "their" only with what is theirs
# online ("report their account", not "report their hours").
_NAME = r"(?-i:[A-Z][a-z]+(?: [A-Z][a-z]+)?)"
_ONLINE = (
    r"(?:account|page|profile|post|posts|inbox|dms?|comments|channel|videos?|tiktok|insta(?:gram)?|"
    r"facebook|twitter)"
)
_PRONOUN = r"(?:@\w{2,}|him|her|them)(?!'s)"
_SOMEONE = r"(?:@\w{2,}|him|her|them|" + _NAME + r")(?!'s)"  # a bare name only where the act is clear
_THEIRS = r"(?:(?:@\w{2,}|" + _NAME + r")'s|his|her|their) (?:\w+ )?" + _ONLINE
PILE_ON_ACT = re.compile(
    r"\b(?:(?:mass[- ]?)?report(?:ing)? (?:"
    + _THEIRS
    + "|"
    + _PRONOUN
    + r")|(?:fill(?:ing)? up|flood(?:ing)?|"
    r"spam(?:ming)?|bombard(?:ing)?|troll(?:ing)?|pile (?:on|into)|swamp(?:ing)?) (?:"
    + _THEIRS
    + "|"
    + _PRONOUN
    + r"|the comments)|(?:leav(?:e|ing)|send(?:ing)?|giv(?:e|ing)) "
    + _PRONOUN
    + r" (?:(?:a few|some|loads of|"
    r"lots of|plenty of) )?(?:little )?(?:comments|messages|reviews|1[- ]star|one[- ]star|abuse)|"
    r"(?:dm|message|text|email) "
    + _SOMEONE
    + r" and tell (?:him|her|them) (?:exactly )?what|let (?:him|her|them) "
    r"have it|get "
    + _SOMEONE
    + r"(?:'s account)? (?:sacked|fired|banned|kicked (?:out|off)|suspended|struck off|"
    r"removed|taken down)|make (?:"
    + _SOMEONE
    + r"|(?:@\w{2,}|"
    + _NAME
    + r")'s|his|her|their) (?:life|week|day) "
    r"(?:hell|a misery|miserable))",
    re.I,
)
# What turns the same words kind ("let's flood her inbox with birthday wishes", "send him messages of
# support", "fill up our inbox with your questions").
KIND_PURPOSE = re.compile(
    r"\b(?:support\w*|wishes|birthday|congrat\w*|well done|good luck|get well|thank\w*|love|encourag\w*|"
    r"sympathy|condolences|welcome|cheer (?:him|her|them) up|kind (?:words|messages)|proud|questions|"
    r"feedback|ideas|enjoy\w*)\b|[💛❤💕🎂🎉🥳💐]",
    re.I,
)
# The organisation's own account asking people to report an impostor gives the right advice.
NOT_REAL = re.compile(
    r"\b(?:fake|impersonat\w*|scam\w*|phishing|not us|isn't us|is not (?:us|our)|pretending to be|"
    r"posing as|hacked)\b",
    re.I,
)
# Acts hostile whatever else the post says: "get him sacked", "make her life hell", "report his account".
HOSTILE_WHATEVER = re.compile(r"^(?:get|make|let|(?:mass[- ]?)?report|troll|pile)\b", re.I)


@rule(
    code="HA006",
    name="pile-on",
    clause="5.2",
    category="harassment",
    severity=Severity.REVIEW,
    what="Calling on others to pile on someone: 'everyone report @x's account', 'let's all fill up his "
    "inbox', 'anyone fancy leaving her a few comments?', 'let's get him sacked'.",
    why="Section 5.2 forbids harassing or bullying staff, learners or others; organising others to target "
    "someone is cyberbullying, and 5.4 lets anyone targeted by a post report it.",
    instead="Don't post it. Raise a complaint about someone through the complaints or grievance procedure.",
    examples=(
        flags("Everyone report @tom_w's account, let's get him banned", account=PERSONAL),
        flags("Let's all fill up @dan_hr's inbox tomorrow so he knows how we feel", account=PERSONAL),
        flags(
            "Found that reviewer's Facebook. Anyone fancy leaving her a few comments? 😏", account=PERSONAL
        ),
        flags("You know what to do, flood his page until he deletes it", account=PERSONAL),
        allows("Everyone report any concerns to the Designated Safeguarding Lead"),
        allows("Let's all give her a round of applause for 20 years at the college!"),
        allows("Let's all message @sam_k to wish her a happy retirement 🎉", account=PERSONAL),
        allows("If you see bullying, report it. Everyone deserves to feel safe."),
        allows("Let's all send her some messages of support after a tough week 💛", account=PERSONAL),
        allows("Let's flood her inbox with birthday wishes! Happy 18th Amy 🎂", account=PERSONAL),
        allows("Fill up his inbox with good luck messages, everyone!", account=PERSONAL),
        allows("Apprentices: everyone report their off-the-job hours to your assessor by Friday"),
        allows(
            "You know what to do: fill up @dmm_apprentices' inbox with your questions before the live Q&A!"
        ),
        flags("Report @tom_w's account and get him banned. Everyone. Now.", account=PERSONAL),
        flags("Everyone report Dave Hughes's Facebook page, let's get Dave sacked", account=PERSONAL),
        flags("Can everyone DM @karen_p and tell her exactly what we think of her?", account=PERSONAL),
        flags("We should all mass-report @liam_b's TikTok until it gets taken down", account=PERSONAL),
        flags(
            "Happy birthday to our manager 🎂 let's all report his account as a present 😂", account=PERSONAL
        ),
        flags("She's a fake and a liar. Let's all report her account", account=PERSONAL),
        allows("Everyone: report Safeguarding Concerns to the DSL the same day"),
        allows("Scam alert: @dmm_offers is not us. Everyone please report their account."),
        flags("Let's get him sacked, happy days 🎉", account=PERSONAL, note="hostile whatever the emoji"),
    ),
)
def pile_on(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    text = a.text.original
    acts = list(PILE_ON_ACT.finditer(text))
    if not acts or (a.post.account == AccountKind.ORGANISATIONAL and NOT_REAL.search(text)):
        return
    sentences = Sentences(text)
    calls: dict[int, re.Match[str]] = {}
    for m in CALL_TO_OTHERS.finditer(text):
        calls.setdefault(sentences.number(m.start()), m)  # a sentence's first call
    for act in acts:
        # The call in the act's sentence, the one before it ("You know what to do. Flood his page") or
        # the one after it ("Report his account. Everyone.").
        sentence = sentences.number(act.start())
        near = [n for n in (sentence, sentence - 1, sentence + 1) if n in calls]
        if not near:
            continue
        call = calls[near[0]]
        said = sentences.text_of(min(sentence, near[0]), max(sentence, near[0]))
        if HOSTILE_WHATEVER.match(act.group(0)) or not KIND_PURPOSE.search(said):
            yield Flag(
                act.start(), act.end(), f"'{call.group(0)}' … '{act.group(0)}' calls others to target someone"
            )
            return


# HA007: menace without a threat word. Each shape says what will happen to someone (found, followed
# from post to post, made to pay) rather than naming harm; a phrase of the threat lexicon
# (HA001) says it outright. Each is narrow on purpose: "keep going and see what happens", "you'll find
# out soon", "missing the deadline is going to cost you your place" and "we'll be replying to every
# comment" are what colleges post to encourage, tease and remind.
MENACE = re.compile(
    # Knowing where someone is: "I know where you park", "we know exactly which car is yours".
    r"\b(?:i|we) (?:know|have found out|found out|worked out|clocked) (?:exactly |full well )?(?:where (?:you|u) "
    r"(?:park|live|drink|walk|run|get off|stand|go after|hang out)\b|which (?:car|house|door|bike) is "
    r"(?:yours|his|hers)\b|what car (?:you|u) drive\b|what time (?:you|u) (?:leave|finish|get)\b|"
    r"(?:you're|ur|you are|ure) on the \w+ floor\b)|"
    # What will follow if they go on: "keep moaning … and see how the resit goes", "do that again and
    # see what happens", "laughing at me … is going to cost you", "I'll make your working life very
    # difficult".
    r"\b(?:keep (?:moaning|complaining|whinging|whining|mouthing off|slagging|kicking off|lying|"
    r"(?:posting|spreading|telling) lies|pushing me)|try me|"
    r"one more (?:\w+ ){0,3}like that|"
    r"(?:report|grass on|complain about|tell on|cross) (?:me|us)\b[^.!?]{0,40}?\b(?:one more time|again)|"
    r"do (?:it|that) again|say (?:it|that) again)\b[^.!?]{0,60}?\band (?:see|(?:you'?ll |you will )?find out) "
    r"(?:what happens|how (?:the|your) "
    r"(?:resit|exam|grade|assessment|placement|review|appraisal|reference|application|interview|"
    r"result)s? (?:goes|go)\b(?! up| well)|where (?:it|that) gets (?:you|u))|"
    r"\bme\b[^.!?]{0,80}?\b(?:is|are|'s) going to cost (?:you|u)\b(?! (?:a|an|the|your|my|\d|£)\b)|"
    r"\b(?:i|we)(?:'ll| will|'m going to| am going to|'re going to| are going to|'m gonna|'re gonna) make "
    r"(?:your|his|her|their) (?:\w+ )?(?:life|year|week|time|placement) (?:very |really |so )?"
    r"(?:difficult|hell|miserable|unbearable|a nightmare|a misery)\b|"
    # A price for doing it again: "if you cut across me like that again, I'll make sure you don't get a
    # word in" ("if you forget it again, I'll make sure you get a spare" is help).
    r"\bif (?:you|u) [^.!?]{0,80}?\bagain\b,? (?:i|we)(?:'ll| will|'m going to|'re going to) make (?:sure|certain) "
    r"(?:you|u) (?:don'?t|do not|never|won'?t|can'?t|regret|pay|wish)\b|"
    # Watching them: "I'll be watching every move you make" ("every move on the pitch" is a match).
    r"\b(?:i|we)(?:'ll| will|'m going to|'re going to)(?: be)? watch(?:ing)? every (?:move|step|thing|word) "
    r"(?:you|u) (?:make|take|do|say|post)\b|"
    # "We'll have a little chat about this post then, won't we."
    r"\b(?:we|i)(?:'ll| will) (?:be )?hav(?:e|ing) a (?:little|quiet|wee) (?:chat|word)\b[^.!?]{0,50}\bwon'?t we\b",
    re.I,
)
# Following someone from post to post ("I'll be commenting on every single one … until you
# apologise", "we'll be in your mentions every single time you post about us"): menace only with
# what makes it relentless, in the same sentence. "Tag us and we'll be replying to every comment
# you leave today!" is service.
FOLLOWING = re.compile(
    r"\b(?:i|we)(?:'?ll| will)(?: be| keep| just)? (?:commenting|comment|replying|reply|responding|respond) "
    r"(?:on|to) (?:every(?:thing)?|all) (?:single )?(?:one|post|photo|selfie|picture|comment|thing|(?:you|u) post)s?\b|"
    r"\b(?:replying|responding) to (?:everything|every(?: single)? (?:post|comment|thing)) (?:you|u)\b|"
    r"\b(?:in|on) (?:your|ur) (?:mentions|dms|timeline) every\b|"
    r"\btagging (?:you|u) every (?:day|week|morning|time)\b|"
    r"\b(?:i|we)(?:'?ll| will) (?:keep (?:going|posting|at it|tagging (?:you|u))|not stop)\b(?= until)|"
    r"\b(?:you|u)(?:'ll| will) (?:be seeing|see) (?:it|me|this|my \w+|your name) every\b",
    re.I,
)
RELENTLESS = re.compile(
    r"\buntil (?:you|u) (?:apologi[sz]e|back down|give in|say yes|delete|take (?:it|that|them|this)(?: \w+)? down|resign|"
    r"quit|leave|come and (?:talk|see me|apologi[sz]e)|sort (?:it|that|your))|"
    r"\buntil (?:you|u) [^.!?]{1,40}? or (?:apologi[sz]e|resign|quit|leave)\b|\bevery (?:single )?time "
    r"(?:you|u) (?:post|comment|tweet) (?:about|on) (?:us|me)\b|\bwherever (?:you|u) post it\b",
    re.I,
)
# Screenshots held over someone: "we've screenshotted the lot and we won't hesitate to use them", "we've
# screenshotted the lot. Keep going and see what happens" (without them, "keep going and see what
# happens" is encouragement).
HELD_OVER = re.compile(
    r"\bwon'?t hesitate to (?:use|share|publish|post|forward) (?:them|it|these)\b|"
    r"\bkeep (?:going|it up|posting|commenting|at it)\b[^.!?]{0,40}?\band see what happens\b",
    re.I,
)
EVIDENCE = re.compile(r"\bscreenshot\w*|\b(?:messages|recordings?|evidence)\b", re.I)
# Said warmly ("I know which car is yours Gemma, the one with the L plates! Good luck today!") or for a
# practical reason ("I know which car is yours, Neil. Please move it").
WARMLY = re.compile(
    r"\b(?:good luck|well done|congrat\w*|proud|love|thank\w*|happy birthday|welcome|cheer\w*|please|"
    r"don'?t worry|headlights|lights are on|left your|lost|found|collect|move it)\b|[💛❤💕🎂🎉🥳💐🍀]",
    re.I,
)
# Quoted words are someone else's: a safeguarding post quoting what abusers say, "'I know where you
# live,' said my mum". A single quote opens before a word and closes after one; an apostrophe inside a
# word ("don't") is part of the quotation.
QUOTED = re.compile(
    r"[\"“][^\"“”]{0,300}[\"”]|(?<!\w)['‘](?=\w)(?:[^'‘’\n]|(?<=\w)['’](?=\w)){1,300}?['’](?!\w)"
)
# Said to a crowd ("To everyone who uses the staff car park: we know where you park, and so will the
# resurfacing crew") it is a notice, not menace.
TO_EVERYONE = re.compile(r"\b(?:everyone|everybody|all of you|anyone|each of you|you all)\b", re.I)
# Someone in particular: "you", a handle, a name called out ("Another selfie, Bethan?", "Dave, …") or
# "to the parent who…".
SOMEONE_ADDRESSED = re.compile(
    r"\b(?i:you|your|yours|u|ur)\b|(?<!\w)@\w{2,}|(?:^|[.!?]\s+)[A-Z][a-z]+,|"
    r",\s*(?:(?:Mr|Mrs|Ms|Miss|Dr)\.? )?[A-Z][a-z]+(?: [A-Z][a-z]+)?\s*(?:[.?!,]|$)|"
    r"\b(?i:to the (?:[\w-]+ ){1,3}?(?:who|that|commenting|posting|leaving))\b"
)


@rule(
    code="HA007",
    name="veiled-threat",
    clause="5.2",
    category="harassment",
    severity=Severity.REVIEW,
    what="Menace aimed at someone without a threat word: knowing where they park or which car is theirs, "
    "following them from post to post until they give in ('I'll be commenting on every single one until "
    "you apologise', 'wherever you post it'), screenshots held over them, or what will follow if they go "
    "on ('keep moaning and see how the resit goes', 'do that again and see what happens', 'laughing at me "
    "is going to cost you', 'I'll make your working life very difficult', 'if you do that again I'll make "
    "sure you don't…'). Not said to everyone, nor "
    "warmly or for a practical reason ('please move it'), nor quoted.",
    why="Section 5.2 forbids harassing or bullying staff, learners or others, and breaching the harassment "
    "and bullying policy; intimidation is harassment whatever the words, and 5.4 lets anyone targeted "
    "report it.",
    instead="Don't post it. If someone's behaviour is a problem, raise it with your line manager or through "
    "the complaints or grievance procedure.",
    examples=(
        flags("I know where you park, Callum.", account=PERSONAL),
        flags("We've got CCTV covering the whole car park, Dave. We know exactly which car is yours."),
        flags(
            "Another selfie, Bethan? I'll be commenting on every single one until you sort that fringe out 😂",
            account=PERSONAL,
        ),
        flags("keep moaning about your grade on here and see how the resit goes mate", account=PERSONAL),
        flags("Laughing at me in front of the whole room is going to cost you, Lucy.", account=PERSONAL),
        flags("If it happens again I'll make your working life very difficult, Chidi.", account=PERSONAL),
        flags("Do that again and see what happens, Kyle.", account=PERSONAL),
        flags("@tom_h keep spreading lies about me and see what happens.", account=PERSONAL),
        flags("Keep pushing me @paul_h and you'll find out what happens", account=PERSONAL),
        flags("Do that again, Mr Evans, and see what happens", account=PERSONAL),
        flags("Chris, report me to management one more time and see what happens.", account=PERSONAL),
        flags("We've got the screenshots, Dean, and we won't hesitate to share them.", account=PERSONAL),
        flags(
            "To the former coach who's been commenting on our posts all week: we've screenshotted the lot. "
            "Keep going and see what happens."
        ),
        flags(
            "Great week, team! Aled, if you cut across me in a meeting like that again, I'll make sure you "
            "don't get a word in for the rest of the year.",
            account=PERSONAL,
        ),
        allows("If you forget your lanyard again, I'll make sure you get a spare from reception 😊"),
        allows("Send us your best sports day photos and we won't hesitate to use them on our page!"),
        allows(
            'Abusers often say things like "I know where you live" or "do that again and see what happens".'
        ),
        allows("'I know where you live,' said my mum, when I forgot to ring her for a week. Fair 😂"),
        flags("Don't 'forget' your lanyard again, Tom. I know where you park.", account=PERSONAL),
        allows("Neil, you parked across two bays again. I know which car is yours. Please move it."),
        flags("From today we will be replying to everything you post, wherever you post it.", is_reply=True),
        flags("Sarah, I'll be commenting on every single one of your posts until you apologise."),
        flags("Third post this week, @chris_it, and I'll keep going until you fix my laptop or resign 😡"),
        allows("We'll keep going until you get the grade you deserve, or until you're sick of us! 😄"),
        allows(
            "To everyone who uses the staff car park: we know where you park, and so will the resurfacing "
            "crew! The car park is closed from Monday."
        ),
        allows("Keep practising and see how your confidence grows!"),
        allows("Come along on Saturday and you'll find out how easy it is to start an apprenticeship."),
        allows("Comment on every post you like this week to enter our prize draw!"),
        allows("Don't leave it till August: you'll wish you'd booked sooner!"),
        allows("Keep going and see what happens when you put your mind to it!"),
        allows("You'll find out soon! Results are out on Thursday."),
        allows("Missing the deadline is going to cost you your place, so apply by Friday."),
        allows("Tag us in your photos and we'll be replying to every comment you leave today!"),
        allows("We'll keep messaging you every week until you finish your portfolio, we promise!"),
        allows("I know which car is yours Gemma, the one with the L plates! Good luck in your test today!"),
        allows("We'll be watching every move on the pitch at Saturday's charity match ⚽"),
        flags("And Kelechi, I'll be watching every move you make next year.", account=PERSONAL),
        allows("Good luck on the stage tonight, Maya, we'll be watching every move you make! 💃"),
        flags(
            "You're in my session on Tuesday, Kayleigh. We'll have a little chat about this post then, won't we."
        ),
        allows("Don't let stress make your life difficult: talk to our wellbeing team."),
        allows("You'll wish you hadn't missed it: our summer party was the best yet!"),
    ),
)
def veiled_threat(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    text = a.text.original
    if not (a.post.is_reply or SOMEONE_ADDRESSED.search(text)):
        return
    menace, following = list(MENACE.finditer(text)), list(FOLLOWING.finditer(text))
    held = list(HELD_OVER.finditer(text))
    if not (menace or following or held):
        return  # most posts stop here
    sentences = Sentences(text)

    def said(m: re.Match[str], before: int = 0, after: int = 0) -> str:
        n = sentences.number(m.start())
        return sentences.text_of(max(0, n - before), n + after)

    menace += [m for m in following if RELENTLESS.search(said(m))]
    menace += [m for m in held if EVIDENCE.search(said(m, before=1))]
    quoted = [q.span() for q in QUOTED.finditer(text)]
    for m in sorted(menace, key=lambda m: m.start()):
        if any(start <= m.start() < end for start, end in quoted):
            continue
        if TO_EVERYONE.search(said(m)) or WARMLY.search(said(m, after=1)):
            continue
        yield Flag(m.start(), m.end(), f"'{m.group(0).strip(' .,!')}' menaces someone")
        return


@rule(
    code="DI006",
    needs=("lexicon:discriminatory_phrase",),
    name="discriminatory-phrase",
    clause="5.2",
    category="discrimination",
    severity=Severity.REVIEW,
    what="Phrases that are discriminatory whatever surrounds them: 'diversity hire', 'playing the race card', "
    "'a man's job', 'because she's pregnant', 'speak proper English'.",
    why="Section 5.2 forbids discriminatory content and breaching the equality and diversity policy.",
    instead="Remove it; talk about what people do, not what group they belong to.",
    examples=(
        flags("She only got the job because she's a woman, classic diversity hire", account=PERSONAL),
        allows("We're proud of the diversity of our apprentices"),
        flags(
            "Another staff meeting listening to @amy_dmm drone on in her broken English 🙄", account=PERSONAL
        ),
        allows(
            "ESOL learners: don't worry if your English feels broken at first, that's what we're here for"
        ),
    ),
)
def discriminatory_phrase(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    hit = a.get("lexicon:discriminatory_phrase")[0]
    yield Flag(hit.start, hit.end, f"'{quoted(a, hit)}' is discriminatory")


@rule(
    code="DR003",
    needs=("lexicon:disrepute_misconduct",),
    name="admitted-misconduct",
    clause="Don'ts",
    category="disrepute",
    severity=Severity.REVIEW,
    what="Admitting misconduct at work or contempt for its duties: passing work unread, skipping safeguarding "
    "training, 'don't tell Ofsted', calling in sick to go to a festival, swearing at a learner, speeding to work.",
    why="The Don'ts: don't bring the organisation into disrepute; such posts damage trust in the "
    "organisation and may breach your contract (the policy's introduction).",
    instead="Don't post it. If something at work is going wrong, raise it with your line manager.",
    examples=(
        flags("Marked 40 essays without reading them, don't tell Ofsted", account=PERSONAL),
        flags("Swore at a learner today. To be fair he deserved it", account=PERSONAL),
        allows("Safeguarding training done for this year, really useful refresher", account=PERSONAL),
        # Phrases that are misconduct only when the writer owns them: an award, a safety message.
        allows("He deserved it! Congratulations to Sam, our Tutor of the Year 🏆"),
        allows("Christmas party tonight: never drive over the limit, book a taxi home"),
        allows("Sorry if you missed the training on Monday, the slides are on the staff portal"),
        allows("Can't wait to watch the football tonight ⚽", account=PERSONAL),
        flags("Drove home over the limit again, nobody noticed 🍺", account=PERSONAL),
    ),
)
def admitted_misconduct(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    hit = a.get("lexicon:disrepute_misconduct")[0]
    yield Flag(hit.start, hit.end, f"'{quoted(a, hit)}' brings the organisation into disrepute")
