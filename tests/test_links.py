"""Web addresses people give us are http(s) only: `javascript:` and friends never get stored."""

from __future__ import annotations

import pytest

from socialguard.links import BadAddress, web_address


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(document.domain)",
        "JaVaScRiPt:alert(1)",
        "  javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "mailto:x@dmm.example",
        "ftp://files.example/x",
        "https://",
        "http://[::1",
        "https://exa mple.org",
        "https://x.example/" + "a" * 500,
    ],
)
def test_refused(value: str) -> None:
    with pytest.raises(BadAddress):
        web_address(value)


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("", ""),
        ("https://www.instagram.com/dmm/", "https://www.instagram.com/dmm/"),
        ("http://intranet/page", "http://intranet/page"),
        ("instagram.com/dmm", "https://instagram.com/dmm"),
        ("example.org:8080/x", "https://example.org:8080/x"),
        ("//x.example/a", "https://x.example/a"),
    ],
)
def test_accepted(value: str, stored: str) -> None:
    assert web_address(value) == stored


def test_the_message_says_what_to_give() -> None:
    with pytest.raises(BadAddress) as bad:
        web_address("javascript:alert(document.domain)")
    assert str(bad.value) == "give a web address starting with https:// or http:// (not javascript:)"
