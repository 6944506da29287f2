"""The container image and the compose file: every command a real `socialguard` command, every
variable a documented one, the same keys for every container, the lock installed with hashes, and
two task workers. (No Docker engine runs where the tests run, so the image is not built here.)"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from socialguard.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def _socialguard_services() -> dict[str, Any]:
    return {name: s for name, s in _compose()["services"].items() if s.get("image") == "socialguard:local"}


def test_every_service_runs_a_real_command_with_real_options() -> None:
    services = _socialguard_services()
    assert set(services) == {"setup", "web", "worker", "scheduler"}
    for name, service in services.items():
        args = service["command"]
        command = main.get_command(None, args[0])  # type: ignore[arg-type]
        assert command is not None, f"{name}: no command {args[0]!r}"
        context = command.make_context(args[0], list(args[1:]))  # raises on an unknown option
        assert context.params is not None


def test_the_web_server_leaves_tasks_to_two_workers_and_one_scheduler() -> None:
    services = _socialguard_services()
    assert "--no-task-worker" in services["web"]["command"]
    assert services["worker"]["deploy"]["replicas"] == 2
    assert services["scheduler"]["command"] == ["scheduler"]
    assert services["web"]["depends_on"]["setup"]["condition"] == "service_completed_successfully"


def test_every_container_gets_the_same_keys_and_the_database() -> None:
    for name, service in _socialguard_services().items():
        env = service["environment"]
        assert env["SOCIALGUARD_DATABASE_URL"].startswith("postgres://"), name
        for key in ("SECRET_KEY", "VAULT_KEY", "AUDIT_KEY"):
            assert env[f"SOCIALGUARD_{key}_FILE"] == f"/run/secrets/{key.lower()}", name
        assert set(service["secrets"]) == {"secret_key", "vault_key", "audit_key"}, name


def test_every_variable_is_documented() -> None:
    documented = set(re.findall(r"`(SOCIALGUARD_[A-Z_]+)`", (ROOT / "docs/configuration.md").read_text()))
    documented |= {f"{name}_FILE" for name in documented}
    used = set(re.findall(r"(SOCIALGUARD_[A-Z_]+)", (ROOT / "compose.yaml").read_text()))
    used |= set(re.findall(r"(SOCIALGUARD_[A-Z_]+)", (ROOT / "Dockerfile").read_text()))
    assert used - documented == set()


def test_the_image_installs_the_lock_with_hashes_and_runs_unprivileged() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir --require-hashes -r requirements-deploy.lock" in dockerfile
    assert "--no-deps ." in dockerfile  # socialguard itself adds nothing the lock did not pin
    assert re.search(r"^USER socialguard$", dockerfile, re.M)
    assert dockerfile.index("COPY requirements-deploy.lock") < dockerfile.index("COPY src")
