"""Publishing to a real AT Protocol network (tests/atproto.py): an approved post reaches the
AppView and the archive; a deletion removes it; a worker killed between the platform's answer
and its commit is retried without posting twice."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

from socialguard.accounts import vault
from socialguard.accounts.models import SecretKind
from socialguard.content import archive, publishing, services
from socialguard.content.models import Kind, PublishedPost, State
from tests.content.conftest import bluesky_team
from tests.processes import prepare

CHILD = Path(__file__).with_name("publishing_child.py")


@pytest.fixture
def on_bluesky(db: Any, make_user: Any, atproto_network: Any, bluesky_account: Any) -> dict[str, Any]:
    return bluesky_team(make_user, atproto_network, bluesky_account())


def test_an_approved_post_is_published_read_back_archived_and_deleted(on_bluesky: dict[str, Any]) -> None:
    network, runner = on_bluesky["network"], on_bluesky["runner"]
    text = "Results day on Thursday: our tutors are in the studio from 9am to talk through next steps."
    draft = services.draft_save(actor=runner, account=on_bluesky["account"], text=text)
    services.draft_submit(actor=runner, draft=draft)
    services.draft_approve(actor=on_bluesky["second"], draft=draft)

    assert publishing.publish(draft.pk) == "published"

    post = PublishedPost.objects.get(draft=draft)
    assert post.uri.startswith(f"at://{on_bluesky['platform_account'].did}/app.bsky.feed.post/")
    assert post.uri.endswith(draft.record_key)
    [seen] = network.wait_for_posts([post.uri])
    assert seen["record"]["text"] == text
    assert [p.pk for p in archive.archive_search(on_bluesky["senior"], q="studio tutors")] == [post.pk]
    assert not archive.archive_search(on_bluesky["senior"], q="inspection")

    deletion = services.draft_save(
        actor=runner,
        account=on_bluesky["account"],
        text="Posted too early.",
        kind=Kind.DELETION,
        corrects=post,
    )
    services.draft_submit(actor=runner, draft=deletion)
    services.draft_approve(actor=on_bluesky["senior"], draft=deletion)  # deletions need SMT
    assert publishing.publish(deletion.pk) == "published"

    network.wait_for_posts([post.uri], present=False)
    assert network.own_records(on_bluesky["platform_account"]) == []
    post.refresh_from_db()
    assert post.deleted_at is not None


def test_an_expired_app_password_fails_the_post_in_words_without_retrying(on_bluesky: dict[str, Any]) -> None:
    account, runner = on_bluesky["account"], on_bluesky["runner"]
    vault.secret_store(
        actor=on_bluesky["senior"], account=account, kind=SecretKind.APP_PASSWORD, value="aaaa-bbbb-cccc-dddd"
    )
    draft = services.draft_save(actor=runner, account=account, text="Enrolment is open for January.")
    services.draft_submit(actor=runner, draft=draft)
    services.draft_approve(actor=on_bluesky["second"], draft=draft)

    assert publishing.publish(draft.pk) == "failed"

    draft.refresh_from_db()
    assert draft.state == State.FAILED
    assert draft.last_error == publishing.REFUSED_PASSWORD
    assert network_posts(on_bluesky) == []


def network_posts(on_bluesky: dict[str, Any]) -> list[dict[str, Any]]:
    return on_bluesky["network"].own_records(on_bluesky["platform_account"])


def _child(env: dict[str, str], *args: str) -> tuple[int, dict[str, Any]]:
    import subprocess

    done = subprocess.run(
        [sys.executable, str(CHILD), *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    lines = done.stdout.strip().splitlines()
    return done.returncode, (json.loads(lines[-1]) if lines else {"stderr": done.stderr[-3000:]})


def test_a_worker_killed_after_the_platform_answered_is_retried_and_posts_exactly_once(
    transactional_db: Any, tmp_path: Path, atproto_network: Any, bluesky_account: Any
) -> None:
    platform_account = bluesky_account()
    env = prepare(tmp_path)  # on SQLite, the children share a migrated SQLite file of their own
    code, made = _child(
        env, "setup", platform_account.handle, atproto_network.pds, platform_account.app_password
    )
    assert code == 0, made
    draft = str(made["draft"])
    assert made["state"] == State.SCHEDULED

    code, _ = _child(env, "publish-and-die", draft)

    assert code == -signal.SIGKILL
    _, state = _child(env, "report", draft)
    assert state["state"] == State.PUBLISHING and state["archived"] == []
    assert len(atproto_network.own_records(platform_account)) == 1  # the platform has it

    code, again = _child(env, "publish", draft)  # the retry (the task's, or the scheduler's)

    assert (code, again["result"]) == (0, "published"), again
    _, state = _child(env, "report", draft)
    assert state["state"] == State.PUBLISHED
    [archived] = state["archived"]
    records = atproto_network.own_records(platform_account)
    assert [r["uri"] for r in records] == [archived["uri"]]  # one post, the one archived
    assert archived["uri"].endswith("/" + state["record_key"])
    atproto_network.wait_for_posts([archived["uri"]])
