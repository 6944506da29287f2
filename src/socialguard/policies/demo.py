"""The demo organisation's policy, declarations and training.

The policy is DMM's own (`shared/seed/social-media-policy.md`) when that file is beside the
project; otherwise socialguard's stand-in outline with the same clause numbers and headings.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from socialguard.democlock import clock_at
from socialguard.identity.models import User
from socialguard.people.demo import ROLE_HOLDERS
from socialguard.people.models import StaffMember
from socialguard.policies import selectors, services
from socialguard.policies.models import Audience, Course, PolicyDocument, PolicyVersion
from socialguard.policies.services import add_months
from socialguard.rules.pack import DMM_PACK

SEED_POLICY = Path(settings.PROJECT_ROOT).parent / "shared" / "seed" / "social-media-policy.md"
STAND_IN = Path(__file__).with_name("demo_policy.md")
QUALITY_DIRECTOR = "helen.carter@dmm.example"
SMT_RECORDER = "james.okafor@dmm.example"
SEED = 2023

COURSES = [
    (
        "policy-induction",
        "Social media policy induction",
        Audience.EVERYONE,
        24,
        "What the policy asks of everyone: conduct, personal data, learners, reporting concerns.",
    ),
    (
        "account-runner",
        "Running an organisational account",
        Audience.ACCOUNT_RUNNERS,
        12,
        "For runners of DMM's accounts (5.5): approvals, consent, security, moderation.",
    ),
    (
        "leaders-online-safety",
        "Online safety oversight for leaders",
        Audience.SMT,
        12,
        "For SMT (3.2): monitoring accounts, investigating incidents, safeguarding referrals.",
    ),
    (
        "dsl-refresher",
        "Designated Safeguarding Lead refresher",
        Audience.DSL,
        24,
        "The DSL's formal training, renewed every two years.",
    ),
]


# The story: version 1 (the policy's own issue date) was declared over the weeks after it came
# out; version 2, a small change to 5.4, came out V2_DAYS_AGO with its full review due soon, and
# most staff have declared it since, some late, some not yet. Training was recorded as it happened.
V2_DAYS_AGO = 56
V2_REVIEW_MONTHS = 3  # an interim change: the full review (3.1) follows within a quarter
V2_CHANGE = (
    "Report any post that names or shows a learner to the Designated Safeguarding Lead on the same "
    "working day, even when it has already been taken down."
)
# The printed staff sign-ins (`socialguard setup`) each find something to do on their home page.
STAFF_TASKS = {
    "S006": "induction expired",  # Tom: his policy induction expired a few weeks ago
    "S007": "induction expiring",  # Chloe: hers expires within the month
    "S008": "declare",  # Gareth: declared version 1, still owes version 2
}
# The other role holders lead by example (declared, trained), so their own role's task comes first.
ROLE_HOLDER_IDS = frozenset(holder[0] for holder in ROLE_HOLDERS)


def policy_source() -> Path:
    return SEED_POLICY if SEED_POLICY.is_file() else STAND_IN


def second_version_text(text: str) -> str:
    """Version 2: version 1 with one paragraph added under 5.4."""
    lines = text.splitlines()
    for n, line in enumerate(lines):
        if "5.4" in line and line.lstrip().startswith("#"):
            return "\n".join([*lines[: n + 1], "", V2_CHANGE, *lines[n + 1 :]]) + "\n"
    return text + f"\n\n{V2_CHANGE}\n"


def _delay(rng: random.Random) -> int:
    """Days from being asked to declaring: most within the escalation fortnight, some late."""
    roll = rng.random()
    if roll < 0.6:
        return rng.randint(0, 12)
    if roll < 0.88:
        return rng.randint(13, 30)
    return rng.randint(31, 80)


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    """A working-hours time on `day`."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59))))


def _declare(member: StaffMember, version: PolicyVersion) -> Callable[[], object]:
    assert member.user is not None
    user = member.user

    def declare() -> object:
        version.refresh_from_db()
        return services.declaration_make(
            actor=user,
            staff=member,
            version=version,
            confirmations=dict.fromkeys(services.DECLARATION_FIELDS, True),
            ip_address="192.0.2.10",
        )

    return declare


def _completions(
    member: StaffMember, course: Course, rng: random.Random, since: dt.date, today: dt.date
) -> list[dt.date]:
    """When `member` completed `course`: first within weeks of joining (or of the course being set
    up), then each refresher around its expiry; about one in six has let the latest one lapse."""
    special = STAFF_TASKS.get(member.external_id) if course.code == "policy-induction" else None
    last_cycle = add_months(today, -(course.refresher_months or 0))
    if special == "induction expired":
        return [last_cycle - dt.timedelta(days=rng.randint(15, 25))]
    if special == "induction expiring":
        return [last_cycle + dt.timedelta(days=rng.randint(10, 20))]
    day = max(member.start_date or since, since) + dt.timedelta(days=rng.randint(3, 40))
    done: list[dt.date] = []
    while day < today:
        done.append(day)
        if not course.refresher_months:
            break
        day = add_months(day, course.refresher_months) + dt.timedelta(days=rng.randint(-25, 20))
    if len(done) > 1 and member.external_id not in ROLE_HOLDER_IDS and rng.random() < 0.17:
        done.pop()  # lapsed: the one before has expired
    return done


