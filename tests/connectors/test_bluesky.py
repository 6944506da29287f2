"""The Bluesky connector against a real AT Protocol network (tests/atproto.py): publish, read back
from the AppView, delete, and the faults a worker meets (the PDS stopping mid-publish, a refused
app password, a post too long)."""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Callable

import httpx
import pytest
from PIL import Image

from socialguard.connectors.base import (
    AuthenticationFailed,
    Credentials,
    MediaUpload,
    NotFound,
    OutgoingPost,
    PlatformUnavailable,
    PostRejected,
    connector_for,
)
from socialguard.connectors.bluesky import BlueskyConnector
from tests.atproto import AtprotoNetwork, BlueskyAccount

Account = Callable[[], BlueskyAccount]


def connect(account: BlueskyAccount, timeout: float = 20) -> BlueskyConnector:
    return BlueskyConnector(account.credentials, timeout=timeout)


def post(connector: BlueskyConnector, text: str, **kwargs: object) -> OutgoingPost:
    return OutgoingPost(text=text, record_key=connector.new_record_key(), **kwargs)  # type: ignore[arg-type]


def test_publish_then_the_appview_returns_it(
    atproto_network: AtprotoNetwork, bluesky_account: Account
) -> None:
    account = bluesky_account()
    connector = connector_for("bluesky", account.credentials)
    assert isinstance(connector, BlueskyConnector)
    outgoing = OutgoingPost(
        text="Open day on Saturday: come and see us",
        record_key=connector.new_record_key(),
        created_at=dt.datetime(2026, 1, 5, 9, 30),  # naive: taken as UTC
    )

    record = connector.publish(outgoing)

    assert record.uri == f"at://{account.did}/app.bsky.feed.post/{outgoing.record_key}"
    assert record.url == f"https://bsky.app/profile/{account.handle}/post/{outgoing.record_key}"
    [view] = atproto_network.wait_for_posts([record.uri])
    assert view["cid"] == record.id
    assert view["author"]["handle"] == account.handle
    assert view["record"]["text"] == "Open day on Saturday: come and see us"
    assert view["record"]["createdAt"] == "2026-01-05T09:30:00.000Z"
    assert connector.find(outgoing.record_key) == record


def test_links_mentions_and_tags_become_facets(
    atproto_network: AtprotoNetwork, bluesky_account: Account
) -> None:
    account, other = bluesky_account(), bluesky_account()
    connector = connect(account)
    text = (
        f"Café results 🎓 https://dmm.example/results?y=2026. Thanks @{other.handle}! "
        "@nobody-here.test #ResultsDay"
    )

    record = connector.publish(post(connector, text))

    [view] = atproto_network.wait_for_posts([record.uri])
    data = text.encode()
    facets = {
        data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode(): f["features"][0]
        for f in view["record"]["facets"]
    }
    assert facets == {
        "https://dmm.example/results?y=2026": {
            "$type": "app.bsky.richtext.facet#link",
            "uri": "https://dmm.example/results?y=2026",
        },
        f"@{other.handle}": {"$type": "app.bsky.richtext.facet#mention", "did": other.did},
        "#ResultsDay": {"$type": "app.bsky.richtext.facet#tag", "tag": "ResultsDay"},
    }


