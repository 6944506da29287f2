"""The demo's posts, written through the services on their own dates (socialguard.democlock.clock_at),
so the audit trail verifies: an archive of published posts over the past months with their
findings, a correction and a deletion, and today's work in every state a person meets (a draft,
posts waiting for a runner or for SMT, a blocked post, one with an SMT override and its reason,
changes asked for, a reply to criticism) and approved posts over the next two weeks.

The X and LinkedIn accounts have no connector: their posts go out by hand and a runner records
the link. The Bluesky account has one, so its approved posts are scheduled for socialguard to
publish; no app password is stored for it, so nothing here (or later, when one comes due) calls a
network, and the post due yesterday failed, telling its author and SMT why. Links are made up
and say so (`demo-`).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from socialguard.accounts.models import OrgAccount
from socialguard.content import publishing, routing, services
from socialguard.content.models import Draft, State
from socialguard.democlock import clock_at
from socialguard.identity.models import User
from socialguard.people.models import Learner, StaffMember

SMT_EMAILS = ("james.okafor@dmm.example", "sarah.whitfield@dmm.example")

# What the organisation posted over the past months: course news, successes, events.
ARCHIVE = [
    "Applications for our spring Digital Marketer Level 3 cohort are now open. Apply by 28 February: "
    "https://dmm.example/apply",
    "Thank you to everyone who came to our open evening in Manchester. The slides are on our website.",
    "Employers: our apprentices spend 20% of their time learning off the job. Find out how it works: "
    "https://dmm.example/employers",
    "Five tips for a strong apprenticeship application, from our admissions team. Thread below.",
    "Our Leeds centre is closed on Monday for staff training. Online sessions run as normal.",
    "Congratulations to all our learners who completed their end-point assessment this month!",
    "We are recruiting: Digital Marketing Tutor, Manchester, full time. Details: https://dmm.example/jobs",
    "National Apprenticeship Week starts today. Follow along for stories from our learners and employers.",
    "New short course: Analytics for small businesses, four evenings from 5 March, free for most learners.",
    "Our safeguarding team is here for every learner. If something worries you, talk to us: "
    "https://dmm.example/safeguarding",
    "Reminder: the careers fair at our Manchester centre is this Thursday, 10:00 to 15:00.",
    "A big thank you to our employer partners for hosting 40 work placements this term.",
    "Tutors' tip of the week: write for your reader, not for the algorithm.",
    "We have updated our privacy notice. Read what has changed: https://dmm.example/privacy",
    "Half-term: the centres are open for drop-in support from 10:00 to 14:00.",
    "Meet our new Learner Support Manager at the open morning on Saturday.",
    "Apprenticeship funding explained, in plain English, on our blog: https://dmm.example/blog/funding",
    "Our Digital Marketer apprentices ran a campaign for a local food bank this month. Proud of them.",
    "Exam season: quiet study rooms are open at both centres, every weekday until 19:00.",
    "Employers: book a free call to talk about apprenticeships for your team: https://dmm.example/call",
    "Winter opening hours: the centres close at 17:00 from 1 December.",
    "Welcome to the 34 learners who started with us this week!",
    "Our graduation ceremony is on 14 June. Learners, your invitations are in your inbox.",
    "Short survey for employers: tell us what skills your team needs next. Five minutes: https://dmm.example/survey",
    "Learners: the free mental health first aid course has places left for April.",
    "Digital skills bootcamp: 12 weeks, free, starting in May. Who is it for? https://dmm.example/bootcamp",
]
# Posts with findings, as the check saw them: a learner named (review: SMT approved), a
# controversial subject (review), a personal email address (review).
ARCHIVE_WITH_FINDINGS = [
    "Congratulations to {learner} on a distinction in the end-point assessment!",
    "The new funding rules for apprenticeships will hit small employers hard. We have written to our MP.",
    "Questions about the open day? Email our admissions lead at admissions.dmm@gmail.com",
]
BLUESKY_PLANNED = [
    "Free digital skills taster on Saturday morning at our Leeds centre. Everyone welcome.",
    "Employers: meet this term's apprentices at our networking breakfast, 8:00 on the 12th.",
]
BLUESKY_FAILED = "Hello Bluesky! Course news, learners' work and open days from Digital Marketing Mentor."
PLANNED = [
    "Open evening next Wednesday, 17:30 at our Manchester centre. Book a place: https://dmm.example/open",
    "Employers: our next apprentice start date is in six weeks. Now is the time to recruit.",
    "Learners: your progress reviews are this month. Check your calendar invitation.",
    "We are at the Leeds Skills Show on Saturday, stand 14. Come and say hello.",
    "New blog post: what an apprenticeship interview is really like: https://dmm.example/blog/interview",
    "Three weeks until applications close for the spring cohort.",
]


def _picture(caption: str) -> bytes:
    """A plain picture standing in for a photo (the demo's files are made, not real)."""
    image = Image.new("RGB", (480, 320), (232, 240, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((12, 12, 468, 308), outline=(40, 80, 140), width=3)
    draw.text((28, 28), "Demo photo", fill=(20, 20, 20))
    draw.text((28, 64), caption[:60], fill=(60, 60, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _url(account: OrgAccount, n: int) -> str:
    if account.platform == "x":
        return f"https://x.com/{account.handle.lstrip('@')}/status/demo-{1800000000000000000 + n}"
    return f"https://www.linkedin.com/feed/update/urn:li:activity:demo-{7100000000000000000 + n}/"


class _Story:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.smt = [User.objects.get(email=e) for e in SMT_EMAILS]
        staff = {s.external_id: s for s in StaffMember.objects.filter(external_id__in=["S006", "S007"])}
        self.chloe, self.tom = staff["S007"].user, staff["S006"].user
        self.x = OrgAccount.objects.get(platform="x")
        self.linkedin = OrgAccount.objects.filter(platform="linkedin").first()
        self.n = 0

    def runners(self, account: OrgAccount) -> tuple[Any, Any]:
        """The author and the other runner who approves (LinkedIn: Chloe and its lead)."""
        people = [r.staff.user for r in account.runners.filter(active=True).select_related("staff")]
        people = [p for p in people if p is not None]
        author = self.rng.choice(people)
        other = next(p for p in people if p != author)
        return author, other

    def write(self, when: dt.datetime, account: OrgAccount, text: str, author: Any, **kw: Any) -> Draft:
        with clock_at(when):
            return services.draft_save(actor=author, account=account, text=text, **kw)

    def submit(self, when: dt.datetime, draft: Draft) -> Draft:
        with clock_at(when):
            author = draft.author.user
            return services.draft_submit(actor=author, draft=draft)

    def approve(self, when: dt.datetime, draft: Draft, by: Any) -> Draft:
        need = routing.requirement(draft, draft.check_result.findings)
        approver = self.rng.choice(self.smt) if need.senior else by
        with clock_at(when):
            return services.draft_approve(actor=approver, draft=draft)

    def publish(self, when: dt.datetime, draft: Draft, by: Any) -> None:
        self.n += 1
        with clock_at(when):
            publishing.draft_record_manual_publication(
                actor=by, draft=draft, url=_url(draft.account, self.n), published_at=when
            )

    def published(self, when: dt.datetime, account: OrgAccount, text: str, **kw: Any) -> Draft:
        author, other = self.runners(account)
        draft = self.write(when, account, text, author, **kw)
        draft = self.submit(when + dt.timedelta(minutes=20), draft)
        draft = self.approve(when + dt.timedelta(hours=2), draft, other)
        self.publish(when + dt.timedelta(hours=3), draft, other)
        return draft


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def load_content_demo(progress: Callable[[], object] = lambda: None) -> None:
    if Draft.objects.exists() or not OrgAccount.objects.filter(platform="x").exists():
        return
    rng = random.Random(14)
    story = _Story(rng)
    today = timezone.localdate()
    learner = Learner.objects.filter(date_of_birth__isnull=False).order_by("-date_of_birth").first()
    with transaction.atomic():
        # The archive: posts every few days over the past four months, oldest first.
        texts = ARCHIVE + [
            t.format(learner=learner.full_name if learner else "our learners") for t in ARCHIVE_WITH_FINDINGS
        ]
        rng.shuffle(texts)
        # Over the past four months, but never before the accounts were set up (when the accounts
        # demo dates them more than a month back; set up today, they get the months before too).
        first_day = today - dt.timedelta(days=120)
        set_up = max(timezone.localdate(a.created_at) for a in (story.x, story.linkedin) if a is not None)
        if set_up < today - dt.timedelta(days=30):
            first_day = max(first_day, set_up + dt.timedelta(days=1))
        step = ((today - dt.timedelta(days=14)) - first_day).days / len(texts)
        archive: list[Draft] = []
        for n, text in enumerate(texts):
            day = first_day + dt.timedelta(days=int(n * step))
            account = story.linkedin if story.linkedin is not None and n % 3 == 0 else story.x
            archive.append(story.published(_at(day, rng.choice([9, 10, 12, 15])), account, text))
        progress()
        # A correction, and a deletion of a post with a wrong date in it (both approved by SMT).
        wrong = story.published(
            _at(today - dt.timedelta(days=12), 9),
            story.x,
            "Our graduation ceremony is on 14 July. Learners, your invitations are in your inbox.",
        )
        original = wrong.published
        fix = story.write(
            _at(today - dt.timedelta(days=12), 11),
            story.x,
            "Correction: our graduation ceremony is on 14 JUNE, not 14 July as we said this morning. Sorry!",
            wrong.author.user,
            kind="correction",
            corrects=original,
        )
        fix = story.submit(_at(today - dt.timedelta(days=12), 11, 5), fix)
        fix = story.approve(_at(today - dt.timedelta(days=12), 11, 30), fix, story.smt[0])
        story.publish(_at(today - dt.timedelta(days=12), 11, 40), fix, wrong.author.user)
        removal = story.write(
            _at(today - dt.timedelta(days=12), 11, 45),
            story.x,
            "The post gives the wrong month for the graduation; the correction above replaces it.",
            wrong.author.user,
            kind="deletion",
            corrects=original,
        )
        removal = story.submit(_at(today - dt.timedelta(days=12), 11, 50), removal)
        removal = story.approve(_at(today - dt.timedelta(days=12), 12, 10), removal, story.smt[1])
        with clock_at(_at(today - dt.timedelta(days=12), 12, 20)):
            publishing.draft_record_manual_publication(actor=wrong.author.user, draft=removal, url="")
        progress()
        _today(story, today, learner)
        progress()


def _today(story: _Story, today: dt.date, learner: Learner | None) -> None:
    """The work in hand: a post in every state a person meets, and the next two weeks planned."""
    chloe, tom, x = story.chloe, story.tom, story.x
    james, sarah = story.smt
    yesterday = today - dt.timedelta(days=1)
    # Planned: approved posts over the next two weeks (published by hand on the day).
    for n, text in enumerate(PLANNED):
        account = story.linkedin if story.linkedin is not None and n % 3 == 2 else x
        author, other = story.runners(account)
        when = _at(today + dt.timedelta(days=1 + n * 2 + n % 2), 9 + (n * 3) % 8)
        draft = story.write(_at(yesterday, 9, n * 5), account, text, author, publish_at=when)
        draft = story.submit(_at(yesterday, 10, n * 5), draft)
        story.approve(_at(yesterday, 14, n * 5), draft, other)
    bluesky = OrgAccount.objects.filter(platform="bluesky").first()
    if bluesky is not None:
        # Scheduled: socialguard publishes these itself at their time.
        for n, text in enumerate(BLUESKY_PLANNED):
            author, other = story.runners(bluesky)
            when = _at(today + dt.timedelta(days=4 + n * 5), 12)
            draft = story.write(_at(yesterday, 15, n * 5), bluesky, text, author, publish_at=when)
            draft = story.submit(_at(yesterday, 15, 30 + n * 5), draft)
            story.approve(_at(today, 8, 10 + n * 5), draft, other)
        # Failed: due yesterday at noon, with no app password in the vault to publish it with.
        draft = story.write(_at(yesterday, 9), bluesky, BLUESKY_FAILED, tom, publish_at=_at(yesterday, 12))
        draft = story.submit(_at(yesterday, 9, 10), draft)
        story.approve(_at(yesterday, 10), draft, chloe)
        with clock_at(_at(yesterday, 12)):
            publishing.publish(draft.pk)
    # A draft Chloe is still writing.
    story.write(
        _at(today, 8, 40),
        x,
        "Half-term drop-in sessions: both centres, 10:00 to 14:00, no need to book",
        chloe,
    )
    # Tom's post waits for Chloe, the other runner.
    draft = story.write(
        _at(yesterday, 16),
        x,
        "Our Level 4 Data Analyst apprenticeship opens for applications next month.",
        tom,
    )
    story.submit(_at(yesterday, 16, 10), draft)
    # A learner named: the check asks for review, so it waits for SMT.
    if learner is not None:
        draft = story.write(
            _at(today, 9, 15),
            x,
            f"Well done to {learner.full_name} for winning Apprentice of the Month!",
            chloe,
        )
        story.submit(_at(today, 9, 20), draft)
    # Changes asked for: Chloe sent Tom's post back with a comment.
    draft = story.write(
        _at(yesterday, 11), x, "Come to our open day!!! Everyone welcome, bring your friends", tom
    )
    draft = story.submit(_at(yesterday, 11, 5), draft)
    with clock_at(_at(yesterday, 13)):
        services.draft_request_changes(
            actor=chloe,
            draft=draft,
            comment="Say which centre and the date and time, please; one exclamation mark.",
        )
    # A reply to criticism, marked by SMT: only SMT approve it (5.1).
    draft = story.write(
        _at(today, 8),
        x,
        "We are sorry to hear about your experience. Please email us at info@dmm.example "
        "so we can look into it.",
        tom,
        is_reply=True,
        reply_to="https://x.com/someone/status/demo-1799999999999999999",
    )
    draft = story.submit(_at(today, 8, 5), draft)
    with clock_at(_at(today, 8, 30)):
        services.draft_mark_criticism(
            actor=sarah, draft=draft, comment="A complaint about the open day queue."
        )
    # Photos of a learner: blocked until SMT overrides the image-consent finding with a reason.
    if learner is not None:
        for n, (text, overridden) in enumerate(
            [
                ("Behind the scenes at our photography workshop this week.", False),
                ("Our Apprentice of the Year receiving the award at the ceremony.", True),
            ]
        ):
            when = _at(yesterday, 10 + n)
            draft = story.write(
                when, x, text, chloe, publish_at=_at(today + dt.timedelta(days=3 + n * 6), 12)
            )
            data = _picture(text)
            with clock_at(when + dt.timedelta(minutes=5)):
                services.draft_add_media(
                    actor=chloe,
                    draft=draft,
                    name="workshop.png" if not overridden else "award.png",
                    stream=io.BytesIO(data),
                    size=len(data),
                    alt_text=f"{learner.first_name} at the {'workshop' if not overridden else 'awards'}",
                    people_shown=[{"kind": "learner", "id": learner.external_id}],
                )
            draft = story.submit(when + dt.timedelta(minutes=10), draft)
            if not overridden:
                continue
            draft.refresh_from_db()
            for finding in draft.check_result.findings:
                if finding["severity"] == "block":
                    with clock_at(when + dt.timedelta(hours=2)):
                        services.draft_override(
                            actor=james,
                            draft=draft,
                            rule=finding["rule"],
                            start=int(finding["start"]),
                            end=int(finding["end"]),
                            reason="Signed photo consent from the learner and their parent is on file "
                            "(form of 3 March, held by Marketing).",
                        )
            draft.refresh_from_db()
            if draft.state == State.SUBMITTED:
                with clock_at(when + dt.timedelta(hours=2, minutes=10)):
                    services.draft_approve(actor=james, draft=draft)
