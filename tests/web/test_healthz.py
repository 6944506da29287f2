"""/healthz reports the database and whether a task worker is processing tasks."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from socialguard.identity.roles import Role


@pytest.mark.django_db(transaction=True)
def test_worker_liveness_round_trip(client: Client) -> None:
    first = client.get("/healthz")
    assert first.status_code == 503
    assert first.json() == {"database": "ok", "worker": "stale", "worker_last_seen": None}
    # A real db_worker run picks up the heartbeat that /healthz enqueued.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    second = client.get("/healthz")
    assert second.status_code == 200
    assert second.json()["worker"] == "ok"


def test_home_lists_next_steps_for_smt(client_for: Any) -> None:
    page = client_for(Role.SMT).get("/")
    assert "Import your staff" in page.content.decode()
