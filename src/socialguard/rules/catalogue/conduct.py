"""Conduct on social media (5.2, the Do's and Don'ts): abuse, discrimination, harassment,
disparagement, politics and religion, chain mail, grievances, controversy and quality."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from socialguard.rules.catalogue import WARNING_AFTER, Flag, allows, flags, lexicon_flags, rule
from socialguard.rules.model import AccountKind, Severity
from socialguard.rules.text import too_short_to_learn_from

if TYPE_CHECKING:
    from socialguard.rules.analysis import Analysis
    from socialguard.rules.compiled import CompiledContext

# Fixed, documented classifier thresholds (chosen on TweetEval validation, never on test data).
HATE_THRESHOLD = 0.8
TARGETED_OFFENSIVE_THRESHOLD = 0.6
NEGATIVE_THRESHOLD = 0.7

SECOND_PERSON = re.compile(r"\b(?:you|your|you're|youre|ur|u|yourself)\b", re.I)
MENTION = re.compile(r"(?<!\w)@\w{2,}")


def _whole(a: Analysis) -> tuple[int, int]:
    return 0, len(a.text.original)


# Pointing at someone without naming them: "this guy", "that learner", "someone from my class".
POINTED = re.compile(
    r"\b(?:this|that|these|those) (?:guy|girl|lad|bloke|woman|man|kid|learner|student|apprentice|colleague|"
    r"loser|idiot|clown|muppet)s?\b|\b(?:from|in) my (?:class|group|team|department)\b|\bsome people\b",
    re.I,
)


def targeted(a: Analysis) -> bool:
    """Aimed at someone: addressed to 'you', an @mention, a reply, pointing at someone ("this guy",
    "someone in my class"), or naming staff or learners."""
    text = a.text.original
    return bool(
        a.post.is_reply
        or a.post.is_direct_message
        or SECOND_PERSON.search(text)
        or MENTION.search(text)
        or POINTED.search(text)
        or a.has("name:staff", "name:learner", "name:past_learner", "name:guardian")
    )


@rule(
    code="OF001",
    needs=("lexicon:profanity",),
    name="profanity",
    clause="5.2",
    category="offensive",
    severity=Severity.BLOCK,
    what="Swearing, obscene or abusive words, including disguised spellings (f.u.c.k, sh1t, fuuuck, s/h/i/t).",
    why="Section 5.2 forbids creating or exchanging abusive or obscene content, and the Don'ts forbid "
    "offensive content; disguising a word does not change what it says.",
    instead="Say it without the word.",
    examples=(
        flags("What a f.u.c.k.i.n.g mess"),
        flags("This is sh1t"),
        flags("Enrolment week is s/h/i/t", "letters split by slashes"),
        allows("Tutors and/or assessors, w/c 5 May"),
        flags("Bloody hell, Monday again"),
        flags("Monday 🖕", "an emoji can be as offensive as a word"),
        allows("Scunthorpe United won 2-0"),
        allows("Blue tits and great tits on the eco-club's feeder 🐦", note="the base pack's [allow]: birds"),
        flags("Nice tits 😏"),
        allows("Assessment week starts on Monday"),
    ),
)
def profanity(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    yield from lexicon_flags(a, "lexicon:profanity", message="offensive word '{word}'")


@rule(
    code="OF002",
    name="offensive-tone",
    clause="Don'ts",
    category="offensive",
    severity=Severity.REVIEW,
    what="Text our offensive-language classifier judges offensive, even without a listed word (insults, "
    "sneering, crude language). The cut-off is the one its accuracy was measured at (in the models' "
    "metadata.json, chosen on TweetEval validation); the message gives the score.",
    why="The Don'ts forbid derogatory or offensive content. Lists of words miss most of it, so a model "
    "trained on labelled tweets (TweetEval offensive) reads the whole post.",
    instead="Rephrase respectfully; if you are angry, come back to it later (5.2).",
    examples=(
        flags("you are a disgusting pathetic idiot and everyone hates you"),
        allows("Thank you to everyone who came to our open day!"),
    ),
    scores=("offensive",),
    scores_unless=("lexicon:profanity",),
)
def offensive_tone(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if a.has("lexicon:profanity"):
        return  # OF001 flags the word itself
    if not a.post.is_reply and too_short_to_learn_from(a.post.text):
        return  # "a" scored 0.87: too little for the model to read (as for the learned rules)
    s = a.scores
    if s is not None and s.is_offensive:
        cut = s.offensive_threshold
        yield Flag(*_whole(a), f"reads as offensive (score {s.offensive:.2f}; flagged from {cut:.2f})")


@rule(
    code="DI001",
    needs=("lexicon:slur",),
    name="derogatory-term",
    clause="5.2",
    category="discrimination",
    severity=Severity.BLOCK,
    what="Slurs and derogatory terms about protected characteristics (race, religion, sex, sexual "
    "orientation, gender reassignment, disability, age).",
    why="Section 5.2 forbids discriminating against staff, learners, employers or third parties, and "
    "posting discriminatory or derogatory content.",
    instead="Remove the term. If you meant to discuss discrimination, describe it without repeating slurs.",
    examples=(
        flags("stop being such a retard"),
        allows("We are proud to be a Disability Confident employer"),
    ),
)
def derogatory(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    yield from lexicon_flags(a, "lexicon:slur", message="derogatory term '{word}'")


@rule(
    code="DI002",
    name="hateful-content",
    clause="5.2",
    category="discrimination",
    severity=Severity.REVIEW,
    what=f"Text our hate-speech classifier scores at {HATE_THRESHOLD} or more (hostility towards a group, "
    "e.g. immigrants or women).",
    why="Section 5.2 forbids discriminatory content and breaching the equality and diversity policy.",
    instead="Remove it; speak about people as individuals, with respect.",
    examples=(
        flags("send them all back, these illegal immigrants are invading our country"),
        allows("Welcome to our new learners from across Greater Manchester"),
    ),
    scores=("hate",),
)
def hateful(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    s = a.scores
    if s is not None and s.hate is not None and s.hate >= HATE_THRESHOLD:
        yield Flag(*_whole(a), f"reads as hostile towards a group (score {s.hate:.2f})")


@rule(
    code="HA001",
    needs=("lexicon:threat",),
    name="threat",
    clause="5.2",
    category="harassment",
    severity=Severity.BLOCK,
    what="Threats of violence or harm, and phrases that bully ('kill yourself', 'watch your back').",
    why="Section 5.2 forbids harassing or bullying staff and breaching the harassment and bullying policy; "
    "threats can also be criminal (Malicious Communications Act 1988).",
    instead="Do not post it. If someone is threatening you, report it to the senior management team.",
    examples=(
        flags("watch your back tomorrow"),
        flags("I'll kill you if you do that again"),
        flags(
            "Whoever grassed me up to my manager, enjoy looking over your shoulder",
            account=AccountKind.PERSONAL,
        ),
        allows("This workshop will kill two birds with one stone"),
        allows("Check your mirrors and look over your shoulder before you pull out", note="driving lesson"),
        allows("We'll find you the right course: talk to our advisers on Saturday"),
        allows("Don't leave it too late and regret it: enrol by Friday"),
        allows("Last warning: enrolment closes at 5pm today!"),
    ),
)
def threat(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    yield from lexicon_flags(a, "lexicon:threat", message="threatening phrase '{word}'")


@rule(
    code="HA002",
    name="targeted-insult",
    clause="5.2",
    category="harassment",
    severity=Severity.REVIEW,
    what="An insult aimed at a person: addressed to 'you', an @mention, a reply, or naming a colleague or "
    f"learner, with an insulting word or an offensive score of {TARGETED_OFFENSIVE_THRESHOLD} or more.",
    why="Section 5.2 forbids harassing or bullying; 5.4 lets anyone bullied by a colleague's post report it.",
    instead="Talk to the person directly and calmly, or raise it with your line manager.",
    examples=(
        flags("@jo_smith you absolute clown"),
        flags("Tom Bradley is a useless idiot"),
        flags("look at this loser from my class trying to present", account=AccountKind.PERSONAL),
        flags("@kyle_b you can get lost"),
        flags("@kyle_b if you get lost, nobody would miss you"),
        allows("What a clown show at the circus tonight"),
        allows("Welcome week! @sam_reception is on the front desk if you get lost on your first day"),
    ),
    scores=("offensive",),
    scores_unless=("lexicon:insult", "lexicon:profanity"),
)
def targeted_insult(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    insults = a.get("lexicon:insult")
    s = None if insults or a.has("lexicon:profanity") else a.scores  # the word decides, not the score
    offensive = s is not None
    offensive = offensive and s.offensive >= TARGETED_OFFENSIVE_THRESHOLD  # type: ignore[union-attr]
    if not (insults or offensive) or not targeted(a):  # the cheap tests first
        return
    yield from lexicon_flags(a, "lexicon:insult", message="insult '{word}' aimed at a person")
    if offensive:
        yield Flag(*_whole(a), f"offensive (score {s.offensive:.2f}) and aimed at a person")  # type: ignore[union-attr]


@rule(
    code="DP001",
    needs=("name:organisation", "name:staff", "name:learner", "name:past_learner"),
    name="disparaging-organisation",
    clause="5.2",
    category="disparagement",
    severity=Severity.REVIEW,
    what="Negative statements about the organisation, its staff or its learners: a name from the register "
    f"or the organisation's names with disparaging words, or a negative-sentiment score of "
    f"{NEGATIVE_THRESHOLD} or more.",
    why="Section 5.2 forbids defamatory or disparaging statements about the organisation, its staff, "
    "learners and their employers; the Don'ts forbid bringing it into disrepute.",
    instead="Raise concerns internally. If you must criticise, do it politely and factually (Personal use).",
    examples=(
        flags("DMM is a total joke, worst training provider ever"),
        allows("Proud to work at DMM, great results this year"),
        allows(
            "Scam alert: fake adverts are offering 'free DMM apprenticeships' for a fee. We never charge."
        ),
        allows("We are deeply saddened by the death of Tom Bradley, who taught at DMM for 20 years"),
        allows("Sorry, the DMM website is down again today and enrolments are failing. We're fixing it."),
        allows(
            "Worried about abuse, exploitation or bullying? Talk to Tom Bradley, our Designated Safeguarding "
            "Lead, in confidence. You won't be in trouble. In an emergency call 999."
        ),
        flags(
            "Worried about bullying? Don't bother telling Tom Bradley, our safeguarding lead, he's useless"
        ),
        flags("DMM apologises: our tutors are useless and the whole place is a joke"),
        flags("Don't bother going to Tom Bradley about bullying, he's the laziest tutor in the building"),
    ),
    scores=("sentiment",),
)
def disparaging(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    named = a.get("name:organisation", "name:staff", "name:learner", "name:past_learner")
    if not named:
        return
    text = a.text.original
    words = [w for w in a.get("lexicon:disparaging") if not WARNING_AFTER.match(text, w.end)]
    s = a.scores
    negative = s.negative if s is not None and s.negative is not None else 0.0
    if not words and a.has("lexicon:condolence", "lexicon:signposting"):
        # Sadness at a death or illness, and a safeguarding message's worry ("if you're worried about
        # abuse, talk to our Designated Safeguarding Lead, Rachel Moore") read as negative sentiment,
        # not disparagement of the person named.
        negative = 0.0
    if (
        not words
        and a.post.account == AccountKind.ORGANISATIONAL
        and not a.has("name:staff", "name:learner", "name:past_learner")
    ):
        # The organisation's own account naming only itself, with no disparaging word: a warning or an
        # apology ("scam alert: criminals are sending fake texts", "sorry, our site is down") reads as
        # negative without running anyone down. (A rogue "DMM is a shambles" from its own account
        # passes this rule; "DMM apologises: our tutors are useless" does not.)
        negative = 0.0
    if words or negative >= NEGATIVE_THRESHOLD:
        first = named[0]
        detail = (
            f"'{a.text.original[words[0].start : words[0].end]}'"
            if words
            else f"negative (score {negative:.2f})"
        )
        yield Flag(first.start, first.end, f"{detail} about '{a.text.original[first.start : first.end]}'")


# A party the lexicon does not list, by its name ("I've joined the Reclaim Party"), and telling
# others how to vote without naming a party ("vote accordingly", "urge colleagues to vote against").
PARTY_JOINED = re.compile(
    r"\b(?:join(?:ed|ing)?|member of|vote for|voting for|support(?:ing)?|backing|campaigning for) "
    r"(?:the )?(?:[A-Z][\w'-]+ ){1,3}Party\b"
)
VOTE_AS_TOLD = re.compile(
    r"\bvote accordingly\b|\b(?:urge|encourage|ask|beg|tell)(?:s|d|ed|ing)? (?:every|all|each|my|our|you|"
    r"colleagues|everyone|staff|learners)\b[^.!?\n]{0,60}?\bto vote (?:for|against|them out|accordingly)\b",
    re.I,
)


@rule(
    code="PR001",
    name="political-promotion",
    clause="5.2",
    category="politics-religion",
    severity=Severity.REVIEW,
    what="Promoting a political party, campaign or social group ('vote for', 'join', party names).",
    why="Section 5.2: do not promote political or social groups which are not aligned to the organisation.",
    instead="Keep party politics off accounts connected with work.",
    examples=(
        flags("Vote Labour on Thursday!"),
        flags("Everyone should join Reform UK"),
        allows("Remember to register to vote: gov.uk/register-to-vote"),
        flags(
            "Thanks to Councillor Jenny Marsh for visiting! Make sure you re-elect her, she's got our vote"
        ),
        flags("This is why I've joined the Reclaim Party, and I'd urge colleagues to do likewise."),
        flags("Think about what five more years of this government would mean, and vote accordingly."),
        allows("We urge every eligible learner to vote: register at gov.uk/register-to-vote"),
        allows("Our Christmas Party is on Friday: vote for your favourite jumper at reception!"),
    ),
)
def political(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if a.has("lexicon:political_promotion"):
        yield from lexicon_flags(
            a, "lexicon:political_promotion", message="promotes a political group: '{word}'"
        )
        return
    text = a.text.original
    if "Party" not in text and "vote" not in a.text.folded:
        return  # most posts: neither regex can match
    m = PARTY_JOINED.search(text) or VOTE_AS_TOLD.search(text)
    if m:
        yield Flag(m.start(), m.end(), f"promotes a political group: '{m.group(0)}'")


@rule(
    code="PR002",
    needs=("lexicon:inflammatory",),
    name="inflammatory-topic",
    clause="5.2",
    category="politics-religion",
    severity=Severity.ADVICE,
    what="Topics that are often inflammatory: party politics, religion, abortion, immigration debates.",
    why="Section 5.2: avoid discussing topics that may be inflammatory, such as politics or religion.",
    instead="Consider whether the post needs to touch on it; keep it factual and balanced if it does.",
    examples=(flags("Thoughts on the Brexit mess?"), allows("Thoughts on the new apprenticeship levy?")),
)
def inflammatory(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    yield from lexicon_flags(a, "lexicon:inflammatory", message="'{word}' is often an inflammatory topic")


# "There's a fake 'copy and paste' message going round. It's a hoax, please don't share it" warns
# people off; chain mail says it is "NOT a hoax" and asks to be passed on.
HOAX = re.compile(
    r"(?<!not )(?<!not a )(?<!not an )(?<!n't )(?<!n't a )(?<!n't an )\b(?:hoax|fake|scam|not true|isn't true|"
    r"is false)\b",
    re.I,
)
DONT_PASS_ON = re.compile(
    r"\b(?:don'?t|do not|never|please don'?t) (?:share|forward|copy|pass|repost|send) (?:it|this|them|that|on)\b"
    r"|\b(?:please )?ignore (?:it|this|them)\b|\bdelete (?:it|this|them)\b",
    re.I,
)


def hoax_warning(text: str) -> bool:
    """The post calls something a hoax and asks people not to pass it on."""
    return bool(HOAX.search(text) and DONT_PASS_ON.search(text))


@rule(
    code="CM001",
    needs=("lexicon:chain_mail", "lexicon:chain_extra"),
    name="chain-mail-or-gossip",
    clause="5.2",
    category="chain-mail",
    severity=Severity.REVIEW,
    what="Chain mail ('share with 10 friends'), junk mail, jokes and gossip.",
    why="Section 5.2: do not post, upload, forward or link to chain mail, junk mail, cartoons, jokes or gossip.",
    instead="Leave it out of work-related accounts.",
    examples=(
        flags("Share this with 10 friends or bad luck follows!"),
        flags("Did you hear about Jo and the new manager? 👀"),
        flags("Tag 10 teachers who deserve a medal and they have to do the same!"),
        flags("Microsoft will pay you £5 for every share of this post!"),
        allows("Share your feedback on our new course here"),
        allows("Please share with anyone who might like our open day"),
        allows(
            "Heads up 👀 there's a fake 'copy and paste' message going round saying Facebook will make your "
            "photos public. It's a hoax, please don't share it 🙅"
        ),
        flags("This is NOT a hoax!! Copy and paste this to your wall, don't just share it"),
        flags("This is not a hoax, so don't ignore it: copy and paste this to your wall"),
    ),
)
def chain_mail(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if hoax_warning(a.text.original):
        return  # a warning about the chain mail, not the chain mail
    yield from lexicon_flags(
        a,
        "lexicon:chain_mail",
        "lexicon:chain_extra",
        message="reads like chain mail, a joke or gossip: '{word}'",
    )


@rule(
    code="GR001",
    needs=("lexicon:grievance",),
    name="internal-grievance",
    clause="Don'ts",
    category="grievance",
    severity=Severity.REVIEW,
    what="Airing internal grievances: complaints about pay, managers, workload, HR or colleagues.",
    why="The Don'ts: don't use social media to air internal grievances.",
    instead="Use the grievance procedure or talk to your line manager; 5.4 explains how to report bullying.",
    examples=(
        flags("My manager is impossible and we're so underpaid here"),
        allows("Our managers are running a workshop on pay and progression"),
        # Careers advice is what a training provider posts (the base pack's [allow]).
        allows("Free webinar with our careers coach: perfect if you're new to job hunting"),
        flags("Job hunting again, my manager is impossible", account=AccountKind.PERSONAL),
    ),
)
def grievance(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    yield from lexicon_flags(a, "lexicon:grievance", message="sounds like an internal grievance: '{word}'")


# Calling for someone to go: "add our voice to those calling for the Chief Inspector's resignation".
CALL_TO_RESIGN = re.compile(
    r"\b(?:call(?:s|ed|ing)? for|demand(?:s|ed|ing)?|urg(?:e|es|ed|ing))\b[^.!?\n]{0,50}?\bresign(?:ation)?\b"
    r"|\b(?:must|should|needs? to|has to|have to) (?:now )?(?:resign|step down|go)\b(?! (?:home|to|out|on|back))",
    re.I,
)


@rule(
    code="CT001",
    name="needs-senior-check",
    clause="Do's",
    category="controversial",
    severity=Severity.REVIEW,
    what="An organisational post touching a controversial subject (politics, religion, a crisis, legal "
    "matters, adverse criticism) that a senior leader should check before it is published.",
    why="The Do's: check with a senior leader before publishing content that may have controversial "
    "implications; 5.1: do not respond to adverse criticism without SMT's express approval.",
    instead="Send it for approval by a senior leader.",
    examples=(
        flags("Our statement on the tribunal claim against DMM"),
        allows("Our response to the Brexit debate", account=AccountKind.PERSONAL),
        allows("Applications for our March cohort are open"),
        flags("We'd also add our voice to those calling for the Chief Inspector's resignation."),
        allows("Sam's resignation from the board takes effect today; we thank her for six years"),
    ),
)
def needs_senior_check(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if a.post.account != AccountKind.ORGANISATIONAL:
        return
    hits = a.get("lexicon:controversial", "lexicon:inflammatory", "lexicon:political_promotion")
    if hits:
        h = hits[0]
        yield Flag(
            h.start,
            h.end,
            f"'{a.text.original[h.start : h.end]}' may be controversial: a senior leader should check",
        )
    elif "resign" in a.text.folded or "step down" in a.text.folded:
        m = CALL_TO_RESIGN.search(a.text.original)
        if m:
            yield Flag(
                m.start(), m.end(), f"'{m.group(0)}' may be controversial: a senior leader should check"
            )


CAPS_WORD = re.compile(r"\b[A-Z]{3,}\b")
LETTERS = re.compile(r"[A-Za-z]")
UPPER = re.compile(r"[A-Z]")


@rule(
    code="QL001",
    name="shouting",
    clause="5.1",
    category="quality",
    # Review, not advice: a post in capitals goes out under the organisation's name (5.1, issue 15).
    severity=Severity.REVIEW,
    what="Writing mostly in capital letters, which reads as shouting.",
    why="Section 5.1 asks for communications of high quality, appropriate for the audience; the Do's ask "
    "for an appropriate and professional tone.",
    instead="Use sentence case; emphasise one word at most.",
    examples=(
        flags("THIS IS NOT ACCEPTABLE AT ALL"),
        allows("Join our NHS and DWP partners at the CIPD event"),
    ),
)
def shouting(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    text = a.text.original
    if len(CAPS_WORD.findall(text)) < 3:
        return
    letters = len(LETTERS.findall(text))
    if letters >= 12:
        upper = len(UPPER.findall(text))
        if upper / letters > 0.7:
            yield Flag(0, len(text), "mostly capital letters reads as shouting", fix=text.capitalize())


@rule(
    code="QL002",
    needs=("lexicon:american",),
    name="american-spelling",
    clause="5.1",
    category="quality",
    severity=Severity.ADVICE,
    what="American spellings where British English is expected (organization, color, program for a course).",
    why="Section 5.1 asks that communications be of high quality and grammatically correct; a UK "
    "organisation writes British English.",
    instead="Use the British spelling suggested.",
    examples=(flags("Our organization is hiring"), allows("Our organisation is hiring")),
)
def american_spelling(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    for hit in a.get("lexicon:american"):
        british = c.spellings.get(hit.value, "")
        word = a.text.original[hit.start : hit.end]
        fixed = british.capitalize() if word[:1].isupper() else british
        yield Flag(
            hit.start,
            hit.end,
            f"'{word}' is American spelling; British: '{fixed}'",
            fix=(a.text.original[: hit.start] + fixed + a.text.original[hit.end :]) if british else "",
        )


HEATED_PUNCTUATION = re.compile(r"[!?]{3,}|\?!|!\?")


@rule(
    code="QL003",
    name="heated-tone",
    clause="5.2",
    category="quality",
    severity=Severity.ADVICE,
    what="Signs of a heated exchange: angry words, piled-up !!! or ?!.",
    why="Section 5.2: do not escalate heated discussions; never contribute when angry or upset; be "
    "conciliatory and quote facts.",
    instead="Wait until you are calm, then reply with facts, politely.",
    examples=(flags("This is absolutely ridiculous!!!"), allows("This is an absolutely brilliant result!")),
)
def heated(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    words = a.get("lexicon:heated")
    punct = HEATED_PUNCTUATION.search(a.text.original)
    if words:
        yield Flag(
            words[0].start, words[0].end, f"'{a.text.original[words[0].start : words[0].end]}' sounds heated"
        )
    elif punct and (a.post.is_reply or targeted(a)):
        yield Flag(punct.start(), punct.end(), "piled-up punctuation sounds heated")
