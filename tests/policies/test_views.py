"""The policy pages: reading, importing, reviewing, declaring, coverage, training, exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from socialguard.policies import services
from socialguard.policies.models import Course, Declaration, PolicyReview, TrainingCompletion
from tests.conftest import sign_in
from tests.policy_fixtures import V1, V2, import_version

ALL = dict.fromkeys(services.DECLARATION_FIELDS, True)


def test_the_policy_page_has_an_outline_linking_to_clauses(published: dict[str, Any], client: Client) -> None:
    sign_in(client, published["tutor"].user)
    page = client.get("/policy/").content.decode()
    assert 'href="#clause-5.2"' in page and 'id="clause-5.2"' in page
    assert "Review overdue since 1 February 2023" in page
    assert "Please declare this policy." in page


def test_staff_cannot_open_drafts(published: dict[str, Any], client: Client) -> None:
    draft = import_version(published["qd"], V2)
    sign_in(client, published["tutor"].user)
    assert client.get(f"/policy/versions/{draft.pk}/").status_code == 404
    assert "Version 2" not in client.get("/policy/versions/").content.decode()
    qd = sign_in(Client(), published["qd"])
    assert qd.get(f"/policy/versions/{draft.pk}/").status_code == 200


def test_a_published_versions_pages_never_show_staff_a_draft_numbered_before_it(
    published: dict[str, Any], client: Client
) -> None:
    """A draft the Quality Director left behind (v2) sits between v1 and the version published
    after it (v3): the diff of v3 compared it with the draft, its text and all, and the version
    page linked to it, though the draft's own page is a 404 for staff."""
    qd = published["qd"]
    abandoned = import_version(qd, V2.replace("Be professional and kind.", "DRAFT ONLY: cut 12 tutor posts."))
    v3 = import_version(qd, V2)
    services.version_publish(actor=qd, version=v3)
    sign_in(client, published["tutor"].user)
    assert client.get(f"/policy/versions/{abandoned.pk}/").status_code == 404
    diff = client.get(f"/policy/versions/{v3.pk}/diff/").content.decode()
    assert "Version 1 → version 3" in diff
    assert "DRAFT ONLY" not in diff and "Version 2" not in diff
    assert client.get(f"/policy/versions/{v3.pk}/diff/?against={abandoned.pk}").status_code == 404
    page = client.get(f"/policy/versions/{v3.pk}/").content.decode()
    assert "What changed since version 1" in page and "since version 2" not in page
    # The Quality Director, who reviews drafts, still compares with the draft before it.
    own = sign_in(Client(), qd).get(f"/policy/versions/{v3.pk}/diff/").content.decode()
    assert "Version 2 → version 3" in own and "DRAFT ONLY" in own


def test_import_page_explains_a_bad_file(people: dict[str, Any], client: Client) -> None:
    sign_in(client, people["qd"])
    response = client.post("/policy/import/", {"file": SimpleUploadedFile("p.pdf", b"%PDF")})
    assert "p.pdf: use a Markdown (.md) or Word (.docx) file" in response.content.decode()


def test_diff_page_marks_insertions_and_deletions(published: dict[str, Any], client: Client) -> None:
    v2 = import_version(published["qd"], V2)
    sign_in(client, published["qd"])
    page = client.get(f"/policy/versions/{v2.pk}/diff/").content.decode()
    assert "<del>Board (LSCB).</del>" in page or "<del>" in page
    assert "<ins>" in page and "5.6 Closing accounts" in page


def test_review_start_comment_and_reconfirm_through_the_pages(
    published: dict[str, Any], client: Client
) -> None:
    qd = sign_in(client, published["qd"])
    page = qd.get("/policy/review/").content.decode()
    assert "Local Safeguarding Children Boards" in page and "Cite instead:" in page
    qd.post("/policy/review/start/")
    smt = sign_in(Client(), published["smt"])
    # The clause box suggests the clauses as the reviewer types (a datalist, no script needed).
    page = smt.get("/policy/review/").content.decode()
    assert 'list="review-clauses"' in page
    assert '<option value="5.2">5.2 Expected standards</option>' in page
    smt.post(
        "/policy/review/comment/",
        {"version": published["v1"].pk, "clause": "Declaration", "text": "Reword it."},
    )
    review = PolicyReview.objects.get()
    assert [(c.clause_key, c.text) for c in review.comments.all()] == [("declaration", "Reword it.")]
    assert smt.post("/policy/review/reconfirm/", {"next_review_date": "2030-01-01"}).status_code == 403
    day = timezone.localdate() + dt.timedelta(days=300)
    qd.post("/policy/review/reconfirm/", {"next_review_date": day.isoformat(), "note": "Fine"})
    review.refresh_from_db()
    assert review.status == "reconfirmed" and review.document.next_review_date == day


def test_declare_page_records_the_address(published: dict[str, Any], client: Client) -> None:
    sign_in(client, published["tutor"].user)
    client.post("/policy/declare/", {k: "on" for k in ALL}, REMOTE_ADDR="198.51.100.4")
    declaration = Declaration.objects.get()
    assert declaration.ip_address == "198.51.100.4"
    assert "You declared version 1" in client.get("/policy/declare/").content.decode()


