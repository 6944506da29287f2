"""The event-stream reader's faults, in process: a database error while storing does not end the
reader (it waits longer each time, shows the error on the source, and reads again from the stored
seq, so nothing is lost or stored twice), and an own-account handle that does not resolve is shown
on the source, the sources page, the CLI and SMT's home page."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import libipld
import pytest
from django.db import OperationalError, connection

from socialguard.monitoring import pages, services, stream
from socialguard.monitoring.models import Health, Item, Kind, Source
from tests.monitoring.conftest import reload
from tests.monitoring.test_surfaces import Api


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _commit(seq: int, did: str, rkey: str, text: str) -> bytes:
    """A #commit frame creating one post, its record in a CAR file, as a PDS sends it."""
    record = bytes(
        libipld.encode_dag_cbor(
            {"$type": stream.COLLECTION, "text": text, "createdAt": "2026-11-30T10:00:00Z"}
        )
    )
    cid = b"\x01\x71\x12\x20" + hashlib.sha256(record).digest()  # CIDv1, dag-cbor, sha2-256
    link = b"\xd8\x2a\x58" + bytes([len(cid) + 1]) + b"\x00" + cid  # tag 42: a CID link
    header = b"\xa2\x65roots\x81" + link + b"\x67version\x01"
    car = _varint(len(header)) + header + _varint(len(cid) + len(record)) + cid + record
    body = {
        "seq": seq,
        "repo": did,
        "ops": [{"action": "create", "path": f"{stream.COLLECTION}/{rkey}", "cid": cid}],
        "blocks": car,
    }
    return bytes(libipld.encode_dag_cbor({"op": 1, "t": "#commit"})) + bytes(libipld.encode_dag_cbor(body))


def _identity(seq: int) -> bytes:
    return bytes(libipld.encode_dag_cbor({"op": 1, "t": "#identity"})) + bytes(
        libipld.encode_dag_cbor({"seq": seq, "did": "did:plc:someone"})
    )


class Firehose:
    """An in-process subscribeRepos: replays its frames after the cursor asked for, one a little
    after another (so the reader stores each on its own), then is quiet."""

    def __init__(self, frames: list[tuple[int, bytes]]) -> None:
        self.frames = frames
        self.addresses: list[str] = []

    def __call__(self, address: str, **options: Any) -> Any:
        self.addresses.append(address)
        cursor = parse_qs(urlparse(address).query).get("cursor", ["0"])[0]
        pending = iter([frame for seq, frame in self.frames if seq > int(cursor)])
        return _Socket(pending)


class _Socket:
    def __init__(self, frames: Iterator[bytes]) -> None:
        self.frames = frames

    def __enter__(self) -> _Socket:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def recv(self, timeout: float | None = None) -> bytes:
        time.sleep(0.03)
        frame = next(self.frames, None)
        if frame is None:
            raise TimeoutError
        return frame


