"""Issue 16 end to end, in the browser on a real AT Protocol network (tests/atproto.py): a
runner's photo of a learner without consent is blocked with its clause; the guardian completes
the signed-link form and it passes; the learner turns 18 (the clock moves) and it is blocked
again until they consent themselves; after publication a withdrawal opens a takedown, a runner
confirms it and the post disappears from the local Bluesky network."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from socialguard.consent.models import Takedown
from socialguard.consent.selectors import eighteenth_birthday
from socialguard.content.models import Draft, PublishedPost, State
from socialguard.people.models import Guardian, Learner
from tests.browser.conftest import sign_in_through_the_page
from tests.content.conftest import bluesky_team
from tests.dates import years_before

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TEXT = "Our learners in the new media studios today."


@pytest.fixture
def on_bluesky(
    transactional_db: Any, make_user: Any, atproto_network: Any, bluesky_account: Any
) -> dict[str, Any]:
    team = bluesky_team(make_user, atproto_network, bluesky_account())
    today = timezone.localdate()
    # 18 tomorrow (in two days on 28 February of a leap year): today their parent answers for
    # them; on their birthday only they can.
    learner = Learner.objects.create(
        external_id="L7", first_name="Kai", last_name="Learner", programme="Content Creator Level 3",
        date_of_birth=years_before(today, 18) + dt.timedelta(days=1),
    )  # fmt: skip
    parent = Guardian.objects.create(external_id="G7", first_name="Gil", last_name="Parent")
    parent.learners.add(learner)
    return team


def _tab(browser: Any, live_server: Any, user: Any = None) -> Any:
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(20_000)
    tab = context.new_page()
    if user is not None:
        sign_in_through_the_page(tab, user)
    return tab


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(out, "PNG")
    return out.getvalue()


def _form_link(tab: Any, button: str) -> str:
    tab.goto("/consent/learner/L7/")
    tab.get_by_role("button", name=button).click()
    return str(tab.locator("#form-link").input_value())


def _answer(browser: Any, live_server: Any, link: str, who: str) -> None:
    visitor = _tab(browser, live_server)  # no account
    visitor.goto(link)
    visitor.get_by_role("radio", name="Yes").check()
    visitor.get_by_role("button", name="Send my answer").click()
    visitor.get_by_text(f"Thank you, {who}").wait_for()
    # The same link again (reopened, or forwarded): it says it was used and offers no form.
    visitor.goto(link)
    visitor.get_by_text("this link has already been used").wait_for()
    assert visitor.get_by_role("button", name="Send my answer").count() == 0
    visitor.context.close()


def _save_and_check(tab: Any, draft: Draft) -> str:
    tab.goto(f"/posts/{draft.pk}/edit/")
    tab.get_by_role("button", name="Save and check").click()
    tab.get_by_text("Saved.").first.wait_for()
    tab.goto(f"/posts/{draft.pk}/")
    return str(tab.locator("main").inner_text())


def test_consent_from_the_register_guards_every_photo_and_a_withdrawal_takes_the_post_down(
    browser: Any, live_server: Any, on_bluesky: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = _tab(browser, live_server, on_bluesky["runner"])
    runner.goto("/posts/new/")
    runner.get_by_label("Account to post on").select_option(label=str(on_bluesky["account"]))
    runner.get_by_label("Post", exact=True).fill(TEXT)
    runner.get_by_role("button", name="Save and check").click()
    runner.get_by_text("Saved.").first.wait_for()
    draft = Draft.objects.get()
    runner.goto(f"/posts/{draft.pk}/media/")
    runner.get_by_label("Photo or video").set_input_files(
        {"name": "studio.png", "mimeType": "image/png", "buffer": _photo()}
    )
    runner.get_by_label(re.compile(r"Kai Learner \(learner\) — No consent recorded")).check()
    runner.get_by_role("button", name="Attach").click()
    runner.get_by_text("studio.png attached").wait_for()
    page = runner.locator("main").inner_text()
    assert "Blocked by the policy check" in page and "IC001" in page and "5.2" in page

    # SMT send the parent the form; the parent answers without an account.
    senior = _tab(browser, live_server, on_bluesky["senior"])
    _answer(browser, live_server, _form_link(senior, "A link for Gil Parent (parent or guardian)"), "Gil")
    page = _save_and_check(runner, draft)
    assert "IC001" not in page and "Blocked by the policy check" not in page

    # On Kai's 18th birthday the parent's consent lapses, and the post is blocked again.
    real_now = timezone.now
    until_18 = eighteenth_birthday(Learner.objects.get(external_id="L7").date_of_birth) - timezone.localdate()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + until_18)
    runner.context.close()
    senior.context.close()
    runner = _tab(browser, live_server, on_bluesky["runner"])
    page = _save_and_check(runner, draft)
    assert "IC001" in page and "Blocked by the policy check" in page
    # Signing in again within the same 30-second step would reuse the code, which TOTP refuses.
    TOTPDevice.objects.filter(user=on_bluesky["senior"]).update(last_t=-1)
    senior = _tab(browser, live_server, on_bluesky["senior"])
    senior.goto("/consent/learner/L7/")
    assert "lapsed at 18" in senior.locator("#state").inner_text()
    _answer(browser, live_server, _form_link(senior, "A link for Kai"), "Kai")
    page = _save_and_check(runner, draft)
    assert "IC001" not in page and "Blocked by the policy check" not in page

    # Approved (a learner in a photo goes to SMT) and published by the task.
    runner.get_by_role("button", name="Submit for approval").click()
    runner.get_by_text("Submitted").first.wait_for()
    senior.goto(f"/posts/{draft.pk}/")
    senior.get_by_role("button", name=re.compile("^Approve")).click()
    senior.get_by_text("Approved", exact=False).first.wait_for()
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED, draft.last_error
    post = PublishedPost.objects.get(draft=draft)
    on_bluesky["network"].wait_for_posts([post.uri])

    # Kai withdraws: a takedown for the runners; confirmed, the post leaves the network.
    senior.goto("/consent/learner/L7/")
    senior.get_by_role("button", name="Withdraw consent").click()
    senior.get_by_text("consent is withdrawn").wait_for()
    takedown = Takedown.objects.get()
    assert takedown.post == post
    runner.goto("/")
    runner.get_by_text("1 post to take down: consent withdrawn").wait_for()
    runner.goto("/consent/takedowns/")
    runner.get_by_role("button", name="Take it down").click()
    runner.get_by_text("Confirmed: the post is being taken down.").wait_for()
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    takedown.refresh_from_db()
    assert takedown.state == "done", takedown.last_error
    on_bluesky["network"].wait_for_posts([post.uri], present=False)
    runner.goto("/consent/takedowns/")
    assert "Taken down" in runner.locator("#takedowns").inner_text()
    senior.goto("/consent/coverage/")
    assert "0% of current learners may be posted" in senior.locator("main").inner_text()
    assert senior.locator("main svg").count() == 2  # by programme and by age group
