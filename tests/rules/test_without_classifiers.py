"""Without the `classifiers` extra (onnxruntime, tokenizers) the engine still checks posts with
the pattern rules, and says once, clearly, that the classifiers are not installed."""

from __future__ import annotations

import os
import subprocess
import sys

CODE = """
import sys
sys.modules["onnxruntime"] = None  # as if the classifiers extra were not installed
from socialguard.rules import Engine, Post
from socialguard.rules.catalogue import all_rules
from socialguard.rules.catalogue.example_context import EXAMPLE_CONTEXT

engines = [Engine(EXAMPLE_CONTEXT), Engine(EXAMPLE_CONTEXT)]
assert all(e.cascade is None for e in engines), "a cascade was built without its runtime"
patterns = {c: r for c, r in all_rules().items() if not r.uses_classifier}
bad = [(c, e.post.text) for c, r in patterns.items() for e in r.examples
       if any(f.rule == c for f in engines[1].check(e.post).findings) != e.flagged]
assert not bad, bad
for rule in all_rules().values():  # every example is checked, without scores, without an error
    engines[0].check_many([e.post for e in rule.examples])
assert "onnxruntime" not in {m for m in sys.modules if sys.modules[m] is not None}
print("ok")
"""


def test_the_engine_runs_on_patterns_alone_without_onnxruntime() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, check=False, env=dict(os.environ)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
    said = [line for line in result.stderr.splitlines() if "classifiers are not installed" in line]
    assert len(said) == 1, result.stderr  # once, however many engines
    assert "onnxruntime missing" in said[0] and "socialguard[classifiers]" in said[0]
