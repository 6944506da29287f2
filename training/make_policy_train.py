# ruff: noqa: E501, RUF001 (templates and word lists: long lines and typographic dashes are the data)
"""Write training/data/policy_train.jsonl: the learned policy detector's own training posts.

    .venv/bin/python training/make_policy_train.py

The posts are the hand-written ones in training/policy_train_text.py (one "core" each), each in
a few registers: as written, casual (lower case, no apostrophes, "ngl", "tbh"), with typos, with
hashtags or emoji, a LinkedIn-style longer version, a reply. People, organisations and places are
filled in from lists. Ordinary posts also come from templates with slot fillers (results days,
inspections, awareness weeks, fundraisers, job adverts, condolences, festivals, events,
webinars), as a part, not the whole. Every row's `note` names its core (`group`), so that
cross-validation in train_policy.py keeps all variants of one post in one fold.

Deterministic (a fixed seed): running it again writes the same file.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from policy_train_more import EXTRA_BREACHES, EXTRA_NEAR_MISSES
from policy_train_more2 import MORE2_BREACHES, MORE2_NEAR_MISSES
from policy_train_more3 import MORE3_BREACHES, MORE3_NEAR_MISSES
from policy_train_more4 import MORE4_BREACHES, MORE4_NEAR_MISSES
from policy_train_more5 import MORE5_BREACHES, MORE5_NEAR_MISSES
from policy_train_more6 import MORE6_BREACHES, MORE6_NEAR_MISSES
from policy_train_more7 import MORE7_BREACHES, MORE7_NEAR_MISSES
from policy_train_more8 import MORE8_BREACHES, MORE8_NEAR_MISSES
from policy_train_more9 import MORE9_BREACHES, MORE9_NEAR_MISSES
from policy_train_more10 import MORE10_BREACHES, MORE10_NEAR_MISSES
from policy_train_more11 import MORE11_BREACHES, MORE11_NEAR_MISSES
from policy_train_more12 import MORE12_BREACHES, MORE12_NEAR_MISSES
from policy_train_more13 import MORE13_BREACHES, MORE13_NEAR_MISSES
from policy_train_more14 import MORE14_BREACHES, MORE14_NEAR_MISSES
from policy_train_more15 import MORE15_BREACHES, MORE15_NEAR_MISSES
from policy_train_more16 import MORE16_BREACHES, MORE16_NEAR_MISSES
from policy_train_more17 import MORE17_BREACHES, MORE17_NEAR_MISSES
from policy_train_more18 import MORE18_BREACHES, MORE18_NEAR_MISSES
from policy_train_more19 import MORE19_BREACHES, MORE19_NEAR_MISSES
from policy_train_more20 import MORE20_BREACHES, MORE20_NEAR_MISSES
from policy_train_more21 import MORE21_BREACHES, MORE21_NEAR_MISSES
from policy_train_more22 import MORE22_BREACHES, MORE22_NEAR_MISSES
from policy_train_text import (
    BREACHES,
    MORE_BREACHES,
    MORE_NEAR_MISSES,
    NEAR_MISSES,
    ORDINARY,
    ORDINARY_PERSONAL,
)

OUT = Path(__file__).resolve().parent / "data" / "policy_train.jsonl"
SEED = 20261130
# Variants per breach core: enough for ~100 breaches a category from ~25-40 cores.
BREACH_TARGET = 150

NAMES = [
    "Sarah Jenkins",
    "Dave Mitchell",
    "Priya Patel",
    "Tom Hughes",
    "Kerry Walsh",
    "Imran Malik",
    "Joanne Clarke",
    "Steve Barnes",
    "Rachel Green",
    "Marcus Bell",
    "Helen Ward",
    "Gary Lloyd",
    "Aisling Murphy",
    "Chris Evans",
    "Nadia Hussain",
    "Paul Fletcher",
    "Lisa Turner",
    "Mike Dawson",
    "Fatima Begum",
    "Andy Price",
    "Claire Osborne",
    "Rob Kaur",
    "Tina Edwards",
    "Kwame Mensah",
    "Jo",
    "Dave",
    "Karen",
    "Mr Price",
    "Mrs Ahmed",
    "our head of faculty",
]
ORGS = [
    "Northgate Training",
    "Apex Skills Ltd",
    "Riverside College",
    "SkillPath Academy",
    "Brightway Apprenticeships",
    "Castle Care Homes",
    "Metro Motors",
    "Greenfield Nursery",
    "Summit Learning",
    "Harbour Engineering",
    "Elite Hair Studio",
    "the college down the road",
]
PLACES = ["Wigan", "Leeds", "Stockport", "Hull", "Swindon", "Bolton", "Derby", "Luton", "Barnsley", "Crewe"]
HANDLES = ["jen_k88", "davem_work", "kez.walsh", "imran_m", "steveb1979", "lisa_t_teaches"]
EMAILS = ["s.jenkins@riverside.ac.uk", "kerry.w@gmail.com", "tom.hughes@apexskills.co.uk"]

CASUAL_OPEN = ["ngl ", "tbh ", "honestly ", "not gonna lie, ", "lol ", "omg ", "right, ", "so ", "", ""]
CASUAL_CLOSE = [" lol", " tbh", " 🙄", " 😂", " smh", " fr", " 🤷", "", "", " x"]
TAGS = [
    "#FE",
    "#FurtherEducation",
    "#apprenticeships",
    "#teacherlife",
    "#collegelife",
    "#FEfamily",
    "#skills",
    "#staffroom",
    "#mondaymotivation",
    "#fridayfeeling",
]
LINKEDIN_OPEN = [
    "I've been reflecting on this for a while and want to say it publicly.",
    "Something I need to get off my chest after this week.",
    "A quick thought before the weekend.",
    "Controversial post incoming, but someone has to say it.",
    "I don't usually post about work, but here goes.",
]
LINKEDIN_CLOSE = [
    "Agree? Disagree? Let me know in the comments.",
    "Would love to hear others' thoughts.",
    "Rant over. Back to work.",
    "That's all. Have a good weekend everyone.",
    "Feel free to share.",
]
REPLY_OPEN = ["@{handle} ", "Replying to @{handle}: ", "@{handle} @{handle2} "]


def fill(text: str, rng: random.Random) -> str:
    handles = rng.sample(HANDLES, 2)
    return (
        text.replace("{name}", rng.choice(NAMES))
        .replace("{org}", rng.choice(ORGS))
        .replace("{place}", rng.choice(PLACES))
        .replace("{handle}", handles[0])
        .replace("{handle2}", handles[1])
        .replace("{email}", rng.choice(EMAILS))
    )


def typo(text: str, rng: random.Random) -> str:
    """One or two slips a hurried phone typist makes: swapped letters, a dropped letter."""
    words = text.split(" ")
    for _ in range(rng.choice((1, 2))):
        candidates = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
        if not candidates:
            break
        i = rng.choice(candidates)
        w = words[i]
        j = rng.randrange(1, len(w) - 2)
        words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :] if rng.random() < 0.6 else w[:j] + w[j + 1 :]
    return " ".join(words)


def casual(text: str, rng: random.Random) -> str:
    text = text.lower().replace("'", "").replace("’", "")
    text = re.sub(r"[.!]+$", "", text)
    text = text.replace(" you ", " u ").replace(" are ", " r ") if rng.random() < 0.4 else text
    return rng.choice(CASUAL_OPEN) + text + rng.choice(CASUAL_CLOSE)


def variants(text: str, rng: random.Random, n: int) -> list[str]:
    """Up to n distinct versions of one post, the first as written."""
    makers = [
        lambda t: t,
        lambda t: casual(t, rng),
        lambda t: typo(t, rng),
        lambda t: f"{t} {' '.join(rng.sample(TAGS, rng.choice((1, 2, 3))))}",
        lambda t: f"{rng.choice(LINKEDIN_OPEN)}\n\n{t}\n\n{rng.choice(LINKEDIN_CLOSE)}",
        lambda t: fill(rng.choice(REPLY_OPEN), rng) + t,
        lambda t: t.upper() if len(t) < 90 else t,
        lambda t: casual(typo(t, rng), rng),
    ]
    out: list[str] = []
    seen: set[str] = set()
    tries = 0
    while len(out) < n and tries < n * 6:
        maker = makers[0] if not out else rng.choice(makers[1:])
        version = maker(fill(text, rng)).strip()
        tries += 1
        if version and version not in seen:
            seen.add(version)
            out.append(version)
    return out


def account_of(text: str) -> tuple[str, str]:
    if text.startswith("ORG|"):
        return "organisational", text[4:]
    return "personal", text


TEMPLATES: dict[str, tuple[list[str], dict[str, list[str]]]] = {
    "results day": (
        [
            "Results day {emoji} Congratulations to every {course} learner who collected their grades today!",
            "{n}% pass rate for our {course} learners this year. We couldn't be prouder {emoji}",
            "Good luck to everyone collecting {course} results today. Our advisers are in {room} if you need us.",
            "Didn't get the grades you hoped for? Come and talk to us about {course} – there's always a next step.",
        ],
        {},
    ),
    "inspection": (
        [
            "We're pleased to share that Ofsted has rated our {course} provision {grade}.",
            "Inspectors visited our {course} department this week. Thank you to learners and staff for making them welcome.",
            "Our monitoring visit from Ofsted went well: 'significant progress' in {course}. Full report on the Ofsted website.",
            "Read what inspectors said about our {course} apprenticeships in the new report (link in bio).",
            "The inspection team were impressed by our {course} learners' confidence. Thank you all {emoji}",
        ],
        {"grade": ["Good", "Outstanding", "Good with strong features"]},
    ),
    "awareness": (
        [
            "{week} starts today. Visit the stand in {room} for information and support {emoji}",
            "This {week}, our {course} learners have been raising awareness across campus.",
            "For {week}, we're running free lunchtime sessions in {room}. Everyone welcome.",
            "{week}: staff training on {topic} this Thursday in {room}.",
        ],
        {
            "week": [
                "Mental Health Awareness Week",
                "Anti-Bullying Week",
                "Dyslexia Awareness Week",
                "Deaf Awareness Week",
                "Stress Awareness Month",
                "Black History Month",
                "Carers Week",
                "Safer Internet Day",
                "Autism Acceptance Week",
                "Menopause Awareness Day",
                "Neurodiversity Celebration Week",
                "Hate Crime Awareness Week",
            ],
            "topic": [
                "supporting learners with anxiety",
                "spotting the signs of abuse",
                "inclusive teaching",
                "online safety",
                "menopause at work",
                "reasonable adjustments",
            ],
        },
    ),
    "fundraiser": (
        [
            "Our {course} learners raised £{money} for {charity} with a {activity} {emoji}",
            "Thank you! The {activity} raised £{money} for {charity}. Donate at our JustGiving page (link).",
            "Join our {activity} on Friday in aid of {charity}. Every pound helps!",
            "Staff are taking on a {activity} for {charity}. Sponsor them via the link on our website.",
        ],
        {
            "charity": [
                "the local hospice",
                "Children in Need",
                "Macmillan",
                "the food bank",
                "Comic Relief",
                "the air ambulance",
                "Mind",
                "the RNLI",
                "Shelter",
                "Cancer Research UK",
            ],
            "activity": [
                "bake sale",
                "sponsored walk",
                "charity football match",
                "coffee morning",
                "non-uniform day",
                "quiz night",
                "5k fun run",
                "car wash",
                "raffle",
            ],
        },
    ),
    "job advert": (
        [
            "We're hiring: {job}, {hours}. Salary £{salary}. Apply on our website by {date}.",
            "Join our team! We're looking for a {job} ({hours}). Full details and how to apply on our careers page.",
            "Vacancy: {job}. {hours}, £{salary}. Closing date {date}. We welcome applications from everyone.",
        ],
        {
            "job": [
                "Lecturer in Construction",
                "Apprenticeship Assessor",
                "Learning Support Assistant",
                "Receptionist",
                "Curriculum Manager",
                "Safeguarding Officer",
                "IT Technician",
                "Maths Tutor",
                "Careers Adviser",
                "Marketing Officer",
            ],
            "hours": ["full time", "part time", "37 hours a week", "term time only", "22.5 hours a week"],
            "salary": ["24,500", "28,000", "32,750", "41,000", "19,800"],
        },
    ),
    "safeguarding": (
        [
            "If you're worried about a learner's safety or wellbeing, speak to our safeguarding team. Contact details are on our website.",
            "Safeguarding reminder for staff: record any concern on {system} the same day and tell the DSL.",
            "Feeling unsafe at home or online? You can talk to {service} in confidence. We're here too.",
            "All staff have completed their annual safeguarding training this week. Thank you.",
        ],
        {
            "system": ["MyConcern", "CPOMS", "the safeguarding log"],
            "service": [
                "Childline on 0800 1111",
                "Samaritans on 116 123",
                "our student services team",
                "the NSPCC",
            ],
        },
    ),
    "event": (
        [
            "Open evening on {date}, 5-8pm. Tour our {course} workshops and meet the tutors {emoji}",
            "Join us for our {course} taster day on {date}. Free, and lunch is on us!",
            "Our {course} showcase is on {date} in {room}. All welcome.",
            "Employers: come to our apprenticeship breakfast on {date} to meet {course} learners.",
        ],
        {},
    ),
    "condolence": (
        [
            "We are very sad to share the news that {person} has died. Our thoughts are with their family and friends.",
            "Rest in peace, {person}. You made a difference to so many learners here.",
            "Our condolences to the family of {person}, a much-loved member of our {course} team.",
        ],
        {
            "person": [
                "our colleague Anne",
                "former tutor Graham Hall",
                "our governor Dr Susan Webb",
                "our caretaker Ray",
                "long-serving lecturer Mr Ahmed",
            ]
        },
    ),
    "religious festival": (
        [
            "{festival} greetings to all our learners, staff and families celebrating {emoji}",
            "Wishing everyone who is celebrating a happy {festival}!",
            "Happy {festival} from everyone at the college.",
        ],
        {
            "festival": [
                "Eid",
                "Diwali",
                "Christmas",
                "Hanukkah",
                "Vaisakhi",
                "Easter",
                "Passover",
                "Holi",
                "Lunar New Year",
                "Rosh Hashanah",
                "Guru Nanak Jayanti",
                "Navratri",
            ]
        },
    ),
    "webinar": (
        [
            "Free webinar on {date}: {topic}. Register on Eventbrite (link).",
            "Missed our webinar on {topic}? The recording is now on our YouTube channel.",
            "Employers: join our lunchtime webinar about {topic} on {date}.",
        ],
        {
            "topic": [
                "apprenticeship funding",
                "supporting neurodivergent learners",
                "T Levels explained",
                "recruiting your first apprentice",
                "skills bootcamps",
                "wellbeing at work",
            ]
        },
    ),
}
SHARED_SLOTS = {
    "emoji": ["🎉", "👏", "💙", "🌟", "✨", "", "", "🙌"],
    "course": [
        "plumbing",
        "hair and beauty",
        "catering",
        "health and social care",
        "engineering",
        "business",
        "motor vehicle",
        "digital",
        "construction",
        "childcare",
        "A level",
        "ESOL",
    ],
    "room": ["the library", "the main hall", "room B12", "the learning centre", "the atrium"],
    "n": ["92", "97", "100", "88", "95"],
    "money": ["250", "1,200", "640", "3,400", "85"],
    "date": ["Tuesday 4 March", "Saturday 12 October", "Wednesday 21 May", "1 July", "next Thursday"],
}


def template_posts(rng: random.Random, per_topic: int) -> list[tuple[str, str]]:
    out = []
    for topic, (templates, slots) in TEMPLATES.items():
        seen: set[str] = set()
        for _ in range(per_topic * 4):
            if len(seen) >= per_topic:
                break
            text = rng.choice(templates)
            for key, values in {**SHARED_SLOTS, **slots}.items():
                text = text.replace("{" + key + "}", rng.choice(values))
            text = re.sub(r"\s+", " ", text).strip()
            if text not in seen:
                seen.add(text)
                out.append((topic, text))
    return out


def row(text: str, expected: str, kind: str, account: str, group: str) -> dict[str, object]:
    data: dict[str, object] = {
        "id": hashlib.sha256(text.encode()).hexdigest()[:10],
        "text": text,
        "account": account,
        "expected": expected,
        "kind": kind,
        "note": group,
    }
    if text.startswith("@") or text.startswith("Replying to @"):
        data["is_reply"] = True
    return data


# The later files of hand-written posts, in the order they were written: a new file is one entry
# in each tuple (the order fixes each post's group number, so appending keeps the old ones).
LATER_BREACHES = (
    MORE_BREACHES,
    EXTRA_BREACHES,
    MORE2_BREACHES,
    MORE3_BREACHES,
    MORE4_BREACHES,
    MORE5_BREACHES,
    MORE6_BREACHES,
    MORE7_BREACHES,
    MORE8_BREACHES,
    MORE9_BREACHES,
    MORE10_BREACHES,
    MORE11_BREACHES,
    MORE12_BREACHES,
    MORE13_BREACHES,
    MORE14_BREACHES,
    MORE15_BREACHES,
    MORE16_BREACHES,
    MORE17_BREACHES,
    MORE18_BREACHES,
    MORE19_BREACHES,
    MORE20_BREACHES,
    MORE21_BREACHES,
    MORE22_BREACHES,
)
LATER_NEAR_MISSES = (
    MORE_NEAR_MISSES,
    EXTRA_NEAR_MISSES,
    MORE2_NEAR_MISSES,
    MORE3_NEAR_MISSES,
    MORE4_NEAR_MISSES,
    MORE5_NEAR_MISSES,
    MORE6_NEAR_MISSES,
    MORE7_NEAR_MISSES,
    MORE8_NEAR_MISSES,
    MORE9_NEAR_MISSES,
    MORE10_NEAR_MISSES,
    MORE11_NEAR_MISSES,
    MORE12_NEAR_MISSES,
    MORE13_NEAR_MISSES,
    MORE14_NEAR_MISSES,
    MORE15_NEAR_MISSES,
    MORE16_NEAR_MISSES,
    MORE17_NEAR_MISSES,
    MORE18_NEAR_MISSES,
    MORE19_NEAR_MISSES,
    MORE20_NEAR_MISSES,
    MORE21_NEAR_MISSES,
    MORE22_NEAR_MISSES,
)


# The files from this index of LATER_* on (policy_train_more4 and after) draw each post's variants
# from a generator of the post's own, so that adding a file leaves every earlier row as it was.
OWN_GENERATOR_FROM = 4


def _cores(
    category: str, first: list[str], later: tuple[dict[str, list[str]], ...]
) -> list[tuple[str, bool]]:
    """The category's posts, each with whether it draws its variants from a generator of its own."""
    return [(post, False) for post in first] + [
        (post, n >= OWN_GENERATOR_FROM) for n, posts in enumerate(later) for post in posts.get(category, [])
    ]


