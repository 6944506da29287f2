"""Images of people and contact with learners (5.2 'The use of images', 'Acceptance of friends';
the Don'ts)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from socialguard.rules.catalogue import Example, Flag, rule
from socialguard.rules.model import AccountKind, MediaItem, Post, Severity

if TYPE_CHECKING:
    from socialguard.rules.analysis import Analysis
    from socialguard.rules.compiled import CompiledContext

PHOTO = "Graduation day!"


@rule(
    code="IC001",
    name="learner-image-without-consent",
    clause="5.2",
    category="image-consent",
    severity=Severity.BLOCK,
    what="A photo or video showing a learner whose written consent (the learner declaration form) is not recorded.",
    why="Section 5.2: where photos or videos include learners, the learner declaration form must be completed "
    "to obtain their written consent; anyone who asks not to be photographed must be respected.",
    instead="Record the learner's consent first, or use a photo without them.",
    examples=(
        Example(Post(PHOTO, media=(MediaItem(people_shown=("Jamie Fletcher",)),)), True),
        Example(
            Post(
                PHOTO,
                media=(MediaItem(people_shown=("Jamie Fletcher",), consent_recorded=("Jamie Fletcher",)),),
            ),
            False,
        ),
    ),
)
def image_without_consent(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    for item in a.post.media:
        consented = {p.casefold() for p in item.consent_recorded}
        for person in item.people_shown:
            if c.is_learner(person) and person.casefold() not in consented:
                yield Flag(0, 0, f"{person} is shown but their written consent is not recorded")


@rule(
    code="IC004",
    name="person-image-without-permission",
    clause="5.2",
    category="image-consent",
    severity=Severity.REVIEW,
    what="A photo or video showing someone who is not a learner (a colleague, a visitor) whose permission is "
    "not recorded.",
    why="Section 5.2: permission to use any photos or video recordings should be obtained, and anyone who "
    "asks not to be filmed or photographed must be respected.",
    instead="Ask the people shown and record their permission, or use a photo without them.",
    examples=(
        Example(Post("Our new quality team!", media=(MediaItem(people_shown=("Helen Carter",)),)), True),
        Example(
            Post(
                "Our new quality team!",
                media=(MediaItem(people_shown=("Helen Carter",), consent_recorded=("Helen Carter",)),),
            ),
            False,
        ),
    ),
)
def person_image(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    for item in a.post.media:
        consented = {p.casefold() for p in item.consent_recorded}
        for person in item.people_shown:
            if not c.is_learner(person) and person.casefold() not in consented:
                yield Flag(0, 0, f"{person} is shown but their permission is not recorded")


@rule(
    code="IC002",
    name="learner-image-on-personal-account",
    clause="5.2",
    category="image-consent",
    severity=Severity.BLOCK,
    what="A photo or video of a learner posted from a personal account.",
    why="Section 5.2: under no circumstances should staff share or upload learner pictures online other than "
    "via the organisation's own social media accounts.",
    instead="Share it through an organisational account, with consent recorded.",
    examples=(
        Example(
            Post(
                PHOTO,
                account=AccountKind.PERSONAL,
                media=(MediaItem(people_shown=("Jamie Fletcher",), consent_recorded=("Jamie Fletcher",)),),
            ),
            True,
        ),
        Example(
            Post(PHOTO, account=AccountKind.PERSONAL, media=(MediaItem(people_shown=("My cat",)),)), False
        ),
    ),
)
def image_on_personal(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if a.post.account != AccountKind.PERSONAL:
        return
    for item in a.post.media:
        for person in item.people_shown:
            if c.is_learner(person):
                yield Flag(0, 0, f"a picture of learner {person} on a personal account")


@rule(
    code="IC003",
    name="people-tagged",
    clause="Do's",
    category="image-consent",
    severity=Severity.ADVICE,
    what="People tagged in a photo or video.",
    why="The Do's: consider turning off tagging people in images; Personal use: take control of your images.",
    instead="Remove the tags unless each person has agreed.",
    examples=(
        Example(Post(PHOTO, media=(MediaItem(tagged=("@someone",)),)), True),
        Example(Post(PHOTO, media=(MediaItem(),)), False),
    ),
)
def tagged(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    for item in a.post.media:
        if item.tagged:
            yield Flag(0, 0, f"tags {', '.join(item.tagged)}: consider turning tagging off")


@rule(
    code="LC001",
    name="private-message-to-learner",
    clause="Don'ts",
    category="learner-contact",
    severity=Severity.BLOCK,
    what="A direct or private message to a learner or a learner's parent/guardian.",
    why="The Don'ts: do not have any private communication with learners via any social media channel; "
    "5.2 keeps professional boundaries to protect both learners and staff.",
    instead="Use the organisation's approved channels (e-mail, the learning platform) in the open.",
    examples=(
        Example(Post("See you tomorrow?", is_direct_message=True, recipients=("@jamief_22",)), True),
        Example(Post("See you tomorrow?", is_direct_message=True, recipients=("Tom Bradley",)), False),
    ),
)
def private_message(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    if not a.post.is_direct_message:
        return
    for person in a.post.recipients:
        if c.is_register_person(person):
            yield Flag(0, 0, f"private message to {person}, who is in the learner register")


@rule(
    code="LC002",
    name="adding-learner",
    clause="5.2",
    category="learner-contact",
    severity=Severity.BLOCK,
    what="A friend, follow or connection request to a learner, a past learner or a parent/guardian.",
    why="Section 5.2 'Acceptance of friends': do not accept or invite learners of any age, past learners under "
    "18, or parents as friends on personal accounts; the Don'ts: do not add learners to social media.",
    instead="Do not connect. Point them to the organisation's account instead.",
    examples=(
        Example(Post("", connection_request_to=("Jamie Fletcher",)), True),
        Example(Post("", connection_request_to=("Helen Carter",)), False),
    ),
)
def adding_learner(a: Analysis, c: CompiledContext) -> Iterator[Flag]:
    for person in a.post.connection_request_to:
        if c.is_register_person(person) and not c.is_adult_past_learner(person):
            yield Flag(0, 0, f"connection request to {person}, who is in the learner register")
