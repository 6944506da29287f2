"""personal-data, learner-identity and confidential: what must not be disclosed (5.2)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from socialguard.rules.catalogue import Flag, Sentences, allows, flags, lexicon_flags, rule
from socialguard.rules.compiled import folded
from socialguard.rules.model import AccountKind, MediaItem, Severity

if TYPE_CHECKING:
    from socialguard.rules.analysis import Analysis
    from socialguard.rules.compiled import CompiledContext

PERSONAL = AccountKind.PERSONAL
DATA_PROTECTION = (
    "Section 5.2 asks everyone not to breach data protection and to think before disclosing "
    "sensitive information: once posted it cannot be recovered, and it may create liability "
    "for the organisation and for you."
)


@rule(
    code="PD001",
    needs=("pii:email",),
    name="email-address",
    clause="5.2",
    category="personal-data",
    severity=Severity.REVIEW,
    what="An email address that is not one of the organisation's own.",
    why=DATA_PROTECTION,
    instead="Remove the address, or point people to the organisation's contact page.",
    examples=(
        flags("Questions? Email jamie.fletcher@gmail.com"),
        allows("Questions? Email hello@digitalmarketingmentor.co.uk"),
        allows("Questions? Email admissions@college.ac.uk", "a team's mailbox names no one"),
        allows("Follow us @DMMentorUK"),
    ),
)
def email_address(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    for hit in a.get("pii:email"):
        local, _, domain = hit.value.rpartition("@")
        if any(domain == d or domain.endswith("." + d) for d in c.own_domains):
            continue
        if local in ROLE_MAILBOXES and domain not in FREE_MAIL:
            continue  # a team's mailbox at an organisation (admissions@, safeguarding@) names no one
        yield Flag(hit.start, hit.end, f"email address {hit.value} is personal data")


ROLE_MAILBOXES = frozenset(
    [
        "info",
        "admissions",
        "enquiries",
        "enquiry",
        "hello",
        "contact",
        "office",
        "reception",
        "support",
        "careers",
        "hr",
        "jobs",
        "recruitment",
        "apprenticeships",
        "admin",
        "press",
        "media",
        "marketing",
        "finance",
        "exams",
        "studentservices",
        "student.services",
        "help",
        "dsl",
        "safeguarding",
        "welfare",
        "wellbeing",
        "bookings",
        "events",
        "employers",
        "partnerships",
        "quality",
        "complaints",
        "feedback",
        "learnersupport",
        "learner.support",
        "payroll",
        "accounts",
        "sales",
        "team",
        "alumni",
        "dpo",
        "dataprotection",
        "data.protection",
        "privacy",
        "governance",
        "clerk",
        "estates",
        "it",
        "ict",
        "servicedesk",
        "helpdesk",
        "library",
        "international",
        "schools",
        "apprenticeship",
        "enquire",
        "communications",
        "comms",
        "news",
        "web",
        "student",
        "students",
        "learners",
        "parents",
        "principal",
        "headteacher",
        "studentsupport",
        "student.support",
        "admissions.team",
        "careers.team",
    ]
)
FREE_MAIL = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.co.uk",
        "outlook.com",
        "live.com",
        "live.co.uk",
        "yahoo.com",
        "yahoo.co.uk",
        "icloud.com",
        "me.com",
        "aol.com",
        "btinternet.com",
        "sky.com",
        "protonmail.com",
        "proton.me",
    ]
)


@rule(
    code="PD002",
    needs=("pii:phone",),
    name="phone-number",
    clause="5.2",
    category="personal-data",
    severity=Severity.REVIEW,
    what="A mobile number (libphonenumber's rules for the UK and international numbers), or a landline "
    "from a personal account or called someone's own ('my home number'). An organisation's switchboard "
    "on its own account, and a freephone, shared-cost or premium-rate line (a helpline's) from any "
    "account, are not personal data.",
    why=DATA_PROTECTION,
    instead="Remove it; share the organisation's switchboard number only.",
    examples=(
        flags("Text me on 07912 345678 about the course"),
        flags("Call me at home on +44 20 7946 0958"),
        flags("Call Jo on 07700 900456", "a mobile in Ofcom's drama range is still a mobile"),
        allows("Our 2024 results: 98 out of 100 learners passed"),
        allows("Call admissions on 0161 496 0123", "an organisation's landline or helpline names no one"),
        allows(
            "Worried about something online? Call Childline on 0800 1111, free and confidential",
            "a freephone helpline is no one's own number, from any account",
            account=PERSONAL,
        ),
        flags("Landline's 0161 496 0123 if you want a chat", account=PERSONAL),
    ),
)
def phone_number(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    personal = a.post.account == PERSONAL
    for hit in a.get("pii:phone"):
        own = OWN_PHONE.search(a.text.original[max(0, hit.start - 40) : hit.start])
        if hit.detail == "mobile" or (personal and hit.detail != "service") or own:
            yield Flag(hit.start, hit.end, f"phone number {hit.value} is personal data")


# "my/his/her (home/personal) number": a landline that belongs to a person, not an office.
OWN_PHONE = re.compile(r"\b(?:my|his|her|their|home|personal|private)\b", re.I)


# PD003: an organisation giving its own address ("find us at", "our new centre", "we've moved to", in
# the address's sentence) publishes nobody's personal data, unless the post says someone lives there.
OWN_PREMISES = re.compile(
    r"\b(?:find us|visit us|join us|see us|meet us|come to us|we(?:'re|'ve| are| have)? (?:moved|now|based|"
    r"located|relocat\w*)|(?:is|are|will be|now|be) (?:based|located)|our (?:new )?(?:\w+ )?(?:address|premises|"
    r"offices?|centre|center|campus|site|building|venue|hq|head office|training centre|base)|venue|held at|"
    r"takes? place at|taking place at|at our|visit our|moving to|moved to)\b",
    re.I,
)
# Anywhere in the post: "Our learner Jo has opened her home for the bake sale. Join us at 14 Acacia
# Avenue" gives her address, whatever the sentence with it says; so does "at Sam's" or "at our principal's".
RESIDENCE = re.compile(
    r"\b(?:lives?|living|resides?|stay(?:s|ing)|home|house|flat|mine|(?:his|her|their|my|your) (?:address|"
    r"place))\b|\bat (?:our )?\w+'s\b",
    re.I,
)


@rule(
    code="PD003",
    needs=("pii:postcode", "pii:address"),
    name="home-address",
    clause="5.2",
    category="personal-data",
    severity=Severity.REVIEW,
    what="A UK postcode (by Royal Mail's format rules) or a street address.",
    why=DATA_PROTECTION,
    instead="Remove it; name the town or the organisation's site instead.",
    examples=(
        flags("Party at mine, 14 Acacia Avenue!"),
        flags("Drop it round to M14 5RQ"),
        flags("Our learner Jo lives at 14 Acacia Avenue, pop round with a card"),
        allows("Our Manchester site is open today"),
        allows("We've moved! Our Bolton team is now based at Unit 4, Riverside Business Park"),
        allows("Open evening at our Salford centre, 12 King Street, M2 4LQ, 4-7pm"),
        allows("Find us at 25 Oxford Road, Manchester M1 5QA"),
        allows("Our new Bolton centre at 3 Bradshawgate, BL1 1HJ, opens on Monday!"),
        flags("Our learner Jo has opened her home for the bake sale. Join us at 14 Acacia Avenue from 2pm!"),
        flags("Leaving do for our tutor Sam! Join us at Sam's, 14 Acacia Avenue, from 7pm"),
        flags("Find us at 25 Oxford Road, Manchester M1 5QA", account=PERSONAL, note="someone's own post"),
    ),
)
def home_address(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    text = a.text.original
    own = a.post.account == AccountKind.ORGANISATIONAL and not RESIDENCE.search(text)
    sentences = Sentences(text) if own else None
    premises: dict[int, bool] = {}  # per sentence: a post of 4,600 postcodes in one took 22 s
    for flag in lexicon_flags(a, "pii:postcode", "pii:address", message="'{value}' looks like an address"):
        if sentences is not None:
            number = sentences.number(flag.start)
            if number not in premises:
                premises[number] = bool(OWN_PREMISES.search(sentences.text_of(number)))
            if premises[number]:
                continue  # the organisation's own premises
        yield flag


@rule(
    code="PD004",
    needs=("pii:date_of_birth",),
    name="date-of-birth",
    clause="5.2",
    category="personal-data",
    severity=Severity.BLOCK,
    what="A full date next to words about birth (born, DOB, birthday).",
    why=DATA_PROTECTION
    + " A date of birth is used to steal identities and, for learners, reveals who is a child.",
    instead="Remove the date; celebrate without it ('Happy birthday Jo!').",
    examples=(flags("Happy birthday Sam, born 03/05/2008!"), allows("Enrolment closes on 03/05/2026")),
)
def date_of_birth(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    yield from lexicon_flags(a, "pii:date_of_birth", message="'{value}' looks like a date of birth")


@rule(
    code="PD005",
    needs=("pii:nino",),
    name="national-insurance-number",
    clause="5.2",
    category="personal-data",
    severity=Severity.BLOCK,
    what="A National Insurance number (two prefix letters, six digits, a suffix A-D, by HMRC's rules).",
    why=DATA_PROTECTION,
    instead="Never post it; send it only through the HR system.",
    examples=(
        flags("My NI number is AB 12 34 56 C, can someone fill the form?"),
        allows("Order GB123456A has shipped"),
    ),
)
def nino(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    yield from lexicon_flags(a, "pii:nino", message="National Insurance number")


@rule(
    code="PD006",
    needs=("lexicon:health",),
    name="health-information",
    clause="5.2",
    category="personal-data",
    severity=Severity.REVIEW,
    what="Words about someone's health: diagnoses, conditions, treatment, sickness absence.",
    why="Section 5.2 names health information as sensitive: think about who could read it before sharing.",
    instead="Leave health details out, or get the person's explicit agreement first.",
    examples=(
        flags("Get well soon Jo, hope the chemotherapy goes OK"),
        flags("Sam's off with depression again"),
        allows("Our mental health first aiders are here for you every day"),
        allows("It's Dyslexia Awareness Week: our learning support team can help", "a word alone"),
        flags("Sending strength to Deepak, who began chemotherapy this week", account=PERSONAL),
    ),
)
def health(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    # A medical word alone (an awareness week, a first-aid course) is not personal data: it must be
    # about someone (a pronoun, "Sam's", "Ethan (who…", a register name).
    text = a.text.original
    named = a.get("name:staff", "name:learner", "name:past_learner", "name:guardian")
    if not (named or SOMEONE.search(text)):
        return
    # In the sentence that names them: "breast cancer research" in a fundraiser's first line is
    # not about "Tom Hughes, who looked like a marshmallow" two sentences on.
    sentences = Sentences(text)
    about = {sentences.number(m.start()) for m in SOMEONE.finditer(text)}
    about |= {sentences.number(h.start) for h in named}
    for hit in a.get("lexicon:health"):
        if sentences.number(hit.start) in about:
            yield Flag(hit.start, hit.end, f"'{hit.value}' may reveal someone's health")


SOMEONE = re.compile(
    r"\b(?:[Mm]y|[Hh]is|[Hh]er|[Hh]e|[Ss]he|[Hh]e's|[Ss]he's|[Hh]e'd|[Ss]he'd|him|I'm|I've|I am|I was|"
    r"[Gg]et well)\b|\b(?!(?:It|This|That|There|What|Here|Our|We|Who|Let|Today)\b)[A-Z][a-z]+"
    r"(?:'s\b| \(|,? who\b|,? is\b|,? has\b|,? was\b)|\bone of (?:our|my) (?:apprentices|learners|students|staff|"
    r"colleagues|tutors)\b"
)


@rule(
    code="PD008",
    needs=("lexicon:personal_detail",),
    name="private-details",
    clause="5.2",
    category="personal-data",
    severity=Severity.REVIEW,
    what="Private details about a person: where they live, their number or email, their family, a "
    "pregnancy or separation, their car registration ('her number is…', 'his mum's number', 'is pregnant').",
    why=DATA_PROTECTION,
    instead="Leave the details out; if someone needs them, they can ask the person.",
    examples=(
        flags("Jade's just told me she is pregnant, so excited!", account=PERSONAL),
        flags("If anyone needs Sam, her number is on the staffroom board", account=PERSONAL),
        allows("Our pregnancy and maternity policy is on the staff intranet"),
        flags("Luke joined us on a fixed-term exclusion from his last college and a Child in Need plan"),
        allows("Our behaviour policy explains when a fixed-term exclusion is used and how to appeal"),
    ),
)
def private_details(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    yield from lexicon_flags(a, "lexicon:personal_detail", message="'{word}' discloses a private detail")


@rule(
    code="PD007",
    needs=("pii:learner_id",),
    name="learner-number",
    clause="5.2",
    category="personal-data",
    severity=Severity.REVIEW,
    what="A learner, student or candidate number (six or more digits after the word).",
    why=DATA_PROTECTION + " A learner number identifies the learner to anyone with access to records.",
    instead="Contact the learner directly through the organisation's systems.",
    examples=(
        flags("Will learner 20231187 please collect their certificate"),
        allows("Over 2000 learners collected their certificates this year"),
    ),
)
def learner_number(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    yield from lexicon_flags(a, "pii:learner_id", message="learner number {value} identifies a learner")


@rule(
    code="LI001",
    needs=("name:learner", "name:past_learner", "name:guardian"),
    name="learner-named",
    clause="5.2",
    category="learner-identity",
    severity=Severity.REVIEW,
    what="The name or handle of a learner, past learner or parent/guardian from the register.",
    why="Learners, many of them children, and their families are owed data protection (5.2): naming them "
    "needs their consent and a reason.",
    instead="Remove the name, or confirm the learner's written consent before publishing.",
    examples=(
        flags("Well done Jamie Fletcher on passing!"),
        flags("Congrats @priyanair on the new job"),
        allows("Well done to all our learners on passing!"),
        # Consent on file for the learner the post shows covers naming them in it.
        allows(
            "Well done Jamie Fletcher on passing!",
            media=(MediaItem(people_shown=("Jamie Fletcher",), consent_recorded=("Jamie Fletcher",)),),
        ),
        flags(
            "Well done Jamie Fletcher on passing!",
            media=(MediaItem(people_shown=("Jamie Fletcher",)),),
        ),
    ),
)
def learner_named(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    consented = {folded(n) for item in a.post.media for n in item.consent_recorded}
    if consented:
        # Their handles too: the register says whose they are.
        consented |= {folded(h) for p in c.context.register if folded(p.name) in consented for h in p.handles}
    for hit in a.get("name:learner", "name:past_learner", "name:guardian"):
        if hit.value not in consented:
            word = a.text.original[hit.start : hit.end]
            yield Flag(hit.start, hit.end, f"'{word}' is {REGISTER_WORDS[hit.kind]} in the register")


REGISTER_WORDS = {
    "name:learner": "a learner",
    "name:past_learner": "a past learner",
    "name:guardian": "a learner's parent or guardian",
}


@rule(
    code="CF001",
    needs=("name:confidential",),
    name="confidential-term",
    clause="5.2",
    category="confidential",
    severity=Severity.BLOCK,
    what="A term the organisation lists as confidential or commercially sensitive.",
    why="Section 5.2 and the Don'ts forbid disclosing confidential or commercially sensitive material.",
    instead="Remove it. If it has been made public, ask the senior management team to update the list.",
    examples=(
        flags("Can't wait for Project Falcon to launch!"),
        allows("Can't wait for our new course to launch!"),
    ),
)
def confidential(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    yield from lexicon_flags(a, "name:confidential", message="'{word}' is listed as confidential")
