"""Web addresses people give us (an account's profile, the post a concern is about, a law's
source): http or https only, so a stored `javascript:` or `data:` address can never become a
link that runs script when SMT or an auditor clicks it. Services call this, so the web form,
the API and the CLI refuse the same values with the same words. No Django here."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_LENGTH = 500
SCHEMES = ("http", "https")
# A scheme as browsers read one: letters first, then letters, digits, + - .
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


class BadAddress(ValueError):
    pass


def web_address(value: str, *, max_length: int = MAX_LENGTH) -> str:
    """The address, with https:// added when none is given ("instagram.com/dmm"); "" stays "".

    Raises BadAddress saying what is wrong with it."""
    text = value.strip()
    if not text:
        return ""
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise BadAddress("a web address cannot contain spaces or control characters")
    if text.startswith("//"):
        text = "https:" + text
    elif not _SCHEME.match(text) or re.match(r"^[^:/]+:\d", text):
        # No scheme, or "example.com:8080/...", which reads like one: assume https.
        text = "https://" + text
    try:
        parts = urlsplit(text)
        hostname = parts.hostname
    except ValueError:  # e.g. an unclosed [IPv6 address]
        raise BadAddress(f"{value.strip()[:80]!r} is not a web address") from None
    if parts.scheme.lower() not in SCHEMES:
        raise BadAddress(
            f"give a web address starting with https:// or http:// (not {parts.scheme.lower()}:)"
        )
    if not hostname:
        raise BadAddress(f"{value.strip()[:80]!r} is not a web address (such as https://example.org/page)")
    if len(text) > max_length:
        raise BadAddress(f"a web address may be at most {max_length} characters")
    return text
