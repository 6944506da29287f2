"""The event-stream reader without a network: frames it cannot read are skipped, an error frame
is a reconnect, and a connection that fails is retried with a growing wait shown on the source."""

from __future__ import annotations

from typing import Any

import libipld
import pytest

from socialguard.monitoring import services, stream
from socialguard.monitoring.models import Health, Kind
from tests.monitoring.conftest import reload


def _frame(header: dict[str, Any], body: dict[str, Any]) -> bytes:
    return bytes(libipld.encode_dag_cbor(header)) + bytes(libipld.encode_dag_cbor(body))


def test_frames_other_than_new_posts_give_their_seq_and_no_posts() -> None:
    assert stream.decode(_frame({"op": 1, "t": "#identity"}, {"seq": 7, "did": "did:plc:x"})) == (7, [])
    commit = {"seq": 8, "repo": "did:plc:x", "ops": [{"action": "delete", "path": "app.bsky.feed.post/1"}]}
    assert stream.decode(_frame({"op": 1, "t": "#commit"}, commit)) == (8, [])
    with pytest.raises(stream.StreamError, match="FutureCursor"):
        stream.decode(_frame({"op": -1}, {"error": "FutureCursor", "message": "cursor in the future"}))
    with pytest.raises(stream.BadFrame):
        stream.decode(b"\xff not cbor")


def test_what_is_kept_mentions_us_or_is_by_or_about_our_accounts() -> None:
    wanted = stream.Wanted(terms=["Digital Marketing Mentor", "DMM"], own={"did:plc:ours": object()})

    def post(text: str, did: str = "did:plc:them", mentioned: tuple[str, ...] = ()) -> stream.StreamPost:
        return stream.StreamPost(1, did, "rk", text, None, mentioned)

    assert wanted(post("Studying at digital marketing mentor"))
    assert wanted(post("our open day", did="did:plc:ours"))
    assert wanted(post("hello @someone", mentioned=("did:plc:ours",)))
    assert not wanted(post("nothing about anyone here"))
    assert stream.stream_url("http://localhost:2583", None) == (
        "ws://localhost:2583/xrpc/com.atproto.sync.subscribeRepos"
    )
    assert stream.stream_url("wss://bsky.network", 42).endswith("subscribeRepos?cursor=42")


def test_a_failing_connection_is_retried_with_a_growing_wait_shown_on_the_source(org: dict[str, Any]) -> None:
    source = services.source_save(
        actor=org["smt"], name="Stream", kind=Kind.BLUESKY_STREAM, account=org["account"],
        config={"url": "ws://127.0.0.1:9"},
    )  # fmt: skip
    waits: list[float] = []

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionRefusedError("Connection refused")

    reader = stream.Reader(
        url=lambda: "ws://127.0.0.1:9/xrpc/com.atproto.sync.subscribeRepos",
        wanted=stream.Wanted(terms=["DMM"]),
        store=lambda seq, posts: None,
        status=lambda ok, error, wait: services.stream_status(source, ok, error, wait),
        connect=refused,
        sleep=waits.append,
        until=lambda: len(waits) >= 4,
    )
    reader.run()

    assert waits == [1.0, 2.0, 4.0, 8.0]
    source = reload(source)
    assert source.health == Health.FAILING and source.failures == 4
    assert "Connection refused" in source.last_error and source.next_poll_at is not None
    # The stream is read by its own process, never by the poller.
    assert "monitor stream" in services.poll(source).error
    assert source.name not in services.poll_due()


def test_the_cli_reads_the_stream_until_stopped_and_the_page_shows_its_health(org: dict[str, Any]) -> None:
    from click.testing import CliRunner
    from django.test import Client

    from socialguard.cli import main
    from tests.conftest import sign_in

    org["account"].service_url = "http://127.0.0.1:9"  # nothing listens: refused at once
    org["account"].save()
    source = services.source_save(
        actor=org["smt"], name="Firehose", kind=Kind.BLUESKY_STREAM, account=org["account"]
    )
    runner = CliRunner()
    refused = runner.invoke(main, ["monitor", "stream", "--as", org["runner"].email, "--seconds", "0.2"])
    assert refused.exit_code != 0

    done = runner.invoke(main, ["monitor", "stream", "--as", "ada@dmm.example", "--seconds", "2"])

    assert done.exit_code == 0, done.output
    assert "Stopped after 0 event(s)" in done.output
    assert "Warning: Could not find @dmm-news.bsky.social" in done.output  # the operator is told too
    assert reload(source).health == Health.FAILING and "127.0.0.1:9" in reload(source).last_error
    polled = runner.invoke(main, ["monitor", "poll", "--as", "ada@dmm.example"])
    assert "Firehose" not in polled.output  # the poller leaves it to the reader
    smt = Client()
    sign_in(smt, org["smt"])
    page = smt.get("/monitoring/sources/").content.decode()
    assert "Firehose" in page and "socialguard monitor stream" in page and "Failing" in page
