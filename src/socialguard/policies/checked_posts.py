"""The posts the rules pages look at: re-checked by a pack preview, counted by rule quality, and
linked only where the reader may open them. Posts live in the content app, a layer above the
policy (pyproject.toml, [tool.importlinter]), so the policy asks through this hook and the content
app registers its answer when it starts (content.apps.ContentConfig.ready)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured

from socialguard.rules import Post


class CheckedPosts(Protocol):
    def recent(self, archive: int, drafts: int) -> list[tuple[str, int, Post]]:
        """("archive" or "draft", id, the post as the engine checks it): the newest `archive`
        published posts still up, then the `drafts` most recently changed drafts with text."""
        ...

    def findings(self, since: dt.datetime, until: dt.datetime) -> Iterable[tuple[int, list[dict[str, Any]]]]:
        """(draft id, findings) of every check made in [since, until)."""
        ...

    def overrides(self, since: dt.datetime, until: dt.datetime) -> Iterable[tuple[str, str, int]]:
        """(rule, reason, draft id) of every blocking finding overridden in [since, until)."""
        ...

    def visible(self, user: Any, draft_ids: list[int], archive_ids: list[int]) -> tuple[set[int], set[int]]:
        """The drafts and archived posts among these that this person may open."""
        ...


_provider: CheckedPosts | None = None


def register(provider: CheckedPosts) -> None:
    global _provider
    _provider = provider


def provider() -> CheckedPosts:
    if _provider is None:
        raise ImproperlyConfigured("no app provides the checked posts: is socialguard.content installed?")
    return _provider
