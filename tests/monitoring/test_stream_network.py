"""The event-stream reader (`socialguard monitor stream`) on the real local AT Protocol network
(tests/atproto.py): the PDS's com.atproto.sync.subscribeRepos websocket is the firehose. A post
naming the organisation made by another account after the reader starts reaches the alert inbox;
a post that does not mention us is not stored; a post on our own account is matched against the
archive; stopped and restarted between two posts, the reader reads each exactly once, even when
the database refuses to store one of them at first; an own account whose handle does not resolve
is shown on the source."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any

from django.db import OperationalError, connection

from socialguard.accounts.models import OrgAccount
from socialguard.monitoring import access, services
from socialguard.monitoring.models import Alert, AlertKind, Health, Item, Kind
from tests.monitoring.conftest import reload
from tests.monitoring.test_bluesky_network import _post, on_bluesky  # noqa: F401

CRITICISM = "Digital Marketing Mentor is a total joke, worst training provider ever"


def _until(count: Callable[[], int], n: int, deadline_s: float = 90) -> Callable[[], bool]:
    stop = time.monotonic() + deadline_s
    return lambda: count() >= n or time.monotonic() > stop


def _once(action: Callable[[], Any]) -> Callable[[], None]:
    done: list[bool] = []

    def run() -> None:
        if not done:
            done.append(True)
            action()

    return run


def test_the_stream_keeps_only_posts_about_us_and_a_restart_misses_and_repeats_nothing(
    on_bluesky: dict[str, Any],  # noqa: F811
    bluesky_account: Any,
) -> None:
    senior, account = on_bluesky["senior"], on_bluesky["account"]
    stream = services.source_save(actor=senior, name="Stream", kind=Kind.BLUESKY_STREAM, account=account)
    gone = f"gone-{secrets.token_hex(3)}.test"  # registered, but no such account on the network
    OrgAccount.objects.create(platform="bluesky", handle=f"@{gone}", service_url=account.service_url)
    critic, neighbour = bluesky_account(), bluesky_account()
    uris: dict[str, str] = {}

    def first_posts() -> None:  # made after the reader has connected
        uris["noise"] = _post(neighbour, "Lovely weather in Salford today, off to the park")
        uris["own"] = _post(on_bluesky["platform_account"], "Open day on Saturday, all welcome")
        uris["a"] = _post(critic, CRITICISM)

    kept = Item.objects.filter(source__in=[stream, on_bluesky["own"]]).count
    reader = services.stream_reader(stream, on_connect=_once(first_posts), until=_until(kept, 2))
    reader.run()

    assert reload(stream).health == Health.OK and reload(stream).cursor["seq"] > 0
    assert f"@{gone}" in reload(stream).warning and account.handle not in reload(stream).warning
    criticism = Alert.objects.get(dedup_key=uris["a"])
    assert criticism.kind == AlertKind.CRITICISM
    assert criticism in access.alerts_visible(senior)
    unapproved = Alert.objects.get(dedup_key=uris["own"])
    assert unapproved.kind == AlertKind.UNAPPROVED_POST and unapproved.account == account
    assert Item.objects.get(key=uris["own"]).source == on_bluesky["own"]
    assert not Item.objects.filter(key=uris["noise"]).exists()

    # Stopped: a post made meanwhile is read on restart (from the stored seq), and one made after.
    uris["b"] = _post(critic, "Still no reply from Digital Marketing Mentor about my certificate")
    # Once the AppView has it, the PDS has sent it on its stream: a reader starting live now
    # would not see it; only resuming from the stored seq does.
    on_bluesky["network"].wait_for_posts([uris["b"]])
    restarted = services.stream_reader(
        reload(stream),
        on_connect=_once(lambda: uris.setdefault("c", _post(critic, "DMM cancelled my class again"))),
        until=_until(kept, 4),
    )
    refused: list[str] = []

    def refuse_b_once(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        # On PostgreSQL a bulk insert of several rows passes each column as an array (UNNEST).
        values = [v for p in params or () for v in (p if isinstance(p, list | tuple) else [p])]
        if 'INSERT INTO "monitoring_item"' in sql and uris["b"] in values and not refused:
            refused.append(sql)
            raise OperationalError("could not write: disk full")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_b_once):
        restarted.run()  # the error does not end the reader: it reads again from the stored seq
    assert refused

    stored = list(Item.objects.filter(source=stream).values_list("external_id", flat=True))
    assert sorted(stored) == sorted([uris["a"], uris["b"], uris["c"]])  # each exactly once
    assert Item.objects.filter(source=on_bluesky["own"], key=uris["own"]).count() == 1
    # The AppView's search finds the same posts: one alert each, not a second one.
    services.poll(on_bluesky["mentions"])
    assert Alert.objects.filter(dedup_key=uris["a"]).count() == 1
