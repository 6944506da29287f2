"""Learned rules (ML001-ML019, no ML009): a breach of a category written in words no pattern rule knows.

Each rule reads the learned detector's hit for its category (rules/detectors/policy_model.py: one
logistic regression per category over the post's words and character n-grams, trained on our own
labelled posts; thresholds chosen so that posts which must pass keep passing; with the classifiers
on, also the policy encoder, a fine-tuned transformer that reads the posts the first model rates
near a threshold). Every rule asks for
review only, cites the same clause as its category's pattern rules (so a pack's `[clauses]`
mapping applies), and explains itself: the words that weighed most and the nearest labelled
training post ("reads like: ..."). A rule adds nothing where a pattern rule of its category has
already flagged the post (`defers_to_category`): one finding per breach, the more specific one.
A pack that wants none of them ignores "ML".

`data-request` has no learned rule: its pattern rule (DQ001) caught every wording we tried, so a
learned rule could never add a finding (ML009 is left unused).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from socialguard.rules.catalogue import Flag, allows, flags, rule
from socialguard.rules.catalogue.conduct import hoax_warning
from socialguard.rules.catalogue.disclosure import SHORT_DISCLAIMER
from socialguard.rules.model import AccountKind, Severity

if TYPE_CHECKING:
    from socialguard.rules.analysis import Analysis
    from socialguard.rules.catalogue import Check, Example
    from socialguard.rules.compiled import CompiledContext

PERSONAL = AccountKind.PERSONAL
EVIDENCE_WORD = re.compile(r"'([^']+)'")


# Safeguarding advice names the channels and the chain mail it warns about: "your tutor will never ask
# you to message them on Snapchat. If they do, tell us", "It's a hoax, please don't share it".
CONTACT_ADVICE = re.compile(
    r"\b(?:staff|tutors?|teachers?|coaches|we|they|anyone)(?: \w+)? (?:will|should|must|would) never "
    r"(?:ask|message|contact|add|dm|text|call)\b|\bif (?:they|anyone|someone|a member of staff) (?:do|does|asks?|"
    r"tries|messages?)\b[^.!?]{0,40}?\b(?:tell|report|let us know)\b",
    re.I,
)
WARNED_OFF: dict[str, Callable[[str], bool]] = {
    "learner-contact": lambda text: bool(CONTACT_ADVICE.search(text)),
    "chain-mail": hoax_warning,
}


def _check(category: str) -> Check:
    def check(a: Analysis, ctx: CompiledContext) -> Iterator[Flag]:
        if category == "missing-disclaimer" and has_disclaimer(a, ctx):
            return  # the words read like a view, but the post says whose it is
        hits = a.get(f"ml:{category}")
        warned = WARNED_OFF.get(category)
        if hits and warned and warned(a.text.original):
            return  # advice about the thing, not the thing
        for hit in hits:
            start, end = _span(a.text.original, hit.detail, hit.start, hit.end)
            yield Flag(
                start,
                end,
                f"Reads like a breach ({category}, learned model, {float(hit.value):.0%} sure): {hit.detail}",
                "Check the post against the clause cited; if it is fine, approve it as it is.",
            )

    return check


def has_disclaimer(a: Analysis, ctx: CompiledContext) -> bool:
    """As MD001 reads it: the organisation's disclaimer or a short "views my own"."""
    folded = a.text.folded
    return bool((ctx.disclaimer and ctx.disclaimer in folded) or SHORT_DISCLAIMER.search(folded))


def _span(text: str, detail: str, start: int = 0, end: int | None = None) -> tuple[int, int]:
    """Where the first evidence word is in the hit's span (the post, or the one sentence the model
    flagged), case-insensitively; else that whole span."""
    end = len(text) if end is None else end
    for word in EVIDENCE_WORD.findall(detail.split("; reads like:")[0]):
        found = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE).search(text, start, end)
        if found:
            return found.start(), found.end()
    return start, end


