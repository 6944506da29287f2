"""Reading one page from a source: Bluesky (own posts, mentions, look-alike accounts) and feeds.

Django-free: a fetcher gets a connector or a URL, the stored cursor and the search terms, and
returns the page's items and the cursor to store with them. Failures become FetchError in words a
person can act on (the source's status shows it); the poller never crashes on one.

Paging newest-first (Bluesky's author feed and its search, sort=latest) without missing or
repeating across restarts: the cursor holds `page` (where an interrupted run resumes), `mark` (the
newest post time of the last complete run) and `pending` (the newest time of the run under way).
A run ends at the first page reaching posts already seen (or older than `mark`), or at the end.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

import httpx

from socialguard.connectors.base import AccountInfo, Connector, ConnectorError, PlatformPost

PAGE_SIZE = 50  # posts asked for per page (the AppView allows up to 100)
FEED_TIMEOUT_S = 20.0
MAX_FEED_BYTES = 5_000_000


@dataclass(frozen=True)
class RawItem:
    external_id: str
    key: str  # identity across sources: the post's URI or link
    platform: str
    url: str
    author: str
    text: str
    posted_at: dt.datetime | None


@dataclass
class Page:
    items: list[RawItem]
    cursor: dict[str, Any]
    more: bool = False  # another page belongs to this run
    notes: list[str] = field(default_factory=list)


class FetchError(Exception):
    """The source could not be read this time; `retryable` says whether a later poll may work."""

    retryable = True


def _iso(moment: dt.datetime | None) -> str:
    return moment.astimezone(dt.UTC).isoformat() if moment else ""


def _from_post(post: PlatformPost) -> RawItem:
    return RawItem(post.uri, post.uri, "bluesky", post.url, post.author_handle, post.text, post.created_at)


def newest_first(
    fetch: Callable[[str], tuple[list[PlatformPost], str]],
    cursor: dict[str, Any],
    known: Callable[[list[str]], set[str]],
    keep: Callable[[PlatformPost], bool] = lambda post: True,
    stop_at_seen: bool = True,
) -> Page:
    """One page of a newest-first listing, with the cursor that continues or ends the run.
    `stop_at_seen` False: only `mark` ends the run (a search per term, where a post stored
    through another term's listing says nothing about where this listing's new posts end)."""
    page_cursor = str(cursor.get("page", ""))
    mark = str(cursor.get("mark", ""))
    pending = str(cursor.get("pending", ""))
    try:
        posts, next_cursor = fetch(page_cursor)
    except ConnectorError as error:
        failure = FetchError(str(error))
        failure.retryable = error.retryable
        raise failure from None
    seen = known([p.uri for p in posts])
    older = [p for p in posts if mark and p.created_at is not None and _iso(p.created_at) < mark]
    fresh = [p for p in posts if p.uri not in seen and p not in older]
    newest = max([_iso(p.created_at) for p in posts if p.created_at] + [pending], default="")
    ended = not next_cursor or not posts or (stop_at_seen and bool(seen)) or bool(older)
    state: dict[str, Any]
    if ended:
        state = {"page": "", "mark": max(newest, mark), "pending": ""}
    else:
        state = {"page": next_cursor, "mark": mark, "pending": newest}
    items = [_from_post(p) for p in fresh if keep(p)]
    return Page(items, state, more=not ended)


def fold(text: str) -> str:
    """Lower-case letters and digits only, accents removed: 'D.M.M.' and 'dmm' compare equal."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.casefold() if ch.isalnum())


def mentions(text: str, terms: Sequence[str]) -> bool:
    """Whether `text` names one of `terms` (names, aliases, handles), ignoring case and accents."""
    low = unicodedata.normalize("NFKD", text).casefold()
    return any(t.strip() and unicodedata.normalize("NFKD", t.strip()).casefold() in low for t in terms)


def bluesky_own(connector: Connector, cursor: dict[str, Any], known: Callable[[list[str]], set[str]]) -> Page:
    return newest_first(lambda c: connector.fetch_own_posts(cursor=c, limit=PAGE_SIZE), cursor, known)


def bluesky_mentions(
    connector: Connector,
    cursor: dict[str, Any],
    known: Callable[[list[str]], set[str]],
    terms: Sequence[str],
) -> Page:
    """Posts naming the organisation: one search per term, each with its own cursor. Only posts
    that really contain a term are kept (a search engine's looser matches are not ours to read)."""
    state = dict(cursor)
    items: list[RawItem] = []
    more = False
    for term in terms:
        sub = dict(state.get(term, {}))

        def search(c: str, term: str = term) -> tuple[list[PlatformPost], str]:
            return connector.search_mentions(term, cursor=c, limit=PAGE_SIZE)

        page = newest_first(
            search,
            sub,
            known,
            keep=lambda post: mentions(post.text, terms) or mentions(post.author_handle, terms),
            stop_at_seen=False,
        )
        state[term] = page.cursor
        more = more or page.more
        taken = {i.external_id for i in items}
        items += [i for i in page.items if i.external_id not in taken]
    return Page(items, state, more=more)


