"""`manage.py check --deploy` passes under the production settings documented in docs/configuration.md."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_check_deploy_passes_with_documented_production_settings(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "socialguard.settings",
        "SOCIALGUARD_DATA_DIR": str(tmp_path),
        "SOCIALGUARD_SECRET_KEY": "k" * 20 + "-production-secret-key-" + "z" * 20,
        "SOCIALGUARD_ALLOWED_HOSTS": "socialguard.dmm.example",
        "SOCIALGUARD_SECURE": "1",
        "SOCIALGUARD_BEHIND_PROXY": "1",
    }
    for name in ("SOCIALGUARD_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "SOCIALGUARD_DATABASE_URL"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_configuration_doc_names_every_variable_the_settings_read() -> None:
    import re

    read = set(re.findall(r'"(SOCIALGUARD_[A-Z_]+)"', (ROOT / "src/socialguard/settings.py").read_text()))
    read |= set(re.findall(r'"(SOCIALGUARD_[A-Z_]+)"', (ROOT / "src/socialguard/env.py").read_text()))
    documented = (ROOT / "docs/configuration.md").read_text()
    missing = sorted(name for name in read if name not in documented)
    assert not missing, f"undocumented settings: {missing}"
