"""Links in emails and reminder previews name the port the app is served on: `serve --port N`
(and `make run PORT=N`, which calls it) hands its children SITE_URL for that port unless one is set,
and the preview page uses the address it was asked on."""

from __future__ import annotations

import re
import socket
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client

from socialguard import cli, supervisor
from tests.conftest import sign_in


def test_served_site_url() -> None:
    assert cli.served_site_url("127.0.0.1", 8123) == "http://127.0.0.1:8123"
    assert cli.served_site_url("0.0.0.0", 8123) == "http://127.0.0.1:8123"
    assert cli.served_site_url("::", 9000, socket.AF_INET6) == "http://127.0.0.1:9000"
    assert cli.served_site_url("::1", 9000, socket.AF_INET6) == "http://[::1]:9000"


class _Supervisor:
    """Stands in for the real one: records the environment serve gives its children, starts nothing."""

    envs: list[dict[str, str]] = []

    def __init__(self, children: Any, *, env: dict[str, str], **_: Any) -> None:
        self.envs.append(env)
        self.stopping = False

    def start(self) -> None:
        self.stopping = True

    def tick(self) -> None:
        return None

    def stop(self) -> None:
        return None


@pytest.fixture
def children_env(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, str]]:
    _Supervisor.envs = []
    monkeypatch.setattr(supervisor, "Supervisor", _Supervisor)
    monkeypatch.setattr(cli, "refuse_unsafe_start", lambda *a, **k: None)
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: None)  # collectstatic
    monkeypatch.setattr(cli.signal, "signal", lambda *a: None)  # leave pytest's handlers alone
    monkeypatch.delenv("SOCIALGUARD_SITE_URL", raising=False)
    return _Supervisor.envs


def test_serve_gives_its_children_the_site_url_of_its_port(children_env: list[dict[str, str]]) -> None:
    result = CliRunner().invoke(cli.main, ["serve", "--port", "0", "--no-task-worker"])
    assert result.exit_code == 0, result.output
    port = re.search(r"running on http://127\.0\.0\.1:(\d+)/", result.output)
    assert port, result.output
    assert children_env[0]["SOCIALGUARD_SITE_URL"] == f"http://127.0.0.1:{port.group(1)}"


def test_a_site_url_set_explicitly_is_kept(
    children_env: list[dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALGUARD_SITE_URL", "https://socialguard.example.org")
    result = CliRunner().invoke(cli.main, ["serve", "--port", "0", "--no-task-worker"])
    assert result.exit_code == 0, result.output
    assert children_env[0]["SOCIALGUARD_SITE_URL"] == "https://socialguard.example.org"


def test_the_reminder_preview_links_to_the_address_it_was_asked_on(
    published: dict[str, Any], settings: Any
) -> None:
    settings.SITE_URL = "http://127.0.0.1:8000"
    client = sign_in(Client(), published["qd"])
    page = client.get("/policy/reminders/", HTTP_HOST="localhost:8123").content.decode()
    assert "http://localhost:8123/policy/review/" in page and ":8000" not in page
