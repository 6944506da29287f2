"""What must not be shared or asked for, and how the organisation speaks, in plain words (5.1, 5.2,
the Do's and Don'ts): commercially sensitive news, requests for personal data in public, invitations
to private contact with learners, learners described in public, confidential work matters, copied
material, staff opinions without the disclaimer, product promotion, political and religious
campaigning, and posts not fit to publish.

As in `reputation`, rules pair a lexicon with its context so a word alone never holds a post.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from typing import TYPE_CHECKING

from socialguard.rules.catalogue import Flag, Sentences, allows, first_pair, flags, quoted, rule
from socialguard.rules.catalogue.example_context import DISCLAIMER
from socialguard.rules.catalogue.reputation import HYPOTHETICAL
from socialguard.rules.model import AccountKind, Severity

if TYPE_CHECKING:
    from socialguard.rules.analysis import Analysis
    from socialguard.rules.compiled import CompiledContext
    from socialguard.rules.detectors import Hit

PERSONAL = AccountKind.PERSONAL
ORGANISATIONAL = AccountKind.ORGANISATIONAL
MONEY = re.compile(
    r"£\s?\d[\d,.]*\s?(?:k|m|bn|million|billion)?\b|\b\d+ (?:posts|jobs|roles|redundancies|staff)\b"
    r"|\b\d+(?:\.\d+)?% (?:cut|pay|rise|increase|reduction)\b",
    re.I,
)


@rule(
    code="CO001",
    needs=("lexicon:commercial", "lexicon:commercial_strong"),
    name="commercially-sensitive",
    clause="5.2",
    category="commercial",
    severity=Severity.REVIEW,
    what="Contracts, bids, budgets, prices, salaries, restructures, closures or takeovers, told before "
    "they are announced: with a mark of secrecy or hearsay ('not announced yet', 'don't tell anyone', "
    "'apparently', 🤫) or, from a personal account, with a sum of money or a plan ('will be merged').",
    why="Section 5.2 and the Don'ts forbid disclosing confidential or commercially sensitive material; "
    "staff news and plans belong to the organisation to announce.",
    instead="Wait for the organisation's announcement and share that.",
    examples=(
        flags("Our budget is being cut by £240k next year", account=PERSONAL),
        flags("We're putting in a bid for the council work and we'll undercut everyone", account=PERSONAL),
        flags("They're closing the Leigh campus. Not announced yet so don't tell anyone", account=PERSONAL),
        flags("Breaking: we're about to acquire a private training provider. More soon!"),
        allows("We're proud to have won a contract to train NHS apprentices across the region"),
        allows("Our budget-friendly evening courses start next term", account=PERSONAL),
    ),
)
def commercially_sensitive(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if someones_pay(a):
        return  # a person's pay is confidential (CF004), not the organisation's commercial secret
    strong = a.get("lexicon:commercial_strong")
    if strong and a.post.account == PERSONAL:
        yield Flag(strong[0].start, strong[0].end, f"'{quoted(a, strong[0])}' is commercially sensitive")
        return
    topic = a.get("lexicon:commercial")
    if not topic:
        return
    hint = a.get("lexicon:secrecy")
    if a.post.account == ORGANISATIONAL:
        # The organisation announces its own contracts and prices; only leaks and teasers are held.
        hint = [h for h in hint if h.value in SECRET_ONLY]
        money = None
    else:
        hint = [h for h in hint if h.value not in DATES_ONLY]  # a date alone is ordinary planning
        money = MONEY.search(a.text.original)
    if hint or money:
        why = f"'{quoted(a, hint[0])}'" if hint else f"the figure {money.group(0)}"  # type: ignore[union-attr]
        yield Flag(
            topic[0].start, topic[0].end, f"'{quoted(a, topic[0])}' with {why} may be commercially sensitive"
        )


DATES_ONLY = frozenset({"next year", "next term", "next summer", "next month", "next week", "coming soon"})
# Secrecy marks that hold an organisational post too (the rest are only hearsay or dates).
SECRET_ONLY = frozenset(
    {
        "don't tell anyone",
        "dont tell anyone",
        "do not tell anyone",
        "not announced",
        "not been announced",
        "hasn't been announced",
        "before it's announced",
        "not public yet",
        "not official",
        "off the record",
        "between us",
        "between you and me",
        "keep this quiet",
        "keep it quiet",
        "hush hush",
        "you didn't hear it from me",
        "you didnt hear it from me",
        "🤫",
        "leaked",
        "leak",
        "about to",
        "watch this space",
        "more soon",
        "breaking",
        "sneak peek",
    }
)

# Asked to keep it private, or warned not to post it: not a public request.
SAFE_CHANNEL = re.compile(
    r"\b(?:dm us|direct message|message us|privately|private message|secure form|online form|"
    r"never (?:post|share|give)|don't (?:post|share)|do not (?:post|share)|scam|beware|phishing|portal|"
    r"secure (?:form|link|page|site|website|portal|channel|message|messaging|upload|system|email)s?|securely|"
    r"never in the comments|not in the comments|don't comment|do not comment|"
    # A moderation notice: "comments that share personal details will be removed".
    r"will be (?:removed|deleted|hidden)|we(?:'ll| will) (?:remove|delete|hide))\b",
    re.I,
)


@rule(
    code="DQ001",
    needs=("lexicon:data_noun",),
    name="public-data-request",
    clause="5.2",
    category="data-request",
    severity=Severity.REVIEW,
    what="Asking people to post personal data in public: 'comment your phone number', 'reply with your date "
    "of birth and postcode', 'tweet us your address', 'comment below with any medical conditions'.",
    why="Section 5.2 asks everyone not to breach data protection; data posted in comments is public and "
    "cannot be recovered, and asking for it makes the organisation responsible.",
    instead="Ask people to send it through a private, secure channel (a form, email or direct message).",
    examples=(
        flags("Comment your phone number and an adviser will call you back"),
        flags("Reply with your date of birth and postcode to check you're eligible"),
        flags("Bursary top-up! Reply with your bank name and the last 4 digits of your card"),
        flags("enrol now!! comment ur name n mobile no. and we'll call u"),
        allows("Send us a direct message with your phone number and an adviser will call you back"),
        allows("Never post your bank details in the comments: we will never ask for them"),
        flags("Spaces are going fast! To secure yours just reply with your email and bank details"),
        allows("Reply to this post and we'll send you a secure form for your bank details"),
        allows("Comments that share anyone's personal details or phone number will be removed."),
    ),
)
def public_data_request(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    pair = first_pair(a, ("lexicon:public_reply",), ("lexicon:data_noun",))
    if pair and not SAFE_CHANNEL.search(a.text.original):
        ask, what = pair
        yield Flag(
            min(ask.start, what.start), max(ask.end, what.end), f"asks in public for '{quoted(a, what)}'"
        )


# Safeguarding advice that names the channels to warn about them.
CONTACT_WARNING = re.compile(
    r"\bnever (?:ask|message|contact|add)|\bwill never\b|\bif (?:they|anyone|someone) (?:do|does|asks?)\b|"
    r"\breport (?:it|them)\b|\bshould never\b|\bnot allowed to\b",
    re.I,
)
FIRST_PERSON = re.compile(r"\b(?:me|my|i'll|i'm|i)\b", re.I)


@rule(
    code="LC003",
    needs=("lexicon:private_channel",),
    name="private-contact-invitation",
    clause="Don'ts",
    category="learner-contact",
    severity=Severity.BLOCK,
    what="Inviting learners to private contact: 'DM me', 'add me on Snapchat', a personal number, a "
    "WhatsApp group, gaming together, a lift home, 'come round mine', addressed to learners (a learner's "
    "handle, 'my class', 'your coursework').",
    why="The Don'ts: do not have any private communication with learners via any social media channel; "
    "5.2 keeps professional boundaries to protect both learners and staff.",
    instead="Keep contact with learners on the organisation's approved channels (college email, the "
    "learning platform, Teams) and in the open.",
    examples=(
        flags("Learners, here's my personal number for anything at all: 07700 900789", account=PERSONAL),
        flags("Add me on snap, it's easier than Teams for your coursework", account=PERSONAL),
        allows("Learners: message your tutor on Teams if you need help with your coursework"),
        allows("Add me on LinkedIn if you'd like to talk about marketing careers", account=PERSONAL),
        allows("Learners: staff will never ask you to message them on Snapchat. If they do, tell us."),
    ),
)
def private_contact(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    text = a.text.original
    if CONTACT_WARNING.search(text):
        return
    if a.post.account == ORGANISATIONAL and not FIRST_PERSON.search(text):
        return  # "tell us privately" is the organisation's own channel, not one person's
    pair = first_pair(
        a, ("lexicon:private_channel",), ("lexicon:learner_audience", "name:learner", "name:past_learner")
    )
    if pair:
        channel, who = pair
        yield Flag(
            channel.start,
            channel.end,
            f"'{quoted(a, channel)}' invites private contact with learners ('{quoted(a, who)}')",
        )


NOT_A_NAME = (
    r"(?!(?:Everyone|Everybody|Someone|Somebody|Anyone|Anybody|Nobody|All|Some|Most|Half|Learners|Students|"
    r"Apprentices|Those|These|Both|Each|Many|Few|One|Two|Three|Four|Five|The|Our|My|This|That|Level|Year|"
    r"Well|Congrats|Congratulations|Thanks|Thank|Happy|Good|Great|Shout|Huge|Big|Massive|And|But|So|"
    # Not people: when a course starts, what it teaches, what the reader is asked to do.
    r"January|February|March|April|May|June|July|August|September|October|November|December|Monday|"
    r"Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Spring|Summer|Autumn|Winter|English|Maths|Math|"
    r"Science|Python|Java|JavaScript|Excel|Word|PowerPoint|Photoshop|French|Spanish|German|Welsh|Arabic|"
    r"Mandarin|Sage|Xero|Canva|Google|Microsoft|Adobe|Learn|Enrol|Join|Study|Start|Places|Spaces|Apply|"
    r"Book|Register|Sign|Fill|Take|Read|Find|Check|Get|Download|Visit|Watch|Share|Click|Tap|Call|Email|"
    r"Message|Send|Drop|Pop|Come|Bring|Ask|Try|See|Meet|Tell|Complete|Submit|Upload|Follow|Vote|"
    # Not people either: a sentence's opening adverb or topic ("Today in my Level 3 group...").
    r"Today|Yesterday|Tonight|Tomorrow|Earlier|Later|Lately|Recently|Since|Until|After|Before|During|"
    r"Everything|Nothing|Something|Anything|Last|Next|Every|Here|There|Now|Then|Also|Still|Even|Just|"
    r"Only|Attendance|Behaviour|Behavior|Progress|Practice|Teamwork|Feedback|Confidence|Morale|"
    r"Engagement|Motivation|Lunch|Life|Work|Homework|Marking|Teaching|Learning|Results|Retention)s?\b)"
)
FIRST_NAME_IN_GROUP = re.compile(
    rf"\b{NOT_A_NAME}([A-Z][a-z]{{2,}})(?: {NOT_A_NAME}[A-Z][a-z]+)? (?:in|from|on) (?:my|our) (?:[\w-]+ ){{0,3}}?"
    r"(?:group|class|tutor group|cohort|course|programme|form)\b"
    r"|\bmy (?:learner|apprentice|student|tutee|mentee)s? (?:called |named )?([A-Z][a-z]{2,})\b"
    rf"|\b{NOT_A_NAME}([A-Z][a-z]{{2,}}), (?:one of my|a learner in my|an apprentice in my|a student in my)\b"
    rf"|\bone of my (?:learners|students|apprentices|tutees),? {NOT_A_NAME}([A-Z][a-z]{{2,}})\b"
    rf"|\b{NOT_A_NAME}([A-Z][a-z]{{2,}}) \(\d{{1,2}}\)"
)
# "X in my Level 3 group we ...": when a subject follows the group, X opened the sentence as an
# adverb or a topic ("Monday in my class we..."), not as the person the sentence is about. After a
# comma it may be a name said to ("Chloe in my Level 2 class, we are all so proud of you").
SUBJECT_FOLLOWS = re.compile(
    r" (?:we|I|they|everyone|everybody|all of us|all of them|nobody|no one|the (?:whole )?(?:group|class)|"
    r"my (?:learners|students|apprentices))\b"
)
# A first name with what they passed or failed: from a personal account, that is a learner's record.
NAME_AND_RESULT = re.compile(
    rf"\b{NOT_A_NAME}([A-Z][a-z]{{2,}}) (?:who )?(?:has )?(?:finally |just )?(?:passed|failed|scraped|resat|"
    r"re-sat|got a|got an|achieved|flunked) (?:his|her|their)\b"
)


LEARNER_SHAPE_HINTS = (
    " in my ",
    " from my ",
    " on my ",
    " in our ",
    " from our ",
    " on our ",
    "my learner",
    "my apprentice",
    "my student",
    "my tutee",
    "my mentee",
    "one of my",
    "(",
    " passed ",
    " failed ",
    " got a",
    " resat ",
    " re-sat ",
    " achieved ",
    " scraped ",
    " flunked ",
)


@rule(
    code="LI002",
    name="learner-described",
    clause="5.2",
    category="learner-identity",
    severity=Severity.REVIEW,
    what="A learner named by first name with the group they are in ('Kayden in my Level 1 group'), even "
    "when the learner is not in the register.",
    why="Learners, many of them children, are owed data protection (5.2): a first name and a class is "
    "enough for others to identify them.",
    instead="Leave the name out, or use an organisational account with the learner's written consent.",
    examples=(
        flags("Kayden in my Level 1 group is the funniest kid I've ever taught", account=PERSONAL),
        flags("So proud of my apprentice Josh today", account=PERSONAL),
        flags("Shoutout to Harry who finally passed his functional skills!", account=PERSONAL),
        allows("Everyone in my Level 1 group passed their first unit!", account=PERSONAL),
        allows("Today in my Level 3 group we built our first websites", account=PERSONAL),
        allows("Since March in my Level 3 group the attendance is 98%", account=PERSONAL),
        allows("Wednesdays in our Level 2 class, everyone brings a snack to share", account=PERSONAL),
        flags("Chloe in my Level 2 class, we are all so proud of you", account=PERSONAL),
        allows("Enrol now to start in September on our Level 2 course"),
        allows("Learn data analysis in R and Python on our new Level 4 course"),
        allows("Want to know more about funded courses? Fill in our quick form on the course page"),
    ),
)
def learner_described(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    folded = a.text.folded
    if not any(w in folded for w in LEARNER_SHAPE_HINTS):
        return  # every shape below contains one of these; most posts have none
    text = a.text.original
    m = next(
        (
            m
            for m in FIRST_NAME_IN_GROUP.finditer(text)
            if not (m.group(1) and SUBJECT_FOLLOWS.match(text, m.end()))
        ),
        None,
    )
    if not m and a.post.account == PERSONAL:
        m = NAME_AND_RESULT.search(text)
    if m:
        yield Flag(m.start(), m.end(), f"'{m.group(0)}' identifies a learner")


# Terms of the confidential_disclosure lexicon that an organisation also uses about its own
# services, in general: "past exam papers and the mark scheme", "free school meals", "Foster Care
# Fortnight", "if you have a safeguarding concern", "results are not out yet". From a person they
# disclose; from the organisation's account they flag only beside a stronger term.
SERVICE_TOPICS = frozenset(
    {
        "exam paper",
        "exam papers",
        "exam questions",
        "exam answers",
        "assessment answers",
        "mark scheme",
        "marking scheme",
        "marking grid",
        "marking criteria for",
        "the answers",
        "answers to the",
        "the answers to the",
        "before the exam",
        "before the assessment",
        "for tomorrow's exam",
        "for tomorrow's assessment",
        "predicted grades",
        "their grades",
        "screenshot",
        "screenshot of",
        "screenshots of",
        "screen shot",
        "free school meals",
        "foster care",
        "young carer",
        "looked after child",
        "social services",
        "safeguarding concern",
        "safeguarding issue",
        "going on at home",
        "home situation",
        "attendance figures",
        "attendance record",
        "incident report",
        "accident report",
        "final warning",
        "embargo",
        "not out yet",
        "isn't out yet",
        "not out till",
        "not out until",
        "results aren't out",
        "results are not out",
        "before it's published",
        "before it is published",
        "not yet published",
        "not published yet",
        "before publication",
        "before it's out",
        "before it comes out",
    }
)


@rule(
    code="CF002",
    needs=("lexicon:confidential_disclosure",),
    name="confidential-work-matter",
    clause="5.2",
    category="confidential",
    severity=Severity.REVIEW,
    what="Work matters that are confidential by nature: safeguarding cases, exam papers, learners' marks, "
    "internal emails or screenshots, redundancy lists, disciplinary matters.",
    why="Section 5.2 and the Don'ts forbid disclosing confidential information; safeguarding and "
    "assessment details also identify learners.",
    instead="Keep it inside the organisation's systems; talk to your line manager if you need support.",
    examples=(
        flags("Tough day dealing with a safeguarding referral for one of my learners", account=PERSONAL),
        flags("Sneak peek at next week's exam paper", account=PERSONAL),
        allows("Our safeguarding team is here for every learner, every day"),
        allows("Revision tip: practise on past exam papers and read the mark scheme"),
        allows("Learners who get free school meals can also have a free breakfast in the canteen"),
        flags("Leaked: the exam papers for Thursday are going round the group chat"),
        flags("We have started disciplinary proceedings against a member of staff"),
    ),
)
def confidential_matter(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    hits = a.get("lexicon:confidential_disclosure")
    if a.post.account == ORGANISATIONAL:
        hits = [h for h in hits if h.value not in SERVICE_TOPICS]
    if hits:
        yield Flag(hits[0].start, hits[0].end, f"'{quoted(a, hits[0])}' is confidential to the organisation")


# Whose harm: a particular learner or young person ("one of our learners", "my 15 year old apprentice",
# "a student of mine") or what someone told the writer ("told me", "disclosed to me", "opened up to
# me"). Posts about the subject in general ("how to spot that a young person is being groomed") have
# neither.
PARTICULAR_CHILD = re.compile(
    r"\b(?:one of (?:our|my) (?:\d{1,2}[- ]year[- ]old )?|(?:our|my) (?:\d{1,2}[- ]year[- ]old )?)"
    r"(?:learners?|students?|apprentices?|pupils?|kids?|tutees?|mentees?|trainees?|lads?|girls?|boys?)\b"
    r"|\b(?:a|one|this|that) (?:\d{1,2}[- ]year[- ]old )?(?:learner|student|apprentice|pupil|trainee|girl|boy)"
    r" (?:of mine|of ours|in my|in our|on my|on our)\b"
    r"|\b\d{1,2}[- ]year[- ]old (?:learner|student|apprentice|pupil|trainee|girl|boy)\b",
    re.I,
)
TOLD_ME = re.compile(
    r"\b(?:told|tells|telling|disclosed to|confided in|opened up to|came to|admitted to|said to|showed) "
    r"(?:me|us)\b|\b(?:disclosed|confided|opened up)\b",
    re.I,
)


@rule(
    code="CF005",
    needs=("lexicon:safeguarding_harm",),
    name="safeguarding-disclosure",
    clause="5.2",
    category="confidential",
    severity=Severity.BLOCK,
    what="A safeguarding concern about a particular learner or young person told in a post: harm "
    "to them ('being groomed', 'hits him', 'scared to go home', 'self-harming') with who they are "
    "('one of our learners', 'a 15 year old student of mine') or what they told you ('told me').",
    why="Section 5.2: safeguarding concerns follow the safeguarding policy and reporting process and "
    "may be referred to the police or the local safeguarding partnership; a post identifies the "
    "child, can warn an abuser and cannot be taken back. Section 3.1: report concerns, don't post them.",
    instead="Do not post it. Tell the Designated Safeguarding Lead today (call 999 if the child is "
    "in immediate danger) and write down what you were told, in their words.",
    examples=(
        flags(
            "One of our 15 year old learners, Jade, told me she is being groomed by a man she met online "
            "and is scared to go home. Anyone know what to do?",
            account=PERSONAL,
        ),
        flags("A student told me his stepdad hits him. Who do I tell?", account=PERSONAL),
        flags("Worried sick about one of my apprentices, I think she's self-harming again", account=PERSONAL),
        allows(
            "If you are worried about abuse or grooming online, talk to our Designated Safeguarding Lead "
            "or call Childline on 0800 1111."
        ),
        allows("Staff training today: how to spot that a young person is being groomed online"),
        allows(
            "If a learner tells you they are being bullied, listen, don't promise secrecy and tell the DSL."
        ),
        allows("Our learners raised £500 for the NSPCC's work against child abuse 💙"),
        flags(
            "When one of my learners told me she was being groomed I didn't know where to turn",
            account=PERSONAL,
        ),
    ),
)
def safeguarding_disclosure(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    text = a.text.original
    harms = [
        h
        for h in a.get("lexicon:safeguarding_harm")
        # "If a learner tells you they are being groomed, …": what to do if, not what happened (as
        # DF001 reads its charges; "when one of my learners told me …" is still a disclosure).
        if not HYPOTHETICAL.search(text[max(0, h.start - 50) : h.start])
    ]
    if not harms:
        return
    whose = PARTICULAR_CHILD.search(text) or TOLD_ME.search(text)
    if whose or a.has("name:learner", "name:past_learner"):
        harm = harms[0]
        yield Flag(
            harm.start,
            harm.end,
            f"'{quoted(a, harm)}': a safeguarding concern about a particular young person; tell the "
            "Designated Safeguarding Lead instead",
        )


# What someone is paid: "is on £68k", "on £68,000 a year", "earns £50k", "a salary of £90,000".
# "Spent it on £500 of stationery" is not pay: a bare "on £" needs "is on" or "a year".
PAY = re.compile(
    r"\b(?:(?:is|are|was|were|'s|'re|be|being)\s+(?:now |currently |apparently |reportedly |only |still "
    r"|already )?on|earns?|earning|(?:gets?|getting|being|is|are) paid|takes home|(?:on )?(?:a )?"
    r"(?:salary|package|wage) of|(?:pay )?(?:rise|raise) to)\s+£\s?\d[\d,.]*\s?(?:k|grand|m)?\b"
    r"|\bon £\s?\d[\d,.]*\s?(?:k|grand)?\s?(?:a|per) (?:year|annum|month|week)\b",
    re.I,
)
# Whose pay: a first and last name, a title and surname, or a senior post-holder ("the new director").
PAY_HOLDER = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.? [A-Z][a-z]+"
    r"|\b(?!(?:The|This|That|Our|My|Their|Head|Heads|Just|Happy|Well|Good|Great|Level|Digital)\b)"
    r"[A-Z][a-z]{2,} [A-Z][a-z]{2,}\b"
    r"|\b(?i:(?:the|our|my|their|new|that) (?:new |interim |acting |deputy )?(?:director|principal|"
    r"vice[- ]principal|ceo|chief executive|head of \w+|finance director|managing director|chair|boss))\b"
)
# A job advert states the pay of a post, not of a person.
ADVERT = re.compile(
    r"\b(?:we're hiring|we are hiring|vacanc(?:y|ies)|apply|applications?|closing date|join our team|"
    r"recruiting|job description|salary:)",
    re.I,
)


def someones_pay(a: Analysis) -> re.Match[str] | None:
    """What a named person or a senior post-holder is paid, said in the sentence naming them or the
    next one ("Congratulations to Helen Brooks. On £68,000 a year she's buying the first round")."""
    text = a.text.original
    if "£" not in text:
        return None  # most posts stop here
    pays = list(PAY.finditer(text))
    if not pays or ADVERT.search(text):
        return None
    sentences = Sentences(text)
    for pay in pays:
        n = sentences.number(pay.start())
        if PAY_HOLDER.search(sentences.text_of(max(0, n - 1), n)):
            return pay
    return None


@rule(
    code="CF004",
    name="someones-pay",
    clause="5.2",
    category="confidential",
    severity=Severity.REVIEW,
    what="What a named person or a senior post-holder is paid: 'Helen Brooks is on £68k', 'the new "
    "director is on £110k', 'on £68,000 a year'. Job adverts, which state a post's pay, are not held.",
    why="Section 5.2 and the Don'ts forbid disclosing confidential information; a colleague's pay is "
    "personal and confidential to them and the organisation.",
    instead="Leave people's pay out of it. Concerns about pay go to your line manager or HR.",
    examples=(
        flags("Can't believe Helen Brooks is on £68k as Head of Quality 😳 must be nice", account=PERSONAL),
        flags("Just found out the new director is on £110k. Make it make sense.", account=PERSONAL),
        flags(
            "Congratulations to Owen Clarke on his promotion! Richly deserved, and on £68,000 a year the "
            "first round's on him",
            account=PERSONAL,
        ),
        allows("We're hiring a Skills Coach in Leeds, £28,000 a year. Apply by Friday."),
        allows("Our apprentices are paid £7.55 an hour from day one, above the legal minimum."),
        allows("Owen Clarke spent the whole budget on £500 of stationery 😂", account=PERSONAL),
        flags("Sarah Jenkins got a £10k pay rise to £61,000 as assistant principal. Nice for some."),
    ),
)
def someones_pay_rule(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    pay = someones_pay(a)
    if pay:
        yield Flag(pay.start(), pay.end(), f"'{pay.group(0)}' says what someone is paid")


@rule(
    code="CF003",
    needs=("lexicon:hush",),
    name="passing-on-work-matters",
    clause="5.2",
    category="confidential",
    severity=Severity.REVIEW,
    what="Passing on a work matter that is not public, with the signs of it ('can't say more', 'that's all "
    "I'm saying', 🤐, 'heads up', 'leaked', 'apparently'): meetings, investigations, safeguarding cases, "
    "complaints, a colleague's absence, an inspection grade before publication.",
    why="Section 5.2 and the Don'ts forbid disclosing confidential information; a hint is a disclosure "
    "too, and often identifies the people involved.",
    instead="Keep it inside the organisation; if you are worried about something, raise it with your line "
    "manager or the safeguarding team.",
    examples=(
        flags(
            "The police came to college today to interview a member of staff. That's all I'm saying 🤐",
            account=PERSONAL,
        ),
        allows("Heads up: the library is closed on Friday for stocktaking", account=PERSONAL),
    ),
)
def passing_on(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if a.post.account != PERSONAL:
        return  # the organisation decides what it announces
    pair = first_pair(a, ("lexicon:hush",), ("lexicon:work_matter",))
    if pair:
        hint, matter = pair
        yield Flag(
            matter.start,
            matter.end,
            f"'{quoted(a, hint)}' about '{quoted(a, matter)}' passes on a work matter",
        )


@rule(
    code="CP003",
    needs=("lexicon:copying",),
    name="copied-without-credit",
    clause="5.2",
    category="copyright",
    severity=Severity.REVIEW,
    what="Material the post says was copied from someone else without naming them ('taken straight from "
    "another college's prospectus', 'credit to someone on TikTok, can't remember who').",
    why="Section 5.2: do not post content belonging to a third party without their consent, and consider "
    "copyright; the Do's: acknowledge the author.",
    instead="Find the source and name it, ask permission, or write it in your own words.",
    examples=(
        flags("Ten revision tips (credit to someone on TikTok, can't remember who)", account=PERSONAL),
        allows("Ten revision tips from the Open University's study skills guide"),
        flags(
            "New on the blog: ten SEO trends, lifted straight from HubSpot's report, no need to credit them"
        ),
    ),
)
def copied(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    hit = a.get("lexicon:copying")[0]
    yield Flag(hit.start, hit.end, f"'{quoted(a, hit)}': copied material without its source")


SHORT_DISCLAIMER = re.compile(
    r"\bviews (?:expressed )?(?:are )?(?:my|mine|my own)\b|\bviews my own\b|\bopinions? (?:are )?my own\b|"
    r"\bnot (?:the views|speaking for|representing) (?:of )?(?:my|the)\b|\bmy (?:own )?(?:views|opinions?)\b|"
    r"\bnot (?:those of )?my employer'?s?\b|\bpersonal (?:views?|opinions?)\b",
    re.I,
)


# "As an FE tutor", "as the quality lead", "I teach maths at …", "I work in FE".
_ROLE = (
    r"(?:tutor|teacher|lecturer|assessor|manager|director|head(?: of [\w-]+)?|lead|leader|principal|governor|"
    r"coordinator|trainer|mentor|educator|member of staff|employee|inspector|dsl|adviser|advisor|officer|"
    r"deputy(?: [\w-]+)?|chair|ceo|senco|careers lead)"
)
ROLE_CLAIM = re.compile(
    rf"\b(?:as|i'm|i am|im)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){{0,3}}?{_ROLE}s?\b"
    rf"|(?:^|[.!?]\s+)(?:[\w-]+\s+){{0,3}}?{_ROLE}s?\b[^.!?:]{{0,40}}?\b(?:at|in|of)\b"
    r"|\bspeaking (?:as|for)\b|\bfrom my seat as\b|\b(?:years|decades) in (?:fe|further education|teaching)\b"
    r"|\bi (?:teach|lecture|train|assess|work)\b[^.!?]{0,30}?\b(?:at|in|for)\b[^.!?]{0,30}?\b(?:college|fe|school|"
    r"academy|provider|training|university|uni|admissions|sixth form|hall)\b"
    r"|\bworking in (?:fe|admissions|further education|education)\b",
    re.I,
)


@rule(
    code="MD003",
    needs=("lexicon:opinion",),
    name="staff-opinion-without-disclaimer",
    clause="5.1",
    category="missing-disclaimer",
    severity=Severity.REVIEW,
    what="A personal account saying what job it holds ('as a lecturer at…', 'speaking as a college "
    "manager', 'I teach English at…') and giving a view, without the disclaimer.",
    why="Section 5.1 and the Do's: use the disclaimer when expressing personal views; naming your role "
    "makes readers think you speak for your employer (5.2).",
    instead="Add the disclaimer, or leave your job out of it.",
    examples=(
        flags("As a lecturer at Oldham College I think T Levels are a mistake", account=PERSONAL),
        flags("Speaking as a college manager: the new funding rules are unworkable", account=PERSONAL),
        allows(f"As a lecturer I think T Levels are a mistake. {DISCLAIMER}", account=PERSONAL),
        allows("As a lecturer I loved meeting families at today's open day", account=PERSONAL),
        flags(
            "Speaking as Quality Director at DMM, I'd add that the new report cards are a modest improvement",
            account=PERSONAL,
        ),
    ),
)
def staff_opinion(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if a.post.account != PERSONAL:
        return
    views = a.get("lexicon:opinion")
    if not views:
        return
    claims = a.get("lexicon:role_claim")
    m = ROLE_CLAIM.search(a.text.original)
    if claims:
        start, end = claims[0].start, claims[0].end
    elif m:
        start, end = m.start(), m.end()
    else:
        return
    if (c.disclaimer and c.disclaimer in a.text.folded) or SHORT_DISCLAIMER.search(a.text.original):
        return
    role = a.text.original[start:end]
    yield Flag(
        start,
        end,
        f"'{role}' with a view ('{quoted(a, views[0])}') needs the disclaimer",
        fix=f"{a.text.original.rstrip()} {c.context.disclaimer or 'The views expressed are my own.'}",
    )


@rule(
    code="EN002",
    needs=("lexicon:promotion",),
    name="product-promotion",
    clause="5.1",
    category="endorsement",
    severity=Severity.REVIEW,
    what="An organisational post promoting another business's product or service: '#ad', 'swear by', "
    "'tell them we sent you', 'the only … you need', 'book her now'.",
    why="Section 5.1: do not suggest the organisation's endorsement of others; an organisational account "
    "recommending a brand reads as the organisation's endorsement.",
    instead="Ask the senior management team; partners' news can be shared as news, without a sales pitch.",
    examples=(
        flags("Best pizza in town is at Luigi's, tell them we sent you for 10% off!"),
        flags("Our learners all swear by Dyson hairdryers #ad"),
        allows("Book now for our open day on Saturday"),
    ),
)
def product_promotion(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if a.post.account != ORGANISATIONAL:
        return
    hit = a.get("lexicon:promotion")[0]
    yield Flag(hit.start, hit.end, f"'{quoted(a, hit)}' promotes another business")


# "Down with X!" opens a slogan; after a word it is a phrasal verb ("come down with flu", "pop down
# with a coffee", "sit down with your tutor").
SLOGAN_ONLY = frozenset({"down with"})
WORD_BEFORE = re.compile(r"[\w'’][ \t]*$")
# How far back to look for that word: the few characters before the hit, never the whole text
# (a long post full of hits would otherwise be read again for each one).
BEFORE_WINDOW = 16


def _after_a_verb(a: Analysis, hit: Hit) -> bool:
    before = a.text.original[max(0, hit.start - BEFORE_WINDOW) : hit.start]
    return hit.value in SLOGAN_ONLY and bool(WORD_BEFORE.search(before))


STRONG_POLITICS = frozenset(
    {
        "march against",
        "protest against",
        "join the march",
        "join the protest",
        "anyone voting",
        "vote them out",
        "kick them out",
        "down with",
    }
)


@rule(
    code="PR003",
    needs=("lexicon:political_attack",),
    name="political-campaigning",
    clause="5.2",
    category="politics-religion",
    severity=Severity.REVIEW,
    what="Campaigning for or against a government or party: marches and protests, 'anyone voting X should "
    "be ashamed', 'this government has done nothing'.",
    why="Section 5.2: do not promote political or social groups not aligned to the organisation, and avoid "
    "inflammatory topics such as politics.",
    instead="Keep party politics off accounts connected with work; report policy news factually.",
    examples=(
        flags("Join the march against the government's cuts on Saturday"),
        flags("This government has done nothing for colleges. Time for change."),
        allows("The government has announced new funding for apprenticeships: read more on gov.uk"),
        allows("Half the team have come down with flu, so Monday's workshop moves to Thursday"),
        flags("Down with this government and its cuts to adult education!"),
    ),
)
def political_campaigning(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    hits = a.get("lexicon:political_attack")
    strong = next((h for h in hits if h.value in STRONG_POLITICS and not _after_a_verb(a, h)), None)
    if strong:
        yield Flag(strong.start, strong.end, f"'{quoted(a, strong)}' campaigns politically")
        return
    pair = first_pair(a, ("lexicon:political_attack",), ("lexicon:political_negative",))
    if pair:
        who, attack = pair
        yield Flag(
            who.start, who.end, f"'{quoted(a, attack)}' about '{quoted(a, who)}' campaigns politically"
        )


@rule(
    code="PR004",
    needs=("lexicon:religious_promotion",),
    name="religious-promotion",
    clause="5.2",
    category="politics-religion",
    severity=Severity.REVIEW,
    what="Promoting one religion or belittling others: 'let Jesus take the wheel', 'not these made-up "
    "holidays', 'the one true faith'.",
    why="Section 5.2: avoid inflammatory topics such as religion; do not promote groups not aligned to the "
    "organisation or post content that discriminates on religion or belief.",
    instead="Mark festivals warmly and equally (e.g. 'Happy Diwali to everyone celebrating').",
    examples=(
        flags("Prayer is the answer to exam stress. Let Jesus take the wheel"),
        allows("Happy Diwali to everyone celebrating this week!"),
    ),
)
def religious_promotion(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    hit = a.get("lexicon:religious_promotion")[0]
    yield Flag(hit.start, hit.end, f"'{quoted(a, hit)}' promotes a religion")


@rule(
    code="QL004",
    needs=("lexicon:placeholder",),
    name="unfinished-post",
    clause="5.1",
    category="quality",
    severity=Severity.REVIEW,
    what="Placeholder or template text left in a post: 'lorem ipsum', '[DATE]', 'insert link'.",
    why="Section 5.1: communications must be of high quality; a template published by mistake "
    "embarrasses the organisation.",
    instead="Finish the post: fill in or remove the placeholder.",
    examples=(
        flags("Our new course starts on [DATE] and will cover"),
        flags("Lorem ipsum dolor sit amet, enrol now!"),
        allows("Our new course starts on 9 September"),
        flags("Open evening in Room xx, all welcome"),
        allows("Thanks everyone for a brilliant year xx"),
        allows("Love you all, see you in September xxx 💕"),
        flags("Any questions, call us on XXXX"),
    ),
)
def unfinished(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    text = a.text.original
    for hit in a.get("lexicon:placeholder"):
        if KISSES_AT_THE_END.fullmatch(text, hit.start):
            continue  # "xx" that ends the post is a sign-off (kisses), not a placeholder
        yield Flag(hit.start, hit.end, f"'{quoted(a, hit)}' is placeholder text")
        return


KISSES_AT_THE_END = re.compile(r"x+[\W_]*")  # lower case: "Call us on XXXX" is a placeholder


PROMISED_LINK = re.compile(
    # Not a warning ("never click the link", "don't click the link").
    r"\b(?<!never )(?<!not )(?<!n't )(?:link below|link here|click here|click the link|see link|at this link|"
    r"via this link|"
    # "Register via the link", "details at the link in this post"; not the link in the bio, in the
    # comments or on the website, which are where the post says.
    r"(?:via|at|using|through) the link(?! (?:in|on) (?:our |my |the |your |today's |this )?(?:\w+ )?"
    r"(?:bio|comments?|first comment|website|site|page|portal|email|text|letter|invite|calendar|story|stories|"
    r"linktree|profile|app))|link (?:in|attached to) (?:this|the) post)\b",
    re.I,
)
# An arrow at the very end, pointing at what is not there (👇 and ⬇️ usually point at the replies).
POINTS_AT_NOTHING = re.compile(r"[^\s.!?]*\s*(?:👉|🔗|➡️?|→)[\U0001f3fb-\U0001f3ff\u200d\ufe0f]*[\s.!?]*$")
ARROW_TAIL = 40
# The link is in the email, the text or the invite the reader has (or a scam warning's text is).
SAYS_WHERE_THE_LINK_IS = re.compile(r"\b(?:inbox|email|e-mail|text message|a text|invite|calendar|portal)\b")
# A call to look somewhere that ends where the address should be: "Check it out at", "Book here:".
# The cheap test first: most posts do not end on such a word.
ENDS_AWAITING_LINK = re.compile(r"\b(?:at|on|here|via)\W*$")
DANGLING_LINK = re.compile(
    r"\b(?:check (?:it|us|them) out|visit us|find (?:it|us|out more)|book(?: your place)?|apply|register|"
    r"sign up|read (?:it|more)|see more|more info|details|go to|head to)\s+(?:at|on|here|via)\W*$"
    # "Find out more about our courses here", "Book your place for the open day here"
    r"|\b(?:find out more|read more|more info(?:rmation)?|full details|"
    r"book(?! (?:club|swap|day|fair|week|sale|festival|review|launch|token))|apply|register|sign up|download)"
    r"\b[^.!?\n]{0,40}?\s(?:here|via)\W*$",
    re.I,
)


@rule(
    code="QL008",
    name="missing-link",
    clause="5.1",
    category="quality",
    severity=Severity.REVIEW,
    what="A post that points readers to a link ('click here', 'link below') but has none.",
    why="Section 5.1: communications must be of high quality; a post sending people to a link that is not "
    "there looks careless and leaves readers stuck.",
    instead="Add the link, or say where to find the information.",
    examples=(
        flags("Applications are open, click here to apply!"),
        flags("Our new website is live! Check it out at"),
        flags("Find out more about our evening courses here"),
        flags("Want to know more about funded courses? Fill in our quick form 👉"),
        flags("Book your place 👉🏽"),
        flags("Read our latest learner stories 🔗!"),
        flags("Booking for our March webinar series is now open. Register via the link."),
        flags("Full details of the new timetable can be found at the link in this post."),
        allows("Booking for our March webinar series is now open: register via the link in our bio"),
        allows("Full details at the link in the comments 👇"),
        allows("Scam warning: texts claiming to be from Student Finance are fake. Never click the link."),
        allows("If you receive a text asking you to click the link to claim a bursary, delete it."),
        allows("Check your inbox and click the link to confirm your place"),
        flags("Questions? Email admissions or click here to apply"),
        allows("Book your place via the link in today's email"),
        allows("Our brand-new library book swap is here"),
        allows("Staff are running a 5k for Children in Need. Sponsor them via the link on our website."),
        allows("Want to know more about funded courses? Fill in our quick form 👉 https://forms.gle/abc123"),
        allows("What's your top revision tip? Tell us below 👇"),
        allows("Check out our new minibus, it's finally here!"),
        allows("Applications are open, click here to apply: https://www.gov.uk/apply-apprenticeship"),
        allows("Our open day is on Saturday: book at reception or on our website"),
    ),
)
def missing_link(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    folded = a.text.folded
    if a.has("link") or "bio" in folded:
        return
    m = DANGLING_LINK.search(a.text.original) if ENDS_AWAITING_LINK.search(folded[-12:]) else None
    if not m and not a.post.media:
        # "Fill in our quick form 👉" and nothing after it. The arrow ends the post, so only the end
        # is searched: over the whole of a long run without spaces the pattern takes seconds.
        tail = len(a.text.original) - ARROW_TAIL
        m = POINTS_AT_NOTHING.search(a.text.original, max(tail, 0))
    if not m and ("link" in folded or "click" in folded):
        m = PROMISED_LINK.search(a.text.original)
        if m and "the link" in m.group(0).casefold() and SAYS_WHERE_THE_LINK_IS.search(folded):
            m = None  # "the link" is the one in the email or the text ("click here" still needs one)
    if m:
        yield Flag(m.start(), m.end(), f"'{m.group(0)}' but the post has no link")


TEXT_SPEAK = re.compile(
    r"(?<![\w/.@#-])(?:(?i:gr8|2moro|2morrow|2day|2nite|tmrw|tmr|cu|c u|l8r|b4|4ever|pls|plz|thx|ppl|coz|cuz|u r|ur|"
    r"lol|omg|wot|innit|gonna|wanna|dont|cant|wont)|u|r)(?![\w&'’/@-]|\.\w)"
)
# "u" and "r" count in lower case only ("Unit U", "R&D" and the R language are not text speak), and
# no word counts inside a link, a handle or a hashtag.


STRONG_TEXT_SPEAK = frozenset(
    {"gr8", "2moro", "2morrow", "2day", "2nite", "l8r", "b4", "4ever", "thx", "plz", "u r"}
)


@rule(
    code="QL005",
    name="text-speak",
    clause="5.1",
    category="quality",
    severity=Severity.REVIEW,
    what="An organisational post in text speak or without basic punctuation: 'gr8 news, cu 2moro lol', "
    "'dont forget ok' (one unmistakable text-speak word such as gr8 or 2moro, or two others).",
    why="Section 5.1: communications must be of high quality, grammatically correct and appropriate for "
    "the audience; the Do's ask for a professional tone.",
    instead="Write it out in full sentences ('Great news: see you at the open day tomorrow').",
    examples=(
        flags("hey guys gr8 news, cu @ open day 2moro lol"),
        flags("the thing is on tmrw dont forget ok"),
        flags("congrats 2 all r learners, u smashed it!!!"),
        allows("Unit U of the R&D module covers statistics in R"),
        allows("Great news: see you at the open day tomorrow!"),
    ),
)
def text_speak(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if a.post.account != ORGANISATIONAL:
        return
    found = TEXT_SPEAK.findall(a.text.original)
    if len(found) >= 2 or any(f.casefold() in STRONG_TEXT_SPEAK for f in found):
        m = TEXT_SPEAK.search(a.text.original)
        assert m is not None
        yield Flag(m.start(), m.end(), f"text speak ({', '.join(found[:4])}) is not the organisation's voice")


@rule(
    code="QL006",
    needs=("lexicon:misspelling",),
    name="misspelling",
    clause="5.1",
    category="quality",
    severity=Severity.REVIEW,
    what="Frequent misspellings and confusions in an organisational post, from the pack's misspelling "
    "lexicon: words ('congradulations', 'recieve') and grammar slips ('your an', 'could of', "
    "'we is', 'they was', 'there results', 'open's', 'its been', 'it were lovely'); an apostrophe typed "
    "as ’ counts as ' ('celebrating it’s').",
    why="Section 5.1: communications must be of high quality and grammatically correct.",
    instead="Correct the spelling; read the post aloud before publishing.",
    examples=(
        flags("Congradulations to all our learners!"),
        flags("We is very happy to annouce our new courses"),
        flags("They was brilliant at the regional finals and its been a great year"),
        flags("Our new canteen open's on Monday"),
        flags("Our Bradford centre is celebrating it’s fifth birthday this week 🎂"),
        allows("Thank you for your amazing support at our open day"),
        allows("It's results day! Good luck to all our learners"),
        allows("Congratulations to all our learners!"),
        allows("The college and its learners have had a great year"),
    ),
)
def misspelling(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if a.post.account != ORGANISATIONAL:
        return
    # Every slip, not only the first: a writer fixing one would otherwise meet the next on resubmitting.
    end = -1
    for hit in sorted(a.get("lexicon:misspelling"), key=lambda h: (h.start, -h.end)):
        if hit.start >= end:  # overlapping entries ('its been', 'its') count once
            yield Flag(hit.start, hit.end, f"'{quoted(a, hit)}' looks misspelt")
            end = hit.end


# Two unknown words are enough to report; one only when a frequent word is one edit away (the
# detector's suggestion). Chosen on training/data/spelling_posts.jsonl (see training/check_spelling.py).
MIN_UNKNOWN_WORDS = 2


@rule(
    code="QL010",
    needs=("spelling:unknown",),
    name="spelling",
    clause="5.1",
    category="quality",
    severity=Severity.REVIEW,
    what="Words of an organisational post that no English dictionary knows: two or more, or one that is "
    "a letter away from a common word ('oppertunities', 'wonderfull', 'Becuase'). Names, places, "
    "acronyms, handles, hashtags, links, quotations and the sector's words (the pack's spelling_known "
    "lexicon: Ofsted, BTEC, T-levels, wellbeing) are not checked; British spellings are known.",
    why="Section 5.1: communications must be of high quality and grammatically correct; a misspelt post "
    "goes out under the organisation's name.",
    instead="Correct the words suggested; if a word is right (a sector term), ask the Quality Director to "
    "add it to the pack's spelling_known lexicon.",
    examples=(
        flags("Our new course in teh study of buisness managment starts in septmber"),
        flags("Enrolment is now open for our new plumbing cources"),
        flags("Becuase of the snow all our campuses are closed today", note="a misspelt first word"),
        allows("Enrolment is now open for our new plumbing courses"),
        allows("Our colour-coded programme guide is at the centre's reception: enrol by Friday"),
        allows("Amira from Wigan won the BTEC award at Ofsted-rated outstanding @OldhamCollege #proud"),
        allows("Kayden starts his Level 2 barbering course on Monday"),
        allows("Our apprenticeship hub has UCAS, SEND and EHCP advice for every learner's wellbeing"),
        allows("Gr8 Expectations: our drama learners' take on Dickens opens Friday"),
        allows("Thier going to love it", account=PERSONAL),
    ),
)
def spelling(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if a.post.account != ORGANISATIONAL:
        return
    listed = a.get("lexicon:misspelling")  # QL006 already names these
    if listed:
        named_already = {p for m in listed for p in range(m.start, m.end)}
        words = [h for h in a.get("spelling:unknown") if h.start not in named_already]
    else:
        words = a.get("spelling:unknown")
    if len(words) < MIN_UNKNOWN_WORDS and not any(h.detail for h in words):
        return
    text = a.text.original
    named = ", ".join(
        f"'{quoted(a, h)}' ({_as_written(quoted(a, h), h.detail)}?)" if h.detail else f"'{quoted(a, h)}'"
        for h in words[:5]
    )
    fix = text
    for h in reversed(words):
        if h.detail:
            fix = fix[: h.start] + _as_written(quoted(a, h), h.detail) + fix[h.end :]
    yield Flag(
        words[0].start,
        words[0].end,
        f"{named} {'looks' if len(words) == 1 else 'look'} misspelt",
        fix=fix if fix != text else "",
    )


def _as_written(word: str, correction: str) -> str:
    return correction.capitalize() if word[:1].isupper() else correction


EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")


@rule(
    code="QL007",
    name="emoji-overload",
    clause="5.1",
    category="quality",
    severity=Severity.REVIEW,
    what="An organisational post that is mostly emoji (ten or more, outnumbering the words).",
    why="Section 5.1: communications must be of high quality and appropriate for the audience; screen "
    "readers read every emoji aloud.",
    instead="Keep one or two emoji and say it in words.",
    examples=(
        flags("🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉 results 🎉🎉🎉🎉"),
        allows("Results day! 🎉 Well done everyone 👏"),
    ),
)
def emoji_overload(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    text = a.text.original
    if a.post.account != ORGANISATIONAL or len(text) < 10:
        return
    emoji = len(EMOJI.findall(text))
    if emoji >= 10 and emoji > len(text.split()):
        yield Flag(0, len(text), f"{emoji} emoji: say it in words")


PILED_UP = re.compile(r"[!?]{6,}")
# Smaller piles that add up ("results day???? We are!!!! See you there!!!"), and trailing dots
# after every phrase ("Free CV workshop..... this Wednesday.....").
PILE = re.compile(r"[!?]{3,}")
TRAILING_DOTS = re.compile(r"(?:\.{4,}|…{2,})")
PILED_IN_ALL = 9
# Thanks and cheers said twice or thrice on purpose ("Thank you! Thank you! Thank you!").
SAID_AGAIN_ON_PURPOSE = frozenset(
    f"{word}!"
    for word in (
        "thank you", "thanks", "thank you so much", "congratulations", "congrats", "well done", "bravo",
        "hooray", "hurray", "woohoo", "wow", "go team", "happy birthday", "thank you all", "thanks all",
    )
)  # fmt: skip
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@rule(
    code="QL009",
    name="sloppy-post",
    clause="5.1",
    category="quality",
    severity=Severity.REVIEW,
    what="An organisational post that repeats itself or piles up punctuation ('Apply now. Apply now.', "
    "'!!!!!!!!', 'results day???? We are!!!! See you there!!!', 'workshop..... Wednesday.....').",
    why="Section 5.1: communications must be of high quality and appropriate for the audience.",
    instead="Say it once, with one exclamation mark at most.",
    examples=(
        flags("Congrats all!!!!!!!!!!!!"),
        flags("Apply now for our course. Apply now. Apply now."),
        flags("Who's ready for results day???? We are!!!! See you at 10am!!!"),
        flags("Free CV workshop..... this Wednesday..... 1pm..... all welcome"),
        allows("Congratulations, everyone!"),
        allows("Results day!!! Well done to every one of you!", note="one pile of three"),
        allows("And the winner is.... Amira! 🏆"),
        allows(
            "Thank you! Thank you! Thank you! What a night at the awards 🏆", note="thanks said on purpose"
        ),
        flags("Apply now! Apply now! Places are limited"),
    ),
)
def sloppy(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if a.post.account != ORGANISATIONAL:
        return
    text = a.text.original
    m = PILED_UP.search(text)
    piles = PILE.findall(text) if "!!!" in text or "??" in text else []
    if m or sum(len(p) for p in piles) >= PILED_IN_ALL:
        m = m or PILE.search(text)
        assert m is not None
        yield Flag(m.start(), m.end(), "piled-up punctuation looks careless")
        return
    if ("...." in text or "……" in text) and len(TRAILING_DOTS.findall(text)) >= 2:
        m = TRAILING_DOTS.search(text)
        assert m is not None
        yield Flag(m.start(), m.end(), "dots after every phrase look careless")
        return
    # The same sentence twice in a row ("Apply now. Apply now."); split once, no backtracking.
    sentences = [x.strip().casefold() for x in SENTENCE_END.split(text)]
    for first, second in pairwise(sentences):
        if len(first) >= 5 and first == second and first not in SAID_AGAIN_ON_PURPOSE:
            yield Flag(0, len(text), f"'{first}' is repeated")
            return


OPENING_QUOTE = re.compile(r"^\s*[\"“‘']([^\"”’]{12,120})[\"”’']")
QUOTE_CREDIT = re.compile(
    r"\b(?:said|says|wrote|writes|according to|via|source|credit|quoted?|described|in the words of)\b|@\w|"
    r"[—–-]\s*[A-Z][a-z]+",
)


@rule(
    code="CP004",
    name="uncredited-caption-quote",
    clause="Do's",
    category="copyright",
    severity=Severity.REVIEW,
    what="An organisational post that opens with a quotation (a lyric, a slogan, someone's words) and never "
    "says whose it is.",
    why="The Do's: acknowledge the author; 5.2: consider copyright before using others' words, including "
    "song lyrics.",
    instead="Say who wrote or said it, or put it in your own words.",
    examples=(
        flags('"We are the champions, my friends" 🏆 Results day vibes!'),
        allows('"I never thought I could do it" – Amira, Level 3 graduate'),
    ),
)
def uncredited_caption(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if a.post.account != ORGANISATIONAL:
        return
    text = a.text.original
    m = OPENING_QUOTE.match(text)
    if m and not QUOTE_CREDIT.search(text[m.end() :]) and not QUOTE_CREDIT.search(text[: m.start()]):
        yield Flag(m.start(), m.end(), "a quotation without whose words they are")
