"""The web pages, the API and the CLI give each person the same alerts and the same decisions
(issue 17 item 5), through the permission layer."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner
from django.test import Client

from socialguard.audit.models import AuditEvent
from socialguard.cli import main
from socialguard.connectors.base import AccountInfo
from socialguard.identity.models import TokenScope
from socialguard.identity.services import token_create
from socialguard.monitoring import services
from socialguard.monitoring.models import Alert, AlertState, Source
from tests.conftest import sign_in
from tests.monitoring.conftest import FIXTURES, Network
from tests.monitoring.test_polling import CRITICISM


def _alert(org: dict[str, Any], network: Network) -> Alert:
    network.post(CRITICISM)
    services.poll(org["mentions"])
    return Alert.objects.get()


def test_the_pages_show_smt_the_alert_and_its_actions_and_hide_it_from_a_runner(
    org: dict[str, Any], network: Network
) -> None:
    alert = _alert(org, network)
    smt = sign_in(Client(), org["smt"])
    page = smt.get("/monitoring/?state=open")
    assert page.status_code == 200 and CRITICISM[:40] in page.content.decode()
    detail = smt.get(f"/monitoring/alerts/{alert.pk}/").content.decode()
    assert "Draft the reply" in detail and "Open a case" in detail and "Dismiss" in detail
    sources = smt.get("/monitoring/sources/").content.decode()
    assert "Staff's personal accounts are not monitored" in sources and "Mentions" in sources

    runner = sign_in(Client(), org["runner"])
    assert runner.get(f"/monitoring/alerts/{alert.pk}/").status_code == 404
    assert CRITICISM[:40] not in runner.get("/monitoring/").content.decode()

    response = smt.post(f"/monitoring/alerts/{alert.pk}/dismiss/", {"reason": "Answered by phone already"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.state == AlertState.DISMISSED


def test_assigning_to_someone_who_is_not_a_sign_in_id_is_refused_not_a_server_error(
    org: dict[str, Any], network: Network
) -> None:
    """The assign form's value is a sign-in's id: an email or other word sent instead was put
    straight into the query, and the page answered 500."""
    alert = _alert(org, network)
    smt = sign_in(Client(), org["smt"])
    for sent in ("tom.bradley@dmm.example", "1e3", "-1", "\u00b2", "9" * 30, ""):
        response = smt.post(f"/monitoring/alerts/{alert.pk}/assign/", {"assignee": sent})
        assert response.status_code == 302, sent
    alert.refresh_from_db()
    assert alert.assignee is None


def test_respond_from_the_page_opens_the_reply_draft(org: dict[str, Any], network: Network) -> None:
    alert = _alert(org, network)
    smt = sign_in(Client(), org["smt"])
    response = smt.post(
        f"/monitoring/alerts/{alert.pk}/respond/",
        {"text": "We're sorry to hear this; please message us. ^AB", "account": org["account"].pk},
    )
    alert.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == f"/posts/{alert.reply_draft_id}/"


def test_smt_upload_an_export_on_the_sources_page(org: dict[str, Any]) -> None:
    from socialguard.accounts.models import OrgAccount

    account = OrgAccount.objects.create(platform="x", handle="@dmm", login_email="social@dmm.example")
    source = services.source_save(
        actor=org["smt"], name="X archive", kind="export", account=account, config={"platform": "x"}
    )
    smt = sign_in(Client(), org["smt"])
    with (FIXTURES / "tweets.js").open("rb") as handle:
        smt.post(f"/monitoring/sources/{source.pk}/upload/", {"file": handle})
    assert Source.objects.get(pk=source.pk).items.count() == 2


class Api:
    def __init__(self, user: Any) -> None:
        self.secret = token_create(user=user, name="t", scope=TokenScope.READ_WRITE).secret
        self.client = Client()

    def __call__(self, method: str, path: str, body: Any = None) -> Any:
        return self.client.generic(
            method, f"/api/v1/monitoring{path}", json.dumps(body) if body is not None else "",
            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {self.secret}",
        )  # fmt: skip


def test_the_api_lists_and_decides(org: dict[str, Any], network: Network) -> None:
    alert = _alert(org, network)
    smt, runner = Api(org["smt"]), Api(org["runner"])
    listed = smt("GET", "/alerts")
    assert listed.status_code == 200 and [a["id"] for a in listed.json()["items"]] == [alert.pk]
    assert runner("GET", "/alerts").json()["items"] == []
    assert runner("GET", f"/alerts/{alert.pk}").status_code == 404
    assert smt("POST", f"/alerts/{alert.pk}/dismiss", {"reason": "x"}).status_code == 400
    case = smt("POST", f"/alerts/{alert.pk}/case", {"summary": ""})
    assert case.status_code == 200 and case.json()["state"] == "case" and case.json()["case"]
    sources = smt("GET", "/sources").json()["items"]
    assert {s["name"] for s in sources} == {"Our Bluesky", "Mentions", "Look-alikes"}
    assert runner("POST", f"/sources/{org['own'].pk}/poll").status_code == 403


def test_the_cli_lists_and_decides(org: dict[str, Any], network: Network) -> None:
    alert = _alert(org, network)
    runner = CliRunner()
    listed = runner.invoke(main, ["monitor", "alerts", "--as", "ada@dmm.example", "--format", "json"])
    assert listed.exit_code == 0 and json.loads(listed.output)[0]["id"] == alert.pk
    sources = runner.invoke(main, ["monitor", "sources", "--as", "ada@dmm.example"])
    assert "Mentions" in sources.output
    refused = runner.invoke(
        main, ["monitor", "alert", str(alert.pk), "--as", "ben@dmm.example", "--dismiss", "no"]
    )
    assert refused.exit_code != 0 and "no alert" in refused.output
    done = runner.invoke(
        main, ["monitor", "alert", str(alert.pk), "--as", "ada@dmm.example", "--dismiss", "Nothing to answer"]
    )
    assert done.exit_code == 0, done.output
    assert AuditEvent.objects.filter(action="monitoring.alert_dismissed").count() == 1
    polled = runner.invoke(
        main, ["monitor", "poll", "--as", "ada@dmm.example", "--source", str(org["own"].pk)]
    )
    assert polled.exit_code == 0 and "Our Bluesky: 0 new" in polled.output


def test_a_safeguarding_alert_reaches_smt_by_no_path(org: dict[str, Any], network: Network) -> None:
    """A learner named with a risk goes to the DSL only: SMT cannot read it or act on it through
    the pages, the API or a guessed id, and the lists do not leak its text."""
    risky = "Dan Young at DMM is a useless idiot, everyone ignore him"
    network.post(risky)
    services.poll(org["mentions"])
    alert = Alert.objects.get()
    smt, dsl = sign_in(Client(), org["smt"]), sign_in(Client(), org["dsl"])
    assert risky[:30] in dsl.get(f"/monitoring/alerts/{alert.pk}/").content.decode()

    assert smt.get(f"/monitoring/alerts/{alert.pk}/").status_code == 404
    for action, data in (
        ("dismiss", {"reason": "Nothing in it, closing"}),
        ("assign", {"to": org["smt"].pk}),
        ("case", {"summary": "from monitoring"}),
        ("respond", {}),
    ):
        assert smt.post(f"/monitoring/alerts/{alert.pk}/{action}/", data).status_code == 404, action
    for state in ("open", "dismissed", "case", ""):
        assert risky[:30] not in smt.get(f"/monitoring/?state={state}").content.decode()
    assert risky[:30] not in smt.get("/").content.decode()

    api = Api(org["smt"])
    assert api("GET", "/alerts").json()["items"] == []
    assert api("GET", f"/alerts/{alert.pk}").status_code == 404
    for action, body in (
        ("dismiss", {"reason": "Nothing in it, closing"}),
        ("assign", {"to": org["smt"].pk}),
        ("case", {"summary": "from monitoring"}),
        ("respond", {}),
    ):
        assert api("POST", f"/alerts/{alert.pk}/{action}", body).status_code in (404, 422), action
    alert.refresh_from_db()
    assert alert.state == AlertState.NEW and not alert.case_id
    assert not AuditEvent.objects.filter(
        action__startswith="monitoring.alert_", object_id=str(alert.pk)
    ).exists()


def test_the_pages_put_what_needs_someone_first_and_say_whose_post_once(
    org: dict[str, Any], network: Network
) -> None:
    from socialguard.connectors import PlatformUnavailable
    from socialguard.monitoring.models import AlertKind

    network.fail_next = [PlatformUnavailable("Bluesky is not answering")]
    assert services.poll(org["own"]).error  # "Our Bluesky": last by name, first as it fails
    network.post("Open day on Saturday, come along! ^BT", own=True)
    network.accounts = [AccountInfo("dmm-news-official.bsky.social", "did:plc:fake", "DMM News")]
    services.poll(org["own"])
    services.poll(org["lookalikes"])
    services.poll(org["mentions"])
    # Found by the search with our account: it is not "on" our account; the direct post is.
    assert Alert.objects.get(kind=AlertKind.LOOKALIKE).account is None
    Source.objects.filter(pk=org["own"].pk).update(health="failing", last_error="Bluesky is not answering")

    smt = sign_in(Client(), org["smt"])
    page = smt.get("/monitoring/sources/").content.decode()
    assert page.index("Our Bluesky") < page.index("Look-alikes") < page.index("Mentions")
    assert f'href="/accounts/{org["account"].pk}/"' in page  # where SMT put the app password right
    inbox = smt.get("/monitoring/").content.decode()
    assert "Open day on Saturday" in inbox and "dmm-news.bsky.social · @dmm-news.bsky.social" not in inbox
    assert "· on @dmm-news.bsky.social" not in inbox  # posted by the account it is on: said once
    assert "dmm-news-official.bsky.social · on" not in inbox


def test_smt_add_a_feed_and_an_export_source_on_the_form_that_says_which_field_is_for_which_kind(
    org: dict[str, Any],
) -> None:
    smt = sign_in(Client(), org["smt"])
    form = smt.get("/monitoring/sources/new/").content.decode()
    assert "A feed: its address (https://…)" in form and "LinkedIn: Shares.csv" in form
    assert "one name per line" in form

    added = smt.post(
        "/monitoring/sources/new/",
        {"name": "Local news", "kind": "feed", "url": "https://news.example/feed.rss", "every_minutes": 60,
         "enabled": "on"},
    )  # fmt: skip
    assert added.status_code == 302
    feed = Source.objects.get(name="Local news")
    assert feed.kind == "feed" and feed.config["url"] == "https://news.example/feed.rss"
    smt.post(
        "/monitoring/sources/new/",
        {"name": "LinkedIn shares", "kind": "export", "account": org["linkedin"].pk, "platform": "linkedin",
         "every_minutes": 15, "enabled": "on"},
    )  # fmt: skip
    assert Source.objects.get(name="LinkedIn shares").config == {"platform": "linkedin"}
    assert AuditEvent.objects.filter(action="monitoring.source_created").count() == 5  # 3 set up, and these

    runner = sign_in(Client(), org["runner"])
    assert runner.get("/monitoring/sources/new/").status_code == 403
    refused = runner.post(
        "/monitoring/sources/new/", {"name": "Mine", "kind": "feed", "url": "https://x.example/"}
    )
    assert refused.status_code == 403 and not Source.objects.filter(name="Mine").exists()
