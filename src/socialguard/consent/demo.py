"""The demo's consent register, written through the services (so the audit trail verifies):
most current learners' consent imported from the MIS, some refusals, a withdrawal, and a
guardian's consent that lapses within weeks as the learner turns 18. The youngest learner, whose
photo the posts demo shows, has none: that post stays blocked until SMT decide."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone

from socialguard.consent.selectors import eighteenth_birthday
from socialguard.consent.services import consent_import, consent_withdraw
from socialguard.identity.models import User
from socialguard.people.models import Learner


def load_consent_demo(progress: Callable[[], object] = lambda: None) -> None:
    smt = User.objects.filter(email="james.okafor@dmm.example").first()
    if smt is None or not Learner.objects.exists():
        progress()
        return
    rng = random.Random(16)
    today = timezone.localdate()
    learners = [le for le in Learner.objects.order_by("external_id") if le.is_current_on(today)]
    youngest = Learner.objects.filter(date_of_birth__isnull=False).order_by("-date_of_birth").first()
    under_18 = [
        le for le in learners
        if le.date_of_birth and today < eighteenth_birthday(le.date_of_birth) and le.guardians.exists()
    ]  # fmt: skip
    # The guardian's consent that lapses soonest: the learner nearest their 18th birthday.
    lapsing = min(under_18, key=lambda le: eighteenth_birthday(le.date_of_birth), default=None)  # type: ignore[arg-type]
    rows = ["learner_id,status,scope,given_on,guardian_id,expires_on,note"]
    adults_given: list[Learner] = []
    for learner in learners:
        if youngest is not None and learner.pk == youngest.pk:
            continue  # no form yet: the posts demo's photo of them is blocked
        roll = rng.random()
        if learner is not lapsing and roll > 0.8:
            continue  # no answer recorded yet: a gap on the coverage page
        status = "refused" if learner is not lapsing and roll > 0.7 else "given"
        given_on = max(learner.start_date or today, (learner.date_of_birth or today) + dt.timedelta(days=1))
        given_on = min(given_on, today)
        guardian = ""
        if learner in under_18 or learner is lapsing:
            guardian = learner.guardians.order_by("external_id").first().external_id  # type: ignore[union-attr]
        rows.append(
            f"{learner.external_id},{status},social_media,{given_on.isoformat()},{guardian},,enrolment form"
        )
        if status == "given" and not guardian:
            adults_given.append(learner)
    consent_import(actor=smt, data=("\n".join(rows) + "\n").encode(), filename="mis-consent-export.csv")
    # One learner changed their mind: recorded as a withdrawal (nothing of theirs was published).
    if adults_given:
        consent_withdraw(
            actor=smt, kind="learner", ref=adults_given[-1].external_id, note="Emailed the office."
        )
    progress()
