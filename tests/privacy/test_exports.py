"""Reading each platform's export, in its public shape, and refusing what is not one."""

from __future__ import annotations

import pytest

from socialguard.privacy import exports
from tests.privacy import samples


def test_linkedin_connections_csv_with_its_notes_preamble() -> None:
    parsed = exports.parse(samples.LINKEDIN)
    assert parsed.format == exports.LINKEDIN
    assert [c.name for c in parsed.connections] == ["Zebedee Quillfeather", "Dan Young", "Fay Young"]
    assert parsed.connections[0].handle == "zebedee-quillfeather-1a2b3c"


def test_facebook_friends_json_undoes_the_mojibake() -> None:
    parsed = exports.parse(samples.FACEBOOK)
    assert parsed.format == exports.FACEBOOK
    assert [c.name for c in parsed.connections] == ["Xanthippe Moonwhistle", "Dän Yöung", "Eve Former"]


def test_older_facebook_friends_key() -> None:
    parsed = exports.parse(b'{"friends": [{"name": "Ren\\u00c3\\u00a9e O\'Brien", "timestamp": 1}]}')
    assert [c.name for c in parsed.connections] == ["Renée O'Brien"]


def test_instagram_followers_and_following() -> None:
    assert [
        c.handle for c in exports.parse(samples.instagram_followers(["Dan.Young_", "zz"])).connections
    ] == [
        "dan.young_",
        "zz",
    ]
    following = exports.parse(samples.instagram_following(["someone"]))
    assert following.format == exports.INSTAGRAM
    assert following.connections[0].handle == "someone"


def test_x_archive_has_account_numbers_only_and_says_so() -> None:
    parsed = exports.parse(samples.x_archive("follower", ["12345", "678"]))
    assert parsed.format == exports.X
    assert [c.account_id for c in parsed.connections] == ["12345", "678"]
    assert "account numbers only" in parsed.note
    assert exports.parse(samples.x_archive("following", ["9"])).connections[0].account_id == "9"


def test_pasted_handles_and_names() -> None:
    parsed = exports.parse_pasted("@Dan_Young\nhttps://www.instagram.com/fay.y/\nYoung, Fay\nEve Former")
    assert [(c.handle, c.name) for c in parsed.connections] == [
        ("dan_young", ""),
        ("fay.y", ""),
        ("", "Young, Fay"),
        ("", "Eve Former"),
    ]


@pytest.mark.parametrize(
    ("data", "expected", "message"),
    [
        (samples.FACEBOOK, exports.LINKEDIN, "you chose LinkedIn Connections.csv, but this file is Facebook"),
        (b'{"messages": []}', "", "not a friends, followers or following list"),
        (b"name,age\nJo,4\n", "", "not one of the exports socialguard reads"),
        ("First Name,Last Name\nZo\xe9,X\n".encode("cp1252"), "", "not UTF-8 text"),
        (b"", "", "the file is empty"),
        (b'{"friends_v2": [', "", "not valid JSON"),
        (b"window.YTD.follower.part0 = [oops", "", "does not hold a valid list"),
    ],
)
def test_wrong_platform_shape_or_encoding_is_refused_with_a_reason(
    data: bytes, expected: str, message: str
) -> None:
    with pytest.raises(exports.ExportError, match=message):
        exports.parse(data, expected)
