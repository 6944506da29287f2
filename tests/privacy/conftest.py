from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from socialguard.identity.models import User
from socialguard.identity.roles import Role
from tests.conftest import sign_in


@pytest.fixture
def staff_client(register: dict[str, Any], make_user: Callable[..., User]) -> tuple[Client, User]:
    """Ben Tutor, signed in as staff, linked to his staff record."""
    user = make_user(Role.STAFF, email="ben@dmm.example", name="Ben Tutor")
    tutor = register["tutor"]
    tutor.user = user
    tutor.save()
    # Signed in for longer than the first privacy review's grace period, so it is due now.
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - dt.timedelta(days=40))
    user.refresh_from_db()
    return sign_in(Client(), user), user
