"""The network's event stream (`socialguard monitor stream`): for scale, an optional long-running
reader of Bluesky's repository event stream (`com.atproto.sync.subscribeRepos`, the firehose, on a
relay or a PDS) that keeps only new public posts that mention the organisation (its names,
aliases or handles, or a mention of one of its accounts) and posts by its own registered
accounts, and hands them to the same store → check → alert path as the polled sources.

Proportionate (policy 4.2): everything else on the stream is decoded only far enough to see that
it does not mention us, and is dropped there: nothing of it is stored or logged. Staff's personal
accounts are not followed; a post by one reaches us only if it names the organisation.

Restart safety: the stream numbers its events (`seq`); the last one read is stored in the
source's cursor in the same transaction as the posts read up to it, and a restart asks the stream
to resume after it, so nothing is missed or read twice (the item's unique key guards the rest).
A dropped connection is retried with a growing wait (1 s doubling to 5 minutes); the source's
health shows the last error meanwhile. So is a failure to store (the database down or refusing a
write): what was read since the last stored seq is dropped from memory, the connection closed, and
the stream read again from the stored seq once the wait is over, so the reader never dies of it and
nothing is lost or stored twice.

Frames are DAG-CBOR and a commit's records come as a CAR file: both decoded with `libipld`
(installed with the `atproto` SDK the Bluesky connector uses).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import libipld

from socialguard.monitoring.fetchers import RawItem, mentions

log = logging.getLogger(__name__)

COLLECTION = "app.bsky.feed.post"
RELAY = "wss://bsky.network"  # Bluesky's relay: every PDS's events
METHOD = "com.atproto.sync.subscribeRepos"
MAX_WAIT_S = 300.0
FLUSH_EVERY_S = 1.0  # posts read are stored (with the seq) at least this often
FLUSH_AT = 200  # or as soon as this many are waiting
MAX_FRAME = 5 * 1024 * 1024


class StreamError(Exception):
    """The stream said something went wrong (an error frame): reconnect after a wait."""


class StoreFailed(Exception):
    """Storing what was read (or reading the stored seq) failed: the stored seq was not advanced,
    so reading again from it after a wait loses nothing."""


class BadFrame(Exception):
    """A frame that cannot be read: skipped (with a warning), the stream carries on."""


@dataclass(frozen=True)
class StreamPost:
    seq: int
    did: str  # the author's DID
    rkey: str
    text: str
    created_at: dt.datetime | None
    mentioned: tuple[str, ...] = ()  # DIDs mentioned in the post (its facets)

    @property
    def uri(self) -> str:
        return f"at://{self.did}/{COLLECTION}/{self.rkey}"


def _when(value: Any) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _mentioned(record: dict[str, Any]) -> tuple[str, ...]:
    found = []
    for facet in record.get("facets") or []:
        for feature in facet.get("features") or [] if isinstance(facet, dict) else []:
            if isinstance(feature, dict) and feature.get("$type") == "app.bsky.richtext.facet#mention":
                found.append(str(feature.get("did", "")))
    return tuple(d for d in found if d)


def decode(frame: bytes) -> tuple[int | None, list[StreamPost]]:
    """One frame: its seq (None for a frame without one) and the posts it creates."""
    try:
        header, body = libipld.decode_dag_cbor_multi(frame)
    except (ValueError, TypeError) as error:
        raise BadFrame(f"a frame that is not DAG-CBOR: {error}") from None
    if not isinstance(header, dict) or not isinstance(body, dict):
        raise BadFrame("a frame without a header and a body")
    if header.get("op") == -1:
        raise StreamError(f"the stream said {body.get('error', 'error')}: {body.get('message', '')}".strip())
    seq = body.get("seq") if isinstance(body.get("seq"), int) else None
    if header.get("t") != "#commit" or body.get("tooBig"):
        return seq, []
    creates = [
        op
        for op in body.get("ops") or []
        if op.get("action") == "create" and str(op.get("path", "")).startswith(COLLECTION + "/")
    ]
    if not creates or not body.get("blocks"):
        return seq, []
    try:
        _, blocks = libipld.decode_car(body["blocks"])
    except (ValueError, TypeError) as error:
        raise BadFrame(f"a commit whose records cannot be read: {error}") from None
    posts = []
    for op in creates:
        record = blocks.get(op.get("cid"))
        if not isinstance(record, dict) or record.get("$type") != COLLECTION:
            continue
        posts.append(
            StreamPost(
                seq=int(seq or 0),
                did=str(body.get("repo", "")),
                rkey=str(op["path"]).split("/", 1)[1],
                text=str(record.get("text", "")),
                created_at=_when(record.get("createdAt", "")),
                mentioned=_mentioned(record),
            )
        )
    return seq, posts


@dataclass
class Wanted:
    """What the reader keeps: posts naming one of `terms`, posts mentioning one of `own` (DIDs
    of the organisation's accounts), and posts by those accounts."""

    terms: Sequence[str]
    own: dict[str, Any] = field(default_factory=dict)  # DID -> the account's own-posts target

    def by_own(self, post: StreamPost) -> bool:
        return post.did in self.own

    def __call__(self, post: StreamPost) -> bool:
        return (
            self.by_own(post)
            or mentions(post.text, self.terms)
            or any(did in self.own for did in post.mentioned)
        )


def raw_item(post: StreamPost) -> RawItem:
    """As the AppView's listings store a post: same URI, so one alert whichever source saw it."""
    return RawItem(
        post.uri,
        post.uri,
        "bluesky",
        f"https://bsky.app/profile/{post.did}/post/{post.rkey}",
        post.did,
        post.text,
        post.created_at,
    )


def stream_url(base: str, seq: int | None) -> str:
    """The subscribeRepos address on a relay or PDS (http(s) becomes ws(s)), resuming after seq."""
    base = base.rstrip("/")
    if base.startswith("https://"):
        base = "wss://" + base[len("https://") :]
    elif base.startswith("http://"):
        base = "ws://" + base[len("http://") :]
    if not base.endswith("/xrpc"):
        base += "/xrpc"
    return f"{base}/{METHOD}" + (f"?cursor={seq}" if seq is not None else "")


@dataclass
class Reader:
    """Reads the stream until `stop` is set (or `until()` is true), storing wanted posts through
    `store(seq, posts)` (one transaction with the seq) and reporting the connection's state
    through `status(ok, error, wait)`. The connection and the clock are arguments so that the
    retry logic is tested without waiting."""

    url: Callable[[], str]
    wanted: Wanted
    store: Callable[[int, list[StreamPost]], object]
    status: Callable[[bool, str, float], None]
    connect: Callable[..., Any] | None = None
    sleep: Callable[[float], Any] | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    until: Callable[[], bool] = lambda: False
    on_connect: Callable[[], Any] = lambda: None
    failures: int = 0
    storing_failed: bool = False  # the last failure was storing: the wait grows until a store works
    read: int = 0  # frames read since start
    kept: int = 0  # posts kept since start

    def _done(self) -> bool:
        return self.stop.is_set() or self.until()

    def _status(self, ok: bool, error: str, wait: float) -> None:
        # The status is written to the database too: when that is what fails, the log says so.
        try:
            self.status(ok, error, wait)
        except Exception:
            log.exception("Event stream: could not record its status (%s)", error or "working")

    def _address(self) -> str:
        try:
            return self.url()
        except Exception as error:
            raise StoreFailed(f"could not read where to resume: {error}") from error

    def run(self) -> None:
        from websockets.exceptions import WebSocketException
        from websockets.sync.client import connect as ws_connect

        connect = self.connect or ws_connect
        sleep = self.sleep or self.stop.wait
        while not self._done():
            address = ""
            try:
                address = self._address()
                with connect(address, open_timeout=15, max_size=MAX_FRAME) as ws:
                    if not self.storing_failed:
                        self.failures = 0
                        self._status(True, "", 0.0)
                    self.on_connect()
                    self._read(ws)
            except (OSError, TimeoutError, WebSocketException, StreamError) as error:
                message = f"{address.split('?')[0]}: {error or type(error).__name__}"
            except StoreFailed as error:
                self.storing_failed = True
                message = f"{error}; what was read since the last save is read again from the stream"
            else:
                continue
            self.failures += 1
            wait = min(MAX_WAIT_S, 2.0 ** (self.failures - 1))
            log.warning("Event stream: %s; trying again in %.0fs", message, wait)
            self._status(False, message, wait)
            if not self._done():
                sleep(wait)

    def _read(self, ws: Any) -> None:
        waiting: list[StreamPost] = []
        last_seq: int | None = None
        stored_seq: int | None = None
        flushed_at = time.monotonic()
        broken = False

        def flush() -> None:
            nonlocal waiting, flushed_at, stored_seq, broken
            if broken:
                return
            if last_seq is not None and (waiting or last_seq != stored_seq):  # a quiet stream: no write
                try:
                    self.store(last_seq, waiting)
                except Exception as error:
                    # Nothing of this batch (nor its seq) was stored: it is read again after
                    # the reconnect, which resumes from the seq stored last.
                    broken = True
                    log.exception(
                        "Event stream: could not store %d post(s) up to seq %s", len(waiting), last_seq
                    )
                    raise StoreFailed(f"could not save what it read: {error}") from error
                self.kept += len(waiting)
                stored_seq = last_seq
                if self.storing_failed:  # working again
                    self.storing_failed, self.failures = False, 0
                    self._status(True, "", 0.0)
            waiting, flushed_at = [], time.monotonic()

        try:
            while not self._done():
                try:
                    frame = ws.recv(timeout=FLUSH_EVERY_S)
                except TimeoutError:
                    frame = None
                if frame is not None:
                    self.read += 1
                    try:
                        if isinstance(frame, str):
                            raise BadFrame("a text frame where binary frames were expected")
                        seq, posts = decode(frame)
                    except BadFrame as error:
                        log.warning("Event stream: skipped %s", error)
                        continue
                    if seq is not None:
                        last_seq = seq
                    waiting += [p for p in posts if self.wanted(p)]
                if len(waiting) >= FLUSH_AT or time.monotonic() - flushed_at >= FLUSH_EVERY_S:
                    flush()
        finally:
            flush()  # what was read before a stop or a dropped connection is kept, with its seq


def resolve_dids(
    service: str, handles: Iterable[str], timeout: float = 10.0
) -> tuple[dict[str, str], list[str]]:
    """The DIDs of our accounts' handles (com.atproto.identity.resolveHandle on `service`), and
    the handles that did not resolve (they are still matched as words in a post)."""
    import httpx

    found: dict[str, str] = {}
    missing: list[str] = []
    for handle in handles:
        try:
            response = httpx.get(
                f"{service.rstrip('/')}/xrpc/com.atproto.identity.resolveHandle",
                params={"handle": handle},
                timeout=timeout,
            )
            did = response.json().get("did", "") if response.status_code == 200 else ""
        except (httpx.HTTPError, ValueError):
            did = ""
        if did:
            found[did] = handle
        else:
            missing.append(handle)
    return found, missing
