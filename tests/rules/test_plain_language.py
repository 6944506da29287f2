"""Issue 15 items 2 and 3: breaches written in plain words are caught in the right category, and
ordinary posts that used to be held (inspections, safeguarding, labelled links, condolences) pass.

Each case is a post written for this test from the policy, not one of the benchmark's posts.
"""

from __future__ import annotations

import pytest

from socialguard.rules import Engine, Post
from socialguard.rules.catalogue import CATEGORIES
from socialguard.rules.model import AccountKind, Severity

P = AccountKind.PERSONAL
ORG = AccountKind.ORGANISATIONAL

BREACHES = [
    ("grievance", P, "Asked payroll about my overtime three times now, still nothing. Useless."),
    ("defamation", P, "Our head of finance has been fiddling the expenses for years, everyone knows"),
    (
        "defamation",
        P,
        "Steer clear of Northgate Training Ltd, they're claiming funding for learners who don't exist",
    ),
    ("discrimination", P, "Older staff are hopeless with anything digital, they should retire"),
    ("discrimination", ORG, "We're hiring a receptionist: ideally a bubbly young woman, under 25s preferred"),
    ("disrepute", P, "Teaching my Level 2s hungover again, the college would love that 🍻"),
    ("disrepute", P, "Don't bother sending your kids to our college, the qualifications are worthless"),
    (
        "commercial",
        P,
        "Between you and me, we're about to lose the council contract, announcement next month",
    ),
    ("commercial", P, "Just found out the new deputy is on £95k while our budget is cut again"),
    ("data-request", ORG, "Want a callback? Comment your phone number and date of birth below"),
    ("learner-contact", P, "Learners, add me on Snapchat for help with your coursework any time"),
    ("learner-identity", P, "Callum from my Level 1 class had another meltdown today"),
    ("confidential", P, "Leaked: here are the questions for tomorrow's exam paper 👀"),
    ("copyright", P, "Uploaded the whole textbook as a PDF for my group, credit to whoever wrote it"),
    ("disparagement", ORG, "Maybe read the timetable before moaning? It's all on the website 🙄"),
    (
        "harassment",
        P,
        "Not naming names but a certain someone in admin thinks she's God's gift. Everyone hates her.",
    ),
    ("missing-disclaimer", P, "Lecturer at Bolton College here: T Levels are a step backwards"),
    ("politics-religion", ORG, "Join the march against the government's cuts on Saturday!"),
    ("controversial", ORG, "Puberty blockers are child abuse, full stop."),
    ("chain-mail", P, "Don't scroll past! Send this to every tutor you know and something good will happen"),
    ("quality", ORG, "Our new course starts on [DATE], apply now"),
    ("personal-data", P, "Heads up, the new caretaker has a criminal record"),
    ("personal-data", ORG, "Will learner 20231187 please collect their certificate from reception"),
]

MUST_PASS = [
    (ORG, "We're delighted that Ofsted has rated us Good. Thank you to our learners and staff."),
    (ORG, "Ofsted inspectors are with us this week. Lessons run as normal."),
    (ORG, "Worried about a young person? Email safeguarding@college.ac.uk or call Childline on 0800 1111."),
    (ORG, "Missed our safeguarding webinar? The recording is on our YouTube channel."),
    (ORG, "It's Dyslexia Awareness Week: our learning support team is here to help."),
    (
        ORG,
        "Raising money for Children in Need: donate on our JustGiving page (external site): https://www.justgiving.com/fundraising/cin",
    ),
    (
        ORG,
        "We are deeply saddened by the death of our former governor, Margaret Hale. Our thoughts are with her family.",
    ),
    (P, "Finished a brilliant book on the train today, highly recommend it"),
    (ORG, "Our managers are running a workshop on pay and progression"),
    (ORG, "We're sorry you feel that way. Our complaints procedure is on the website."),
    (ORG, "Learners: staff will never ask you to message them on Snapchat. If they do, tell us."),
    (ORG, "Happy Diwali to everyone celebrating this week!"),
    (P, "Brilliant day at work with my learners, so proud of them"),
]


def serious(engine: Engine, text: str, account: AccountKind) -> list[str]:
    report = engine.check(Post(text=text, account=account))
    return [f.category for f in report.findings if f.severity in (Severity.BLOCK, Severity.REVIEW)]


@pytest.mark.parametrize(("category", "account", "text"), BREACHES, ids=[c for c, _, _ in BREACHES])
def test_plain_language_breach_is_flagged_in_its_category(
    engine: Engine, category: str, account: AccountKind, text: str
) -> None:
    assert category in serious(engine, text, account)


@pytest.mark.parametrize(("account", "text"), MUST_PASS)
def test_ordinary_post_passes(engine: Engine, account: AccountKind, text: str) -> None:
    assert serious(engine, text, account) == []


def test_new_categories_exist() -> None:
    assert {"defamation", "disrepute", "commercial", "data-request"} <= set(CATEGORIES)