def load_policy_demo(progress: Callable[[], object] = lambda: None) -> None:
    if PolicyDocument.objects.exists():
        return  # `demo --force` keeps the policy history that is already there
    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate()
    owner = User.objects.get(email=QUALITY_DIRECTOR)
    recorder = User.objects.get(email=SMT_RECORDER)
    source = policy_source()
    in_post = list(selectors.staff_in_post().exclude(user=None).order_by("external_id"))
    with transaction.atomic():
        # Version 1, published on its own issue date.
        data = source.read_bytes()
        with clock_at(timezone.make_aware(dt.datetime(2022, 1, 17, 11))):
            first = services.policy_import(actor=owner, data=data, filename=source.name)
        issue = first.issue_date or dt.date(2022, 2, 1)
        with clock_at(_moment(issue, rng)):
            services.version_publish(
                actor=owner,
                version=first,
                issue_date=issue,
                next_review_date=first.next_review_date or dt.date(2023, 2, 1),
            )
        with clock_at(_moment(issue + dt.timedelta(days=7), rng)):
            courses = {
                code: services.course_save(
                    actor=recorder,
                    values={
                        "code": code,
                        "name": name,
                        "required_for": audience,
                        "refresher_months": months,
                        "description": description,
                    },
                )
                for code, name, audience, months, description in COURSES
            }
            # DMM's rules pack, as its Quality Director would keep it (docs/rules.md).
            services.pack_save(actor=owner, text=DMM_PACK.read_text(encoding="utf-8"))
        progress()

        # Everything after that, written in the order it happened.
        v2_day = today - dt.timedelta(days=V2_DAYS_AGO)
        second: dict[str, PolicyVersion] = {}
        events: list[tuple[dt.datetime, int, Callable[[], object]]] = []

        def add(when: dt.datetime, action: Callable[[], object]) -> None:
            if when < now:  # what would happen later has not happened yet: it is still owed
                events.append((when, len(events), action))

        for member in in_post:
            asked = max(issue, member.start_date or issue)
            if asked >= v2_day - dt.timedelta(days=3) or (
                rng.random() < 0.12 and member.external_id not in ROLE_HOLDER_IDS
            ):
                continue  # joined too late for version 1, or never declared it
            declared = asked + dt.timedelta(days=_delay(rng))
            if declared < v2_day:
                add(_moment(declared, rng), _declare(member, first))

        def import_second() -> None:
            text = second_version_text(data.decode("utf-8"))
            name = f"{Path(source.name).stem}-v2.md"
            second["v"] = services.policy_import(actor=owner, data=text.encode(), filename=name)

        def publish_second() -> None:
            services.version_publish(
                actor=owner,
                version=second["v"],
                issue_date=v2_day,
                next_review_date=add_months(v2_day, V2_REVIEW_MONTHS),
            )

        add(_moment(v2_day - dt.timedelta(days=9), rng), import_second)
        add(timezone.make_aware(dt.datetime.combine(v2_day, dt.time(7, 30))), publish_second)
        for member in in_post:
            if STAFF_TASKS.get(member.external_id) == "declare" or (
                rng.random() < 0.1 and member.external_id not in ROLE_HOLDER_IDS
            ):
                continue  # still owes version 2
            asked = max(v2_day, member.start_date or v2_day)
            prompt = member.external_id in ROLE_HOLDER_IDS  # they published it, or lead on it
            declared = asked + dt.timedelta(days=rng.randint(0, 10) if prompt else _delay(rng))

            def declare_second(member: StaffMember = member) -> object:
                return _declare(member, second["v"])()

            add(_moment(declared, rng), declare_second)

        for member in selectors.staff_in_post().order_by("external_id"):
            for code in ("policy-induction", "leaders-online-safety", "dsl-refresher"):
                course = courses[code]
                if not selectors.audience_members(course.required_for).filter(pk=member.pk).exists():
                    continue
                recent = (member.start_date or issue) > today - dt.timedelta(days=120)
                if recent and rng.random() < 0.5 and member.external_id not in ROLE_HOLDER_IDS:
                    continue  # joined in the last few months and not trained yet
                for day in _completions(member, course, rng, issue + dt.timedelta(days=7), today):
                    recorded = min(
                        _moment(day + dt.timedelta(days=rng.randint(0, 3)), rng),
                        now - dt.timedelta(minutes=1),
                    )

                    def record(
                        member: StaffMember = member, course: Course = course, day: dt.date = day
                    ) -> object:
                        return services.completion_record(
                            actor=recorder,
                            staff=member,
                            course=course,
                            completed_on=day,
                            evidence=f"Certificate {rng.randint(10000, 99999)}",
                        )

                    add(recorded, record)
        progress()

        for when, _, action in sorted(events, key=lambda e: (e[0], e[1])):
            with clock_at(when):
                action()
        progress()