def similar(candidate: AccountInfo, names: Sequence[str], handles: Sequence[str]) -> bool:
    """Whether an account's handle or display name looks like the organisation's."""
    first_label = fold(candidate.handle.split(".")[0])
    shown = fold(candidate.display_name)
    for name in [*names, *handles]:
        target = fold(name.split(".")[0] if "." in name and " " not in name else name)
        if len(target) < 3:
            continue
        for value in (first_label, shown):
            if not value:
                continue
            if target in value or SequenceMatcher(None, target, value).ratio() >= 0.8:
                return True
    return False


def bluesky_lookalikes(
    connector: Connector,
    terms: Sequence[str],
    names: Sequence[str],
    registered: set[str],
) -> Page:
    """Accounts whose name or handle resembles the organisation's and are not in the registry."""
    items: list[RawItem] = []
    seen: set[str] = set()
    for term in terms:
        try:
            found = connector.search_accounts(term, limit=50)
        except ConnectorError as error:
            failure = FetchError(str(error))
            failure.retryable = error.retryable
            raise failure from None
        for account in found:
            handle = account.handle.lower().lstrip("@")
            if account.id in seen or handle in registered or account.id in registered:
                continue
            if not similar(account, names, list(registered)):
                continue
            seen.add(account.id)
            label = f"{account.display_name} (@{handle})" if account.display_name else f"@{handle}"
            items.append(
                RawItem(
                    account.id,
                    f"bluesky-account:{account.id}",
                    "bluesky",
                    account.url,
                    handle,
                    f"Account {label} uses a name like the organisation's and is not in the registry.",
                    None,
                )
            )
    return Page(items, {})


def feed(url: str, cursor: dict[str, Any], terms: Sequence[str], only_mentions: bool = True) -> Page:
    """The feed's entries (RSS or Atom), those naming the organisation unless the whole feed is
    about it. ETag and Last-Modified are sent back, so an unchanged feed costs one short answer."""
    import feedparser

    headers = {"User-Agent": "socialguard-monitor"}
    if cursor.get("etag"):
        headers["If-None-Match"] = str(cursor["etag"])
    if cursor.get("modified"):
        headers["If-Modified-Since"] = str(cursor["modified"])
    late = FetchError(f"The feed at {url} did not answer within {FEED_TIMEOUT_S:g} seconds.")
    # Someone else's server: its answer is read a piece at a time, and dropped as soon as it passes
    # the size limit or the time limit (httpx's timeout is per read: a byte a second never ends).
    deadline = time.monotonic() + FEED_TIMEOUT_S
    body = bytearray()
    client = httpx.Client(timeout=FEED_TIMEOUT_S, follow_redirects=True, max_redirects=5)
    # The status line, the headers and each redirect can be held back a byte at a time too, before
    # any body is read: at the deadline a timer closes the client, which ends the blocked read.
    watchdog = threading.Timer(FEED_TIMEOUT_S, client.close)
    watchdog.daemon = True
    watchdog.start()
    try:
        with client, client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304:
                return Page([], dict(cursor))
            if response.status_code >= 400:
                failure = FetchError(f"The feed at {url} answered {response.status_code}.")
                failure.retryable = response.status_code >= 500 or response.status_code == 429
                raise failure
            for piece in response.iter_bytes():
                body += piece
                if len(body) > MAX_FEED_BYTES:
                    raise FetchError(f"The feed at {url} is larger than {MAX_FEED_BYTES // 1_000_000} MB.")
                if time.monotonic() > deadline:
                    raise late
    except httpx.TimeoutException:
        raise late from None
    except (httpx.HTTPError, RuntimeError, OSError) as error:
        if time.monotonic() >= deadline:
            raise late from None  # closed by the watchdog
        raise FetchError(f"Could not reach the feed at {url} ({type(error).__name__}).") from None
    finally:
        watchdog.cancel()
    parsed = feedparser.parse(bytes(body))
    if parsed.bozo and not parsed.entries:
        reason = getattr(parsed, "bozo_exception", None)
        raise FetchError(
            f"The feed at {url} is not a readable RSS or Atom feed"
            + (f" ({type(reason).__name__})." if reason else ".")
        )
    items = []
    for entry in parsed.entries:
        link = str(entry.get("link", ""))
        ident = str(entry.get("id") or link or entry.get("title", ""))
        if not ident:
            continue
        text = " — ".join(x for x in (entry.get("title", ""), _plain(entry.get("summary", ""))) if x)
        if only_mentions and not mentions(text, terms):
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        posted = dt.datetime(*stamp[:6]).replace(tzinfo=dt.UTC) if stamp else None
        items.append(RawItem(ident, link or ident, "web", link, str(entry.get("author", "")), text, posted))
    state = {"etag": response.headers.get("ETag", ""), "modified": response.headers.get("Last-Modified", "")}
    return Page(items, state)


def _plain(html: str) -> str:
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(html))).strip()
