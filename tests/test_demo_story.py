"""The demo tells a believable story over time, and every printed sign-in has a first task."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

import socialguard
from socialguard.audit.selectors import audit_verify
from socialguard.demo import load_all
from socialguard.democlock import clock_at
from socialguard.identity.models import User
from socialguard.people.demo import sign_in_sheet
from socialguard.policies import selectors
from socialguard.policies.models import Declaration, TrainingCompletion
from socialguard.policies.services import declarations_verify
from socialguard.web.home import home_items
from tests.conftest import sign_in

NOT_A_TASK = {"Consider two-factor sign-in"}


@pytest.fixture(scope="module")
def _demo_loaded(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, Path, list[Any]]]:
    """The demo, loaded once for this module (it takes several seconds) in a transaction that is
    rolled back after the module's last test: each test runs in a savepoint inside it (pytest-django's
    `db`, as Django's TestCase.setUpTestData), so what one test changes the next does not see."""
    data_dir = tmp_path_factory.mktemp("demo-data")
    checkpoints = tmp_path_factory.mktemp("demo-audit") / "audit-checkpoints.jsonl"
    with (
        django_db_blocker.unblock(),
        override_settings(DATA_DIR=data_dir, AUDIT_CHECKPOINT_FILE=checkpoints),
        transaction.atomic(),
    ):
        sent_before = len(mail.outbox)
        load_all()
        sent = list(mail.outbox[sent_before:])
        yield data_dir, checkpoints, sent
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_loaded: tuple[Path, Path, list[Any]], db: Any, settings: Any, tmp_path: Path) -> None:
    """Each test starts where loading the demo into its own DATA_DIR leaves it: the module's
    database (in a savepoint), a copy of the files and audit checkpoints the load wrote, its mail."""
    data_dir, checkpoints, sent = _demo_loaded
    shutil.copytree(data_dir, tmp_path, dirs_exist_ok=True)
    if checkpoints.exists():
        shutil.copy2(checkpoints, settings.AUDIT_CHECKPOINT_FILE)
    mail.outbox.extend(sent)
    settings.DATA_DIR = tmp_path


def test_every_printed_sign_in_has_something_to_do_on_their_home_page(demo: None) -> None:
    emails = [word for line in sign_in_sheet().splitlines() for word in line.split() if "@" in word]
    assert len(emails) == 10
    for email in emails:
        user = User.objects.get(email=email)
        tasks = [i for i in home_items(user) if i.title not in NOT_A_TASK]
        assert tasks, email
        page = sign_in(Client(), user).get("/")
        assert page.status_code == 200, email
        assert tasks[0].title in page.content.decode(), email


def test_each_role_finds_its_own_first_task(demo: None) -> None:
    def titles(email: str) -> list[str]:
        return [i.title for i in home_items(User.objects.get(email=email))]

    staff = titles("tom.bradley@dmm.example") + titles("chloe.nwosu@dmm.example")
    assert sum(t.startswith("Training:") for t in staff) >= 2
    assert any(t.startswith("Declare that you have read") for t in titles("gareth.price@dmm.example"))
    assert any(t.startswith("Decide the proposal") for t in titles("james.okafor@dmm.example"))
    assert any("to triage" in t for t in titles("amira.begum@dmm.example"))
    deputy = titles("priya.shah@dmm.example")
    assert any(t.startswith("Your task on case C-") and t.endswith(" is due tomorrow") for t in deputy), (
        deputy
    )
    helen = home_items(User.objects.get(email="helen.carter@dmm.example"))
    review = next(i for i in helen if i.title.endswith(" review") and "due" in i.detail)
    assert review.detail.endswith("You start the review.")  # she is the one who starts it (3.1)
    assert "Check that no recorded change was altered" in titles("auditor@dmm.example")


def test_declarations_spread_over_weeks_with_no_cliff(demo: None) -> None:
    version = selectors.current_version()
    assert version is not None and version.number == 2
    rows = selectors.declaration_rows(version)
    trend = selectors.coverage_trend(version, rows)
    assert (trend[-1][0] - trend[0][0]).days >= 28
    jumps = [b[1] - a[1] for a, b in itertools.pairwise([(None, 0), *trend])]
    assert max(jumps) <= 20, jumps  # the old demo went from 0% to 86% in one day
    days = {timezone.localdate(d) for d in Declaration.objects.values_list("declared_at", flat=True)}
    assert len(days) >= 20
    first = Declaration.objects.filter(version__number=1)
    assert first.exists() and all(d.declared_at < version.published_at for d in first)


def test_nobody_owes_a_declaration_for_years(demo: None) -> None:
    version = selectors.current_version()
    assert version is not None
    today = timezone.localdate()
    owed = [r.days_owed(today) for r in selectors.declaration_rows(version) if not r.declared]
    assert owed and max(owed) <= 120


def test_training_was_recorded_as_it_happened(demo: None) -> None:
    dates = set(TrainingCompletion.objects.values_list("completed_on", flat=True))
    assert len(dates) >= 20
    assert min(dates) < timezone.localdate() - dt.timedelta(days=365)
    statuses = selectors.training_statuses()
    assert {"ok", "expired"} <= {s.state for s in statuses}
    never = [s.due_on for s in statuses if s.state == "overdue" and s.due_on]
    assert all(due > timezone.localdate() - dt.timedelta(days=120) for due in never), never


def test_the_backdated_history_keeps_the_audit_trail_and_declarations_intact(demo: None) -> None:
    assert audit_verify().ok
    assert declarations_verify() == []


def test_the_demo_clock_is_restored_and_used_only_by_demo_loaders() -> None:
    real = timezone.now
    with pytest.raises(RuntimeError), clock_at(dt.datetime(2022, 2, 1, 9, tzinfo=dt.UTC)):
        assert timezone.localdate() == dt.date(2022, 2, 1)
        raise RuntimeError
    assert timezone.now is real
    src = Path(socialguard.__file__).parent
    users = {p.relative_to(src).as_posix() for p in src.rglob("*.py") if "clock_at" in p.read_text()}
    assert users == {
        "democlock.py",
        "policies/demo.py",
        "incidents/demo.py",
        "accounts/demo.py",
        "content/demo.py",
        "privacy/demo.py",
    }


def test_accounts_were_proposed_then_decided_then_set_up_on_their_own_dates(demo: None) -> None:
    from socialguard.accounts.models import MonitoringReview, OrgAccount, Proposal
    from socialguard.audit.models import AuditEvent

    now = timezone.now()
    for proposal in Proposal.objects.all():
        assert proposal.submitted_at < now - dt.timedelta(days=1), proposal
        if proposal.decided_at is not None:
            assert proposal.submitted_at < proposal.decided_at < now, proposal
    for account in OrgAccount.objects.exclude(proposal=None):
        assert account.proposal is not None and account.proposal.decided_at is not None
        assert account.proposal.decided_at < account.created_at < now, account
    reviews = list(MonitoringReview.objects.all())
    assert reviews
    for review in reviews:
        assert review.account.created_at.date() < review.reviewed_on < timezone.localdate(), review
    # Their audit events carry those dates too (not the day the demo was loaded).
    proposed = AuditEvent.objects.filter(action__in=["accounts.proposed", "accounts.proposal_approved"])
    assert proposed and all(e.at < now - dt.timedelta(days=1) for e in proposed)
