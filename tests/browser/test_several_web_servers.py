"""More than one machine: two `socialguard serve --no-task-worker` web servers, each with its own
data folder, on one database and the same three keys (docs/deploy.md). Behind a load balancer a
person's requests land on either: signed in through one, they are signed in on the other; what one
server writes, the other shows; signed out on one, they are signed out on both."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.processes import child_env, cli, on_postgres
from tests.test_serve import Served, start_serve, stop_serve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "mo.staff@example.org"


def _same_keys(tmp_path: Path) -> dict[str, str]:
    """The keys made once, as docs/deploy.md says, and given to every server."""
    env = child_env(tmp_path / "keygen")
    keys = tmp_path / "secrets"
    keys.mkdir()
    (keys / "secret_key").write_text("k" * 20 + "-same-for-every-machine-" + "y" * 20)
    for name in ("vault", "audit"):
        made = cli(env, name, "generate-key", timeout=120)
        assert made.returncode == 0, made.stderr
        (keys / f"{name}_key").write_text(made.stdout.strip())
    return {
        f"SOCIALGUARD_{name.upper()}_KEY_FILE": str(keys / f"{name}_key")
        for name in ("secret", "vault", "audit")
    }


@pytest.fixture
def two_web_servers(transactional_db: Any, tmp_path: Path) -> Iterator[tuple[Served, Served]]:
    keys = _same_keys(tmp_path)
    first_data, second_data = tmp_path / "machine-a", tmp_path / "machine-b"
    shared: dict[str, str] = dict(keys)
    if not on_postgres():  # the same SQLite file for both (PostgreSQL: the test database itself)
        shared["SOCIALGUARD_DATABASE_URL"] = f"sqlite:///{first_data / 'socialguard.sqlite3'}"
    first_env, second_env = child_env(first_data, **shared), child_env(second_data, **shared)
    for step in (
        ["setup", "--no-demo"],
        ["createuser", "--email", EMAIL, "--name", "Mo Staff", "--role", "staff", "--password-stdin"],
    ):
        if step[0] == "setup" and on_postgres():
            continue  # the test database is migrated already
        done = cli(first_env, *step, stdin=PASSWORD + "\n", timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
    servers: list[Served] = []
    try:
        for data, env in ((first_data, first_env), (second_data, second_env)):
            servers.append(start_serve(data, env, "--no-task-worker"))
        yield servers[0], servers[1]
    finally:
        for server in servers:
            stop_serve(server)


def test_a_person_signed_in_on_one_web_server_is_signed_in_on_the_other(
    browser: Any, two_web_servers: tuple[Served, Served]
) -> None:
    first, second = two_web_servers
    assert first.url != second.url and first.data != second.data
    # One browser: cookies are kept per host, not per port, as behind a load balancer.
    context = browser.new_context()
    context.set_default_timeout(20_000)
    tab = context.new_page()
    tab.goto(first.url + "account/sign-in/")
    tab.get_by_label("Email address").fill(EMAIL)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(first.url)

    tab.goto(second.url)  # the other machine reads the session the first one wrote
    assert tab.url == second.url, tab.url
    assert "Mo Staff" in tab.content()

    # What one machine writes, the other reads: a token made on the first is listed on the second,
    # and the second's API accepts it.
    tab.goto(first.url + "account/tokens/")
    tab.get_by_label("What is this token for?").fill("weekly report")
    tab.get_by_role("button", name="Create token").click()
    secret = tab.get_by_test_id("new-token").inner_text().strip()
    tab.goto(second.url + "account/tokens/")
    tab.get_by_role("cell", name="weekly report", exact=True).wait_for()
    asked = urllib.request.Request(
        second.url + "api/v1/check",
        data=json.dumps({"posts": [{"id": "open-day", "text": "Open day on Saturday from 10am."}]}).encode(),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(asked, timeout=30) as answer:
        assert answer.status == 200
        assert json.loads(answer.read())[0]["id"] == "open-day"

    # Signed out on the second: the first no longer lets them in.
    tab.goto(second.url)
    tab.get_by_role("button", name="Sign out").first.click()
    tab.goto(first.url)
    assert "/account/sign-in/" in tab.url, tab.url
    context.close()
