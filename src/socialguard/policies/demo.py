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

from socialguard.identity.models import User
from socialguard.policies import selectors, services
from socialguard.policies.models import Audience, PolicyDocument, PolicyVersion

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


def policy_source() -> Path:
    return SEED_POLICY if SEED_POLICY.is_file() else STAND_IN


def load_policy_demo(progress: Callable[[], object] = lambda: None) -> None:
    if PolicyDocument.objects.exists():
        return  # `demo --force` keeps the policy history that is already there
    rng = random.Random(SEED)
    today = timezone.localdate()
    owner = User.objects.get(email=QUALITY_DIRECTOR)
    recorder = User.objects.get(email=SMT_RECORDER)
    source = policy_source()
    with transaction.atomic():
        version = services.policy_import(actor=owner, data=source.read_bytes(), filename=source.name)
        issue = version.issue_date or dt.date(2022, 2, 1)
        services.version_publish(
            actor=owner,
            version=version,
            issue_date=issue,
            next_review_date=version.next_review_date or dt.date(2023, 2, 1),
        )
        # It was published on its issue date; only the status fields may move after publication.
        PolicyVersion.objects.filter(pk=version.pk).update(
            published_at=timezone.make_aware(dt.datetime.combine(issue, dt.time(9)))
        )
        version.refresh_from_db()
        progress()

        in_post = list(selectors.staff_in_post().exclude(user=None).order_by("external_id"))
        for n, member in enumerate(in_post):
            if n % 7 == 3:
                continue  # about one in seven have not declared: the coverage page has gaps to show
            services.declaration_make(
                actor=member.user,
                staff=member,
                version=version,
                confirmations=dict.fromkeys(services.DECLARATION_FIELDS, True),
                ip_address="192.0.2.10",
            )
        progress()

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
        for member in selectors.staff_in_post().order_by("external_id"):
            for code in ("policy-induction", "leaders-online-safety", "dsl-refresher"):
                course = courses[code]
                if not selectors.audience_members(course.required_for).filter(pk=member.pk).exists():
                    continue
                if rng.random() < 0.2:
                    continue  # never trained
                earliest = max(member.start_date or today, today - dt.timedelta(days=900))
                span = max(1, (today - earliest).days)
                services.completion_record(
                    actor=recorder,
                    staff=member,
                    course=course,
                    completed_on=earliest + dt.timedelta(days=rng.randint(0, span - 1)),
                    evidence=f"Certificate {rng.randint(10000, 99999)}",
                )
        progress()
