"""The lockout counts an account however its address is spelt, and from any number of addresses."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.conf import LazySettings
from django.core.exceptions import ValidationError
from django.test import Client

from socialguard.identity.models import User
from socialguard.identity.roles import Role
from socialguard.identity.services import user_create
from tests.conftest import PASSWORD

SPELLINGS = [
    "gareth.price@dmm.example",
    "Gareth.Price@DMM.example",
    "GARETH.PRICE@DMM.EXAMPLE",
    "gareth.PRICE@dmm.example",
    " Gareth.price@dmm.example ",
    "gAreth.price@Dmm.Example",
    "gareth.pricE@dmm.examplE",
    "GARETH.price@dmm.EXAMPLE",
]


def _try(email: str, password: str, address: str = "127.0.0.1") -> int:
    response = Client(REMOTE_ADDR=address).post(
        "/account/sign-in/", {"username": email, "password": password}
    )
    return response.status_code


@pytest.fixture
def gareth(make_user: Any) -> User:
    user: User = make_user(Role.STAFF, email="gareth.price@dmm.example", name="Gareth Price")
    return user


def test_a_capitalised_address_is_the_same_locked_account(gareth: User, settings: LazySettings) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try("gareth.price@dmm.example", "wrong password")
    assert _try("Gareth.Price@DMM.example", PASSWORD) == 429


def test_guesses_spread_over_spellings_lock_at_the_same_limit(gareth: User, settings: LazySettings) -> None:
    answers = [_try(SPELLINGS[i % len(SPELLINGS)], "wrong password") for i in range(32)]
    assert answers[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert set(answers[settings.AXES_FAILURE_LIMIT - 1 :]) == {429}
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"gareth.price@dmm.example"}
    for spelling in SPELLINGS:
        assert _try(spelling, PASSWORD) == 429


def test_guesses_spread_over_addresses_lock_the_account(gareth: User, settings: LazySettings) -> None:
    settings.LOCKOUT_ACCOUNT_FAILURES = 12
    per_address = settings.AXES_FAILURE_LIMIT - 1  # never enough to pause one address
    for n in range(2):
        for _ in range(per_address):
            assert _try("gareth.price@dmm.example", "wrong password", f"10.0.0.{n}") == 200
    assert _try("gareth.price@dmm.example", PASSWORD, "10.0.1.1") == 302  # 8 failures: still open
    for _ in range(per_address):
        _try("gareth.price@dmm.example", "wrong password", "10.0.0.2")
    # 12 failures from three addresses: the account waits, whichever address asks next.
    assert _try("gareth.price@dmm.example", PASSWORD, "10.0.1.2") == 429
    assert _try("someone.else@dmm.example", "wrong password", "10.0.1.2") == 200


def test_a_look_alike_spelling_does_not_reach_the_account(gareth: User) -> None:
    # Django's email check accepts a dotless i; PostgreSQL's case-insensitive match would fold
    # it to "I", while the lockout would count it as another account.
    assert _try("gareth.pr\u0131ce@dmm.example", PASSWORD) == 200


def test_sign_ins_are_stored_in_one_spelling(db: Any) -> None:
    user = user_create(
        actor=None, email="  Gareth.Price@DMM.Example ", full_name="Gareth Price", password=None
    )
    assert user.email == "gareth.price@dmm.example"
    with pytest.raises(ValidationError, match="already exists"):
        user_create(actor=None, email="GARETH.PRICE@dmm.example", full_name="Twin", password=None)


def test_the_migration_normalises_addresses_stored_before(gareth: User, make_user: Any) -> None:
    migration = importlib.import_module("socialguard.identity.migrations.0003_normalise_emails")
    User.objects.filter(pk=gareth.pk).update(email="Gareth.Price@DMM.example")
    migration.normalise(apps, None)
    gareth.refresh_from_db()
    assert gareth.email == "gareth.price@dmm.example"
    twin = make_user(Role.STAFF, email="twin@dmm.example")
    User.objects.filter(pk=twin.pk).update(email="GARETH.price@dmm.example")
    with pytest.raises(RuntimeError, match="same email address apart from capitals"):
        migration.normalise(apps, None)
