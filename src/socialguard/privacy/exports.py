"""Read a platform's own export of a person's connections, in memory, into names and handles.

The shapes are the platforms' public "download your data" formats:

- LinkedIn `Connections.csv`: a "Notes:" preamble of a few lines, then the header
  `First Name,Last Name,URL,Email Address,Company,Position,Connected On`.
- Facebook `friends.json` / `your_friends.json`: `{"friends_v2": [{"name": ..., "timestamp": ...}]}`
  (older exports: `"friends"`). Facebook writes non-ASCII names as UTF-8 bytes escaped one by one
  (`"Ren\\u00c3\\u00a9e"` for Renée); that is undone here.
- Instagram `followers_1.json`: a list of `{"string_list_data": [{"href", "value", "timestamp"}]}`;
  `following.json`: `{"relationships_following": [the same]}`.
- The X archive's `follower.js` / `following.js`: `window.YTD.follower.part0 = [{"follower":
  {"accountId": ..., "userLink": ...}}]`. It holds account numbers only: no names, no handles.
- Handles or names pasted as text, one per line (or separated by commas).

Nothing here touches the disk or the database: it takes bytes and returns tuples. Every problem
is an `ExportError` whose message says what to do.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from socialguard import csvfiles

LINKEDIN, FACEBOOK, INSTAGRAM, X, PASTED = "linkedin", "facebook", "instagram", "x", "pasted"
FORMATS = {
    LINKEDIN: "LinkedIn Connections.csv",
    FACEBOOK: "Facebook friends (JSON from “Download your information”)",
    INSTAGRAM: "Instagram followers or following (JSON from “Download your information”)",
    X: "X archive follower.js or following.js",
}
LINKEDIN_HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
FACEBOOK_KEYS = ("friends_v2", "friends", "followers_v2", "following_v2")
INSTAGRAM_KEYS = ("relationships_following", "relationships_followers")
X_PREFIX = re.compile(r"^\s*window\.YTD\.(follower|following)\.part\d+\s*=\s*", re.ASCII)
MAX_PASTED_LINES = 20_000


class ExportError(ValueError):
    pass


@dataclass(frozen=True)
class Connection:
    name: str = ""  # as the export shows it
    handle: str = ""  # normalised: lower case, no @, no address around it
    account_id: str = ""  # X only


@dataclass(frozen=True)
class Parsed:
    format: str
    connections: tuple[Connection, ...]
    note: str = ""  # what could not be matched, and why


def handle_of(text: str) -> str:
    """`@Jane_Doe`, `jane_doe`, `https://www.instagram.com/jane_doe/` → `jane_doe`."""
    text = text.strip()
    if "://" in text or text.startswith("www."):
        parts = urlsplit(text if "://" in text else "https://" + text)
        segments = [s for s in parts.path.split("/") if s]
        if segments and segments[0] == "in" and len(segments) > 1:  # linkedin.com/in/slug
            segments = segments[1:]
        text = segments[0] if segments else ""
    return text.lstrip("@").strip().lower()


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExportError(
            "the file is not UTF-8 text, which is how the platforms export it; download it again "
            "and upload it without opening it in a spreadsheet first (or save it as “CSV UTF-8”)"
        ) from None


def detect(text: str) -> str:
    stripped = text.lstrip()
    if X_PREFIX.match(stripped):
        return X
    if stripped.startswith(("{", "[")):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError:
            raise ExportError("the file starts like JSON but is not valid JSON (cut short?)") from None
        if isinstance(data, dict) and any(k in data for k in FACEBOOK_KEYS):
            return FACEBOOK
        if isinstance(data, dict) and any(k in data for k in INSTAGRAM_KEYS):
            return INSTAGRAM
        if isinstance(data, list) and all(isinstance(i, dict) and "string_list_data" in i for i in data):
            return INSTAGRAM
        raise ExportError(
            "this JSON file is not a friends, followers or following list from Facebook or Instagram; "
            "in the download, look for friends/your_friends.json, followers_1.json or following.json"
        )
    if any(line.startswith("First Name,Last Name") for line in stripped.splitlines()[:20]):
        return LINKEDIN
    raise ExportError(
        "this file is not one of the exports socialguard reads: "
        + "; ".join(FORMATS.values())
        + ". To check other names, paste them instead"
    )


def parse(data: bytes, expected: str = "") -> Parsed:
    """`expected`: the format the person chose ('' to recognise it)."""
    text = decode(data)
    if not text.strip():
        raise ExportError("the file is empty")
    found = detect(text)
    if expected and expected != found:
        raise ExportError(
            f"you chose {FORMATS.get(expected, expected)}, but this file is {FORMATS[found]}; "
            "choose that, or upload the other file"
        )
    reader = {LINKEDIN: _linkedin, FACEBOOK: _facebook, INSTAGRAM: _instagram, X: _x}[found]
    return reader(text)


def _linkedin(text: str) -> Parsed:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("First Name,Last Name"))
    # The project's one bounded CSV reader (socialguard.csvfiles): limits on lines, cells, columns.
    try:
        rows = list(csvfiles.read_rows("\n".join(lines[start:])))
    except csvfiles.CsvProblem as exc:
        raise ExportError(f"the LinkedIn file, row {(exc.row or 0) + start}, {exc.message}") from None
    header = [c.strip() for c in rows[0][1]]
    column: dict[str, int] = {n: header.index(n) for n in ("First Name", "Last Name", "URL") if n in header}
    people = []
    for _, cells in rows[1:]:

        def cell(name: str, cells: list[str] = cells) -> str:
            index = column.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        name = f"{cell('First Name')} {cell('Last Name')}".strip()
        url = cell("URL")
        if name or url:
            people.append(Connection(name=name, handle=handle_of(url) if url else ""))
    return Parsed(LINKEDIN, tuple(people))


def unmojibake(text: str) -> str:
    """Facebook's "Ren\u00c3\u00a9e" → "Renée"; text that is not so escaped comes back as it was."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _facebook(text: str) -> Parsed:
    data = json.loads(text)
    people = []
    for key in FACEBOOK_KEYS:
        items = data.get(key, [])
        if not isinstance(items, list):
            raise ExportError(f"“{key}” in this Facebook file is not a list")
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"].strip():
                people.append(Connection(name=unmojibake(item["name"]).strip()))
    return Parsed(FACEBOOK, tuple(people))