@pytest.fixture
def stream_source(org: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(stream, "FLUSH_EVERY_S", 0.02)
    org["account"].service_url = "http://127.0.0.1:9"  # nothing listens: the handle does not resolve
    org["account"].save()
    return services.source_save(
        actor=org["smt"], name="Firehose", kind=Kind.BLUESKY_STREAM, account=org["account"]
    )


def test_a_database_error_while_storing_is_retried_with_back_off_and_nothing_is_lost(
    stream_source: Any,
) -> None:
    uri = "at://did:plc:critic/app.bsky.feed.post/"
    firehose = Firehose(
        [
            (1, _commit(1, "did:plc:neighbour", "n1", "Lovely weather in Salford today")),
            (2, _commit(2, "did:plc:critic", "a1", "DMM lost my certificate again")),
            (3, _identity(3)),
            (4, _commit(4, "did:plc:critic", "b1", "Digital Marketing Mentor is a total joke")),
            (5, _commit(5, "did:plc:critic", "c1", "Still waiting on DMM to reply")),
        ]
    )
    refused: list[str] = []

    def database_down_for_b(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        # On PostgreSQL a bulk insert of several rows passes each column as an array (UNNEST).
        values = [v for p in params or () for v in (p if isinstance(p, list | tuple) else [p])]
        if 'INSERT INTO "monitoring_item"' in sql and f"{uri}b1" in values and len(refused) < 2:
            refused.append(sql)
            raise OperationalError("could not write: disk full")
        return execute(sql, params, many, context)

    seen: list[tuple[float, str, str, Any]] = []

    def wait(seconds: float) -> None:  # what the source shows while the reader waits
        now = reload(stream_source)
        seen.append((seconds, now.health, now.last_error, now.cursor.get("seq")))

    stored = Item.objects.filter(source=stream_source).count
    reader = services.stream_reader(
        stream_source, connect=firehose, sleep=wait, until=lambda: stored() >= 3 or len(seen) > 5
    )
    with connection.execute_wrapper(database_down_for_b):
        reader.run()  # returns: the error did not end it

    assert len(refused) == 2
    assert [s[0] for s in seen] == [1.0, 2.0]  # a growing wait
    for _, health, error, seq in seen:
        assert health == Health.FAILING and "could not save" in error and "disk full" in error
        assert seq == 3  # never past the post that was not stored
    assert firehose.addresses[1:] == [firehose.addresses[1]] * 2 and firehose.addresses[1].endswith(
        "cursor=3"
    )
    keys = sorted(Item.objects.filter(source=stream_source).values_list("external_id", flat=True))
    assert keys == [f"{uri}a1", f"{uri}b1", f"{uri}c1"]  # each once, none lost
    after = reload(stream_source)
    assert after.cursor == {"seq": 5} and after.health == Health.OK and after.last_error == ""


def test_an_own_account_handle_that_does_not_resolve_is_shown_on_the_source(
    stream_source: Any, org: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner
    from django.test import Client

    from socialguard.cli import main
    from tests.conftest import sign_in

    services.stream_reader(stream_source)

    warning = reload(stream_source).warning
    assert "@dmm-news.bsky.social" in warning and "accounts registry" in warning
    smt = Client()
    sign_in(smt, org["smt"])
    page = smt.get("/monitoring/sources/").content.decode()
    assert "Needs attention" in page and "Could not find @dmm-news.bsky.social" in page
    listed = CliRunner().invoke(main, ["monitor", "sources", "--as", org["smt"].email])
    assert "Could not find @dmm-news.bsky.social" in listed.output
    assert any("needing attention" in r.title for r in pages.reminders(org["smt"]))
    [listed_api] = [s for s in Api(org["smt"])("GET", "/sources").json()["items"] if s["name"] == "Firehose"]
    assert "Could not find @dmm-news.bsky.social" in listed_api["warning"]

    # Put right (the handle resolves again): the warning goes at the reader's next start.
    monkeypatch.setattr(
        stream, "resolve_dids", lambda service, handles: ({"did:plc:dmm": "dmm-news.bsky.social"}, [])
    )
    services.stream_reader(stream_source)
    assert reload(stream_source).warning == ""
    assert not any("needing attention" in r.title for r in pages.reminders(org["smt"]))

    # An own account with no own-posts source: its posts would be read as mentions, so say so.
    Source.objects.filter(kind=Kind.BLUESKY_OWN).update(enabled=False)
    services.stream_reader(stream_source)
    assert "@dmm-news.bsky.social has no own-posts source" in reload(stream_source).warning


def test_a_post_from_the_stream_is_judged_as_being_about_us_like_a_search_result(stream_source: Any) -> None:
    # Named only by a term of the source's own, in lower case (not a name the engine knows, so no
    # disparagement rule fires): read as a search result is, its disparaging word makes it
    # adverse criticism.
    services.source_save(
        actor=stream_source.created_by, source=stream_source, name="Firehose", kind=Kind.BLUESKY_STREAM,
        account=stream_source.account, config={"terms": ["Salford Skills Hub"]},
    )  # fmt: skip
    post = stream.StreamPost(9, "did:plc:critic", "d1", "salford skills hub is a total joke", None)
    assert services.store_stream(stream_source, 9, [post], own={}) == 1
    alert = Item.objects.get(source=stream_source).alert
    assert alert is not None and alert.kind == "criticism"


def test_a_failure_while_checking_stream_posts_is_shown_and_they_are_checked_on_reconnect(
    stream_source: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    decide = services.decide

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the classifier's model file is unreadable")

    monkeypatch.setattr(services, "decide", broken)
    post = stream.StreamPost(9, "did:plc:critic", "e1", "DMM is a total joke", None)
    assert services.store_stream(stream_source, 9, [post], own={}) == 1  # stored; not raised

    source = reload(stream_source)
    assert source.cursor == {"seq": 9} and source.health == Health.FAILING
    assert "1 post(s) read but not yet checked" in source.last_error and "unreadable" in source.last_error
    assert Item.objects.get(source=stream_source).checked_at is None

    monkeypatch.setattr(services, "decide", decide)
    reader = services.stream_reader(stream_source)
    assert reader.url().endswith("cursor=9")  # before connecting again: the leftovers are checked
    item = Item.objects.get(source=stream_source)
    assert item.checked_at is not None and item.alert is not None and item.alert.kind == "criticism"
