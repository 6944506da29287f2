"""Fixtures for monitoring: the content app's team (an organisational Bluesky account with two
runners, SMT, a register), a DSL, and an in-memory platform whose own feed, search results and
accounts the tests set, paging newest first with cursors like the AppView."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from socialguard.connectors import base as connectors
from socialguard.identity.roles import Role
from socialguard.monitoring import services
from socialguard.monitoring.models import Kind, Source
from tests.content.conftest import fresh_engine_cache, media_dir, platform, team  # noqa: F401

FIXTURES = Path(__file__).parent / "fixtures"
_clock = iter(range(1, 1_000_000))


@dataclass
class Network:
    """Posts newest first, searchable; accounts for actor search; failures on demand."""

    own: list[connectors.PlatformPost] = field(default_factory=list)
    others: list[connectors.PlatformPost] = field(default_factory=list)
    accounts: list[connectors.AccountInfo] = field(default_factory=list)
    fail_next: list[Exception] = field(default_factory=list)
    page_size: int = 2
    calls: int = 0
    sign_ins: int = 0

    def post(
        self, text: str, *, own: bool = False, author: str = "someone.bsky.social"
    ) -> connectors.PlatformPost:
        n = next(_clock)
        handle = "dmm-news.bsky.social" if own else author
        created = dt.datetime(2026, 11, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=n)
        post = connectors.PlatformPost(
            uri=f"at://did:plc:{handle.split('.')[0]}/app.bsky.feed.post/rk{n:06d}",
            id=f"cid{n}",
            url=f"https://bsky.app/profile/{handle}/post/rk{n:06d}",
            text=text,
            author_handle=handle,
            created_at=created,
        )
        (self.own if own else self.others).insert(0, post)
        return post

    def page(
        self, posts: list[connectors.PlatformPost], cursor: str
    ) -> tuple[list[connectors.PlatformPost], str]:
        self.calls += 1
        if self.fail_next:
            raise self.fail_next.pop(0)
        # Like the AppView's: the cursor is the time of the last post returned, so posts added at
        # the top meanwhile do not shift the pages below.
        older = [p for p in posts if not cursor or (p.created_at and p.created_at.isoformat() < cursor)]
        chunk = older[: self.page_size]
        more = len(older) > self.page_size
        return chunk, chunk[-1].created_at.isoformat() if more and chunk[-1].created_at else ""


class MonitorConnector:
    platform = "bluesky"
    max_length = 300

    def __init__(self, network: Network) -> None:
        self.network = network

    def fetch_own_posts(
        self, *, cursor: str = "", limit: int = 50
    ) -> tuple[list[connectors.PlatformPost], str]:
        return self.network.page(self.network.own, cursor)

    def search_mentions(
        self, query: str, *, cursor: str = "", limit: int = 50
    ) -> tuple[list[connectors.PlatformPost], str]:
        found = [p for p in self.network.own + self.network.others if query.casefold() in p.text.casefold()]
        found.sort(key=lambda p: p.created_at or dt.datetime.min, reverse=True)
        return self.network.page(found, cursor)

    def search_accounts(self, query: str, *, limit: int = 25) -> list[connectors.AccountInfo]:
        self.network.calls += 1
        if self.network.fail_next:
            raise self.network.fail_next.pop(0)
        return list(self.network.accounts)


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Network:
    net = Network()

    def connector(source: Source) -> MonitorConnector:
        net.sign_ins += 1
        return MonitorConnector(net)

    monkeypatch.setattr(services, "_connector", connector)
    return net


@pytest.fixture
def org(team: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:  # noqa: F811
    """The team, the organisation's alias DMM, a DSL, and three sources: own posts, mentions,
    look-alikes."""
    from socialguard.people.models import Organisation

    Organisation.objects.update(aliases="DMM", handles="dmm-news.bsky.social")
    dsl = make_user(Role.DSL, email="dsl@dmm.example", name="Di Safe")
    smt = team["smt"]
    own = services.source_save(actor=smt, name="Our Bluesky", kind=Kind.BLUESKY_OWN, account=team["account"])
    mentions = services.source_save(
        actor=smt, name="Mentions", kind=Kind.BLUESKY_MENTIONS, account=team["account"]
    )
    lookalikes = services.source_save(
        actor=smt, name="Look-alikes", kind=Kind.BLUESKY_LOOKALIKES, account=team["account"]
    )
    return {**team, "dsl": dsl, "own": own, "mentions": mentions, "lookalikes": lookalikes}


def reload(source: Source) -> Source:
    return Source.objects.get(pk=source.pk)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def feed_server() -> Iterator[str]:
    """The fixture files over HTTP on 127.0.0.1, in a thread (like a news site's feed)."""
    handler = functools.partial(_Quiet, directory=str(FIXTURES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
