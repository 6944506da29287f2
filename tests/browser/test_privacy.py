"""A member of staff, on a phone, checks their connections (from the home page's reminder) and
goes through the privacy review. Set SOCIALGUARD_SCREENSHOTS=DIR to keep screenshots to look at."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.utils import timezone

from socialguard.identity.models import User
from socialguard.identity.roles import Role
from socialguard.privacy import checklists
from socialguard.privacy.models import PrivacyReview, SelfCheck
from tests.browser.conftest import sign_in_through_the_page
from tests.privacy import samples

pytestmark = pytest.mark.browser


def _shot(page: Any, name: str) -> None:
    shots = os.environ.get("SOCIALGUARD_SCREENSHOTS")
    if shots:
        page.screenshot(path=f"{shots}/{name}.png", full_page=True)


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def test_a_staff_member_checks_connections_and_reviews_privacy_on_a_phone(
    page: Any, register: dict[str, Any], make_user: Any
) -> None:
    user = make_user(Role.STAFF, email="ben@dmm.example", name="Ben Tutor")
    register["tutor"].user = user
    register["tutor"].save()
    # Signed in for longer than the first review's grace period: the home page asks for it.
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - dt.timedelta(days=40))
    register["young"].social_handles = "@dan_y16"
    register["young"].save()
    sign_in_through_the_page(page, user)
    page.get_by_role("link", name="Review your personal accounts' privacy").click()
    page.get_by_role("heading", name="Your personal accounts").wait_for()
    page.get_by_role("link", name="Check your connections").click()
    page.get_by_label("Your export file").wait_for()  # loaded: measuring mid-navigation found no document
    _fits(page)
    _shot(page, "privacy-1-check-form")
    page.get_by_label("Your export file").set_input_files(
        {"name": "Connections.csv", "mimeType": "text/csv", "buffer": samples.LINKEDIN}
    )
    page.get_by_role("button", name="Check").click()
    page.get_by_role("heading", name="2 to review").wait_for()
    table = page.get_by_role("region", name="Connections to review").inner_text()
    assert "Dan Young" in table and "current learner" in table
    assert "Fay Young" in table and "parent or guardian" in table
    assert "Zebedee" not in table
    assert "5.2 Acceptance of friends" in page.inner_text("main")
    _fits(page)
    _shot(page, "privacy-2-check-result")
    page.get_by_label("How many of these have you dealt with?").fill("2")
    page.get_by_role("button", name="Record that I have dealt with them").click()
    page.get_by_text("only the numbers, never the names").wait_for()
    assert SelfCheck.objects.get().resolved == 2

    page.get_by_role("link", name="Review your privacy settings").click()
    page.get_by_label("Instagram").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("heading", name="Privacy checklist").wait_for()
    items = checklists.items_for("instagram")
    for item in items[:-1]:
        page.get_by_label(item.text).check()
    page.get_by_role("button", name="I have done all of these").click()
    page.get_by_text("Not finished yet").wait_for()  # the last item was left
    _shot(page, "privacy-3-review-not-finished")
    page.get_by_label(items[-1].text).check()
    page.get_by_role("button", name="I have done all of these").click()
    page.get_by_text("Privacy review recorded").wait_for()
    _fits(page)
    _shot(page, "privacy-4-review-done")
    assert PrivacyReview.objects.get().platforms == ["instagram"]