def test_coverage_page_and_auditor_export(published: dict[str, Any], client: Client, make_user: Any) -> None:
    tutor = published["tutor"]
    services.declaration_make(actor=tutor.user, staff=tutor, version=published["v1"], confirmations=ALL)
    sign_in(client, published["smt"])
    page = client.get("/policy/declarations/").content.decode()
    assert 'data-percent="33"' in page and 'data-label="Digital Marketing" data-percent="50"' in page
    assert "Cara Helper" in page and "<svg" in page
    from socialguard.identity.roles import Role

    auditor = sign_in(Client(), make_user(Role.AUDITOR))
    rows = list(csv.DictReader(io.StringIO(auditor.get("/policy/declarations/export.csv").content.decode())))
    assert [(r["staff_id"], r["version"], r["version_hash"]) for r in rows] == [
        ("S2", "1", published["v1"].text_hash)
    ]
    assert auditor.get("/policy/declarations/").status_code == 200


def test_training_pages(people: dict[str, Any], client: Client) -> None:
    smt = sign_in(client, people["smt"])
    smt.post(
        "/policy/training/courses/new/",
        {
            "code": "induction",
            "name": "Induction",
            "required_for": "everyone",
            "refresher_months": 12,
            "grace_days": 30,
            "active": "on",
        },
    )
    response = smt.post(
        "/policy/training/import/",
        {"file": SimpleUploadedFile("t.csv", b"staff_id,course,completed_on\nS1,induction,2025-13-01\n")},
    )
    assert "t.csv, row 2, field &#x27;completed_on&#x27;" in response.content.decode()
    assert not TrainingCompletion.objects.exists()
    smt.post(
        "/policy/training/record/",
        {
            "staff": people["boss"].pk,
            "course": Course.objects.get(code="induction").pk,
            "completed_on": timezone.localdate().isoformat(),
        },
    )
    assert TrainingCompletion.objects.get().staff == people["boss"]
    page = smt.get("/policy/training/").content.decode()
    assert "1 of 3 up to date" in page and "Ben Tutor" in page
    mine = sign_in(Client(), people["boss"].user).get("/policy/training/mine/").content.decode()
    assert "Induction</strong>: up to date" in mine


def test_a_numbered_paragraph_is_headed_by_its_number_not_its_first_words_twice(
    published: dict[str, Any], client: Client
) -> None:
    sign_in(client, published["tutor"].user)
    page = client.get("/policy/").content.decode()
    assert "<h2>1.1</h2>" in page and '<div class="body">This policy sets the standards' in page
    # Once in the contents, once as the clause itself: not a third time as its heading.
    assert page.count("This policy sets the standards staff keep on social media") == 2


def test_legislation_and_review_comments_name_clauses_as_people_read_them(
    people: dict[str, Any], client: Client
) -> None:
    text = V1 + "\n### Acceptance of friends\n\nTell the Local Safeguarding Children Board (LSCB).\n"
    version = import_version(people["qd"], text)
    services.version_publish(
        actor=people["qd"],
        version=version,
        issue_date=dt.date(2022, 2, 1),
        next_review_date=dt.date(2023, 2, 1),
    )
    sign_in(client, people["tutor"].user)
    page = client.get("/policy/legislation/").content.decode()
    assert "cited in 5.2, Acceptance of friends</span>" in page and "acceptance-of-friends</span>" not in page
    review = services.review_start(actor=people["qd"], document=version.document)
    services.review_comment_add(
        actor=people["smt"],
        review=review,
        version=version,
        clause_key="acceptance-of-friends",
        text="LSCB went.",
    )
    page = sign_in(Client(), people["smt"]).get("/policy/review/").content.decode()
    assert ">Acceptance of friends</a> (version 1)" in page


def test_the_review_pages_references_become_labelled_cards_on_a_phone(
    published: dict[str, Any], client: Client
) -> None:
    """Four columns of long text cannot fit 390 px: like the other lists, each reference is a
    card (a .stack table) whose lines say what they are."""
    import re

    page = sign_in(client, published["qd"]).get("/policy/review/").content.decode()
    table = page[
        page.index('<table id="reference-table"') : page.index("</table>", page.index("reference-table"))
    ]
    assert re.match(r'<table id="reference-table" class="stack">', table)
    rows = re.findall(r"<tr class=\"ref-[^\"]+\">(.*?)</tr>", table, re.S)
    assert rows
    for row in rows:
        cells = re.findall(r"<td([^>]*)>", row)
        assert cells[0] == ' class="key"'
        assert [re.search(r'data-label="([^"]+)"', c).group(1) for c in cells[1:]] == [  # type: ignore[union-attr]
            "Clause",
            "Status",
            "What to do",
        ]


def test_the_versions_list_becomes_labelled_cards_on_a_phone(
    published: dict[str, Any], client: Client
) -> None:
    """Six columns cannot fit 390 px (the changes and fingerprint were cut off): each version is
    a card headed "Version N" whose lines say what they are."""
    page = sign_in(client, published["tutor"].user).get("/policy/versions/").content.decode()
    assert '<table class="stack">' in page
    assert '<td class="key"><a href="/policy/versions/' in page and ">Version 1</a></td>" in page
    for label in ("Status", "Issued", "Next review", "Changes", "Fingerprint"):
        assert f'data-label="{label}"' in page


def test_the_course_form_says_what_the_code_and_grace_days_are(
    people: dict[str, Any], client: Client
) -> None:
    page = sign_in(client, people["smt"]).get("/policy/training/courses/new/").content.decode()
    assert "the course column of a training CSV uses it" in page
    assert "Days someone has to complete it the first time" in page
