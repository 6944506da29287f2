"""The demo's concerns: at least one case in every state (new, triaged, investigating, awaiting
referral, closed), restricted safeguarding cases for the DSL, a case with a safeguarding part,
one raised by the policy check on a draft post, and closed cases past retention (one anonymised).

Each case is a story told in order on its own dates (`clock_at`): reported, then triaged, noted,
referred and closed after that, so its reference carries the year it was reported, its chronology
and audit events follow one another, and its retention date follows from when it closed. Cases
are written in the order they were reported, so references rise with time."""

from __future__ import annotations

import datetime as dt
import heapq
import io
from collections.abc import Callable, Generator, Iterable

from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from socialguard.democlock import clock_at
from socialguard.identity.models import User
from socialguard.incidents import evidence as files
from socialguard.incidents import services
from socialguard.incidents.models import Case
from socialguard.incidents.services import PartyInput
from socialguard.people.models import Learner, StaffMember

DSL_EMAIL = "amira.begum@dmm.example"
DEPUTY_EMAIL = "priya.shah@dmm.example"

# A story yields the moment of its next step, then takes that step when resumed at that moment.
Story = Generator[dt.datetime, None, None]


def _screenshot(caption: str) -> files.CheckedFile:
    """A plain picture standing in for a screenshot (the demo's files are made, not real)."""
    image = Image.new("RGB", (360, 200), (245, 247, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 350, 190), outline=(120, 130, 140))
    draw.text((24, 24), "Demo screenshot", fill=(30, 30, 30))
    draw.text((24, 60), caption[:48], fill=(60, 60, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    data = buffer.getvalue()
    return files.check("screenshot.png", io.BytesIO(data), len(data))


class _Timeline:
    """Moments relative to when a case was reported, never later than now."""

    def __init__(self, now: dt.datetime, days_ago: int, hour: int = 10) -> None:
        self.latest = now - dt.timedelta(minutes=5)
        day = timezone.localdate(now) - dt.timedelta(days=days_ago)
        self.reported = min(
            timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 15))),
            self.latest - dt.timedelta(hours=2),
        )

    def after(self, days: float) -> dt.datetime:
        return min(self.reported + dt.timedelta(days=days), self.latest)


def _tell(stories: Iterable[Story]) -> None:
    """Take every story's steps in time order across all stories, each at its own moment, so the
    audit trail reads in the order things happened."""
    queue: list[tuple[dt.datetime, int, Story]] = []
    for n, story in enumerate(stories):
        first = next(story, None)
        if first is not None:
            heapq.heappush(queue, (first, n, story))
    while queue:
        when, n, story = heapq.heappop(queue)
        with clock_at(when):
            following = next(story, None)
        if following is not None:
            heapq.heappush(queue, (max(following, when), n, story))


