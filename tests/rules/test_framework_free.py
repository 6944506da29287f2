"""The rules engine imports neither Django nor the other socialguard apps."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

RULES_DIR = Path(__file__).resolve().parents[2] / "src" / "socialguard" / "rules"


def test_no_module_imports_django_or_apps() -> None:
    for path in RULES_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                assert not name.startswith("django"), f"{path} imports {name}"
                if name.startswith("socialguard."):
                    assert name.startswith("socialguard.rules"), f"{path} imports {name}"


def test_engine_runs_with_django_unimportable() -> None:
    code = (
        "import sys; sys.modules['django'] = None\n"
        "from socialguard.rules import Engine, Post\n"
        "from socialguard.rules.catalogue import all_rules\n"
        "from socialguard.rules.catalogue.example_context import EXAMPLE_CONTEXT\n"
        "engine = Engine(EXAMPLE_CONTEXT)\n"
        "bad = [(c, e.post.text) for c, r in all_rules().items() for e in r.examples\n"
        "       if any(f.rule == c for f in engine.check(e.post).findings) != e.flagged]\n"
        "assert not bad, bad\n"
        "assert 'django' not in {m.split('.')[0] for m in sys.modules if sys.modules[m] is not None}\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
