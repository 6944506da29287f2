"""Asking the author for changes: a comment, the history, and back to approval on resubmit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socialguard.content import services
from socialguard.content.models import State
from tests.content.conftest import GOOD, submitted


def test_a_runner_asks_for_changes_with_a_comment(team: dict[str, Any]) -> None:
    draft = submitted(team)
    with pytest.raises(ValidationError):
        services.draft_request_changes(actor=team["runner2"], draft=draft, comment="  ")
    draft = services.draft_request_changes(actor=team["runner2"], draft=draft, comment="Say which month")
    assert draft.state == State.CHANGES_REQUESTED
    assert draft.events.get(kind="changes_requested").comment == "Say which month"
    draft = services.draft_save(actor=team["runner"], draft=draft, text=GOOD)
    draft = services.draft_submit(actor=team["runner"], draft=draft)
    assert draft.state == State.SUBMITTED


def test_the_author_and_outsiders_do_not_ask_for_changes(team: dict[str, Any]) -> None:
    draft = submitted(team)
    for who in ("runner", "outsider"):
        with pytest.raises(PermissionDenied):
            services.draft_request_changes(actor=team[who], draft=draft, comment="no")
