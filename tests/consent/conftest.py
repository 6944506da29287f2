"""The content fixtures (an account with two runners, SMT, the in-memory platform) and a clock
that tests can move: every date in the consent register comes from `timezone.localdate()`."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.utils import timezone
from PIL import Image

from tests.content.conftest import fresh_engine_cache, media_dir, platform, team  # noqa: F401


@pytest.fixture
def move_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.date], None]:
    def move(day: dt.date) -> None:
        when = timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))
        monkeypatch.setattr(timezone, "now", lambda: when)

    return move


def png(colour: str = "blue", size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()
