"""Links in the text and attached to the post, with their registered domain from an offline
copy of the Public Suffix List (tldextract's bundled snapshot; no network at run time)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from socialguard.rules.detectors import Hit

if TYPE_CHECKING:
    from socialguard.rules.analysis import Analysis

URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"'()]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|uk|io|co|edu|gov|ly|info|me)"
    r"(?![a-z0-9-])(?:/[^\s<>\"'()]*)?",
    re.I,
)
# Cheap test for anything URL-like before the full pattern runs (most posts have no link).
URL_HINT = re.compile(r"://|www\.|\.(?:com|org|net|uk|io|co|edu|gov|ly|info|me)\b", re.I)


@cache
def _extractor():  # type: ignore[no-untyped-def]
    """Built on first use: importing tldextract (and requests with it) was a fifth of the CLI's
    start-up, and most posts have no link."""
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registered_domain(url: str) -> str:
    """The domain someone registered ("bbc.co.uk" for news.bbc.co.uk), by the Public Suffix List."""
    parts = _extractor()(url)
    if not parts.domain:
        return parts.suffix.lower()  # a public suffix itself, such as gov.uk
    return f"{parts.domain}.{parts.suffix}".lower() if parts.suffix else parts.domain.lower()


def host_of(url: str) -> str:
    """The host name of a URL or bare domain, lower case, without 'www.'."""
    url = url.strip().lower()
    if "://" not in url:
        url = "http://" + url.lstrip("@")
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def host_matches(host: str, domains: set[str]) -> bool:
    """True when `host` is one of `domains` or a subdomain of one ("news.bbc.co.uk" of "bbc.co.uk")."""
    return any(host == d or host.endswith("." + d) for d in domains)


def domain_set(domains: Iterable[str]) -> set[str]:
    return {host_of(d) for d in domains if d.strip() and "." in d}


class LinkDetector:
    name: str = "links"
    kinds: tuple[str, ...] = ("link",)

    def detect(self, analysis: Analysis) -> None:
        text = analysis.text.original
        if URL_HINT.search(text):
            for m in URL.finditer(text):
                url = m.group(0).rstrip(".,;:!?")
                if "@" in text[max(0, m.start() - 1) : m.start()]:
                    continue  # the domain part of an email address
                analysis.add(
                    Hit("link", m.start(), m.start() + len(url), registered_domain(url), detail=host_of(url))
                )
        for url in analysis.post.links:
            analysis.add(Hit("link", 0, 0, registered_domain(url), detail=host_of(url)))
