"""Consent about to lapse (SMT's home page and digest) at size (issue 21): the same learners as a
walk over every learner finds, read from the few whose consent could lapse in the window."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.utils import timezone

from socialguard.consent import selectors
from socialguard.consent.models import ConsentRecord, Evidence, Scope, Status, SubjectKind
from socialguard.people.models import Guardian, Learner
from tests.dates import years_before


def _walk_every_learner(today: dt.date) -> list[tuple[str, dt.date, str]]:
    """The reference: every current learner's state, as `lapsing` once computed it."""
    horizon = today + dt.timedelta(days=selectors.LAPSE_WARNING_DAYS)
    current = [le for le in Learner.objects.all() if le.is_current_on(today)]
    states = selectors.states_of_learners(current, today=today)
    found = []
    for learner in current:
        state = states[learner.external_id]
        if state.may_post and state.lapses_on and state.lapses_on <= horizon and state.record:
            found.append((learner.external_id, state.lapses_on))
    return sorted(found)  # type: ignore[arg-type]


def _register(n: int, seed: int) -> None:
    rng = random.Random(seed)
    today = timezone.localdate()
    guardian = Guardian.objects.create(external_id=f"GL{seed}", first_name="Gail", last_name="Guard")
    learners = Learner.objects.bulk_create(
        Learner(
            external_id=f"LL{seed}-{i}",
            first_name="Lou",
            last_name=f"L{i}",
            # Around their 18th birthday, either side of the warning window, some unknown.
            date_of_birth=rng.choice(
                [None, years_before(today, 18) + dt.timedelta(days=rng.randrange(-90, 120))]
            ),
            end_date=rng.choice([None, None, today - dt.timedelta(days=5)]),
        )
        for i in range(n)
    )
    now = timezone.now()
    records = []
    for i, learner in enumerate(learners):
        for k in range(rng.choice([0, 1, 1, 2])):
            records.append(
                ConsentRecord(
                    subject_kind=SubjectKind.LEARNER,
                    subject_id=learner.external_id,
                    subject_name=learner.full_name,
                    status=rng.choice([Status.GIVEN, Status.GIVEN, Status.REFUSED, Status.WITHDRAWN]),
                    scope=rng.choice([Scope.SOCIAL_MEDIA, Scope.SOCIAL_MEDIA, *Scope.values]),
                    guardian=rng.choice([None, guardian]),
                    given_on=today - dt.timedelta(days=400),
                    expires_on=rng.choice([None, today + dt.timedelta(days=rng.randrange(-30, 120))]),
                    evidence=Evidence.MIS,
                    recorded_at=now - dt.timedelta(minutes=10 - k, seconds=i),
                )
            )
    ConsentRecord.objects.bulk_create(records)


def test_lapsing_finds_what_a_walk_over_every_learner_finds(db: Any) -> None:
    _register(300, seed=1)
    today = timezone.localdate()
    found = [(lapse.learner.external_id, lapse.on) for lapse in selectors.lapsing(today=today)]
    expected = _walk_every_learner(today)
    assert sorted(found) == expected
    assert len(expected) > 5  # the data has some of each to find


def test_lapsing_reads_only_the_learners_whose_consent_could_lapse(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _register(60, seed=2)
    # Learners with no consent at all: reading them is the cost that grew with the register.
    Learner.objects.bulk_create(
        Learner(external_id=f"N{i}", first_name="No", last_name="Consent") for i in range(300)
    )
    read: list[int] = []
    states = selectors.states_of_learners

    def counting(learners: Any, *args: Any, **kwargs: Any) -> Any:
        learners = list(learners)
        read.append(len(learners))
        return states(learners, *args, **kwargs)

    monkeypatch.setattr(selectors, "states_of_learners", counting)
    selectors.lapsing()
    assert read and read[0] <= 60