# category -> (code, clause, what the category is, why the policy forbids it, examples)
LEARNED: dict[str, tuple[str, str, str, str, tuple[Example, ...]]] = {
    "grievance": (
        "ML001",
        "Don'ts",
        "a complaint about pay, managers, workload or treatment at work",
        "Grievances belong in the grievance procedure, not on social media (the Don'ts).",
        (
            flags(
                "Asked for a day off for my kid's operation and my manager said we'll see. Unreal.",
                account=PERSONAL,
            ),
            allows("Our union rep runs a drop-in about the pay offer on Thursday, all welcome."),
        ),
    ),
    "defamation": (
        "ML002",
        "5.2",
        "an accusation of wrongdoing aimed at an identifiable person or organisation",
        "5.2: never post anything that could be defamatory about anyone.",
        (
            flags("Ask Sarah Jenkins where the trip money went. Go on, ask her.", account=PERSONAL),
            allows("Welcome to Dave Mitchell, our new Director of Finance."),
        ),
    ),
    "discrimination": (
        "ML003",
        "5.2",
        "a stereotype or exclusion of a protected group, stated without a slur",
        "5.2: nothing discriminatory about anyone's protected characteristics.",
        (
            flags("Nobody wants a 60 year old apprentice, be realistic.", account=PERSONAL),
            allows("Women make up 30% of our engineering learners this year. Let's keep going!"),
        ),
    ),
    "disparagement": (
        "ML004",
        "5.2",
        "derision or a sneer at someone, including a reply to someone who complained",
        "5.2: do not make disparaging remarks about the organisation, colleagues or others.",
        (
            flags("Glad you found time to write a review between missed sessions."),
            allows("Thanks for your feedback, we're sorry. Please DM us so we can help.", is_reply=True),
        ),
    ),
    "disrepute": (
        "ML005",
        "Don'ts",
        "drunkenness, misconduct, malpractice or mocking the organisation's own work",
        "The Don'ts: nothing that brings the organisation into disrepute.",
        (
            flags("Marked 30 essays in 20 minutes, didn't read any of them 😂", account=PERSONAL),
            allows("Lesson observation today, nervous but it went well.", account=PERSONAL),
        ),
    ),
    "commercial": (
        "ML006",
        "5.2",
        "prices, bids, contracts, budgets or plans not yet announced",
        "5.2: never disclose commercially sensitive information.",
        (
            flags(
                "Heard we lost the apprenticeship deal with the bank, that's 60 learners gone.",
                account=PERSONAL,
            ),
            allows("The college's annual accounts for 2024/25 are now published on our website."),
        ),
    ),
    "confidential": (
        "ML007",
        "5.2",
        "internal cases, incidents, investigations, papers or embargoed results",
        "5.2: never disclose confidential information about the organisation, staff or learners.",
        (
            flags(
                "Two staff suspended today pending an investigation into the exam results.", account=PERSONAL
            ),
            allows("Spent the day on safeguarding training, really useful refresher.", account=PERSONAL),
        ),
    ),
    "personal-data": (
        "ML008",
        "5.2",
        "someone's health, home life, care status or record",
        "5.2: never share personal information about colleagues or learners.",
        (
            flags("Huge respect to Tom who has been sober for a year today 🙌", account=PERSONAL),
            allows("Happy birthday to Kerry in reception, have a great day 🎂", account=PERSONAL),
        ),
    ),
    "learner-contact": (
        "ML010",
        "Don'ts",
        "inviting learners to private contact: other apps, direct messages, a personal number",
        "The Don'ts and 5.2: contact with learners goes through the organisation's channels only.",
        (
            flags(
                "Gave my personal number to the whole class today so they can text me if they're stuck.",
                account=PERSONAL,
            ),
            allows("Learners, contact your tutor through Teams or your college email."),
            allows(
                "Learners: your tutor will never ask you to message them on Snapchat, WhatsApp or Instagram. "
                "If they do, tell us."
            ),
        ),
    ),
    "harassment": (
        "ML011",
        "5.2",
        "a threat, intimidation, unwanted advances or targeting someone",
        "5.2: never post anything that could be seen as bullying, harassment or intimidation.",
        (
            flags("You'd better hope I don't see you in the car park tomorrow, Dave.", account=PERSONAL),
            allows("Anti-Bullying Week: we're asking everyone to be kind online and offline."),
        ),
    ),
    "offensive": (
        "ML012",
        "5.2",
        "crude or vulgar language on a post",
        "5.2 and the Don'ts: no offensive or obscene language.",
        (
            flags("Who farted in the staff lift 🤢"),
            allows("Our learners absolutely smashed it at the regional skills finals!"),
        ),
    ),
    "politics-religion": (
        "ML013",
        "5.2",
        "party politics, campaigning, or promoting or belittling a religion",
        "5.2: the organisation takes no side in politics or religion.",
        (
            flags("Tories have cut FE to the bone. Don't forget it when you vote."),
            allows("Polling day is Thursday: make sure you're registered to vote (gov.uk)."),
        ),
    ),
    "controversial": (
        "ML014",
        "Do's",
        "taking a side on a contested social question",
        "The Do's: avoid controversial topics that could damage the organisation's reputation.",
        (
            flags("Prisoners should lose the right to any education while inside."),
            allows("Our debating society discusses the death penalty this week. All views welcome."),
        ),
    ),
    "chain-mail": (
        "ML015",
        "5.2",
        "chain messages: share-or-else, copy-and-paste, likes-for-prayers",
        "5.2: do not forward chain letters or hoaxes.",
        (
            flags("Send this to 7 friends in 7 minutes for good luck in your exams", account=PERSONAL),
            allows("Please share our open day post with anyone thinking about college!"),
            allows(
                "Heads up 👀 there's a fake 'copy and paste' message going round saying Facebook will make your "
                "photos public. It's a hoax, please don't share it 🙅"
            ),
        ),
    ),
    "copyright": (
        "ML016",
        "5.2",
        "someone else's work (text, images, music, video) without permission or credit",
        "5.2: respect copyright; credit and ask before using others' work.",
        (
            flags("Background music on our new advert is the latest Coldplay single 🎵"),
            allows("Photo by our media learner Sam, shared with permission."),
        ),
    ),
    "endorsement": (
        "ML017",
        "5.1",
        "recommending a product, business or person in the organisation's name",
        "5.1: do not endorse products, services or people on the organisation's behalf.",
        (
            flags("Need a new boiler? Our mate at Metro Motors will do you a great price."),
            allows("Thank you to our sponsors for supporting this year's awards."),
        ),
    ),
    "missing-disclaimer": (
        "ML018",
        "5.1",
        "a member of staff giving a view on the sector or their work without saying it is their own",
        "5.1: staff who say where they work add that their views are their own.",
        (
            flags(
                "Speaking as an FE principal, colleges are being set up to fail by the DfE.", account=PERSONAL
            ),
            allows("As a curriculum manager, I think T Levels are rushed. Views my own.", account=PERSONAL),
        ),
    ),
    "learner-identity": (
        "ML019",
        "5.2",
        "a learner named with their age, school, home or workplace",
        "5.2: never share information that identifies learners.",
        (
            flags("Well done to our learner Jess Miller (age 16) who lives round the corner in Wigan!"),
            allows("Congratulations to all our learners who passed their Level 2 this week!"),
        ),
    ),
}

for _category, (_code, _clause, _what, _why, _examples) in LEARNED.items():
    rule(
        code=_code,
        name=f"learned-{_category}",
        clause=_clause,
        category=_category,
        severity=Severity.REVIEW,
        what=f"Posts the learned model reads as {_what}, in wording the pattern rules of the category miss.",
        why=_why,
        instead=(
            "Read the evidence in the finding (the words that weighed most and the labelled post it reads "
            "like). If the post is fine, approve it; if not, rewrite it or use the proper channel."
        ),
        examples=_examples,
        needs=(f"ml:{_category}",),
        defers_to_category=True,
        added_in="0.2.0",
    )(_check(_category))
