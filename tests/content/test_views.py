"""The posts pages: compose with the live check, the draft page's actions by state and person, the
queue, calendar, archive and its exports, and the home page items."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from socialguard.content import publishing, services
from socialguard.content.models import Draft, PublishedPost, State
from tests.conftest import sign_in
from tests.content.conftest import GOOD, submitted, write

pytestmark = pytest.mark.django_db

BAD = "Applications for our March cohort are open. ^BT"  # fine; the sign-off is what the tests vary
UNSIGNED = "Applications for our March cohort of the Digital Marketer apprenticeship are open."


def client(team: dict[str, Any], who: str) -> Client:
    return sign_in(Client(), team[who])


def test_compose_page_shows_the_live_check_wiring(team: dict[str, Any]) -> None:
    page = client(team, "runner").get(reverse("posts:new"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'hx-post="/posts/check/"' in html
    assert 'hx-trigger="keyup changed delay:500ms"' in html
    assert "Save and check" in html
    assert "{#" not in html and "{%" not in html  # no template comment or tag shown as text
    assert "@dmm-news.bsky.social" in html and "DMM Careers" in html


def test_check_returns_findings_with_span_clause_and_fix_without_saving(team: dict[str, Any]) -> None:
    before = Draft.objects.count()
    response = client(team, "runner").post(
        reverse("posts:check"), {"account": team["account"].pk, "text": UNSIGNED}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "PB003" in html and "Blocks the post" in html
    assert "Fix:" in html and "^BT" in html
    assert Draft.objects.count() == before


def test_check_marks_the_span_of_an_engine_finding(team: dict[str, Any]) -> None:
    # The register's under-18 learner named in a post: the engine points at the name.
    young = team["young"]
    text = f"Well done {young.first_name} {young.last_name} on passing! ^BT"
    html = (
        client(team, "runner")
        .post(reverse("posts:check"), {"account": team["account"].pk, "text": text})
        .content.decode()
    )
    assert f"<mark>{young.first_name}" in html


def test_the_links_and_reply_fields_refresh_the_live_check_too(team: dict[str, Any]) -> None:
    html = client(team, "runner").get(reverse("posts:new")).content.decode()
    for name in ("links", "reply_to", "is_reply", "account"):
        field = (
            html.split(f'name="{name}"')[0].rsplit("<", 1)[1] + html.split(f'name="{name}"')[1].split(">")[0]
        )
        assert 'hx-post="/posts/check/"' in field and "hx-trigger=" in field, name


def test_the_live_check_refuses_a_text_longer_than_any_platform_takes(team: dict[str, Any]) -> None:
    """Saving refuses it; checking it would hold a web worker for seconds (4 MB took 10 s)."""
    response = client(team, "runner").post(
        reverse("posts:check"),
        {"account": team["account"].pk, "text": "a" * 63_207, "links": "https://x.example/a\n" * 500},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "no platform takes more than 63,206, so it was not checked" in html and "PB00" not in html
    many = client(team, "runner").post(
        reverse("posts:check"),
        {"account": team["account"].pk, "text": "ok", "links": "https://bit.ly/x\n" * 500},
    )
    assert many.status_code == 200 and "TL001" in many.content.decode()


def test_check_refuses_an_account_the_person_does_not_run(team: dict[str, Any]) -> None:
    html = (
        client(team, "outsider")
        .post(reverse("posts:check"), {"account": team["account"].pk, "text": "x"})
        .content.decode()
    )
    assert "PB00" not in html and "Choose the account" in html


def test_saving_runs_the_check_and_submit_then_second_runner_approves(team: dict[str, Any]) -> None:
    runner = client(team, "runner")
    response = runner.post(reverse("posts:new"), {"account": team["account"].pk, "text": UNSIGNED})
    draft = Draft.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("posts:draft", args=[draft.pk])
    assert draft.check_result.verdict == "block"
    page = runner.get(reverse("posts:draft", args=[draft.pk])).content.decode()
    assert "PB003" in page and "Edit the post" in page
    runner.post(reverse("posts:edit", args=[draft.pk]), {"text": GOOD})
    draft.refresh_from_db()
    assert draft.check_result.verdict == "pass"
    runner.post(reverse("posts:submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED
    page = runner.get(reverse("posts:draft", args=[draft.pk])).content.decode()
    assert f'action="{reverse("posts:approve", args=[draft.pk])}"' not in page  # never its author
    second = client(team, "runner2")
    assert (
        f'action="{reverse("posts:approve", args=[draft.pk])}"'
        in second.get(reverse("posts:draft", args=[draft.pk])).content.decode()
    )
    second.post(reverse("posts:approve", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.state == State.SCHEDULED


def test_a_review_post_is_refused_to_a_runner_and_approved_by_smt(
    team: dict[str, Any], monkeypatch: Any
) -> None:
    draft = submitted(team, is_reply=True, reply_to="https://bsky.app/x/1", reply_to_criticism=True)
    second = client(team, "runner2")
    page = second.get(reverse("posts:draft", args=[draft.pk])).content.decode()
    assert f'action="{reverse("posts:approve", args=[draft.pk])}"' not in page
    assert "needs a senior leader" in page.lower()
    second.post(reverse("posts:approve", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED
    client(team, "smt").post(reverse("posts:approve", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.state == State.SCHEDULED


def test_blocked_post_needs_an_override_with_a_reason(team: dict[str, Any]) -> None:
    draft = submitted(team, UNSIGNED)
    smt = client(team, "smt")
    page = smt.get(reverse("posts:draft", args=[draft.pk])).content.decode()
    assert "Override PB003" in page
    assert f'action="{reverse("posts:approve", args=[draft.pk])}"' not in page
    finding = next(f for f in draft.check_result.findings if f["rule"] == "PB003")
    fields = {"rule": "PB003", "start": finding["start"], "end": finding["end"]}
    smt.post(reverse("posts:override", args=[draft.pk]), {**fields, "reason": "short"})
    assert not draft.overrides.exists()
    smt.post(
        reverse("posts:override", args=[draft.pk]),
        {**fields, "reason": "Signed in the image caption instead, agreed with the DSL"},
    )
    assert draft.overrides.count() == 1
    page = smt.get(reverse("posts:draft", args=[draft.pk])).content.decode()
    assert "Signed in the image caption instead" in page
    assert "finding overridden by SMT" in smt.get(reverse("posts:queue")).content.decode()
    smt.post(reverse("posts:approve", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.state == State.SCHEDULED


def test_override_refused_to_a_runner(team: dict[str, Any]) -> None:
    draft = submitted(team, UNSIGNED)
    response = client(team, "runner2").post(
        reverse("posts:override", args=[draft.pk]),
        {"rule": "PB003", "start": 0, "end": 0, "reason": "x" * 20},
    )
    assert response.status_code == 403
    assert not draft.overrides.exists()


def test_request_changes_goes_back_with_the_comment(team: dict[str, Any]) -> None:
    draft = submitted(team)
    client(team, "runner2").post(reverse("posts:changes", args=[draft.pk]), {"comment": "Say which campus."})
    draft.refresh_from_db()
    assert draft.state == State.CHANGES_REQUESTED
    home = client(team, "runner").get(reverse("web:home")).content.decode()
    assert "Changes asked for your post" in home and "Say which campus." in home


def test_home_page_tells_the_other_runner_an_approval_waits(team: dict[str, Any]) -> None:
    submitted(team)
    home = client(team, "runner2").get(reverse("web:home")).content.decode()
    assert "1 post waiting for your approval" in home
    assert "waiting for your approval" not in client(team, "runner").get(reverse("web:home")).content.decode()


def test_drafts_are_hidden_from_people_who_may_not_see_them(team: dict[str, Any]) -> None:
    draft = write(team)
    assert client(team, "outsider").get(reverse("posts:draft", args=[draft.pk])).status_code == 404


def _manual_published(team: dict[str, Any]) -> PublishedPost:
    draft = submitted(team, "Our careers fair is on Thursday.", account="linkedin")
    services.draft_approve(actor=team["runner2"], draft=draft)
    return publishing.draft_record_manual_publication(
        actor=team["runner2"], draft=draft, url="https://www.linkedin.com/feed/update/1"
    )


def test_manual_path_copy_and_record(team: dict[str, Any]) -> None:
    draft = submitted(team, "Our careers fair is on Thursday.", account="linkedin")
    services.draft_approve(actor=team["runner2"], draft=draft)
    runner = client(team, "runner")
    page = runner.get(reverse("posts:draft", args=[draft.pk])).content.decode()
    assert "Publish it by hand" in page and 'data-copy="post-text"' in page
    runner.post(reverse("posts:record", args=[draft.pk]), {"url": "https://www.linkedin.com/feed/update/9"})
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED
    assert PublishedPost.objects.get().url == "https://www.linkedin.com/feed/update/9"


def test_archive_search_filters_and_exports(team: dict[str, Any]) -> None:
    post = _manual_published(team)
    auditor = client(team, "auditor")
    found = auditor.get(reverse("posts:archive"), {"q": "careers fair"}).content.decode()
    assert "Our careers fair is on Thursday." in found
    assert "Our careers fair" not in auditor.get(reverse("posts:archive"), {"q": "open day"}).content.decode()
    rows = list(csv.reader(io.StringIO(auditor.get(reverse("posts:archive_csv")).content.decode())))
    assert rows[0][0] == "id" and rows[1][5] == post.text
    data = json.loads(auditor.get(reverse("posts:archive_json"), {"q": "careers"}).content)
    assert [p["id"] for p in data] == [post.pk]
    detail = auditor.get(reverse("posts:published", args=[post.pk])).content.decode()
    assert "Cara Helper" in detail and "Write a correction" not in detail  # the auditor drafts nothing


def test_archive_csv_guards_formulas(team: dict[str, Any]) -> None:
    draft = submitted(team, '=HYPERLINK("http://x") careers', account="linkedin")
    services.draft_approve(actor=team["smt"], draft=draft)  # the link makes it a review post
    publishing.draft_record_manual_publication(actor=team["runner2"], draft=draft, url="https://l.example/1")
    body = client(team, "smt").get(reverse("posts:archive_csv")).content.decode()
    assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body


def test_correction_starts_from_the_published_post(team: dict[str, Any]) -> None:
    post = _manual_published(team)
    runner = client(team, "runner")
    url = f"{reverse('posts:new')}?kind=correction&corrects={post.pk}"
    assert post.text in runner.get(url).content.decode()
    runner.post(url, {"account": team["linkedin"].pk, "text": "Correction: the fair is on Friday."})
    correction = Draft.objects.get(kind="correction")
    assert correction.corrects == post


def test_calendar_lists_approved_posts_by_day(team: dict[str, Any]) -> None:
    when = timezone.now() + dt.timedelta(days=1)
    draft = submitted(team, "Open evening tomorrow.", account="linkedin", publish_at=when)
    services.draft_approve(actor=team["runner2"], draft=draft)
    page = client(team, "runner").get(
        reverse("posts:calendar"), {"from": timezone.localdate(when).isoformat()}
    )
    assert "Open evening tomorrow." in page.content.decode()


def test_live_check_names_the_clause_as_the_current_policy_words_it(
    team: dict[str, Any], make_user: Any
) -> None:
    from socialguard.identity.roles import Role
    from socialguard.policies import services as policy_services
    from tests.policy_fixtures import V1, import_version

    owner = make_user(Role.QUALITY_DIRECTOR)  # the policy's owner publishes it (3.1)
    version = import_version(owner, V1)
    policy_services.version_publish(
        actor=owner,
        version=version,
        issue_date=dt.date(2022, 2, 1),
        next_review_date=dt.date(2030, 2, 1),
    )
    text = "Questions? Email ben.tutor@gmail.com ^BT"  # PD001 cites 5.2
    html = client(team, "runner").post(reverse("posts:check"), {"account": team["account"].pk, "text": text})
    page = html.content.decode()
    assert "5.2 Expected standards" in page  # the heading from the published version
    assert "Be professional." in page  # and its text, to open
    assert "<mark>ben.tutor@gmail.com</mark>" in page


def test_attach_a_photo_naming_the_people_shown(team: dict[str, Any]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(buffer, format="PNG")
    draft = write(team)
    runner = client(team, "runner")
    form = runner.get(reverse("posts:add_media", args=[draft.pk])).content.decode()
    young = team["young"]
    assert f'value="learner:{young.external_id}"' in form and 'data-filter="Find a person"' in form
    runner.post(
        reverse("posts:add_media", args=[draft.pk]),
        {
            "file": SimpleUploadedFile("team.png", buffer.getvalue(), content_type="image/png"),
            "alt_text": "The team at the fair",
            "people_shown": [f"learner:{young.external_id}"],
        },
    )
    item = draft.media.get()
    assert item.people_shown == [{"kind": "learner", "id": young.external_id}]
    draft.refresh_from_db()
    assert "IC001" in {f["rule"] for f in draft.check_result.findings}  # a learner shown: consent
    page = runner.get(reverse("posts:draft", args=[draft.pk])).content.decode()
    assert "team.png" in page and "1 person shown" in page
    assert runner.get(reverse("posts:download_media", args=[draft.pk, item.pk])).content.startswith(
        b"\x89PNG"
    )


def test_a_deletion_reason_is_not_checked_as_a_post(team: dict[str, Any]) -> None:
    post = _manual_published(team)
    runner = client(team, "runner")
    url = f"{reverse('posts:new')}?kind=deletion&corrects={post.pk}"
    assert "Why it should be removed" in runner.get(url).content.decode()
    check = runner.post(
        reverse("posts:check"), {"account": team["linkedin"].pk, "kind": "deletion", "text": "Wrong date"}
    ).content.decode()
    assert "Passes the policy check" in check
    as_post = runner.post(reverse("posts:check"), {"account": team["account"].pk, "text": "Wrong date"})
    assert "PB003" in as_post.content.decode()  # the same words as a post would need the sign-off


def test_a_safeguarding_disclosure_offers_the_way_to_report_it_and_no_fix(team: dict[str, Any]) -> None:
    """Not "sign it and post it": MD002 had offered the disclosure back with a signature."""
    text = "One of our learners told me today her stepdad hits her and she is scared to go home."
    html = client(team, "runner").post(reverse("posts:check"), {"account": team["account"].pk, "text": text})
    page = html.content.decode()
    assert "CF005" in page and "Blocks the post" in page
    assert "Fix:" not in page
    assert 'href="/cases/report/?category=safeguarding"' in page
    form = client(team, "runner").get("/cases/report/?category=safeguarding").content.decode()
    assert '<option value="safeguarding" selected>' in form
