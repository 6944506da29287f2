"""No unresolved merge-conflict markers in what the project ships: a template with them renders
"<<<<<<< HEAD" to every user, and Django raises no error for it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ("src", "tests", "docs", "scripts")
SUFFIXES = {".py", ".html", ".css", ".js", ".txt", ".md", ".toml", ".sh", ".yml", ".yaml", ".json"}
# Built so that this file does not contain the markers it looks for.
MARKER = re.compile(r"^(?:" + "<" * 7 + r"|" + ">" * 7 + r")(?: |$)|^" + "=" * 7 + r"$", re.MULTILINE)


def test_no_merge_conflict_markers() -> None:
    files = [ROOT / name for name in ("README.md", "pyproject.toml", "Makefile") if (ROOT / name).exists()]
    for top in SHIPPED:
        files += [p for p in (ROOT / top).rglob("*") if p.is_file() and p.suffix in SUFFIXES]
    found = [
        f"{p.relative_to(ROOT)}:{s.count(chr(10), 0, m.start()) + 1}"
        for p in files
        for s in [p.read_text(encoding="utf-8", errors="replace")]
        for m in MARKER.finditer(s)
    ]
    assert found == []
