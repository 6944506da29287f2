from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from socialguard.incidents import services
from socialguard.incidents.models import Case
from tests.case_fixtures import MARKER, jpeg_bytes, png_bytes
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def _report(client: Client, **files: Any) -> Any:
    data = {
        "category": "offensive",
        "summary": "Offensive reply under our post",
        "platform": "X",
        "party_name": ["Ada Boss", ""],
        "party_role": ["subject", "other"],
        **files,
    }
    return client.post("/cases/report/", data)


def test_staff_report_with_a_screenshot_and_see_it(team: dict[str, Any]) -> None:
    client = sign_in(Client(), team["tutor"].user)
    response = _report(client, evidence=[SimpleUploadedFile("shot.png", png_bytes())])
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.parties.get().staff == team["boss"] and case.evidence.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert f"Your report {case.reference} has gone to the senior management team" in page
    assert "Open: being looked at" in page
    assert page.count("Thank you") == 1  # in the message; the case page does not say it again


def test_the_report_opens_the_chronology_on_the_day_it_was_made(team: dict[str, Any]) -> None:
    smt = sign_in(Client(), team["smt"])
    happened = dt.date.today() - dt.timedelta(days=10)
    case = services.report_submit(
        actor=team["tutor"].user, category="criticism", summary="A post", happened_on=happened
    )
    entry = case.entries.get()
    assert entry.happened_on == dt.date.today()
    assert entry.text == f"Report received; it happened on {happened:%-d %B %Y}."
    page = smt.get(f"/cases/{case.pk}/").content.decode()
    assert 'Reported: <span class="body">Reported.' not in page and "Report received; it happened on" in page


def test_a_case_from_the_policy_check_says_where_it_came_from_in_plain_words(team: dict[str, Any]) -> None:
    case = services.report_submit(
        actor=team["smt"],
        category="image_consent",
        summary="Draft post shows learners without consent",
        source="rules_finding",
        source_ref="draft 42: IMG001",
    )
    page = sign_in(Client(), team["smt"]).get(f"/cases/{case.pk}/").content.decode()
    assert "raised by the policy check on a draft post." in page
    assert "rules engine" not in page.lower()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("shot.png", b"MZ\x90\x00 a program"),
            "shot.png is named .png but is not a readable PNG image",
        ),
        (SimpleUploadedFile("photo.png", jpeg_bytes()), "photo.png is named .png but is really a JPEG image"),
        (SimpleUploadedFile("run.exe", png_bytes()), "only screenshots, photos and PDFs are accepted"),
    ],
)
def test_bad_attachments_are_refused_clearly_and_nothing_is_saved(
    team: dict[str, Any], upload: Any, message: str
) -> None:
    client = sign_in(Client(), team["tutor"].user)
    response = _report(client, evidence=[SimpleUploadedFile("ok.png", png_bytes()), upload])
    assert response.status_code == 200 and message in response.content.decode()
    assert not Case.objects.exists()


def test_too_large_attachments_are_refused(team: dict[str, Any], settings: Any) -> None:
    settings.EVIDENCE_MAX_BYTES = 2048
    client = sign_in(Client(), team["tutor"].user)
    response = _report(client, evidence=[SimpleUploadedFile("big.png", png_bytes((300, 300)) + b"\0" * 4096)])
    assert "evidence files may be at most 2 KB" in response.content.decode()


def test_staff_see_only_their_own_reports(team: dict[str, Any], restricted_case: Case) -> None:
    other = services.report_submit(actor=team["boss"].user, category="other", summary="Something else")
    page = sign_in(Client(), team["tutor"].user).get("/cases/").content.decode()
    assert restricted_case.reference in page and other.reference not in page
    assert sign_in(Client(), team["volunteer"].user).get(f"/cases/{other.pk}/").status_code == 404


def test_smt_work_a_case_through_the_forms(
    published: dict[str, Any], team: dict[str, Any], mailbox: Any
) -> None:
    case = services.report_submit(
        actor=team["tutor"].user,
        category="offensive",
        summary="x",
        parties=[services.party_from_text("S1", "subject")],
    )
    client = sign_in(Client(), team["smt"])
    base = f"/cases/{case.pk}/"
    client.post(base + "triage/", {"severity": "high", "investigator": team["smt"].pk, "clauses": ["5.2"]})
    client.post(
        base + "entries/", {"kind": "action", "text": "Asked for removal", "happened_on": "2026-01-02"}
    )
    client.post(base + "tasks/", {"text": "Follow up", "due_on": "2026-12-01", "assignee": team["smt"].pk})
    client.post(f"/cases/tasks/{case.tasks.get().pk}/done/")
    client.post(
        base + "close/", {"outcome": "disciplinary", "subject": team["boss"].pk, "note": "Hearing booked"}
    )
    case.refresh_from_db()
    assert (
        case.status == "closed"
        and case.outcome == "disciplinary"
        and [c.key for c in case.clauses.all()] == ["5.2"]
    )
    page = client.get(base).content.decode()
    assert "Asked for removal" in page and "Disciplinary procedure started (Ada Boss)" in page
    bad = client.post(base + "entries/", {"kind": "note", "text": "late"}, follow=True).content.decode()
    assert f"Case {case.reference} is closed" in bad


