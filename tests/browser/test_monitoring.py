"""Monitoring in the browser on a real AT Protocol network (tests/atproto.py): SMT open an
adverse-criticism alert, draft the reply from it, a second SMT member approves it (a reply to
criticism needs SMT, policy 5.1) and it is published to the local Bluesky network as a reply;
another alert is turned into a case."""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest
from django.core.management import call_command

from socialguard.connectors import OutgoingPost
from socialguard.connectors.bluesky import BlueskyConnector
from socialguard.content.models import PublishedPost, State
from socialguard.identity.roles import Role
from socialguard.incidents.models import Case
from socialguard.monitoring import services
from socialguard.monitoring.models import Alert, AlertState, Kind
from socialguard.people.models import StaffMember
from tests.browser.conftest import sign_in_through_the_page
from tests.conftest import PASSWORD
from tests.content.conftest import bluesky_team

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
REPLY = "We're sorry to hear this. Please message us so we can put it right. ^DP"


@pytest.fixture
def on_bluesky(
    transactional_db: Any, make_user: Any, atproto_network: Any, bluesky_account: Any
) -> dict[str, Any]:
    team = bluesky_team(make_user, atproto_network, bluesky_account())
    other = make_user(Role.SMT, email="eve@dmm.example", name="Eve Senior")
    StaffMember.objects.create(
        external_id="B4", first_name="Eve", last_name="Senior", email=other.email,
        employment_type="employee", user=other,
    )  # fmt: skip
    team["senior2"] = other
    return team


def _tab(browser: Any, live_server: Any, user: Any) -> Any:
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(20_000)
    tab = context.new_page()
    sign_in_through_the_page(tab, user)
    return tab


def _post(account: Any, text: str) -> str:
    connector = BlueskyConnector(account.credentials)
    return connector.publish(OutgoingPost(text=text, record_key=connector.new_record_key())).uri


def test_smt_answer_criticism_from_an_alert_and_turn_another_into_a_case(
    browser: Any, live_server: Any, on_bluesky: dict[str, Any], bluesky_account: Any
) -> None:
    network, senior = on_bluesky["network"], on_bluesky["senior"]
    critic = bluesky_account()
    # Words of their own: the session's network also holds other tests' criticism.
    one, two = secrets.token_hex(3), secrets.token_hex(3)
    criticism = _post(critic, f"Class {one}: Digital Marketing Mentor is a total joke, worst provider ever")
    second = _post(
        critic, f"Class {two}: avoid Digital Marketing Mentor, useless tutors and a waste of money"
    )
    network.wait_for_posts([criticism, second])
    source = services.source_save(
        actor=senior, name="Mentions", kind=Kind.BLUESKY_MENTIONS, account=on_bluesky["account"]
    )
    assert services.poll(source).error == ""
    # The network is shared by the session's tests: only this critic's posts are counted.
    assert Alert.objects.filter(author=critic.handle).count() == 2

    tab = _tab(browser, live_server, senior)
    tab.goto("/monitoring/")
    tab.get_by_role("link", name=re.compile(one)).click()
    tab.get_by_text("Why this is an alert").wait_for()
    tab.screenshot(path="/tmp/s9mon-alert.png", full_page=True)
    tab.get_by_label("Reply", exact=True).fill(REPLY)
    tab.get_by_role("button", name="Draft the reply").click()
    tab.get_by_text("Reply drafted.").wait_for()
    assert re.search(r"/posts/\d+/$", tab.url)
    tab.get_by_role("button", name="Submit for approval").click()
    tab.get_by_text("Submitted").first.wait_for()

    approver = _tab(browser, live_server, on_bluesky["senior2"])
    approver.goto("/posts/approvals/")
    approver.get_by_role("link", name=re.compile("sorry to hear this")).click()
    approver.get_by_role("button", name="Approve").click()
    approver.get_by_text("Approved.", exact=True).first.wait_for()

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    alert = Alert.objects.get(uri=criticism)
    assert alert.state == AlertState.RESPONDED
    alert.reply_draft.refresh_from_db()
    assert alert.reply_draft.state == State.PUBLISHED, alert.reply_draft.last_error
    post = PublishedPost.objects.get(draft=alert.reply_draft)
    [seen] = network.wait_for_posts([post.uri])
    assert seen["record"]["text"] == REPLY
    assert seen["record"]["reply"]["parent"]["uri"] == criticism  # a reply to the criticism itself

    tab.goto("/monitoring/")
    tab.get_by_role("link", name=re.compile(two)).click()
    tab.get_by_role("button", name="Open a case").click()
    tab.get_by_text("A case was opened from this alert.").wait_for()
    case = Case.objects.get()
    assert case.source == "monitoring_alert" and case.category == "criticism"
    assert f"/cases/{case.pk}/" in tab.url
    tab.screenshot(path="/tmp/s9mon-case.png", full_page=True)


def test_the_monitoring_pages_fit_a_phone(browser: Any, live_server: Any, transactional_db: Any) -> None:
    from socialguard import demo
    from socialguard.identity.models import User

    demo.load_all()
    smt = User.objects.get(email="james.okafor@dmm.example")
    smt.set_password(PASSWORD)
    smt.save(update_fields=["password"])
    tab = _tab(browser, live_server, smt)
    alert = Alert.objects.order_by("pk").first()
    assert alert is not None
    for n, path in enumerate(["/monitoring/", "/monitoring/sources/", f"/monitoring/alerts/{alert.pk}/"]):
        tab.goto(path)
        assert tab.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], path
        tab.screenshot(path=f"/tmp/s9mon-page{n}.png", full_page=True)
