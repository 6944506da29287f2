"""/api/v1/posts: the same services and access rules as the web and the CLI."""

from __future__ import annotations

from typing import Any

from django.test import Client

from socialguard.content.tasks import publish_draft
from socialguard.identity.models import TokenScope
from socialguard.identity.services import token_create
from tests.content.conftest import GOOD

CONTROVERSIAL = "Our statement on the tribunal claim against DMM ^BT"


class Api:
    def __init__(self, user: Any, scope: str = TokenScope.READ_WRITE) -> None:
        self.secret = token_create(user=user, name="t", scope=scope).secret
        self.client = Client()

    def __call__(self, method: str, path: str, body: Any = None, **query: Any) -> Any:
        import json

        data = json.dumps(body) if body is not None else ""
        if query:
            from urllib.parse import urlencode

            path += "?" + urlencode(query)
        return self.client.generic(
            method, f"/api/v1/posts{path}", data, content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.secret}",
        )  # fmt: skip


def test_draft_check_submit_approve_publish_and_find_in_the_archive(team: dict[str, Any]) -> None:
    runner, runner2, smt = Api(team["runner"]), Api(team["runner2"]), Api(team["smt"])
    created = runner("POST", "/drafts", {"account_id": team["account"].pk, "text": "Applications are open."})
    assert created.status_code == 201, created.json()
    draft = created.json()
    assert draft["state"] == "draft" and draft["verdict"] == "block"
    finding = next(f for f in draft["findings"] if f["severity"] == "block")
    assert finding["rule"] == "PB003" and finding["clause"] == "Do's" and "^BT" in finding["fix"]
    changed = runner("PUT", f"/drafts/{draft['id']}", {"text": GOOD})
    assert changed.json()["verdict"] == "pass"
    assert runner("POST", f"/drafts/{draft['id']}/submit").json()["state"] == "submitted"
    refused = runner("POST", f"/drafts/{draft['id']}/approve")
    assert refused.status_code == 403 and "never approved by its author" in refused.json()["detail"]
    assert [d["id"] for d in runner2("GET", "/queue").json()["items"]] == [draft["id"]]
    approved = runner2("POST", f"/drafts/{draft['id']}/approve")
    assert approved.status_code == 200 and approved.json()["state"] == "scheduled"
    assert [e["kind"] for e in approved.json()["history"]][-2:] == ["approved", "scheduled"]
    publish_draft.call(draft_id=draft["id"])
    found = smt("GET", "/archive", q="march cohort").json()
    assert found["count"] == 1 and found["items"][0]["text"] == GOOD
    assert found["items"][0]["approvers"] == ["Cara Helper <cara@dmm.example>"]
    post_id = found["items"][0]["id"]
    assert Api(team["auditor"])("GET", f"/archive/{post_id}").status_code == 200
    assert Api(team["outsider"])("GET", f"/archive/{post_id}").status_code == 404


def test_a_review_post_is_refused_to_a_runner_and_approved_by_smt(team: dict[str, Any]) -> None:
    runner = Api(team["runner"])
    draft = runner("POST", "/drafts", {"account_id": team["account"].pk, "text": CONTROVERSIAL}).json()
    assert draft["needs_smt"] and "senior leader" in " ".join(draft["needs_smt_because"])
    runner("POST", f"/drafts/{draft['id']}/submit")
    refused = Api(team["runner2"])("POST", f"/drafts/{draft['id']}/approve")
    assert refused.status_code == 403 and "senior leader (SMT)" in refused.json()["detail"]
    assert Api(team["smt"])("POST", f"/drafts/{draft['id']}/approve").json()["state"] == "scheduled"


def test_a_blocked_post_needs_an_override_with_a_reason(team: dict[str, Any]) -> None:
    runner, smt = Api(team["runner"]), Api(team["smt"])
    draft = runner(
        "POST",
        "/drafts",
        {"account_id": team["account"].pk, "text": "Happy birthday Sam, born 03/05/2008! ^BT"},
    ).json()
    runner("POST", f"/drafts/{draft['id']}/submit")
    blocked = smt("POST", f"/drafts/{draft['id']}/approve")
    assert blocked.status_code == 400 and "PD004" in blocked.json()["detail"]
    f = next(f for f in draft["findings"] if f["rule"] == "PD004")
    assert (
        Api(team["runner2"])(
            "POST",
            f"/drafts/{draft['id']}/overrides",
            {"rule": "PD004", "start": f["start"], "end": f["end"], "reason": "fine by me, honestly"},
        ).status_code
        == 403
    )
    overridden = smt(
        "POST",
        f"/drafts/{draft['id']}/overrides",
        {"rule": "PD004", "start": f["start"], "end": f["end"], "reason": "Sam is staff and asked us to"},
    )
    assert overridden.status_code == 200
    shown = next(x for x in overridden.json()["findings"] if x["rule"] == "PD004")
    assert shown["override_reason"] == "Sam is staff and asked us to" and shown["overridden_by"] == "Ada Boss"
    assert Api(team["smt2"])("POST", f"/drafts/{draft['id']}/approve").status_code == 200


