from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

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
    return sign_in(Client(), user), user
