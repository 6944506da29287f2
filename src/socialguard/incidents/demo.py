"""The demo's concerns: at least one case in every state (new, triaged, investigating, awaiting
referral, closed), restricted safeguarding cases for the DSL, a case with a safeguarding part,
one raised from a rules-engine finding, and closed cases past retention (one anonymised).
Dates are spread over the past months so the statistics have something to draw."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from socialguard.identity.models import User
from socialguard.incidents import evidence as files
from socialguard.incidents import services
from socialguard.incidents.models import Case
from socialguard.incidents.services import PartyInput
from socialguard.people.models import Learner, StaffMember

DSL_EMAIL = "amira.begum@dmm.example"
DEPUTY_EMAIL = "priya.shah@dmm.example"


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


def _backdate(
    case: Case, days_ago: int, triage_after: float | None = None, close_after: float | None = None
) -> None:
    """Move a demo case into the past (demo only: real cases keep the time they happened)."""
    created = timezone.now() - dt.timedelta(days=days_ago)
    values: dict[str, object] = {"created_at": created}
    if triage_after is not None:
        values["triaged_at"] = created + dt.timedelta(days=triage_after)
    if close_after is not None:
        closed = created + dt.timedelta(days=close_after)
        values["closed_at"] = closed
        values["retain_until"] = services.retention.retain_until(case, timezone.localdate(closed))
    Case.objects.filter(pk=case.pk).update(**values)


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
    today = timezone.localdate()

    with transaction.atomic():
        # New: adverse criticism of the organisation, from a review site.
        new = services.report_submit(
            actor=chloe.user,
            category="criticism",
            summary="A one-star review on our Facebook page says tutors never reply to emails.",
            platform="Facebook",
            url="https://facebook.example/dmmentor/reviews/1",
            happened_on=today - dt.timedelta(days=1),
        )
        _backdate(new, 1)
        # Triaged: offensive content on a colleague's personal account.
        triaged = services.report_submit(
            actor=reporter,
            category="offensive",
            summary="A colleague shared a meme with offensive language about a football club.",
            platform="X",
            parties=[PartyInput("subject", staff=colleagues[0])],
        )
        services.triage(actor=sarah, case=triaged, severity="low", investigator=sarah, clause_keys=["5.2"])
        _backdate(triaged, 4, triage_after=0.5)
        # Investigating: bullying between colleagues, with a screenshot, notes and a task.
        bullying = services.report_submit(
            actor=colleagues[2].user,
            category="bullying",
            summary="Repeated mocking comments under my LinkedIn posts from a colleague.",
            platform="LinkedIn",
            reporter_affected=True,
            parties=[PartyInput("subject", staff=colleagues[1]), PartyInput("affected", staff=colleagues[2])],
            attachments=[_screenshot("Comments under a LinkedIn post")],
        )
        services.triage(
            actor=james, case=bullying, severity="medium", investigator=daniel, clause_keys=["5.2", "5.4"]
        )
        services.entry_add(
            actor=daniel, case=bullying, kind="contact", text="Met the person affected; agreed next steps."
        )
        services.task_add(
            actor=daniel,
            case=bullying,
            text="Meet the colleague named",
            due_on=today + dt.timedelta(days=2),
            assignee=daniel,
        )
        _backdate(bullying, 12, triage_after=1)
        # Awaiting referral: a possible criminal act, referred to the police.
        criminal = services.report_submit(
            actor=gareth.user,
            category="criminal",
            summary="Our organisational account received threatening messages naming a tutor.",
            platform="Instagram",
            account="@DMMentorUK",
        )
        services.triage(actor=james, case=criminal, severity="high", investigator=james)
        services.referral_add(
            actor=james,
            case=criminal,
            agency="police",
            referred_on=today - dt.timedelta(days=5),
            reference="CAD 4471",
        )
        _backdate(criminal, 8, triage_after=0.2)
        progress()

        # Restricted safeguarding: a tutor friended a 16-year-old learner; LADO consulted.
        if under_18:
            friending = services.report_submit(
                actor=chloe.user,
                category="safeguarding",
                summary="A learner showed me a friend request and private messages from a tutor.",
                platform="Instagram",
                parties=[
                    PartyInput("subject", staff=colleagues[3]),
                    PartyInput("affected", learner=under_18[0]),
                ],
                attachments=[_screenshot("Direct messages (demo)")],
            )
            services.triage(
                actor=dsl, case=friending, severity="critical", investigator=dsl, clause_keys=["5.2"]
            )
            services.entry_add(
                actor=dsl,
                case=friending,
                kind="contact",
                text="Spoke to the learner with their parent present.",
            )
            services.referral_add(
                actor=dsl,
                case=friending,
                agency="lado",
                referred_on=today - dt.timedelta(days=2),
                reference="LADO/2026/118",
            )
            services.task_add(
                actor=dsl,
                case=friending,
                text="Check the tutor's other accounts for contact with learners",
                due_on=today + dt.timedelta(days=1),
                assignee=deputy,
            )
            _backdate(friending, 6, triage_after=0.1)
            # A new safeguarding concern waiting for the DSL.
            worry = services.report_submit(
                actor=reporter,
                category="safeguarding",
                summary="A learner posted that they feel unsafe at home.",
                parties=[PartyInput("affected", learner=under_18[1 % len(under_18)])],
            )
            _backdate(worry, 0)
        # A case with a safeguarding part: SMT flagged one entry for the DSL.
        leak = services.report_submit(
            actor=colleagues[4].user,
            category="confidential",
            summary="A spreadsheet of learner marks was visible in a photo posted from an event.",
            platform="Instagram",
        )
        services.triage(actor=sarah, case=leak, severity="high", investigator=sarah, clause_keys=["5.2"])
        services.entry_add(actor=sarah, case=leak, kind="action", text="Photo removed within the hour.")
        services.entry_add(
            actor=sarah, case=leak, kind="note", restricted=True,
            text="One learner on the sheet is a looked-after child: DSL to consider.",
        )  # fmt: skip
        _backdate(leak, 20, triage_after=0.3)
        # Raised from a rules-engine finding (the hook monitoring and checks will use).
        services.report_submit(
            actor=james,
            category="image_consent",
            summary="Draft post for @DMMentorUK shows learners without recorded consent (image-consent).",
            source="rules_finding",
            source_ref="draft 42: IMG001",
        )
        progress()

        # Closed cases over the past months, with outcomes.
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
        for category, summary, outcome, days_ago, subject, triage_days, close_days in closed_specs:
            case = services.report_submit(
                actor=reporter, category=category, summary=summary,
                parties=[PartyInput("subject", staff=subject)] if subject else [],
            )  # fmt: skip
            services.triage(actor=james, case=case, severity="medium", investigator=sarah)
            services.entry_add(actor=sarah, case=case, kind="note", text="Spoke to those involved.")
            services.case_close(
                actor=sarah, case=case, outcome=outcome, subject=subject, note="Recorded for the demo."
            )
            _backdate(case, days_ago, triage_after=triage_days, close_after=close_days)
        # Past retention: closed long ago, one waiting for review, one already anonymised.
        for n, summary in enumerate(
            ["An old complaint about a deleted post.", "An old review reply dispute."]
        ):
            old = services.report_submit(actor=reporter, category="criticism", summary=summary)
            services.triage(actor=james, case=old, severity="low", investigator=james)
            services.case_close(actor=james, case=old, outcome="no_further_action")
            Case.objects.filter(pk=old.pk).update(
                created_at=timezone.now() - dt.timedelta(days=800 + n * 10),
                triaged_at=timezone.now() - dt.timedelta(days=799 + n * 10),
                closed_at=timezone.now() - dt.timedelta(days=790 + n * 10),
                retain_until=today - dt.timedelta(days=60),
            )
            if n == 1:
                old.refresh_from_db()
                services.case_anonymise(actor=james, case=old)
        progress()
