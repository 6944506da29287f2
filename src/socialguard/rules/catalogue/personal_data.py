"""personal-data, learner-identity and confidential: what must not be disclosed (5.2)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from socialguard.rules.catalogue import Flag, allows, flags, lexicon_flags, rule
from socialguard.rules.model import AccountKind, Severity

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
        allows("Follow us @DMMentorUK"),
    ),
)
def email_address(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    for hit in a.get("pii:email"):
        domain = hit.value.rsplit("@", 1)[-1]
        if not any(domain == d or domain.endswith("." + d) for d in c.own_domains):
            yield Flag(hit.start, hit.end, f"email address {hit.value} is personal data")


@rule(
    code="PD002",
    needs=("pii:phone",),
    name="phone-number",
    clause="5.2",
    category="personal-data",
    severity=Severity.REVIEW,
    what="A valid phone number (checked with libphonenumber's rules for the UK and international numbers).",
    why=DATA_PROTECTION,
    instead="Remove it; share the organisation's switchboard number only.",
    examples=(
        flags("Text me on 07912 345678 about the course"),
        flags("Call +44 20 7946 0958"),
        allows("Our 2024 results: 98 out of 100 learners passed"),
    ),
)
def phone_number(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    yield from lexicon_flags(a, "pii:phone", message="phone number {value} is personal data")


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
        allows("Our Manchester site is open today"),
    ),
)
def home_address(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    yield from lexicon_flags(a, "pii:postcode", "pii:address", message="'{value}' looks like an address")


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
    ),
)
def health(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    yield from lexicon_flags(a, "lexicon:health", message="'{value}' may reveal someone's health")


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
    ),
)
def learner_named(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    yield from lexicon_flags(
        a, "name:learner", "name:past_learner", "name:guardian", message="'{word}' is in the learner register"
    )


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
