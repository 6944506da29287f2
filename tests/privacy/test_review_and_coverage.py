"""The privacy and footprint review: every item for each platform, reminders when due, and
coverage for SMT as counts only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from socialguard.identity.roles import Role
from socialguard.policies.reminders import reminders_for
from socialguard.privacy import checklists, selectors, services
from socialguard.privacy.models import PrivacyReview, SelfCheck
from tests.conftest import sign_in


def _all(platform: str) -> list[str]:
    return [item.key for item in checklists.items_for(platform)]


def test_every_item_must_be_done(staff_client: Any) -> None:
    _, user = staff_client
    with pytest.raises(ValidationError, match="work email"):
        services.privacy_review_complete(
            actor=user,
            platforms=["facebook"],
            ticked={"facebook": [k for k in _all("facebook") if k != "email"]},
        )
    assert not PrivacyReview.objects.exists()
    services.privacy_review_complete(
        actor=user, platforms=["facebook"], ticked={"facebook": _all("facebook")}
    )
    assert PrivacyReview.objects.get().platforms == ["facebook"]


def test_a_first_review_is_due_a_month_after_the_sign_in_was_made(
    register: dict[str, Any], make_user: Any
) -> None:
    user = make_user(Role.STAFF)
    register["boss"].user = user
    register["boss"].save()
    assert not any(r.key.startswith("privacy-review") for r in reminders_for(user))


def test_the_review_is_due_in_the_digest_until_done_then_again_after_the_period(
    staff_client: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, user = staff_client
    assert any(r.key.startswith("privacy-review") for r in reminders_for(user))
    services.privacy_review_complete(actor=user, platforms=["x"], ticked={"x": _all("x")})
    assert not any(r.key.startswith("privacy-review") for r in reminders_for(user))
    settings.PRIVACY_REVIEW_MONTHS = 6
    later = timezone.localdate() + dt.timedelta(days=190)
    real = timezone.localdate
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, tz=None: later if value is None else real(value)
    )
    assert any(r.key.startswith("privacy-review") for r in reminders_for(user))


def test_the_review_pages(staff_client: Any) -> None:
    client, _ = staff_client
    assert "Which do you use personally?" in client.get("/privacy/review/").content.decode()
    page = client.get("/privacy/review/?platforms=instagram").content.decode()
    assert "Instagram" in page and "Tags and mentions" in page
    response = client.post("/privacy/review/", {"platforms": ["instagram"], "instagram-done": ["private"]})
    assert "Not finished yet" in response.content.decode()
    response = client.post(
        "/privacy/review/", {"platforms": ["instagram"], "instagram-done": _all("instagram")}
    )
    assert response.status_code == 302
    assert PrivacyReview.objects.count() == 1


def test_coverage_counts_by_department_without_names(
    staff_client: Any, register: dict[str, Any], make_user: Any
) -> None:
    _, user = staff_client
    services.privacy_review_complete(actor=user, platforms=["x"], ticked={"x": _all("x")})
    check = services.self_check_done(actor=user, matches=3, source="pasted")
    services.self_check_resolve(actor=user, check_id=check.pk, resolved=2)
    rows = {r.department: r for r in selectors.coverage()}
    assert (
        rows["Digital Marketing"].staff,
        rows["Digital Marketing"].reviewed,
        rows["Digital Marketing"].checked,
    ) == (
        2,
        1,
        1,
    )
    assert rows["Digital Marketing"].matches_resolved == 2
    assert rows["No department"].reviewed == 0
    page = sign_in(Client(), make_user(Role.SMT)).get("/privacy/coverage/").content.decode()
    # Only the page's own content: a random CSRF token elsewhere can contain "Ben".
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "Digital Marketing" in main and "Ben Tutor" not in page
    assert "Ben" not in main and "Tutor" not in main and "ben@dmm.example" not in page
    assert SelfCheck.objects.get().matches == 3


def test_coverage_is_for_smt_and_auditors(client_for: Any) -> None:
    assert client_for(Role.STAFF).get("/privacy/coverage/").status_code == 403
    assert client_for(Role.AUDITOR).get("/privacy/coverage/").status_code == 200
