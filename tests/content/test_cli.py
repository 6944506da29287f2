"""`socialguard posts …`: the same services and access rules, acting as `--as EMAIL`."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from click.testing import CliRunner

from socialguard.cli import main
from socialguard.content.models import Draft, PublishedPost, State

BEN, CARA, ADA = "ben@dmm.example", "cara@dmm.example", "ada@dmm.example"


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_draft_check_submit_approve_publish_and_archive(team: dict[str, Any]) -> None:
    handle = team["account"].handle
    checked = run("posts", "check", "--account", handle, "--text", "Applications are open.", "--as", BEN)
    assert checked.exit_code == 1
    assert (
        "PB003 missing-sign-off [block] (Do's)" in checked.output
        and "fix: End the post with ^BT" in checked.output
    )
    made = run(
        "posts", "draft", "--account", handle, "--text", "Applications for March are open. ^BT", "--as", BEN
    )
    assert made.exit_code == 0, made.output
    assert "State: Draft" in made.output and "Check: pass" in made.output
    draft = Draft.objects.get()
    assert run("posts", "submit", str(draft.pk), "--as", BEN).exit_code == 0
    own = run("posts", "approve", str(draft.pk), "--as", BEN)
    assert own.exit_code == 1 and "never approved by its author" in own.output
    assert str(draft.pk) in run("posts", "list", "--queue", "--as", CARA).output
    approved = run("posts", "approve", str(draft.pk), "--as", CARA)
    assert approved.exit_code == 0 and "Approved: scheduled" in approved.output
    published = run("posts", "publish", str(draft.pk), "--as", CARA)
    assert published.exit_code == 0 and "published" in published.output
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED
    found = run("posts", "archive", "--search", "march", "--format", "json", "--as", ADA)
    assert [p["text"] for p in json.loads(found.output)] == ["Applications for March are open. ^BT"]
    rows = list(csv.reader(io.StringIO(run("posts", "archive", "--format", "csv", "--as", ADA).output)))
    assert len(rows) == 2 and rows[1][5] == "Applications for March are open. ^BT"
    assert "Nothing found." in run("posts", "archive", "--as", "dee@dmm.example").output


def test_override_and_request_changes(team: dict[str, Any]) -> None:
    text = "Happy birthday Sam, born 03/05/2008! ^BT"
    run("posts", "draft", "--account", str(team["account"].pk), "--text", text, "--as", BEN)
    draft = Draft.objects.get()
    run("posts", "submit", str(draft.pk), "--as", BEN)
    shown = run("posts", "show", str(draft.pk), "--as", CARA)
    assert "PD004" in shown.output and "Cannot be approved" in shown.output
    finding = next(f for f in draft.check_result.findings if f["rule"] == "PD004")
    span = ["--start", str(finding["start"]), "--end", str(finding["end"])]
    refused = run(
        "posts", "override", str(draft.pk), "--rule", "PD004", *span, "--reason", "long enough", "--as", CARA
    )
    assert refused.exit_code == 1 and "may not approve posts as a senior leader" in refused.output
    done = run(
        "posts",
        "override",
        str(draft.pk),
        "--rule",
        "PD004",
        *span,
        "--reason",
        "Sam asked us to",
        "--as",
        ADA,
    )
    assert done.exit_code == 0, done.output
    assert (
        "overridden by Ada Boss: Sam asked us to" in run("posts", "show", str(draft.pk), "--as", BEN).output
    )
    sent_back = run(
        "posts", "request-changes", str(draft.pk), "--comment", "Leave the year out", "--as", CARA
    )
    assert sent_back.exit_code == 0
    data = json.loads(run("posts", "show", str(draft.pk), "--format", "json", "--as", BEN).output)
    assert data["state"] == "changes_requested"
    assert data["history"][-1]["comment"] == "Leave the year out"


def test_manual_publication_and_hidden_drafts(team: dict[str, Any]) -> None:
    run("posts", "draft", "--account", "DMM Careers", "--text", "We are hiring a tutor.", "--as", BEN)
    draft = Draft.objects.get()
    assert run("posts", "show", str(draft.pk), "--as", "dee@dmm.example").exit_code == 1
    run("posts", "submit", str(draft.pk), "--as", BEN)
    run("posts", "approve", str(draft.pk), "--as", CARA)
    no_link = run("posts", "publish", str(draft.pk), "--as", BEN)
    assert no_link.exit_code == 1 and "paste the published post's link" in no_link.output
    recorded = run(
        "posts", "publish", str(draft.pk), "--url", "https://www.linkedin.com/feed/update/1", "--as", BEN
    )
    assert recorded.exit_code == 0, recorded.output
    assert PublishedPost.objects.get().manual


def test_acting_person_is_required_and_checked(team: dict[str, Any]) -> None:
    assert run("posts", "list").exit_code == 2
    assert (
        run("posts", "draft", "--account", "x", "--text", "hi", "--as", "audrey@dmm.example").exit_code == 1
    )


def test_smt_mark_a_reply_as_answering_criticism(team: dict[str, Any]) -> None:
    handle = team["account"].handle
    run(
        "posts",
        "draft",
        "--account",
        handle,
        "--text",
        "Thanks for the feedback. ^BT",
        "--reply-to",
        "https://bsky.app/x",
        "--as",
        BEN,
    )
    draft = Draft.objects.get()
    assert run("posts", "mark-criticism", str(draft.pk), "--as", CARA).exit_code == 1
    assert (
        run("posts", "mark-criticism", str(draft.pk), "--comment", "a complaint", "--as", ADA).exit_code == 0
    )
    draft.refresh_from_db()
    assert draft.reply_to_criticism and draft.criticism_marked_by == team["smt"]
