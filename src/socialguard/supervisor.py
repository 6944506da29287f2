"""What `socialguard serve` runs: the web server, a task worker and the scheduler, each a child.

The web server is the service: when it ends, serve ends with its exit code. The worker and the
scheduler are helpers: when one dies (killed, out of memory, a database error) it is logged and
restarted after a pause that doubles up to a minute, and the web server carries on. Meanwhile
serve writes each child's state to a status file that /healthz reads, so a monitor sees
`"worker": "down"` while the worker is waiting to be restarted. Django-free on purpose: serve's
own process never holds a database connection.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIRST_BACKOFF_SECONDS = 2.0
LONGEST_BACKOFF_SECONDS = 60.0
# A helper that ran this long before dying was healthy: its next restart waits the first pause again.
HEALTHY_AFTER_SECONDS = 60.0
STOP_GRACE_SECONDS = 20.0
STATUS_FILE = Path("run") / "serve.json"  # under DATA_DIR
# /healthz trusts the status file only while serve keeps rewriting it (it does every half second).
STATUS_FRESH_SECONDS = 10.0


def exit_code(returncode: int) -> int:
    """A child's return code as a shell would report it (128 + N for death by signal N)."""
    return 128 - returncode if returncode < 0 else returncode


def describe_exit(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit code {returncode}"


@dataclass
class Child:
    name: str  # its key in the status file: "web", "worker", "scheduler"
    label: str  # for people: "web server", "task worker"
    argv: list[str]
    restart: bool  # a helper, restarted when it dies; else its end ends serve
    pass_fds: tuple[int, ...] = ()
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restarts: int = 0
    backoff: float = FIRST_BACKOFF_SECONDS
    restart_at: float | None = None
    last_exit: int | None = None


@dataclass
class Supervisor:
    children: list[Child]
    env: Mapping[str, str]
    status_file: Path | None
    log: Callable[[str], None]
    stopping: bool = field(default=False)

    def start(self) -> None:
        for child in self.children:
            self._spawn(child)
        self.write_status()

    def _spawn(self, child: Child) -> None:
        child.process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            child.argv, env=dict(self.env), pass_fds=child.pass_fds
        )
        child.started_at = time.monotonic()
        child.restart_at = None

    def tick(self) -> int | None:
        """Look at each child once: restart the helpers that are due, note the ones that died.
        Returns the exit code to end serve with when the web server has ended, else None."""
        now = time.monotonic()
        for child in self.children:
            if child.process is None:
                if child.restart_at is not None and now >= child.restart_at and not self.stopping:
                    self._spawn(child)
                    assert child.process is not None
                    self.log(f"the {child.label} is running again (pid {child.process.pid})")
                continue
            code = child.process.poll()
            if code is None:
                continue
            pid, child.process, child.last_exit = child.process.pid, None, code
            if self.stopping:
                continue
            if not child.restart:
                self.log(
                    f"the {child.label} (pid {pid}) stopped ({describe_exit(code)}); stopping socialguard"
                )
                self.write_status()
                return exit_code(code)
            if now - child.started_at >= HEALTHY_AFTER_SECONDS:
                child.backoff = FIRST_BACKOFF_SECONDS
            child.restarts += 1
            child.restart_at = now + child.backoff
            self.log(
                f"the {child.label} (pid {pid}) stopped ({describe_exit(code)}); restarting it in "
                f"{child.backoff:.0f} s (restart {child.restarts}); the web server carries on"
            )
            child.backoff = min(child.backoff * 2, LONGEST_BACKOFF_SECONDS)
        self.write_status()
        return None

    def stop(self) -> None:
        """Ask every child to finish, then wait for them; kill whichever will not."""
        self.stopping = True
        running = [c.process for c in self.children if c.process is not None and c.process.poll() is None]
        for process in running:
            process.terminate()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.status_file is not None:
            self.status_file.unlink(missing_ok=True)

    def status(self) -> dict[str, Any]:
        return {
            "pid": os.getpid(),
            "updated": time.time(),
            "children": {
                c.name: {
                    "state": "running" if c.process is not None else "restarting" if c.restart else "stopped",
                    "pid": c.process.pid if c.process is not None else None,
                    "restarts": c.restarts,
                    "last_exit": c.last_exit,
                }
                for c in self.children
            },
        }

    def write_status(self) -> None:
        if self.status_file is None:
            return
        self.status_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = self.status_file.with_suffix(".tmp")
        partial.write_text(json.dumps(self.status()), encoding="utf-8")
        partial.replace(self.status_file)  # readers never see half a file


def read_status(path: Path) -> dict[str, Any] | None:
    """serve's status file, if serve is running and rewrote it lately; else None."""
    try:
        status = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(status, dict) or time.time() - float(status.get("updated", 0)) > STATUS_FRESH_SECONDS:
        return None
    return status