def test_images_with_their_alt_text(atproto_network: AtprotoNetwork, bluesky_account: Account) -> None:
    connector = connect(bluesky_account())
    images = []
    for n, (kind, mime) in enumerate(
        [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")] * 2
    ):
        buffer = io.BytesIO()
        Image.new("RGB", (60 + n, 30), "green").save(buffer, kind)
        images.append(MediaUpload(data=buffer.getvalue(), mime_type=mime, alt=f"Banner {n + 1}"))

    with pytest.raises(PostRejected, match="at most 4 images"):
        connector.publish(post(connector, "Too many", media=tuple(images[:5])))
    record = connector.publish(post(connector, "Our new banners", media=tuple(images[:4])))

    [view] = atproto_network.wait_for_posts([record.uri])
    shown = view["embed"]["images"]
    assert [i["alt"] for i in shown] == ["Banner 1", "Banner 2", "Banner 3", "Banner 4"]
    assert shown[0]["aspectRatio"] == {"$type": "app.bsky.embed.defs#aspectRatio", "width": 60, "height": 30}
    blobs = [i["image"] for i in view["record"]["embed"]["images"]]
    assert [(b["mimeType"], b["size"]) for b in blobs] == [(i.mime_type, len(i.data)) for i in images[:4]]


def test_a_reply_keeps_the_thread(atproto_network: AtprotoNetwork, bluesky_account: Account) -> None:
    someone, organisation = connect(bluesky_account()), connect(bluesky_account())
    question = someone.publish(post(someone, "When does enrolment open?"))
    answer = organisation.publish(post(organisation, "On 1 March.", reply_to=question.uri))
    thanks = someone.publish(post(someone, "Thank you!", reply_to=answer.uri))

    views = {v["uri"]: v for v in atproto_network.wait_for_posts([answer.uri, thanks.uri])}
    assert views[answer.uri]["record"]["reply"]["root"]["uri"] == question.uri
    assert views[answer.uri]["record"]["reply"]["parent"]["uri"] == question.uri
    assert views[thanks.uri]["record"]["reply"]["root"]["uri"] == question.uri  # the thread's first post
    parent = views[thanks.uri]["record"]["reply"]["parent"]
    assert (parent["uri"], parent["cid"]) == (answer.uri, answer.id)
    [own] = organisation.fetch_own_posts()[0]
    assert own.reply_to == question.uri

    with pytest.raises(NotFound, match="no longer exists"):
        organisation.publish(
            post(organisation, "Late", reply_to=question.uri.rsplit("/", 1)[0] + "/3jzfcijpj2z2a")
        )


def test_delete_removes_it_and_deleting_again_is_fine(
    atproto_network: AtprotoNetwork, bluesky_account: Account
) -> None:
    account = bluesky_account()
    connector = connect(account)
    record = connector.publish(post(connector, "A typo in this one"))
    atproto_network.wait_for_posts([record.uri])

    connector.delete(record.uri)
    connector.delete(record.uri)

    assert connector.find(record.record_key) is None
    assert atproto_network.own_records(account) == []
    atproto_network.wait_for_posts([record.uri], present=False)


def test_publishing_twice_with_one_key_posts_once(
    atproto_network: AtprotoNetwork, bluesky_account: Account
) -> None:
    account = bluesky_account()
    outgoing = post(connect(account), "Exactly once")

    first = connect(account).publish(outgoing)
    # A second worker (a retry after a crash before the database commit) with the same stored key.
    second = connect(account).publish(outgoing)

    assert second == first
    assert [r["uri"] for r in atproto_network.own_records(account)] == [first.uri]


def test_the_pds_stopping_mid_publish_then_a_retry_posts_exactly_once(
    atproto_network: AtprotoNetwork, bluesky_account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = bluesky_account()
    worker = connect(account, timeout=3)
    outgoing = post(worker, "Published despite the outage")
    client = worker._signed_in()
    create_record = client.com.atproto.repo.create_record
    calls = []

    def stop_the_pds_then_create(*args: object, **kwargs: object) -> object:
        # The worker has checked for the key and built the record; the request goes out now,
        # to a PDS that has stopped answering.
        calls.append(1)
        atproto_network.pause()
        return create_record(*args, **kwargs)

    monkeypatch.setattr(client.com.atproto.repo, "create_record", stop_the_pds_then_create)
    try:
        started = time.monotonic()
        with pytest.raises(PlatformUnavailable, match="did not answer within 3 seconds while publishing"):
            worker.publish(outgoing)
        assert 2.5 < time.monotonic() - started < 20
    finally:
        atproto_network.resume()
    assert calls == [1]

    # Resumed, the PDS handles the request that reached it while it was stopped: the post exists
    # though the worker never heard so, as when a worker dies between the call and its commit.
    deadline = time.monotonic() + 15
    while not atproto_network.own_records(account):
        assert time.monotonic() < deadline, "the interrupted request was never written"
        time.sleep(0.2)
    [written] = atproto_network.own_records(account)

    # The retry (a new worker, the same stored key) finds that post instead of posting again.
    record = connect(account).publish(outgoing)
    assert record.uri == written["uri"]

    assert [r["uri"] for r in atproto_network.own_records(account)] == [record.uri]
    [view] = atproto_network.wait_for_posts([record.uri])
    assert view["record"]["text"] == "Published despite the outage"
    time.sleep(1)
    assert [r["uri"] for r in atproto_network.own_records(account)] == [record.uri]


def test_an_unreachable_platform_is_retryable(bluesky_account: Account) -> None:
    account = bluesky_account()
    nowhere = Credentials(
        identifier=account.handle, secret=account.app_password, service="http://127.0.0.1:9"
    )
    with pytest.raises(
        PlatformUnavailable, match=r"Could not reach Bluesky at http://127\.0\.0\.1:9"
    ) as caught:
        BlueskyConnector(nowhere, timeout=3).publish(OutgoingPost(text="hi", record_key="3kabcdefghijk"))
    assert caught.value.retryable
    assert account.app_password not in str(caught.value)


def test_a_wrong_or_revoked_app_password_is_refused(
    atproto_network: AtprotoNetwork, bluesky_account: Account
) -> None:
    account = bluesky_account()
    wrong = Credentials(identifier=account.handle, secret="aaaa-bbbb-cccc-dddd", service=atproto_network.pds)
    with pytest.raises(AuthenticationFailed, match="refused the app password") as caught:
        BlueskyConnector(wrong).publish(OutgoingPost(text="hi", record_key="3kabcdefghijk"))
    assert not caught.value.retryable
    assert "aaaa-bbbb" not in str(caught.value)

    # Revoked in Bluesky's settings: the next sign-in is refused.
    session = httpx.post(
        f"{atproto_network.pds}/xrpc/com.atproto.server.createSession",
        json={"identifier": account.handle, "password": account.password},
        timeout=30,
    ).json()
    httpx.post(
        f"{atproto_network.pds}/xrpc/com.atproto.server.revokeAppPassword",
        json={"name": "socialguard"},
        headers={"Authorization": f"Bearer {session['accessJwt']}"},
        timeout=30,
    ).raise_for_status()
    with pytest.raises(AuthenticationFailed):
        connect(account).find("3kabcdefghijk")
    assert atproto_network.own_records(account) == []


def test_301_graphemes_are_refused_and_nothing_is_sent(
    atproto_network: AtprotoNetwork, bluesky_account: Account
) -> None:
    account = bluesky_account()
    connector = connect(account)
    exactly_300 = "e\u0301" * 150 + "\U0001f469\U0001f3fd\u200d\U0001f4bb" * 150

    with pytest.raises(PostRejected, match="301 characters long"):
        connector.publish(post(connector, exactly_300 + "!"))
    assert atproto_network.own_records(account) == []

    # The platform agrees on the count: 300 of the same characters go out.
    record = connector.publish(post(connector, exactly_300))
    assert atproto_network.wait_for_posts([record.uri])[0]["record"]["text"] == exactly_300


def test_own_posts_page_by_page(atproto_network: AtprotoNetwork, bluesky_account: Account) -> None:
    connector = connect(bluesky_account())
    uris = [connector.publish(post(connector, f"Post number {n}")).uri for n in range(5)]
    atproto_network.wait_for_posts(uris)

    seen, cursor, pages = [], "", 0
    while True:
        page, cursor = connector.fetch_own_posts(cursor=cursor, limit=2)
        seen += page
        pages += 1
        if not cursor:
            break
    assert [p.uri for p in seen] == uris[::-1]  # newest first
    assert seen[0].text == "Post number 4"
    assert pages >= 3


def test_search_finds_mentions_page_by_page(
    atproto_network: AtprotoNetwork, bluesky_account: Account
) -> None:
    organisation, someone, other = bluesky_account(), connect(bluesky_account()), connect(bluesky_account())
    word = f"dmmcollege{organisation.handle.split('.')[0]}"
    uris = [
        someone.publish(post(someone, f"Great course at {word}, thanks @{organisation.handle}")).uri,
        other.publish(post(other, f"Has anyone studied at {word}?")).uri,
        someone.publish(post(someone, f"{word} open day was good")).uri,
    ]
    other.publish(post(other, "Nothing to do with it"))
    atproto_network.wait_for_posts(uris)

    found, cursor = [], ""
    for _ in range(10):
        page, cursor = connect(organisation).search_mentions(word, cursor=cursor, limit=2)
        assert len(page) <= 2
        found += page
        if not cursor:
            break
    assert sorted(p.uri for p in found) == sorted(uris)
    assert {p.author_handle for p in found} == {someone.credentials.identifier, other.credentials.identifier}


def test_lookup_account(atproto_network: AtprotoNetwork, bluesky_account: Account) -> None:
    account, other = bluesky_account(), bluesky_account()
    info = connect(account).lookup_account(f"@{other.handle}")
    assert (info.handle, info.id) == (other.handle, other.did)
    with pytest.raises(NotFound):
        connect(account).lookup_account("nobody-at-all.test")


def test_the_network_listens_on_loopback_only(atproto_network: AtprotoNetwork) -> None:
    import os
    from pathlib import Path

    inodes = set()
    for fd in Path(f"/proc/{atproto_network.pid}/fd").iterdir():
        target = os.readlink(fd)
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                listening.append(fields[1].split(":")[0])
    assert len(listening) >= 3  # PLC, PDS, AppView and friends
    assert set(listening) == {"0100007F"}, listening  # 127.0.0.1, and nothing on all interfaces
