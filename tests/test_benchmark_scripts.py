"""The benchmark scripts still run against the code they measure (a rename in the product once
broke `import_people.py` unnoticed): each runs at a tiny size and prints its figures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOCIALGUARD_", "DJANGO_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_import_people_runs_at_a_tiny_size() -> None:
    out = _run("benchmarks/import_people.py", "--learners", "40", "--guardians", "10")
    assert "export learners (streamed)" in out and "export guardians (streamed)" in out