def test_the_live_check_saves_nothing_and_names_the_limit(team: dict[str, Any]) -> None:
    answer = Api(team["runner"])("POST", "/check", {"account_id": team["account"].pk, "text": "a" * 301})
    assert answer.status_code == 200
    rules = {f["rule"] for f in answer.json()["findings"]}
    assert {"PB002", "PB003"} <= rules
    assert Api(team["runner"])("GET", "/drafts").json()["count"] == 0
    other = Api(team["outsider"])("POST", "/check", {"account_id": team["account"].pk, "text": "hi"})
    assert other.status_code == 400 and other.json()["errors"][0]["field"] == "account_id"


def test_drafts_are_hidden_from_who_may_not_see_them(team: dict[str, Any]) -> None:
    draft = Api(team["runner"])("POST", "/drafts", {"account_id": team["account"].pk, "text": GOOD}).json()
    assert Api(team["outsider"])("GET", f"/drafts/{draft['id']}").status_code == 404
    assert Api(team["outsider"])("POST", f"/drafts/{draft['id']}/approve").status_code == 404
    assert Api(team["runner2"])("GET", f"/drafts/{draft['id']}").status_code == 200
    assert Api(team["auditor"])("GET", "/drafts").status_code == 403


def test_bad_input_is_named(team: dict[str, Any]) -> None:
    runner = Api(team["runner"])
    closed = runner("POST", "/drafts", {"account_id": 999999, "text": GOOD})
    assert closed.status_code == 400 and closed.json()["errors"][0]["field"] == "account_id"
    unknown = runner("POST", "/drafts", {"account_id": team["account"].pk, "text": GOOD, "colour": "red"})
    assert unknown.status_code == 422
    reply = runner("POST", "/drafts", {"account_id": team["account"].pk, "text": GOOD, "is_reply": True})
    assert reply.status_code == 400 and reply.json()["errors"][0]["field"] == "reply_to"
    read_only = Api(team["runner"], TokenScope.READ)
    assert read_only("POST", "/drafts", {"account_id": team["account"].pk, "text": GOOD}).status_code == 403


def test_media_is_attached_checked_and_removed(team: dict[str, Any]) -> None:
    import io

    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, "PNG")
    runner = Api(team["runner"])
    draft = runner("POST", "/drafts", {"account_id": team["account"].pk, "text": GOOD}).json()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {runner.secret}"}
    url = f"/api/v1/posts/drafts/{draft['id']}/media"
    bad = runner.client.post(url + "?people_shown=learner", {"file": io.BytesIO(png.getvalue())}, **auth)
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "people_shown"
    fake = io.BytesIO(b"not a photo")
    fake.name = "photo.jpg"
    wrong = runner.client.post(url, {"file": fake}, **auth)
    assert wrong.status_code == 400 and "not a readable JPEG" in wrong.json()["detail"]
    photo = io.BytesIO(png.getvalue())
    photo.name = "stand.png"
    added = runner.client.post(url + "?alt_text=Our+stand&people_shown=learner:L1", {"file": photo}, **auth)
    assert added.status_code == 200, added.json()
    (item,) = added.json()["media"]
    assert item["alt_text"] == "Our stand" and item["people_shown"] == [{"kind": "learner", "id": "L1"}]
    assert "IC001" in {f["rule"] for f in added.json()["findings"]}
    removed = runner("DELETE", f"/drafts/{draft['id']}/media/{item['id']}")
    assert removed.status_code == 200 and removed.json()["media"] == []


def test_smt_mark_a_reply_as_answering_criticism(team: dict[str, Any]) -> None:
    runner = Api(team["runner"])
    body = {
        "account_id": team["account"].pk,
        "text": GOOD,
        "is_reply": True,
        "reply_to": "https://bsky.app/x",
    }
    draft = runner("POST", "/drafts", body).json()
    assert (
        Api(team["runner2"])("POST", f"/drafts/{draft['id']}/criticism", {"comment": "x"}).status_code == 403
    )
    marked = Api(team["smt"])("POST", f"/drafts/{draft['id']}/criticism", {"comment": "answers a complaint"})
    assert marked.status_code == 200 and marked.json()["reply_to_criticism"]
    assert "adverse criticism" in " ".join(marked.json()["needs_smt_because"])


def test_a_post_longer_than_any_platform_takes_is_refused_in_characters(team: dict[str, Any]) -> None:
    """Pydantic's own message said "at most 63206 items"."""
    response = Api(team["runner"])("POST", "/check", {"account_id": team["account"].pk, "text": "a" * 70_000})
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "body.text"
    assert error["message"].endswith(
        "is 70,000 characters; the longest post any platform allows is 63,206 (Facebook)"
    )
