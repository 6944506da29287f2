"""Platform data exports, for accounts without API access, parsed from their documented shapes:

- X (Twitter) archive: `data/tweets.js`, a JavaScript assignment `window.YTD.tweets.part0 = [...]`
  of `{"tweet": {"id_str", "full_text", "created_at": "Wed Oct 10 20:19:24 +0000 2018"}}`.
- Facebook "Download your information" JSON: `your_posts_1.json`, a list of
  `{"timestamp": <epoch>, "data": [{"post": "..."}], "title": "..."}`; its text is UTF-8 written
  as Latin-1 escapes (`\\u00e2\\u0080\\u0099` for a right single quote), which is undone here.
- Instagram "Download your information" JSON: `posts_1.json`, a list of
  `{"media": [{"uri", "creation_timestamp", "title": caption}], "title"?: caption, "creation_timestamp"?}`.
- LinkedIn "Shares.csv": columns `Date, ShareLink, ShareCommentary, SharedUrl, MediaUrl, Visibility`.

A file of the wrong shape raises ExportError saying what was expected; nothing is half-read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from socialguard import csvfiles
from socialguard.monitoring.fetchers import FetchError, RawItem

MAX_BYTES = 20_000_000
X_PREFIX = re.compile(r"^\s*window\.YTD\.[A-Za-z_]+\.part\d+\s*=\s*")


class ExportError(FetchError):
    """The file is not the export it was said to be."""


def _json(data: bytes, what: str) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ExportError(f"This is not {what}: it is not valid JSON.") from None


def _digest(text: str) -> str:
    # Stable across processes (unlike hash()), so a file uploaded twice gives the same ids.
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _epoch(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _facebook_text(value: str) -> str:
    # Facebook writes each UTF-8 byte as its own \u00XX escape: re-read them as bytes.
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def parse_x(data: bytes) -> list[RawItem]:
    what = "an X archive's tweets.js (window.YTD.tweets.part0 = [...])"
    text = data.decode("utf-8-sig", errors="replace")
    match = X_PREFIX.match(text)
    if not match:
        raise ExportError(f"This is not {what}: it does not start with window.YTD.tweets.part0 =")
    rows = _json(text[match.end() :].strip().rstrip(";").encode(), what)
    if not isinstance(rows, list):
        raise ExportError(f"This is not {what}: it holds no list of tweets.")
    items = []
    for n, row in enumerate(rows, start=1):
        tweet = row.get("tweet", row) if isinstance(row, dict) else None
        if not isinstance(tweet, dict) or not (tweet.get("id_str") or tweet.get("id")):
            raise ExportError(f"Tweet {n} in the file has no id: this is not {what}.")
        tweet_id = str(tweet.get("id_str") or tweet.get("id"))
        try:
            posted = dt.datetime.strptime(str(tweet.get("created_at", "")), "%a %b %d %H:%M:%S %z %Y")
        except ValueError:
            posted = None
        url = f"https://x.com/i/web/status/{tweet_id}"
        items.append(RawItem(tweet_id, url, "x", url, "", str(tweet.get("full_text", "")), posted))
    return items


def parse_facebook(data: bytes) -> list[RawItem]:
    what = "a Facebook export's your_posts JSON"
    rows = _json(data, what)
    if isinstance(rows, dict):  # some exports wrap the list
        rows = rows.get("status_updates_v2") or rows.get("posts") or rows
    if not isinstance(rows, list):
        raise ExportError(f"This is not {what}: it holds no list of posts.")
    items = []
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or "timestamp" not in row:
            raise ExportError(f"Post {n} has no timestamp: this is not {what}.")
        texts = [d.get("post", "") for d in row.get("data", []) if isinstance(d, dict) and d.get("post")]
        text = _facebook_text("\n".join(texts))
        posted = _epoch(row["timestamp"])
        ident = f"{row['timestamp']}-{n}" if not text else f"{row['timestamp']}-{_digest(text)}"
        items.append(RawItem(ident, f"facebook:{ident}", "facebook", "", "", text, posted))
    return items


def parse_instagram(data: bytes) -> list[RawItem]:
    what = "an Instagram export's posts JSON"
    rows = _json(data, what)
    if isinstance(rows, dict):
        rows = rows.get("ig_posts") or rows
    if not isinstance(rows, list):
        raise ExportError(f"This is not {what}: it holds no list of posts.")
    items = []
    for n, row in enumerate(rows, start=1):
        media = row.get("media") if isinstance(row, dict) else None
        if not isinstance(media, list) or not media or not isinstance(media[0], dict):
            raise ExportError(f"Post {n} has no media list: this is not {what}.")
        first = media[0]
        caption = _facebook_text(str(row.get("title") or first.get("title") or ""))
        stamp = row.get("creation_timestamp", first.get("creation_timestamp"))
        ident = str(first.get("uri") or f"{stamp}-{n}")
        items.append(RawItem(ident, f"instagram:{ident}", "instagram", "", "", caption, _epoch(stamp)))
    return items


LINKEDIN_COLUMNS = ("Date", "ShareLink", "ShareCommentary")


def parse_linkedin(data: bytes) -> list[RawItem]:
    what = "LinkedIn's Shares.csv"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExportError(f"This is not {what}: it is not UTF-8 text.") from None
    header: list[str] = []
    items = []
    try:
        # The product's one bounded CSV reader: no row, line or cell without a limit.
        for number, cells in csvfiles.read_rows(text):
            if number == 1:
                header = [c.strip() for c in cells]
                missing = [c for c in LINKEDIN_COLUMNS if c not in header]
                if missing:
                    raise ExportError(f"This is not {what}: the column(s) {', '.join(missing)} are missing.")
                continue
            row = dict(zip(header, cells, strict=False))
            link = (row.get("ShareLink") or "").strip()
            try:
                posted = dt.datetime.strptime(row.get("Date") or "", "%Y-%m-%d %H:%M:%S").replace(
                    tzinfo=dt.UTC
                )
            except ValueError:
                posted = None
            body = (row.get("ShareCommentary") or "").strip().strip('"')
            ident = link or f"{row.get('Date')}-{_digest(body)}"
            items.append(RawItem(ident, link or f"linkedin:{ident}", "linkedin", link, "", body, posted))
    except csvfiles.CsvProblem as problem:
        raise ExportError(f"This is not {what}: {problem}") from None
    if not header:
        raise ExportError(f"This is not {what}: the file is empty.")
    return items


PLATFORM_NAMES = {
    "x": "X (Twitter): tweets.js from the archive",
    "facebook": "Facebook: your_posts JSON",
    "instagram": "Instagram: posts JSON",
    "linkedin": "LinkedIn: Shares.csv",
}

PARSERS: dict[str, Callable[[bytes], list[RawItem]]] = {
    "x": parse_x,
    "facebook": parse_facebook,
    "instagram": parse_instagram,
    "linkedin": parse_linkedin,
}


def parse(platform: str, data: bytes) -> list[RawItem]:
    if platform not in PARSERS:
        raise ExportError(f"No export reader for {platform!r}; choose one of {', '.join(PARSERS)}.")
    if len(data) > MAX_BYTES:
        raise ExportError(f"The file is larger than {MAX_BYTES // 1_000_000} MB: split it.")
    return PARSERS[platform](data)