def test_statistics_page_draws_charts_and_export_has_no_content(
    team: dict[str, Any], restricted_case: Case
) -> None:
    services.report_submit(actor=team["tutor"].user, category="criticism", summary=f"{MARKER} review")
    client = sign_in(Client(), team["smt"])
    page = client.get("/cases/reports/").content.decode()
    assert page.count('<svg class="chart"') >= 2 and "Adverse criticism of the organisation" in page
    # Months as words in the chart and its table, not "2025-11" or "25-11".
    this_month = dt.date.today().strftime("%b %Y")
    assert page.count(this_month) >= 2 and dt.date.today().strftime("%Y-%m") not in page
    assert f">{dt.date.today():%y-%m}<" not in page
    export = client.get("/cases/export.csv").content.decode()
    assert restricted_case.reference in export and "Restricted (safeguarding)" in export
    assert MARKER not in export


def test_statistics_say_which_period_each_figure_covers(team: dict[str, Any]) -> None:
    """The totals count all time; the chart shows twelve calendar months: the page says so."""
    old = services.report_submit(actor=team["tutor"].user, category="criticism", summary="Long ago")
    Case.objects.filter(pk=old.pk).update(created_at=old.created_at - dt.timedelta(days=800))
    services.report_submit(actor=team["tutor"].user, category="criticism", summary="This month")
    page = sign_in(Client(), team["smt"]).get("/cases/reports/").content.decode()
    today = dt.date.today()
    first = dt.date(today.year - 1, today.month, 1) + dt.timedelta(days=31)
    assert "Since records began: 2 cases, 2 open now" in page
    assert f"The last 12 months, {first:%b %Y} to {today:%b %Y}: 1 case reported." in page
    assert page.count('<tr><th scope="row">') == 12


def test_retention_page_lists_and_anonymises(team: dict[str, Any]) -> None:
    smt = team["smt"]
    case = services.report_submit(actor=team["tutor"].user, category="criticism", summary="old")
    services.triage(actor=smt, case=case, severity="low", investigator=smt)
    services.case_close(actor=smt, case=case, outcome="no_further_action")
    Case.objects.filter(pk=case.pk).update(retain_until=dt.date.today() - dt.timedelta(days=1))
    client = sign_in(Client(), smt)
    page = client.get("/cases/retention/").content.decode()
    assert case.reference in page
    # On a phone each case is a card with its Anonymise button in view, not off to the right.
    assert '<table class="stack">' in page and f'<td class="key"><a href="/cases/{case.pk}/">' in page
    assert '<td data-label="Kept until">' in page
    home = client.get("/").content.decode()
    assert "1 closed case past retention" in home and "Review and anonymise it." in home
    client.post(f"/cases/{case.pk}/anonymise/")
    case.refresh_from_db()
    assert case.anonymised_at is not None and case.summary == ""


def test_home_page_lists_new_reports_and_tasks_by_reference_only(
    team: dict[str, Any], restricted_case: Case
) -> None:
    home = sign_in(Client(), team["dsl"]).get("/").content.decode()
    assert f"Your task on case {restricted_case.reference} is due today" in home and MARKER not in home
    assert "Open the case to see what it is" in home
    services.report_submit(actor=team["tutor"].user, category="other", summary=MARKER)
    smt_home = sign_in(Client(), team["smt"]).get("/").content.decode()
    assert "1 new report to triage" in smt_home and MARKER not in smt_home


def test_triage_asks_for_a_severity_instead_of_presetting_low(team: dict[str, Any]) -> None:
    """A safeguarding case ("learner feels unsafe at home") was offered for triage with "Low"
    already chosen: one careless click filed it as low. Now nothing is chosen until someone does."""
    case = services.report_submit(actor=team["tutor"].user, category="safeguarding", summary="x")
    client = sign_in(Client(), team["dsl"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    select = page[
        page.index('<select id="severity"') : page.index("</select>", page.index('<select id="severity"'))
    ]
    assert '<option value="" selected>Choose how serious it is</option>' in select
    assert "required" in select and select.count(" selected") == 1
    client.post(f"/cases/{case.pk}/triage/", {"severity": "", "investigator": team["dsl"].pk})
    case.refresh_from_db()
    assert case.severity == "" and case.status == "new"


def test_statistics_give_median_times_in_whole_days_where_they_are_whole(team: dict[str, Any]) -> None:
    """Medians read "1 day" and "2.5 days", not "1.0 days"; age bands start with a capital."""
    one = services.report_submit(actor=team["tutor"].user, category="criticism", summary="One")
    Case.objects.filter(pk=one.pk).update(triaged_at=one.created_at + dt.timedelta(days=1))
    page = sign_in(Client(), team["smt"]).get("/cases/reports/").content.decode()
    assert '<strong id="days-to-triage">1 day</strong>' in page
    two = services.report_submit(actor=team["tutor"].user, category="criticism", summary="Two")
    Case.objects.filter(pk=two.pk).update(triaged_at=two.created_at + dt.timedelta(days=4))
    page = sign_in(Client(), team["smt"]).get("/cases/reports/").content.decode()
    assert '<strong id="days-to-triage">2.5 days</strong>' in page
    assert "Under a week" in page and "under a week" not in page
