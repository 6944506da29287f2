"""Monitoring against the real local AT Protocol network (tests/atproto.py): mentions and
criticism posted by other accounts, a post made directly on the organisation's account and a
look-alike account each raise the right alert within one poll; a poll stopped mid-way and a
network that stops answering lose and repeat nothing; a handle that does not resolve is a status."""

from __future__ import annotations

import secrets
from typing import Any

import pytest

from socialguard.accounts import vault
from socialguard.accounts.models import OrgAccount, SecretKind
from socialguard.connectors import OutgoingPost
from socialguard.connectors.bluesky import BlueskyConnector
from socialguard.monitoring import fetchers, services
from socialguard.monitoring.models import Alert, AlertKind, Health, Item, Kind
from socialguard.people.models import Organisation
from tests.content.conftest import bluesky_team
from tests.monitoring.conftest import reload


def _post(account: Any, text: str) -> str:
    connector = BlueskyConnector(account.credentials)
    return connector.publish(OutgoingPost(text=text, record_key=connector.new_record_key())).uri


@pytest.fixture
def on_bluesky(db: Any, make_user: Any, atproto_network: Any, bluesky_account: Any) -> dict[str, Any]:
    team = bluesky_team(make_user, atproto_network, bluesky_account())
    Organisation.objects.update(aliases="DMM")
    senior, account = team["senior"], team["account"]
    team["own"] = services.source_save(actor=senior, name="Own", kind=Kind.BLUESKY_OWN, account=account)
    team["mentions"] = services.source_save(
        actor=senior, name="Mentions", kind=Kind.BLUESKY_MENTIONS, account=account
    )
    team["lookalikes"] = services.source_save(
        actor=senior, name="Look-alikes", kind=Kind.BLUESKY_LOOKALIKES, account=account,
        config={"terms": ["dmm"]},
    )  # fmt: skip
    return team


def test_each_kind_of_post_raises_the_right_alert_within_one_poll(
    on_bluesky: dict[str, Any], bluesky_account: Any
) -> None:
    network = on_bluesky["network"]
    critic, fan = bluesky_account(), bluesky_account()
    criticism = _post(critic, "Digital Marketing Mentor is a total joke, worst training provider ever")
    praise = _post(fan, "Lovely graduation at Digital Marketing Mentor today, well done everyone")
    direct = _post(on_bluesky["platform_account"], "Open day on Saturday at our Salford centre, all welcome")
    lookalike = network.create_account(f"dmmnews{secrets.token_hex(3)}")
    network.wait_for_posts([criticism, praise, direct])
    network.wait_for_actor(lookalike.handle)  # the look-alikes poll searches accounts

    for source in ("own", "mentions", "lookalikes"):
        result = services.poll(on_bluesky[source])
        assert result.error == "", result

    # The network is shared by the session's tests (the stream's and the browser's post criticism
    # too): only this test's accounts' posts are counted.
    ours = Alert.objects.filter(
        author__in=[critic.handle, fan.handle, on_bluesky["platform_account"].handle, lookalike.handle]
    )
    alerts = {a.kind: a for a in ours}
    assert set(alerts) == {AlertKind.UNAPPROVED_POST, AlertKind.CRITICISM, AlertKind.LOOKALIKE}
    assert alerts[AlertKind.UNAPPROVED_POST].uri == direct
    assert (
        alerts[AlertKind.CRITICISM].uri == criticism and alerts[AlertKind.CRITICISM].author == critic.handle
    )
    assert alerts[AlertKind.LOOKALIKE].author == lookalike.handle
    assert Item.objects.filter(key=praise).exists() and not Alert.objects.filter(dedup_key=praise).exists()
    # Polled again: nothing new stored, nothing raised twice.
    for source in ("own", "mentions", "lookalikes"):
        assert services.poll(reload(on_bluesky[source])).stored == 0
    assert ours.count() == 3


def test_a_poll_stopped_mid_way_or_a_network_that_stops_answering_loses_and_repeats_nothing(
    on_bluesky: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    network, account = on_bluesky["network"], on_bluesky["platform_account"]
    uris = [
        _post(account, f"Week {n} at the studio: portfolio reviews and mock interviews") for n in range(5)
    ]
    network.wait_for_posts(uris)
    monkeypatch.setattr(fetchers, "PAGE_SIZE", 2)

    # The worker stops after its first page (committed with its cursor), as if killed.
    first = services.poll(on_bluesky["own"], max_pages=1)
    assert first.stored == 2 and reload(on_bluesky["own"]).cursor["page"]

    # The network stops answering: a status on the source, nothing stored twice or lost.
    monkeypatch.setenv("SOCIALGUARD_BLUESKY_TIMEOUT", "2")
    network.pause()
    try:
        stalled = services.poll(reload(on_bluesky["own"]))
    finally:
        network.resume()
        # The 2 s limit was for the stall: the polls below meet a network catching up.
        monkeypatch.delenv("SOCIALGUARD_BLUESKY_TIMEOUT")
    source = reload(on_bluesky["own"])
    assert "did not answer" in stalled.error or "Could not reach" in stalled.error, stalled.error
    assert source.health == Health.FAILING and source.failures == 1

    later = [_post(account, "Results day on Thursday: our tutors are in from 9am")]
    network.wait_for_posts(later)
    assert services.poll(source).error == ""
    assert services.poll(reload(on_bluesky["own"])).error == ""
    stored = list(Item.objects.filter(source=on_bluesky["own"]).values_list("external_id", flat=True))
    assert sorted(stored) == sorted(uris + later)
    assert reload(on_bluesky["own"]).health == Health.OK


def test_a_handle_that_does_not_resolve_is_a_status(on_bluesky: dict[str, Any]) -> None:
    gone = OrgAccount.objects.create(
        platform="bluesky", handle="@gone-away.test", login_email="social@dmm.example",
        service_url=on_bluesky["network"].pds,
    )  # fmt: skip
    vault.secret_store(
        actor=on_bluesky["senior"], account=gone, kind=SecretKind.APP_PASSWORD, value="aaaa-bbbb-cccc-dddd"
    )
    source = services.source_save(
        actor=on_bluesky["senior"], name="Gone", kind=Kind.BLUESKY_OWN, account=gone
    )
    result = services.poll(source)
    assert result.error and reload(source).health == Health.FAILING
    assert "gone-away.test" in reload(source).last_error
