"""The Bluesky connector's checks made before any call: these need no network."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest
from PIL import Image

from socialguard.connectors.base import Credentials, MediaUpload, OutgoingPost, PostRejected, connector_for
from socialguard.connectors.bluesky import (
    BlueskyConnector,
    _timestamp,
    check_media,
    check_text,
    grapheme_count,
    new_tid,
)

# An address nothing listens on: a check that called out would fail with PlatformUnavailable instead.
NOWHERE = Credentials(identifier="nobody.test", secret="abcd-efgh-ijkl-mnop", service="http://127.0.0.1:9")

# One grapheme each, several code points: e + combining acute; woman, skin tone, ZWJ, laptop.
E_ACUTE = "e\u0301"
TECHNOLOGIST = "\U0001f469\U0001f3fd\u200d\U0001f4bb"


def png(width: int = 4, height: int = 3) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def test_graphemes_count_what_a_person_sees() -> None:
    assert grapheme_count(E_ACUTE * 2 + TECHNOLOGIST) == 3
    assert len(E_ACUTE * 2 + TECHNOLOGIST) == 8


def test_300_graphemes_pass_301_are_refused_with_the_count() -> None:
    text = E_ACUTE * 150 + TECHNOLOGIST * 150
    check_text(text)  # 300: allowed, though it is 900 code points
    with pytest.raises(PostRejected, match=r"301 characters long; Bluesky allows 300\. Shorten it by 1"):
        check_text(text + "!")


def test_empty_post_is_refused() -> None:
    with pytest.raises(PostRejected, match="empty"):
        check_text("  \n")
    check_text("", has_media=True)


def test_media_checks() -> None:
    assert check_media((MediaUpload(png(4, 3), "image/png", "a blue box"),)) == [(4, 3)]
    with pytest.raises(PostRejected, match="at most 4 images"):
        check_media(tuple(MediaUpload(png(), "image/png") for _ in range(5)))
    with pytest.raises(PostRejected, match="not the image/jpeg image it says"):
        check_media((MediaUpload(png(), "image/jpeg"),))
    with pytest.raises(PostRejected, match="not the image/png image it says"):
        check_media((MediaUpload(b"%PDF-1.7 not a picture", "image/png"),))
    with pytest.raises(PostRejected, match="takes JPEG, PNG, WebP or GIF"):
        check_media((MediaUpload(b"....", "video/mp4"),))
    with pytest.raises(PostRejected, match="up to 1 MB"):
        check_media((MediaUpload(b"x" * 1_000_001, "image/png"),))


def test_publish_refuses_before_calling_the_platform() -> None:
    connector = BlueskyConnector(NOWHERE, timeout=2)
    for post in (
        OutgoingPost(text="x" * 301, record_key=new_tid()),
        OutgoingPost(text="", record_key=new_tid()),
        OutgoingPost(text="ok", record_key=new_tid(), media=(MediaUpload(b"no", "image/png"),)),
        OutgoingPost(text="ok", record_key="not a key"),
    ):
        with pytest.raises(PostRejected):
            connector.publish(post)


def test_record_keys_are_tids_in_order() -> None:
    keys = [new_tid() for _ in range(200)]
    assert all(len(key) == 13 and set(key) <= set("234567abcdefghijklmnopqrstuvwxyz") for key in keys)
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert keys[0][0] in "234567abcdefghij"  # the top bit is 0


def test_the_app_password_stays_out_of_reprs() -> None:
    connector = connector_for("bluesky", NOWHERE)
    assert isinstance(connector, BlueskyConnector)
    assert "abcd-efgh" not in repr(connector) and "abcd-efgh" not in repr(connector.credentials)


def test_facet_offsets_are_utf8_bytes() -> None:
    connector = BlueskyConnector(NOWHERE)
    text = f"{TECHNOLOGIST} see https://example.org/a_(b). (https://dmm.example/x)"
    facets = connector._facets(text)  # links resolve nothing, so no call
    data = text.encode()
    assert [data[f.index.byte_start : f.index.byte_end].decode() for f in facets] == [
        "https://example.org/a_(b)",
        "https://dmm.example/x",
    ]
    assert [f.features[0].uri for f in facets] == ["https://example.org/a_(b)", "https://dmm.example/x"]


def test_created_at_always_carries_its_zone() -> None:
    london = zoneinfo.ZoneInfo("Europe/London")
    assert _timestamp(dt.datetime(2026, 7, 1, 9, 30, tzinfo=london)) == "2026-07-01T08:30:00.000Z"
    assert _timestamp(dt.datetime(2026, 1, 5, 9, 30, 1, 250000)) == "2026-01-05T09:30:01.250Z"
    assert _timestamp(None).endswith("Z")


def test_hashtags_become_tag_facets() -> None:
    text = "Results day #ResultsDay2026! #1 #café https://dmm.example/#top, #\ufe0f x#no"
    facets = BlueskyConnector(NOWHERE)._facets(text)
    data = text.encode()
    tags = [
        (data[f.index.byte_start : f.index.byte_end].decode(), f.features[0].tag)
        for f in facets
        if f.features[0].py_type == "app.bsky.richtext.facet#tag"
    ]
    assert tags == [("#ResultsDay2026", "ResultsDay2026"), ("#café", "café")]