def load_cases_demo(progress: Callable[[], object] = lambda: None) -> None:
    if Case.objects.exists():
        return
    smt = {u.email: u for u in User.objects.filter(role_assignments__role="smt")}
    james, sarah, daniel = (
        smt["james.okafor@dmm.example"],
        smt["sarah.whitfield@dmm.example"],
        smt["daniel.hughes@dmm.example"],
    )
    dsl, deputy = User.objects.get(email=DSL_EMAIL), User.objects.get(email=DEPUTY_EMAIL)
    staff = {s.external_id: s for s in StaffMember.objects.all()}
    tom, chloe, gareth = staff["S006"], staff["S007"], staff["S008"]
    in_post = [
        s
        for s in StaffMember.objects.filter(leave_date__isnull=True, user__isnull=False).order_by(
            "external_id"
        )
    ]
    colleagues = [s for s in in_post if s.external_id > "S009"]
    volunteer = next(s for s in colleagues if s.employment_type == "volunteer")
    under_18 = [le for le in Learner.objects.order_by("external_id") if le.is_under_18 and le.is_current]
    reporter = tom.user
    assert reporter is not None and chloe.user is not None and gareth.user is not None
    now = timezone.now()

    def day() -> dt.date:
        return timezone.localdate()  # the day of the step being taken (the demo clock)

    def new_criticism() -> Story:
        """New: adverse criticism of the organisation, from a review site."""
        t = _Timeline(now, 1, hour=9)
        yield t.reported
        services.report_submit(
            actor=chloe.user,
            category="criticism",
            summary="A one-star review on our Facebook page says tutors never reply to emails.",
            platform="Facebook",
            url="https://facebook.example/dmmentor/reviews/1",
            happened_on=day() - dt.timedelta(days=1),
        )

    def triaged_offensive() -> Story:
        """Triaged: offensive content on a colleague's personal account."""
        t = _Timeline(now, 4, hour=11)
        yield t.reported
        case = services.report_submit(
            actor=reporter,
            category="offensive",
            summary="A colleague shared a meme with offensive language about a football club.",
            platform="X",
            parties=[PartyInput("subject", staff=colleagues[0])],
        )
        yield t.after(0.2)
        services.triage(actor=sarah, case=case, severity="low", investigator=sarah, clause_keys=["5.2"])

    def investigating_bullying() -> Story:
        """Investigating: bullying between colleagues, with a screenshot, notes and a task."""
        t = _Timeline(now, 12, hour=14)
        yield t.reported
        case = services.report_submit(
            actor=colleagues[2].user,
            category="bullying",
            summary="Repeated mocking comments under my LinkedIn posts from a colleague.",
            platform="LinkedIn",
            reporter_affected=True,
            parties=[PartyInput("subject", staff=colleagues[1]), PartyInput("affected", staff=colleagues[2])],
            attachments=[_screenshot("Comments under a LinkedIn post")],
        )
        yield t.after(0.9)
        services.triage(
            actor=james, case=case, severity="medium", investigator=daniel, clause_keys=["5.2", "5.4"]
        )
        yield t.after(3)
        services.entry_add(
            actor=daniel, case=case, kind="contact", text="Met the person affected; agreed next steps."
        )
        yield t.after(3.1)
        services.task_add(
            actor=daniel,
            case=case,
            text="Meet the colleague named",
            due_on=now.date() + dt.timedelta(days=2),
            assignee=daniel,
        )

    def referred_criminal() -> Story:
        """Awaiting referral: a possible criminal act, referred to the police."""
        t = _Timeline(now, 8, hour=16)
        yield t.reported
        case = services.report_submit(
            actor=gareth.user,
            category="criminal",
            summary="Our organisational account received threatening messages naming a tutor.",
            platform="Instagram",
            account="@DMMentorUK",
        )
        yield t.after(0.1)
        services.triage(actor=james, case=case, severity="high", investigator=james)
        yield t.after(3)
        services.referral_add(
            actor=james, case=case, agency="police", referred_on=day(), reference="CAD 4471"
        )

    def restricted_friending() -> Story:
        """Restricted safeguarding: a tutor friended a 16-year-old learner; LADO consulted."""
        t = _Timeline(now, 6, hour=10)
        yield t.reported
        case = services.report_submit(
            actor=chloe.user,
            category="safeguarding",
            summary="A learner showed me a friend request and private messages from a tutor.",
            platform="Instagram",
            parties=[PartyInput("subject", staff=colleagues[3]), PartyInput("affected", learner=under_18[0])],
            attachments=[_screenshot("Direct messages (demo)")],
        )
        yield t.after(0.08)
        services.triage(actor=dsl, case=case, severity="critical", investigator=dsl, clause_keys=["5.2"])
        yield t.after(0.3)
        services.entry_add(
            actor=dsl, case=case, kind="contact", text="Spoke to the learner with their parent present."
        )
        yield t.after(1)
        services.referral_add(
            actor=dsl,
            case=case,
            agency="lado",
            referred_on=day(),
            reference=f"LADO/{day().year}/118",
        )
        yield t.after(1.1)
        services.task_add(
            actor=dsl,
            case=case,
            text="Check the tutor's other accounts for contact with learners",
            due_on=now.date() + dt.timedelta(days=1),
            assignee=deputy,
        )

    def new_worry() -> Story:
        """A new safeguarding concern waiting for the DSL, reported this morning."""
        t = _Timeline(now, 0, hour=8)
        yield t.reported
        services.report_submit(
            actor=reporter,
            category="safeguarding",
            summary="A learner posted that they feel unsafe at home.",
            parties=[PartyInput("affected", learner=under_18[1 % len(under_18)])],
        )

    def leak_with_safeguarding_part() -> Story:
        """A case with a safeguarding part: SMT flagged one entry for the DSL."""
        t = _Timeline(now, 20, hour=13)
        yield t.reported
        case = services.report_submit(
            actor=colleagues[4].user,
            category="confidential",
            summary="A spreadsheet of learner marks was visible in a photo posted from an event.",
            platform="Instagram",
        )
        yield t.after(0.03)
        services.triage(actor=sarah, case=case, severity="high", investigator=sarah, clause_keys=["5.2"])
        yield t.after(0.04)
        services.entry_add(actor=sarah, case=case, kind="action", text="Photo removed within the hour.")
        yield t.after(1.2)
        services.entry_add(
            actor=sarah, case=case, kind="note", restricted=True,
            text="One learner on the sheet is a looked-after child: DSL to consider.",
        )  # fmt: skip

    def from_policy_check() -> Story:
        """Raised by the policy check on a draft post (the hook monitoring and checks use)."""
        t = _Timeline(now, 2, hour=15)
        yield t.reported
        services.report_submit(
            actor=james,
            category="image_consent",
            summary="A draft post for @DMMentorUK shows learners whose consent to photos is not recorded.",
            source="rules_finding",
            source_ref="draft 42: IMG001",
        )

    def closed(
        category: str, summary: str, outcome: str, days_ago: int, subject: StaffMember | None,
        triage_days: float, close_days: float,
    ) -> Story:  # fmt: skip
        """Closed over the past months, with an outcome."""
        t = _Timeline(now, days_ago, hour=11)
        yield t.reported
        case = services.report_submit(
            actor=reporter, category=category, summary=summary,
            parties=[PartyInput("subject", staff=subject)] if subject else [],
        )  # fmt: skip
        yield t.after(triage_days)
        services.triage(actor=james, case=case, severity="medium", investigator=sarah)
        yield t.after((triage_days + close_days) / 2)
        services.entry_add(actor=sarah, case=case, kind="note", text="Spoke to those involved.")
        yield t.after(close_days)
        services.case_close(
            actor=sarah, case=case, outcome=outcome, subject=subject, note="Recorded for the demo."
        )

    def past_retention(summary: str, days_ago: int, anonymise: bool) -> Story:
        """Closed long ago and past its retention date: one waits for review, one was anonymised."""
        t = _Timeline(now, days_ago, hour=12)
        yield t.reported
        case = services.report_submit(actor=reporter, category="criticism", summary=summary)
        yield t.after(1)
        services.triage(actor=james, case=case, severity="low", investigator=james)
        yield t.after(10)
        services.case_close(actor=james, case=case, outcome="no_further_action")
        if anonymise:
            assert case.retain_until is not None
            reviewed = timezone.make_aware(dt.datetime.combine(case.retain_until, dt.time(10)))
            yield min(reviewed + dt.timedelta(days=21), t.latest)
            services.case_anonymise(actor=james, case=case)

    # fmt: off
    closed_specs = [
        ("image_consent", "Open-day photo posted before consent forms were in.", "training", 40, colleagues[5], 2, 9),  # noqa: E501
        ("learner_contact", "A tutor followed a learner's personal account.", "informal_advice", 75, colleagues[6], 1, 6),  # noqa: E501
        ("offensive", "Swearing in a reply from a personal account naming us.", "disciplinary", 110, colleagues[7], 1, 20),  # noqa: E501
        ("confidential", "A volunteer posted a learner's results online.", "contract_ended", 150, volunteer, 3, 14),  # noqa: E501
        ("criticism", "Complaint thread about parking at the Manchester site.", "no_further_action", 200, None, 2, 3),  # noqa: E501
        ("bullying", "Group chat comments about a colleague's appearance.", "access_withdrawn", 250, colleagues[8], 1, 30),  # noqa: E501
        ("offensive", "Racist remarks posted about learners elsewhere.", "gross_misconduct", 290, colleagues[9], 1, 35),  # noqa: E501
    ]
    # fmt: on
    stories: list[Story] = [
        new_criticism(),
        triaged_offensive(),
        investigating_bullying(),
        referred_criminal(),
        leak_with_safeguarding_part(),
        from_policy_check(),
        *(closed(*spec) for spec in closed_specs),
        past_retention("An old complaint about a deleted post.", 435, anonymise=False),
        past_retention("An old review reply dispute.", 810, anonymise=True),
    ]
    if under_18:
        stories += [restricted_friending(), new_worry()]
    with transaction.atomic():
        progress()
        _tell(stories)
        progress()
    progress()