def _instagram(text: str) -> Parsed:
    data = json.loads(text)
    items: list[object] = []
    if isinstance(data, list):
        items = data
    else:
        for key in INSTAGRAM_KEYS:
            items += data.get(key, []) if isinstance(data.get(key), list) else []
    people = []
    for item in items:
        if not isinstance(item, dict):
            continue
        entries = item.get("string_list_data") or []
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict):
                continue
            raw = entry.get("value") or item.get("title") or entry.get("href") or ""
            handle = handle_of(unmojibake(str(raw)))
            if handle:
                people.append(Connection(handle=handle))
    return Parsed(INSTAGRAM, tuple(people))


def _x(text: str) -> Parsed:
    body = X_PREFIX.sub("", text.lstrip(), count=1).strip().rstrip(";")
    try:
        data = json.loads(body)
    except json.JSONDecodeError:
        raise ExportError("the X file does not hold a valid list after “window.YTD… =”") from None
    if not isinstance(data, list):
        raise ExportError("the X file does not hold a list of followers or following")
    ids = []
    for item in data:
        inner = next(iter(item.values()), None) if isinstance(item, dict) and item else None
        if isinstance(inner, dict) and str(inner.get("accountId", "")).isdigit():
            ids.append(Connection(account_id=str(inner["accountId"])))
    note = (
        "The X archive lists account numbers only, not names or handles, so socialguard can match "
        "them only with X account numbers recorded in the register. To check names or handles, "
        "paste them from the follower and following lists instead."
    )
    return Parsed(X, tuple(ids), note)


def parse_pasted(text: str) -> Parsed:
    """One handle, profile address or name per line (semicolons also separate; not commas, so that
    "Doe, Jane" stays one name):
    `@jane`, `https://…/jane` and single words are handles; anything with a space is a name."""
    items = [i.strip() for i in re.split(r"[\n;]", text) if i.strip()]
    if not items:
        raise ExportError("paste at least one handle or name")
    if len(items) > MAX_PASTED_LINES:
        raise ExportError(f"paste at most {MAX_PASTED_LINES:,} handles or names at a time")
    people = []
    for item in items:
        if item.startswith("@") or "://" in item or " " not in item:
            people.append(Connection(handle=handle_of(item)))
        else:
            people.append(Connection(name=item))
    return Parsed(PASTED, tuple(people))
