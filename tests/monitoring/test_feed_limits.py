"""A feed is someone else's server: its answer is read a piece at a time and dropped as soon as it
passes the size limit or the time limit. It was read whole before its size was checked, so a feed
that answered gigabytes filled the task worker's memory, and one that sent a byte a second kept it
waiting for ever (the timeout was per read)."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from socialguard.monitoring import fetchers


class _Endless(http.server.BaseHTTPRequestHandler):
    sent = 0  # bytes written by the last request, for the test to read
    drip = False

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        type(self).sent = 0
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        piece = b"<!-- " + b"x" * 65_000 + b" -->"
        started = time.monotonic()
        try:
            self.wfile.write(b'<?xml version="1.0"?><rss><channel>')
            while time.monotonic() - started < 15 and type(self).sent < 60_000_000:
                if type(self).drip:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    type(self).sent += 1
                    time.sleep(0.2)
                else:
                    self.wfile.write(piece)
                    type(self).sent += len(piece)
        except OSError:
            pass  # the reader hung up: what it should do


@pytest.fixture
def endless() -> Iterator[tuple[str, type[_Endless]]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Endless)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/feed.rss", _Endless
    finally:
        server.shutdown()
        server.server_close()


def test_a_feed_larger_than_the_limit_is_dropped_once_it_passes_it(
    endless: tuple[str, type[_Endless]],
) -> None:
    url, handler = endless
    handler.drip = False
    with pytest.raises(fetchers.FetchError, match="larger than 5 MB"):
        fetchers.feed(url, {}, ["DMM"])
    time.sleep(0.5)  # the server notices the closed connection
    assert handler.sent < 3 * fetchers.MAX_FEED_BYTES


def test_a_feed_that_never_finishes_is_dropped_at_the_time_limit(
    endless: tuple[str, type[_Endless]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, handler = endless
    handler.drip = True
    monkeypatch.setattr(fetchers, "FEED_TIMEOUT_S", 2.0)
    started = time.monotonic()
    with pytest.raises(fetchers.FetchError, match="did not answer within 2 seconds"):
        fetchers.feed(url, {}, ["DMM"])
    assert time.monotonic() - started < 5


def test_a_feed_that_holds_back_its_headers_is_dropped_at_the_time_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The time limit covered only the body: a server sending its headers a byte every half second
    (each read well inside the per-read timeout) held the task worker for minutes. A timer now
    closes the client at the deadline, whatever it is waiting for."""
    import socket

    monkeypatch.setattr(fetchers, "FEED_TIMEOUT_S", 2.0)
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def dribble() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 200:
                if stop.is_set():
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return  # the reader hung up: what it should do
                time.sleep(0.5)

    server = threading.Thread(target=dribble, daemon=True)
    server.start()
    started = time.monotonic()
    try:
        with pytest.raises(fetchers.FetchError, match="did not answer within 2 seconds"):
            fetchers.feed(f"http://127.0.0.1:{listener.getsockname()[1]}/feed.rss", {}, ["DMM"])
        assert time.monotonic() - started < 5
    finally:
        stop.set()
        server.join(5)
        listener.close()
