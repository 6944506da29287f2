"""The enrolment form through a signed link: no account, expires, a guardian answers only for
their own learners, every use audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from socialguard.audit.models import AuditEvent
from socialguard.consent import selectors, services
from socialguard.consent.models import ConsentRecord
from socialguard.people.models import Learner


def test_a_guardian_answers_for_their_own_learners_only(team: dict[str, Any]) -> None:
    other = Learner.objects.create(external_id="L3", first_name="Gil", last_name="Else")
    token = services.link_token(actor=team["smt"], kind="guardian", ref="G1")
    kind, holder = services.link_holder(token)
    assert [le.external_id for le in services.learners_for_link(kind, holder)] == ["L1"]
    with pytest.raises(ValidationError):
        services.link_submit(token=token, answers={"L1": "given", other.external_id: "given"})
    assert ConsentRecord.objects.count() == 0
    services.link_submit(token=token, answers={"L1": "given"})
    record = ConsentRecord.objects.get()
    assert record.guardian is not None and record.source == "link" and record.recorded_by is None
    assert selectors.state_of("learner", "L1").may_post
    assert AuditEvent.objects.filter(action="consent.link_used").count() == 1


def test_a_link_expires_and_cannot_be_forged(
    team: dict[str, Any], move_clock: Callable[[dt.date], None]
) -> None:
    token = services.link_token(actor=team["smt"], kind="learner", ref="L2")
    with pytest.raises(ValidationError, match="not valid"):
        services.link_holder(token[:-2] + "xx")
    import time

    real = time.time
    try:
        time.time = lambda: real() + (services.LINK_DAYS + 1) * 86400  # signing reads time.time
        with pytest.raises(ValidationError, match="expired"):
            services.link_holder(token)
    finally:
        time.time = real


def test_the_form_page_needs_no_account(team: dict[str, Any], client: Any) -> None:
    token = services.link_token(actor=team["smt"], kind="guardian", ref="G1")
    url = reverse("consent:form", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and "Dan Young" in page.content.decode()
    done = client.post(url, {"L1": "refused"})
    assert done.status_code == 200 and "Thank you" in done.content.decode()
    assert selectors.state_of("learner", "L1").code == "refused"
    assert client.get(reverse("consent:form", args=["nonsense"])).status_code == 400
    assert timezone.localdate()


def test_a_link_answers_once_and_a_new_link_changes_the_answer(team: dict[str, Any], client: Any) -> None:
    token = services.link_token(actor=team["smt"], kind="guardian", ref="G1")
    url = reverse("consent:form", args=[token])
    assert client.post(url, {"L1": "given"}).status_code == 200
    # Forwarded, leaked or simply reopened: the spent link changes nothing.
    again = client.post(url, {"L1": "refused"})
    assert again.status_code == 400 and "already been used" in again.content.decode()
    assert "already been used" in client.get(url).content.decode()
    with pytest.raises(ValidationError, match="already been used"):
        services.link_submit(token=token, answers={"L1": "refused"})
    assert selectors.state_of("learner", "L1").may_post
    assert AuditEvent.objects.filter(action="consent.link_used").count() == 1

    fresh = services.link_token(actor=team["smt"], kind="guardian", ref="G1")
    assert fresh != token
    services.link_submit(token=fresh, answers={"L1": "refused"})
    assert selectors.state_of("learner", "L1").code == "refused"
