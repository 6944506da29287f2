"""A refused request logs one line, not a traceback; a server error keeps its traceback.

Checked through the console handler that settings.LOGGING configures, as the server's log is its output."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

import pytest
from django.test import Client

from socialguard.identity.roles import Role

pytestmark = pytest.mark.django_db


def _console_line(record: logging.LogRecord) -> str:
    console = next(h for h in logging.getLogger().handlers if h.name == "console")
    assert console.filter(record)
    return console.format(record).split(" ", 2)[2]  # without the date and time


def _logged(caplog: pytest.LogCaptureFixture, name: str) -> list[str]:
    return [_console_line(r) for r in caplog.records if r.name.startswith(name)]


def test_a_403_logs_one_line(client_for: Callable[..., Client], caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client_for(Role.STAFF).get("/audit/").status_code == 403
    assert _logged(caplog, "django.request") == [
        "WARNING django.request Forbidden (Permission denied): /audit/"
    ]


def test_a_404_logs_one_line(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/no-such-page").status_code == 404
    assert _logged(caplog, "django.request") == ["WARNING django.request Not Found: /no-such-page"]


def test_a_bad_host_logs_one_line(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert client.get("/account/sign-in/", HTTP_HOST="evil.example").status_code == 400
    (line,) = _logged(caplog, "django.security")
    assert line.startswith("ERROR django.security.DisallowedHost Invalid HTTP_HOST header: 'evil.example'")
    assert "\n" not in line and "Traceback" not in line


def test_a_server_error_keeps_its_traceback() -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        exc_info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Server Error: /", (), exc_info)
    record.status_code = 500
    line = _console_line(record)
    assert "Traceback" in line and "RuntimeError: boom" in line