def _generator(shared: random.Random, core: str, own: bool) -> random.Random:
    return random.Random(f"{SEED}:{core}") if own else shared


def build() -> list[dict[str, object]]:
    rng = random.Random(SEED)
    rows: list[dict[str, object]] = []
    for category, first in BREACHES.items():
        cores = _cores(category, first, LATER_BREACHES)
        # Counted over the posts that share the generator, so that a later file's posts, however
        # many, never change how many variants (and so which draws) the earlier posts get.
        per_core = max(2, -(-BREACH_TARGET // sum(1 for _, own in cores if not own)))
        for n, (core, own) in enumerate(cores):
            account, text = account_of(core)
            for version in variants(text, _generator(rng, core, own), per_core):
                rows.append(row(version, category, "breach", account, f"{category}/{n}"))
    for category, first in NEAR_MISSES.items():
        cores = _cores(category, first, LATER_NEAR_MISSES)
        for n, (core, own) in enumerate(cores):
            account, text = account_of(core)
            for version in variants(text, _generator(rng, core, own), 4):
                rows.append(row(version, "pass", "near-miss", account, f"near-{category}/{n}"))
    for n, core in enumerate(ORDINARY):
        for version in variants(core, rng, 3):
            rows.append(row(version, "pass", "ordinary", "organisational", f"ordinary/{n}"))
    for n, core in enumerate(ORDINARY_PERSONAL):
        for version in variants(core, rng, 3):
            rows.append(row(version, "pass", "ordinary", "personal", f"personal/{n}"))
    for n, (topic, text) in enumerate(template_posts(rng, 45)):
        # Templates share wording, so each topic is one group: its variants never straddle folds.
        rows.append(row(text, "pass", "ordinary", "organisational", f"template-{topic}"))
        del n
    unique: dict[str, dict[str, object]] = {}
    for r in rows:
        unique.setdefault(str(r["text"]), r)
    return list(unique.values())


def main() -> None:
    rows = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as out:
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for r in rows:
        counts[str(r["expected"])] = counts.get(str(r["expected"]), 0) + 1
    print(f"{len(rows)} rows -> {OUT}")
    for k, v in sorted(counts.items()):
        print(f"  {k:<20} {v}")


if __name__ == "__main__":
    main()
