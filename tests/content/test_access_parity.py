"""The API and the CLI give each person the same answer as content.access about the same draft
and the same archived post (the web pages, from s8-web, join this when they land)."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner
from django.test import Client

from socialguard.cli import main
from socialguard.content import access, services
from socialguard.content.models import PublishedPost
from socialguard.content.tasks import publish_draft
from socialguard.identity.models import TokenScope
from socialguard.identity.services import token_create
from tests.content.conftest import GOOD, submitted, write

PERSONAS = ["runner", "runner2", "smt", "smt2", "outsider", "auditor"]


def test_api_and_cli_agree_with_access_on_drafts_and_the_archive(team: dict[str, Any]) -> None:
    drafts = [
        write(team),
        write(team, "We are hiring. ^BT", account="linkedin"),
        services.draft_save(actor=team["smt"], account=team["account"], text="From SMT ^AB"),
    ]
    live = services.draft_approve(actor=team["runner2"], draft=submitted(team, GOOD))
    publish_draft.call(draft_id=live.pk)
    posts = list(PublishedPost.objects.all())
    assert posts
    for who in PERSONAS:
        user = team[who]
        auth = {
            "HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='p', scope=TokenScope.READ).secret}"
        }
        client = Client()
        visible = {d.pk for d in access.drafts_visible(user)}
        listed = client.get("/api/v1/posts/drafts?limit=200", **auth)
        if visible or listed.status_code == 200:
            assert {d["id"] for d in listed.json()["items"]} == visible, who
        for draft in [*drafts, live]:
            may = access.may_see_draft(user, draft)
            api = client.get(f"/api/v1/posts/drafts/{draft.pk}", **auth).status_code
            cli = CliRunner().invoke(main, ["posts", "show", str(draft.pk), "--as", user.email]).exit_code
            assert (api == 200) == may and (cli == 0) == may, (who, draft.pk, api, cli)
        readable = {p.pk for p in access.archive_visible(user)}
        archive = client.get("/api/v1/posts/archive?limit=200", **auth)
        assert {p["id"] for p in archive.json()["items"]} == readable, who
        for post in posts:
            api = client.get(f"/api/v1/posts/archive/{post.pk}", **auth).status_code
            assert (api == 200) == (post.pk in readable), (who, post.pk)
    # The personas cover both answers.
    assert access.may_see_draft(team["runner2"], drafts[0]) and not access.may_see_draft(
        team["outsider"], drafts[0]
    )
    assert (
        access.archive_visible(team["auditor"]).exists()
        and not access.archive_visible(team["outsider"]).exists()
    )
