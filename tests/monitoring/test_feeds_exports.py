"""RSS/Atom feeds served over HTTP on 127.0.0.1 and platform exports in their documented shapes
(issue 17 item 1); a malformed feed, an unreachable one and a wrong-shaped export are a status on
the source, never a crash, and nothing is half-read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from socialguard.accounts.models import OrgAccount
from socialguard.monitoring import exports, services
from socialguard.monitoring.models import Alert, AlertKind, Health, Item, Kind
from tests.conftest import sign_in
from tests.monitoring.conftest import FIXTURES, reload


def _feed(org: dict[str, Any], url: str) -> Any:
    return services.source_save(actor=org["smt"], name="News", kind=Kind.FEED, config={"url": url})


def test_rss_entries_naming_the_organisation_are_read_and_checked(
    org: dict[str, Any], feed_server: str
) -> None:
    source = _feed(org, f"{feed_server}/news.rss")
    result = services.poll(source)
    assert result.error == "" and result.stored == 2  # the cycle lanes do not name us
    alert = Alert.objects.get()
    assert alert.kind == AlertKind.CRITICISM and alert.url == "https://news.example/2026/11/dmm-review"
    assert services.poll(reload(source)).stored == 0  # read again: nothing repeated
    assert reload(source).health == Health.OK


def test_an_atom_feed_with_an_alias(org: dict[str, Any], feed_server: str) -> None:
    services.poll(_feed(org, f"{feed_server}/reviews.atom"))
    item = Item.objects.get()
    assert item.author == "A Reviewer" and item.posted_at == dt.datetime(
        2026, 11, 25, 18, 30, 2, tzinfo=dt.UTC
    )
    assert Alert.objects.get().kind == AlertKind.CRITICISM


@pytest.mark.parametrize(
    ("path", "words"),
    [("broken.rss", "not a readable RSS or Atom feed"), ("missing.rss", "answered 404")],
)
def test_a_malformed_or_missing_feed_is_a_status(
    org: dict[str, Any], feed_server: str, path: str, words: str
) -> None:
    source = _feed(org, f"{feed_server}/{path}")
    result = services.poll(source)
    assert words in result.error
    source = reload(source)
    assert source.health == Health.FAILING and words in source.last_error
    assert not Item.objects.exists()


def test_an_unreachable_feed_is_a_status(org: dict[str, Any]) -> None:
    source = _feed(org, "http://127.0.0.1:9/feed.xml")
    assert "Could not reach" in services.poll(source).error
    assert reload(source).health == Health.FAILING


def _export_source(org: dict[str, Any], platform: str) -> Any:
    account = OrgAccount.objects.get_or_create(
        platform=platform, handle=f"DMM on {platform}", defaults={"login_email": "social@dmm.example"}
    )[0]
    return services.source_save(
        actor=org["smt"], name=f"{platform} export", kind=Kind.EXPORT, account=account,
        config={"platform": platform},
    )  # fmt: skip


def test_the_x_archive_is_read_and_each_post_is_checked(org: dict[str, Any]) -> None:
    items = exports.parse("x", (FIXTURES / "tweets.js").read_bytes())
    assert [i.external_id for i in items] == ["1600000000000000001", "1600000000000000002"]
    assert items[0].posted_at == dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    assert items[0].url == "https://x.com/i/web/status/1600000000000000001"

    source = _export_source(org, "x")
    result = services.import_export(
        actor=org["smt"], source=source, data=(FIXTURES / "tweets.js").read_bytes(), filename="tweets.js"
    )
    assert result.stored == 2
    kinds = {a.kind for a in Alert.objects.all()}
    # Neither went through socialguard; the second names a learner with his phone number.
    assert kinds == {AlertKind.UNAPPROVED_POST, AlertKind.SAFEGUARDING}
    assert {a.author for a in Alert.objects.all()} == {"DMM on x"}  # our account posted them
    again = services.import_export(
        actor=org["smt"], source=source, data=(FIXTURES / "tweets.js").read_bytes()
    )
    assert again.stored == 0 and Alert.objects.count() == 2


def test_facebook_instagram_and_linkedin_exports() -> None:
    facebook = exports.parse("facebook", (FIXTURES / "your_posts_1.json").read_bytes())
    assert facebook[0].text == "We\u2019re hiring tutors in Manchester. ^AB"  # Facebook's escapes undone
    assert facebook[0].posted_at == dt.datetime.fromtimestamp(1763974800, tz=dt.UTC)
    assert len(facebook) == 2 and facebook[1].text == ""
    instagram = exports.parse("instagram", (FIXTURES / "posts_1.json").read_bytes())
    assert [i.text for i in instagram] == ["Graduation day for our apprentices! ^CH", "Open day on Saturday"]
    linkedin = exports.parse("linkedin", (FIXTURES / "Shares.csv").read_bytes())
    assert linkedin[1].text == "Our results this year are the best yet. ^AB"
    assert linkedin[1].url.startswith("https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A7")
    # Stable ids: the same file read twice gives the same items.
    assert exports.parse("facebook", (FIXTURES / "your_posts_1.json").read_bytes()) == facebook


@pytest.mark.parametrize(
    ("platform", "fixture", "words"),
    [
        ("x", "wrong.json", "window.YTD.tweets.part0"),
        ("facebook", "tweets.js", "not valid JSON"),
        ("instagram", "wrong.json", "no list of posts"),
        ("linkedin", "news.rss", "ShareLink"),
    ],
)
def test_a_wrong_shaped_export_is_refused_whole_with_what_was_expected(
    org: dict[str, Any], platform: str, fixture: str, words: str
) -> None:
    source = _export_source(org, platform)
    with pytest.raises(ValidationError, match=words):
        services.import_export(actor=org["smt"], source=source, data=(FIXTURES / fixture).read_bytes())
    source = reload(source)
    assert source.health == Health.FAILING and words in source.last_error
    assert not Item.objects.exists()


def test_only_smt_upload_exports(org: dict[str, Any]) -> None:
    from django.core.exceptions import PermissionDenied

    source = _export_source(org, "x")
    with pytest.raises(PermissionDenied):
        services.import_export(actor=org["runner"], source=source, data=b"")


def test_a_paused_source_is_not_read_even_when_asked(org: dict[str, Any], feed_server: str) -> None:
    source = _feed(org, f"{feed_server}/news.rss")
    source.enabled = False
    source.save(update_fields=["enabled"])
    result = services.poll(source)  # e.g. a poll enqueued before the pause
    assert "paused" in result.error and result.stored == 0
    assert not Item.objects.exists()
    page = sign_in(Client(), org["smt"]).get(reverse("monitoring:sources")).content.decode()
    row = next(r for r in page.split("<tr>") if ">News</a>" in r)
    assert "Paused: not read" in row and "Read now" not in row
