"""A real AT Protocol network for the tests: @atproto/dev-env's PLC, PDS and AppView on 127.0.0.1.

`atproto_network` starts it once per test session with scripts/atproto-dev-env.sh (which installs
it into var/cache/atproto/ the first time) and stops it at the end; `bluesky_account` creates an
account with an app password on it. The AppView keeps its index in PostgreSQL: the database named
by SOCIALGUARD_ATPROTO_PG_URL, else the suite's own PostgreSQL server (SOCIALGUARD_DATABASE_URL).

Without npm or PostgreSQL the tests that use it are skipped with the reason, unless
SOCIALGUARD_REQUIRE_ATPROTO=1 (CI sets it), which turns the skip into a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from socialguard.connectors.base import Credentials

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "atproto-dev-env.sh"


def _unavailable(reason: str) -> None:
    if os.environ.get("SOCIALGUARD_REQUIRE_ATPROTO") == "1":
        pytest.fail(f"{reason}, but SOCIALGUARD_REQUIRE_ATPROTO=1")
    pytest.skip(f"AT Protocol test network unavailable: {reason}")


def _postgres_url() -> str:
    url = os.environ.get("SOCIALGUARD_ATPROTO_PG_URL", "")
    if not url:
        database_url = os.environ.get("SOCIALGUARD_DATABASE_URL", "")
        if database_url.startswith(("postgres://", "postgresql://")):
            url = database_url
    return url


@dataclass
class BlueskyAccount:
    handle: str
    did: str
    app_password: str
    password: str  # the account's main password: only the tests' own setup uses it
    credentials: Credentials


@dataclass
class AtprotoNetwork:
    pds: str
    appview: str
    plc: str
    pid: int

    def pause(self) -> None:
        """Freeze the whole network (PDS included) as if its machine had stopped answering."""
        os.kill(self.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.pid, signal.SIGCONT)

    def xrpc(self, method: str, *, service: str = "", token: str = "", **params: Any) -> Any:
        """A GET on the network, straight, without the connector under test."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = httpx.get(
            f"{service or self.appview}/xrpc/{method}", params=params, headers=headers, timeout=30
        )
        response.raise_for_status()
        return response.json()

    def own_records(self, account: BlueskyAccount) -> list[dict[str, Any]]:
        """The account's post records as its PDS holds them."""
        found = self.xrpc(
            "com.atproto.repo.listRecords",
            service=self.pds,
            repo=account.did,
            collection="app.bsky.feed.post",
            limit=100,
        )
        return list(found["records"])

    def wait_for_posts(
        self, uris: list[str], *, present: bool = True, deadline_s: float = 30
    ) -> list[dict[str, Any]]:
        """The AppView's views of `uris` once it has indexed them all (or, with present=False, none)."""
        stop = time.monotonic() + deadline_s
        while True:
            posts = list(self.xrpc("app.bsky.feed.getPosts", uris=uris)["posts"])
            if (len(posts) == len(uris)) if present else not posts:
                return posts
            if time.monotonic() > stop:
                state = "index" if present else "drop"
                raise AssertionError(f"the AppView did not {state} {uris} within {deadline_s}s (has {posts})")
            time.sleep(0.2)

    def wait_for_actor(self, handle: str, *, deadline_s: float = 30) -> None:
        """Until the AppView's actor search finds `handle` (it indexes an account's identity apart
        from its posts, so waiting for posts does not wait for this)."""
        stop = time.monotonic() + deadline_s
        while True:
            found = self.xrpc("app.bsky.actor.searchActors", q=handle, limit=25)["actors"]
            if any(actor["handle"] == handle for actor in found):
                return
            if time.monotonic() > stop:
                raise AssertionError(f"the AppView's search did not find {handle} within {deadline_s}s")
            time.sleep(0.2)

    def create_account(self, name: str) -> BlueskyAccount:
        password = secrets.token_urlsafe(12)
        response = httpx.post(
            f"{self.pds}/xrpc/com.atproto.server.createAccount",
            json={"handle": f"{name}.test", "email": f"{name}@example.test", "password": password},
            timeout=30,
        )
        response.raise_for_status()
        session = response.json()
        response = httpx.post(
            f"{self.pds}/xrpc/com.atproto.server.createAppPassword",
            json={"name": "socialguard"},
            headers={"Authorization": f"Bearer {session['accessJwt']}"},
            timeout=30,
        )
        response.raise_for_status()
        app_password = response.json()["password"]
        return BlueskyAccount(
            handle=session["handle"],
            did=session["did"],
            app_password=app_password,
            password=password,
            credentials=Credentials(identifier=session["handle"], secret=app_password, service=self.pds),
        )


@pytest.fixture(scope="session")
def atproto_network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AtprotoNetwork]:
    pg_url = _postgres_url()
    if not pg_url:
        _unavailable(
            "no PostgreSQL for its AppView (set SOCIALGUARD_ATPROTO_PG_URL or a PostgreSQL SOCIALGUARD_DATABASE_URL)"
        )
    installed = any((ROOT / "var" / "cache" / "atproto").glob("*/.installed"))
    if not installed and not shutil.which("npm"):
        _unavailable(
            "npm is not installed (scripts/system-deps.sh installs it), so @atproto/dev-env cannot be"
        )
    run_dir = tmp_path_factory.mktemp("atproto")
    env = {
        **os.environ,
        "SOCIALGUARD_ATPROTO_PG_URL": pg_url,
        # Its own schemas, so two test sessions on one database do not meet (letters only).
        "SOCIALGUARD_ATPROTO_SCHEMA": "sgatp_"
        + str(os.getpid()).translate(str.maketrans("0123456789", "abcdefghij")),
    }
    started = time.monotonic()
    result = subprocess.run(
        ["bash", str(SCRIPT), "start", str(run_dir)], env=env, capture_output=True, text=True, timeout=900
    )
    if result.returncode != 0:
        pytest.fail(f"scripts/atproto-dev-env.sh start failed:\n{result.stderr[-3000:]}")
    state = json.loads((run_dir / "state.json").read_text())
    print(f"\nAT Protocol test network ready in {time.monotonic() - started:.1f}s: PDS {state['pds']}")
    try:
        yield AtprotoNetwork(pds=state["pds"], appview=state["appview"], plc=state["plc"], pid=state["pid"])
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop", str(run_dir)], env=env, capture_output=True, timeout=120)


_names = itertools.count(1)


@pytest.fixture
def bluesky_account(atproto_network: AtprotoNetwork) -> Callable[[], BlueskyAccount]:
    """Makes a new account on the test network with an app password, each call another one."""

    def make() -> BlueskyAccount:
        # Handles are unique across the session's tests; the first label is at most 18 characters.
        return atproto_network.create_account(f"sg{next(_names)}{secrets.token_hex(3)}")

    return make
