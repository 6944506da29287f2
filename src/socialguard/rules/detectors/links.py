"""Links in the text and attached to the post, with their registered domain from an offline
copy of the Public Suffix List (tldextract's bundled snapshot; no network at run time)."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable
from functools import cache
from ipaddress import AddressValueError, IPv6Address
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from socialguard.rules.detectors import Hit

if TYPE_CHECKING:
    from socialguard.rules.analysis import Analysis

# A bare domain starts only where a run of its characters starts (not after a letter, digit or "-",
# nor after "x."): with a word boundary, "a-a-a-…" or "a.a.a.…" (no link) was tried from every
# letter, each try scanning the rest of the run, and 32,000 such characters took 25 s.
URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"'()]+|(?<![a-z0-9-])(?<![a-z0-9-]\.)[a-z0-9-]+(?:\.[a-z0-9-]+)*"
    r"\.(?:com|org|net|uk|io|co|edu|gov|ly|info|me)(?![a-z0-9-])(?:/[^\s<>\"'()]*)?",
    re.I,
)
# Cheap test for anything URL-like before the full pattern runs (most posts have no link).
URL_HINT = re.compile(r"://|www\.|\.(?:com|org|net|uk|io|co|edu|gov|ly|info|me)\b", re.I)


# The Public Suffix List's ICANN section, from the snapshot tldextract ships (read from its package
# directory without importing it: tldextract imports requests, which cost a tenth of a second at
# the first link). Parsed and matched as tldextract 5 does, without the private domains;
# tests/rules/test_detectors.py checks the answers against tldextract's own, suffix by suffix.
PUBLIC_SUFFIX = re.compile(r"^(?P<suffix>[.*!]*\w[\S]*)", re.UNICODE | re.MULTILINE)
PRIVATE_SECTION = "// ===BEGIN PRIVATE DOMAINS==="
IPV4 = re.compile(
    r"^(?:(?:[0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\.){3}(?:[0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])$",
    re.ASCII,
)
SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.")


class _Node:
    __slots__ = ("children", "end")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.end = False


@cache
def _suffixes() -> _Node:
    """The suffix list as a trie of labels, last label first; built on the first link."""
    spec = importlib.util.find_spec("tldextract")
    if spec is None or spec.origin is None:
        raise RuntimeError("tldextract (the Public Suffix List snapshot) is not installed")
    text = (Path(spec.origin).parent / ".tld_set_snapshot").read_text(encoding="utf-8")
    root = _Node()
    for m in PUBLIC_SUFFIX.finditer(text.partition(PRIVATE_SECTION)[0]):
        node = root
        for label in reversed(m.group("suffix").split(".")):
            node = node.children.setdefault(label, _Node())
        node.end = True
    return root


def _decoded(label: str) -> str:
    lowered = label.lower()
    if lowered.startswith("xn--"):
        import idna

        try:
            return str(idna.decode(lowered))
        except (UnicodeError, IndexError):
            pass
    return lowered


def _suffix_start(labels: list[str]) -> int | None:
    """Index of the first label of the public suffix, or None when no rule matches."""
    node, index, found = _suffixes(), len(labels), None
    for label in reversed(labels):
        decoded = _decoded(label)
        if decoded in node.children:
            index -= 1
            node = node.children[decoded]
            if node.end:
                found = index
            continue
        if "*" in node.children:  # a wildcard rule, unless an exception ("!www.ck") names it
            return index if "!" + decoded in node.children else index - 1
        break
    return found


def _netloc(url: str) -> str:
    """The host as tldextract takes it: lenient about schemes, case kept, no user, port or root dot."""
    slashes = url.find("//")
    if slashes == 0:
        url = url[2:]
    elif slashes >= 2 and url[slashes - 1] == ":" and not set(url[: slashes - 1]) - SCHEME_CHARS:
        url = url[slashes + 2 :]
    authority = url.partition("/")[0].partition("?")[0].partition("#")[0]
    host = authority.rpartition("@")[-1]
    if host and host[0] == "[":
        inside = host.partition("]")
        if inside[1] == "]":
            return f"{inside[0]}]"
    return host.partition(":")[0].strip().rstrip(".\u3002\uff0e\uff61")


def _is_ipv6(text: str) -> bool:
    try:
        IPv6Address(text)
    except AddressValueError:
        return False
    return True


def registered_domain(url: str) -> str:
    """The domain someone registered ("bbc.co.uk" for news.bbc.co.uk), by the Public Suffix List."""
    netloc = _netloc(url).replace("\u3002", ".").replace("\uff0e", ".").replace("\uff61", ".")
    if len(netloc) >= 4 and netloc[0] == "[" and netloc[-1] == "]" and _is_ipv6(netloc[1:-1]):
        return netloc.lower()
    labels = netloc.split(".")
    start = _suffix_start(labels)
    if start is None:
        if len(labels) == 4 and netloc[:1].isdecimal() and IPV4.fullmatch(netloc):
            return netloc.lower()
        return labels[-1].lower()
    domain, suffix = (labels[start - 1] if start > 0 else ""), ".".join(labels[start:])
    if not domain:
        return suffix.lower()  # a public suffix itself, such as gov.uk
    return f"{domain}.{suffix}".lower()


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

    def warm_up(self) -> None:
        """Read the suffix list now rather than on the first post with a link (about 15 ms)."""
        _suffixes()

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
