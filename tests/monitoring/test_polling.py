"""Polling (issue 17 items 1 to 3): own-account posts matched against the archive, mentions through
the engine with the adverse-criticism judgement, look-alike accounts, one alert per item, and a
stored cursor with which a restart neither misses nor repeats; failures are a status, not a crash."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.utils import timezone

from socialguard.connectors import NotFound, PlatformUnavailable
from socialguard.connectors.base import AccountInfo
from socialguard.content import publishing
from socialguard.content import services as content
from socialguard.content.models import PublishedPost
from socialguard.monitoring import access, services
from socialguard.monitoring.models import Alert, AlertKind, Health, Item
from tests.content.conftest import GOOD, submitted
from tests.monitoring.conftest import Network, reload

CRITICISM = "Digital Marketing Mentor is a total joke, worst training provider ever"
PRAISE = "Proud to have finished my course at Digital Marketing Mentor, great tutors"


def _published(org: dict[str, Any]) -> PublishedPost:
    draft = content.draft_approve(actor=org["runner2"], draft=submitted(org))
    assert publishing.publish(draft.pk) == "published"
    return PublishedPost.objects.get(draft=draft)


def test_a_post_made_directly_on_the_account_is_an_unapproved_post_for_runners_and_smt(
    org: dict[str, Any], network: Network
) -> None:
    archived = _published(org)
    network.post(GOOD, own=True)
    network.own[0] = dataclasses.replace(network.own[0], uri=archived.uri)  # the one we published
    direct = network.post("Open day on Saturday, come along! ^BT", own=True)

    result = services.poll(org["own"])

    assert result.error == "" and result.stored == 2 and result.checked == 2
    alert = Alert.objects.get()
    assert alert.kind == AlertKind.UNAPPROVED_POST and alert.uri == direct.uri
    assert alert.account == org["account"]
    assert "not in the archive" in alert.reasons[0]
    # The account's runners and SMT see it; staff who run nothing and the DSL do not.
    for who in ("runner", "runner2", "smt"):
        assert access.may_see(org[who], alert), who
    for who in ("outsider", "dsl"):
        assert not access.may_see(org[who], alert), who
    assert reload(org["own"]).health == Health.OK


def test_criticism_goes_to_smt_praise_raises_nothing_and_a_learner_at_risk_only_to_the_dsl(
    org: dict[str, Any], network: Network
) -> None:
    network.post(PRAISE)
    criticised = network.post(CRITICISM)
    risky = network.post("Dan Young at DMM is a useless idiot, everyone ignore him")

    services.poll(org["mentions"])

    by_uri = {a.uri: a for a in Alert.objects.all()}
    assert set(by_uri) == {criticised.uri, risky.uri}
    criticism = by_uri[criticised.uri]
    assert criticism.kind == AlertKind.CRITICISM and "adverse criticism" in criticism.reasons[0]
    assert access.may_see(org["smt"], criticism)
    assert not access.may_see(org["runner"], criticism) and not access.may_see(org["dsl"], criticism)
    safeguarding = by_uri[risky.uri]
    assert safeguarding.kind == AlertKind.SAFEGUARDING
    assert access.may_see(org["dsl"], safeguarding)
    assert not access.may_see(org["smt"], safeguarding) and not access.may_see(org["runner"], safeguarding)


def test_one_alert_per_item_however_many_sources_saw_it(org: dict[str, Any], network: Network) -> None:
    post = network.post("DMM is a joke, worst training provider ever ^BT", own=True)

    services.poll(org["own"])
    services.poll(org["mentions"])

    assert Item.objects.filter(key=post.uri).count() == 2
    alert = Alert.objects.get()
    # The own-account reading comes first (runners and SMT); criticism is one more reason.
    assert alert.kind == AlertKind.UNAPPROVED_POST
    assert set(Item.objects.values_list("alert", flat=True)) == {alert.pk}


def test_a_restart_mid_poll_neither_misses_nor_repeats(org: dict[str, Any], network: Network) -> None:
    for n in range(7):
        network.post(f"DMM post number {n}: worst training provider ever", own=True)
    network.fail_next = []
    # The platform stops answering on the third page: the poll ends there, pages 1 and 2 kept.
    calls = network.calls

    def fail_third(*args: Any, **kwargs: Any) -> Any:
        raise PlatformUnavailable("Bluesky did not answer")

    original = network.page
    count = {"n": 0}

    def page(posts: Any, cursor: str) -> Any:
        count["n"] += 1
        if count["n"] == 3:
            fail_third()
        return original(posts, cursor)

    network.page = page  # type: ignore[method-assign]
    first = services.poll(org["own"])
    assert first.error and first.stored == 4
    source = reload(org["own"])
    assert source.health == Health.FAILING and source.failures == 1 and "did not answer" in source.last_error
    assert source.next_poll_at is not None and source.next_poll_at > timezone.now()
    assert source.cursor["page"] == network.own[3].created_at.isoformat()  # resumes where it stopped

    # Two new posts arrive while it is down; then the network comes back.
    network.post("Another DMM update", own=True)
    network.post("And one more DMM update", own=True)
    second = services.poll(source)
    third = services.poll(reload(org["own"]))

    assert second.error == "" and third.error == ""
    stored = list(Item.objects.values_list("external_id", flat=True))
    assert sorted(stored) == sorted(p.uri for p in network.own)  # all nine, each once
    assert len(stored) == len(set(stored)) == 9
    assert calls < network.calls
    # A fourth poll finds nothing new and stores nothing.
    assert services.poll(reload(org["own"])).stored == 0


def test_items_stored_but_not_checked_before_a_crash_are_checked_by_the_next_poll(
    org: dict[str, Any], network: Network
) -> None:
    network.post(CRITICISM)
    page = services.fetch_page(org["mentions"])
    services.store_page(org["mentions"], page)  # the worker dies here, before checking
    assert Item.objects.get().checked_at is None and not Alert.objects.exists()

    result = services.poll(reload(org["mentions"]))

    assert result.stored == 0 and result.checked == 1
    assert Alert.objects.get().kind == AlertKind.CRITICISM


@pytest.mark.parametrize(
    "failure", [PlatformUnavailable("Bluesky did not answer within 20 seconds"), NotFound("handle gone")]
)
def test_platform_errors_are_a_status_with_back_off_and_nothing_is_lost(
    org: dict[str, Any], network: Network, failure: Exception
) -> None:
    network.post(CRITICISM)
    network.fail_next = [failure, failure]
    assert services.poll(org["mentions"]).error
    assert services.poll(reload(org["mentions"])).error
    source = reload(org["mentions"])
    assert source.health == Health.FAILING and source.failures == 2 and str(failure) in source.last_error
    first_wait = source.next_poll_at
    assert first_wait is not None and first_wait > timezone.now()

    assert services.poll(source).error == ""
    source = reload(org["mentions"])
    assert source.health == Health.OK and source.failures == 0 and source.last_error == ""
    assert Alert.objects.get().kind == AlertKind.CRITICISM


def test_look_alike_accounts_not_in_the_registry_go_to_smt(org: dict[str, Any], network: Network) -> None:
    network.accounts = [
        AccountInfo("dmm-news.bsky.social", "did:plc:ours", "DMM News"),  # ours: in the registry
        AccountInfo("dmm-news-official.bsky.social", "did:plc:fake", "DMM News"),
        AccountInfo("digitalmarketingmentor.bsky.social", "did:plc:fake2", ""),
        AccountInfo("gardening-tips.bsky.social", "did:plc:other", "Gardening tips"),
    ]
    services.poll(org["lookalikes"])
    services.poll(reload(org["lookalikes"]))  # seen again: still one alert each

    alerts = Alert.objects.order_by("pk")
    assert [a.author for a in alerts] == [
        "dmm-news-official.bsky.social",
        "digitalmarketingmentor.bsky.social",
    ]
    assert {a.kind for a in alerts} == {AlertKind.LOOKALIKE}
    assert all(access.may_see(org["smt"], a) and not access.may_see(org["runner"], a) for a in alerts)


def test_a_look_alike_is_not_read_as_criticism_of_us(org: dict[str, Any], network: Network) -> None:
    """The item is our own sentence about the account, not a post: a disparaging display name (or
    a learned rule's reading of our sentence) must not turn the look-alike alert into criticism."""
    network.accounts = [AccountInfo("dmm-news-rubbish.bsky.social", "did:plc:fake", "DMM News is rubbish")]
    services.poll(org["lookalikes"])
    assert [a.kind for a in Alert.objects.all()] == [AlertKind.LOOKALIKE]


def test_a_source_without_an_app_password_says_so(org: dict[str, Any]) -> None:
    from socialguard.accounts.models import VaultSecret

    VaultSecret.objects.all().delete()
    result = services.poll(org["own"])
    source = reload(org["own"])
    assert "no app password" in result.error and source.health == Health.FAILING
    assert "on the account's page (Accounts → @dmm-news.bsky.social)" in source.last_error  # where to fix it


def test_a_post_matching_two_search_terms_does_not_cut_the_second_terms_listing_short(
    org: dict[str, Any], network: Network
) -> None:
    old = [network.post(f"DMM course review number {n}: fine") for n in range(3)]
    both = network.post("DMM, or Digital Marketing Mentor, opens a centre in Leeds")
    newer = [network.post("DMM is hiring tutors"), network.post("DMM open day on Saturday")]
    # Terms: the name, the alias DMM, the handle. The name's listing stores `both` with the first
    # page; the alias's second page starts at `both`, and its older posts must still be read.
    services.poll(org["mentions"])
    stored = set(Item.objects.values_list("external_id", flat=True))
    assert stored == {p.uri for p in [*old, both, *newer]}


def test_a_poll_signs_in_once_however_many_pages(org: dict[str, Any], network: Network) -> None:
    for n in range(5):
        network.post(f"Week {n} at DMM", own=True)
    assert services.poll(org["own"]).pages == 3
    assert network.sign_ins == 1  # Bluesky limits sign-ins per account


def test_a_post_deleted_on_the_platform_after_it_was_read_keeps_its_alert(
    org: dict[str, Any], network: Network
) -> None:
    gone = network.post(CRITICISM)
    services.poll(org["mentions"])
    network.others.remove(gone)  # the author deletes it
    later = network.post("Digital Marketing Mentor is useless, a total waste of money")

    result = services.poll(reload(org["mentions"]))

    assert result.error == "" and result.stored == 1
    assert set(Alert.objects.values_list("uri", flat=True)) == {gone.uri, later.uri}
    assert Alert.objects.get(uri=gone.uri).text == CRITICISM  # what was said stays with its alert


def _raw(n: int, text: str) -> Any:
    from socialguard.monitoring.fetchers import RawItem

    uri = f"at://did:plc:someone/app.bsky.feed.post/q{n:06d}"
    return RawItem(
        uri, uri, "bluesky", f"https://bsky.app/profile/someone/post/q{n:06d}", "someone", text, None
    )


def test_checking_a_page_takes_the_same_number_of_queries_however_many_items_and_alerts(
    org: dict[str, Any],
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from socialguard.monitoring.fetchers import Page
    from socialguard.policies.engine import policy_engine

    engine = policy_engine()
    counts = []
    for first, size in ((0, 3), (100, 12)):
        items = [_raw(first + k, CRITICISM if k % 3 else PRAISE) for k in range(size)]
        services.store_page(org["mentions"], Page(items, {}))
        with CaptureQueriesContext(connection) as queries:
            checked, raised = services.process_pending(source=org["mentions"], engine=engine)
        assert (checked, raised) == (size, size * 2 // 3)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert Alert.objects.count() == 10 and not Item.objects.filter(checked_at__isnull=True).exists()
    assert Item.objects.filter(alert__isnull=False).count() == 10


def test_two_sources_items_for_one_post_in_the_same_batch_raise_one_alert(org: dict[str, Any]) -> None:
    from socialguard.monitoring.fetchers import Page

    services.store_page(org["mentions"], Page([_raw(1, CRITICISM)], {}))
    services.store_page(org["own"], Page([_raw(1, CRITICISM)], {}))

    assert services.process_pending() == (2, 1)  # one batch, both sources

    alert = Alert.objects.get()
    assert alert.kind == AlertKind.UNAPPROVED_POST  # the stronger kind
    assert any("adverse criticism" in r for r in alert.reasons)
    assert alert.account == org["account"]
    assert set(Item.objects.values_list("alert", flat=True)) == {alert.pk}


def test_a_failure_while_checking_is_a_status_and_the_next_poll_checks_what_was_stored(
    org: dict[str, Any], network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    network.post(CRITICISM)
    decide = services.decide

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the classifier's model file is unreadable")

    monkeypatch.setattr(services, "decide", broken)
    result = services.poll(org["mentions"])  # not raised: the poller carries on

    assert result.stored == 1 and "model file is unreadable" in result.error
    source = reload(org["mentions"])
    assert source.health == Health.FAILING and "1 item(s) read but not yet checked" in source.last_error
    assert not Alert.objects.exists()

    monkeypatch.setattr(services, "decide", decide)
    result = services.poll(source)
    assert result.error == "" and result.checked == 1 and Alert.objects.get().kind == AlertKind.CRITICISM
    assert reload(org["mentions"]).health == Health.OK


def test_half_a_character_from_the_network_is_stored_and_checked_as_a_replacement_mark(
    org: dict[str, Any],
) -> None:
    # A network's JSON can spell a lone surrogate; PostgreSQL refuses one and the models cannot
    # read one: the item is kept with U+FFFD in its place, once, however often it is fetched.
    from socialguard.monitoring.fetchers import Page, RawItem

    uri = "at://did:plc:someone/app.bsky.feed.post/half\ud800"
    raw = RawItem(uri, uri, "bluesky", "https://bsky.app/x", "some\udc80one", CRITICISM + " \ud83d", None)
    services.store_page(org["mentions"], Page([raw], {}))
    services.store_page(org["mentions"], Page([raw], {}))
    item = Item.objects.get()
    assert item.text == CRITICISM + " \ufffd" and item.author == "some\ufffdone"
    assert item.external_id.endswith("half\ufffd")
    assert services.process_pending() == (1, 1)
