"""The consent pages: who sees what, the coverage chart, the import, takedowns, the picker."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from socialguard.consent import services
from socialguard.consent.models import ConsentRecord, Status, Takedown
from socialguard.people.models import Learner
from tests.conftest import sign_in
from tests.consent.test_checking import consent
from tests.dates import years_before


def client(team: dict[str, Any], who: str) -> Client:
    return sign_in(Client(), team[who])


def test_coverage_by_programme_and_age_with_a_chart_and_the_gaps(team: dict[str, Any]) -> None:
    today = timezone.localdate()
    Learner.objects.create(external_id="L3", first_name="Ola", last_name="Adult", programme="Digital Marketer Level 3",
                           date_of_birth=years_before(today, 30))  # fmt: skip
    consent(team, "L3")
    page = client(team, "smt").get(reverse("consent:coverage"))
    html = page.content.decode()
    assert page.status_code == 200
    # L1 (16, no consent) and L3 (30, consent) are current; L2 left in 2021.
    assert 'data-percent="50"' in html and "1 of 2" in html
    assert (
        "<svg" in html
        and "Photo consent by programme" in html
        and "Under 18" in html
        and "25 and over" in html
    )
    gaps = html[html.index('id="gaps"') :]
    assert "Dan Young" in gaps and "Ola Adult" not in gaps


def test_who_may_open_the_register(team: dict[str, Any]) -> None:
    url = reverse("consent:learner", args=["L1"])
    assert client(team, "smt").get(url).status_code == 200
    assert client(team, "runner").get(url).status_code == 200  # runs an account
    assert client(team, "outsider").get(url).status_code == 404
    assert client(team, "auditor").get(url).status_code == 403  # not even told the page exists
    assert client(team, "runner").get(reverse("consent:coverage")).status_code == 403


def test_staff_who_run_nothing_see_only_may_be_posted_in_the_picker(team: dict[str, Any]) -> None:
    from socialguard.content.forms import register_choices

    consent(team, "L1", guardian_id="G1")
    full = dict(register_choices(team["smt"]))
    assert full["learner:L1"] == "Dan Young (learner) — Consent given"
    brief = dict(register_choices(team["outsider"]))
    assert brief["learner:L1"] == "Dan Young (learner) — may be posted: yes"
    assert brief["learner:L2"] == "Eve Former (learner) — may be posted: no"


def test_import_page_lists_every_problem_and_saves_nothing(team: dict[str, Any]) -> None:
    smt = client(team, "smt")
    bad = io.BytesIO(b"learner_id,status,given_on\nL99,given,2025-09-01\n")
    bad.name = "mis.csv"
    page = smt.post(reverse("consent:import"), {"file": bad})
    assert (
        "mis.csv, row 2, field &#x27;learner_id&#x27;: no learner with external_id" in page.content.decode()
    )
    assert ConsentRecord.objects.count() == 0
    good = io.BytesIO(b"learner_id,status,given_on,guardian_id\nL1,given,2025-09-01,G1\n")
    good.name = "mis.csv"
    assert smt.post(reverse("consent:import"), {"file": good}).status_code == 302
    assert ConsentRecord.objects.count() == 1
    assert client(team, "runner").get(reverse("consent:import")).status_code == 403


def test_recording_a_form_on_the_page(team: dict[str, Any]) -> None:
    smt = client(team, "smt")
    url = reverse("consent:learner", args=["L1"])
    form = io.BytesIO(b"not a pdf")
    form.name = "form.pdf"
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    page = smt.post(url, {"status": "given", "scope": "social_media", "guardian": "G1", "given_on": day,
                          "evidence": "form", "form": form})  # fmt: skip
    assert "not a readable PDF" in page.content.decode() and ConsentRecord.objects.count() == 0
    pdf = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
    pdf.name = "form.pdf"
    done = smt.post(url, {"status": "given", "scope": "social_media", "guardian": "G1", "given_on": day,
                          "evidence": "form", "form": pdf})  # fmt: skip
    assert done.status_code == 302 and ConsentRecord.objects.get().form is not None


def test_withdraw_and_confirm_the_takedown_on_the_pages(team: dict[str, Any]) -> None:
    from socialguard.content.tasks import publish_draft
    from tests.consent.test_withdraw import approved

    draft = approved(team)
    publish_draft.call(draft_id=draft.pk)
    smt = client(team, "smt")
    smt.post(reverse("consent:withdraw", args=["L2"]), {"note": "phoned the office"})
    assert ConsentRecord.objects.filter(subject_id="L2").last().status == Status.WITHDRAWN  # type: ignore[union-attr]
    takedown = Takedown.objects.get()
    runner = client(team, "runner")
    page = runner.get(reverse("consent:takedowns")).content.decode()
    assert "Eve Former" in page and "Take it down" in page
    assert "Take it down" not in client(team, "outsider").get(reverse("consent:takedowns")).content.decode()
    runner.post(reverse("consent:confirm_takedown", args=[takedown.pk]))
    takedown.refresh_from_db()
    assert takedown.state == "deleting"
    home = runner.get(reverse("web:home")).content.decode()
    assert "to take down" not in home


def test_a_reminder_on_smts_home_page_before_a_guardians_consent_lapses(team: dict[str, Any]) -> None:
    young = team["young"]
    today = timezone.localdate()
    young.date_of_birth = years_before(today, 18) + dt.timedelta(days=20)
    young.save()
    services.consent_record(actor=team["smt"], kind="learner", ref="L1", status=Status.GIVEN,
                            given_on=today - dt.timedelta(days=5), guardian_id="G1")  # fmt: skip
    home = client(team, "smt").get(reverse("web:home")).content.decode()
    assert "Photo consent for 1 learner lapses in the next 60 days" in home
    assert "Dan Young" in home


def test_lapsing_consent_is_in_smts_digest_too(team: dict[str, Any]) -> None:
    from socialguard.policies.reminders import digest_for

    young = team["young"]
    today = timezone.localdate()
    young.date_of_birth = years_before(today, 18) + dt.timedelta(days=20)
    young.save()
    services.consent_record(actor=team["smt"], kind="learner", ref="L1", status=Status.GIVEN,
                            given_on=today - dt.timedelta(days=5), guardian_id="G1")  # fmt: skip
    digest = digest_for(team["smt"])
    assert "Photo consent for 1 learner lapses in the next 60 days" in digest.body
    assert "Photo consent" not in digest_for(team["runner"]).body  # SMT's to chase
