"""Shared fixtures: one person per role, signed in (with a verified second factor where needed)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialguard.identity.models import User
from socialguard.identity.roles import TWO_FACTOR_ROLES, Role
from socialguard.identity.services import user_create
from socialguard.people.models import Department, Guardian, Learner, StaffMember
from tests.dates import years_before

pytest_plugins = ["tests.policy_fixtures", "tests.case_fixtures", "tests.atproto"]

PASSWORD = "correct horse battery staple"
RULES_TESTS = Path(__file__).resolve().parent / "rules"
# Run once, on PostgreSQL, where scripts/test.sh runs the suite on both databases: generated
# requests find what PostgreSQL refuses and SQLite lets through (over-long values, NUL characters).
POSTGRES_ONLY_WHEN_BOTH_RUN = [Path(__file__).resolve().parent / "api" / "test_schemathesis.py"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Each database run leaves out what the other covers.

    On PostgreSQL, the rules engine's tests: the engine is framework-free (it cannot import
    Django: tests/rules/test_framework_free.py), so a second database tests nothing new there, and
    they ran on SQLite. The markup walk does the same (tests/browser/test_every_page.py).

    On SQLite, when scripts/test.sh runs PostgreSQL too (SOCIALGUARD_TESTS_POSTGRES_RUN=1), the
    API's schemathesis run, which is slow (a few minutes) and finds more on PostgreSQL."""
    from django.db import connection

    if connection.vendor == "postgresql":
        left_out = [item for item in items if item.path.is_relative_to(RULES_TESTS)]
    elif os.environ.get("SOCIALGUARD_TESTS_POSTGRES_RUN") == "1":
        left_out = [item for item in items if item.path in POSTGRES_ONLY_WHEN_BOTH_RUN]
    else:
        return
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        dropped = set(map(id, left_out))
        items[:] = [item for item in items if id(item) not in dropped]


@pytest.fixture(autouse=True, scope="session")
def _own_model_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    # The rules engine's prepared models (rules/detectors/model_cache.py) go to this run's folder,
    # not the user's cache; the CLI's subprocesses inherit it.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOCIALGUARD_MODEL_CACHE", str(tmp_path_factory.mktemp("model-cache")))
        yield


@pytest.fixture(autouse=True)
def _own_audit_checkpoint_file(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    # Each test's database starts empty, so checkpoints written by one must not meet another's chain.
    settings.AUDIT_CHECKPOINT_FILE = tmp_path_factory.mktemp("audit") / "audit-checkpoints.jsonl"


def totp_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(*roles: Role, email: str | None = None, name: str | None = None) -> User:
        n = next(counter)
        return user_create(
            actor=None,
            email=email or f"person{n}@dmm.example",
            full_name=name or f"Person {n}",
            password=PASSWORD,
            roles=roles,
        )

    return make


def sign_in(client: Client, user: User) -> Client:
    """Sign in as `user`; where their role needs two factors, enrol and verify a device too."""
    client.force_login(user)
    if set(user.roles) & TWO_FACTOR_ROLES:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(make_user: Callable[..., User]) -> Callable[..., Client]:
    def build(*roles: Role) -> Client:
        return sign_in(Client(), make_user(*roles))

    return build


@pytest.fixture
def register(db: Any) -> dict[str, Any]:
    """A small register: two departments, three staff, two learners (one under 18), a guardian."""
    dept = Department.objects.create(name="Digital Marketing", site="Manchester")
    boss = StaffMember.objects.create(
        external_id="S1",
        first_name="Ada",
        last_name="Boss",
        employment_type="employee",
        department=dept,
        job_title="Head of Delivery",
        start_date=dt.date(2020, 1, 6),
    )
    tutor = StaffMember.objects.create(
        external_id="S2",
        first_name="Ben",
        last_name="Tutor",
        employment_type="contract_worker",
        department=dept,
        line_manager=boss,
        job_title="Tutor",
    )
    volunteer = StaffMember.objects.create(
        external_id="S3",
        first_name="Cara",
        last_name="Helper",
        employment_type="volunteer",
        line_manager=boss,
    )
    today = dt.date.today()
    young = Learner.objects.create(
        external_id="L1",
        first_name="Dan",
        last_name="Young",
        date_of_birth=years_before(today, 16),
        programme="Digital Marketer Level 3",
    )
    past = Learner.objects.create(
        external_id="L2",
        first_name="Eve",
        last_name="Former",
        date_of_birth=dt.date(1990, 5, 1),
        start_date=dt.date(2020, 9, 1),
        end_date=dt.date(2021, 7, 1),
    )
    guardian = Guardian.objects.create(external_id="G1", first_name="Fay", last_name="Young")
    guardian.learners.add(young)
    return {
        "dept": dept,
        "boss": boss,
        "tutor": tutor,
        "volunteer": volunteer,
        "young": young,
        "past": past,
        "guardian": guardian,
    }
