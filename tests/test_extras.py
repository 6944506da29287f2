"""The runtime extras (pyproject.toml): the demo data generator, the classifiers' runtime and the
PostgreSQL driver are optional; each use installs a lock file holding what it uses, and the
product runs without an extra it does not use (the engine: tests/rules/test_without_classifiers.py)."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from socialguard.cli import main
from socialguard.people.models import StaffMember

ROOT = Path(__file__).resolve().parents[1]
EXTRAS = {"demo": {"faker"}, "classifiers": {"onnxruntime", "tokenizers"}, "postgres": {"psycopg"}}


def pinned(lock: str) -> set[str]:
    return set(re.findall(r"^([a-z0-9_.-]+)(?:\[[a-z0-9_,.-]+\])?==", (ROOT / lock).read_text(), re.M))


def header_extras(lock: str) -> set[str]:
    command = (ROOT / lock).read_text().splitlines()[1]
    assert f"-o {lock}" in command, command
    return set(re.findall(r"--extra (\w+)", command))


def test_the_core_needs_none_of_the_extras() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    core = {re.split(r"[<>=\[ ]", d)[0].lower() for d in project["dependencies"]}
    assert not core & {p for packages in EXTRAS.values() for p in packages}
    assert set(EXTRAS) <= set(project["optional-dependencies"])
    assert not pinned("requirements.lock") & {"faker", "onnxruntime", "tokenizers", "psycopg"}


@pytest.mark.parametrize(
    ("lock", "where", "extras"),
    [
        ("requirements-run.lock", "scripts/run.sh", {"demo", "classifiers"}),
        ("requirements-deploy.lock", "Dockerfile", {"classifiers", "postgres"}),
    ],
)
def test_each_use_installs_the_lock_of_what_it_uses(lock: str, where: str, extras: set[str]) -> None:
    assert f"--require-hashes -r {lock}" in (ROOT / where).read_text()
    assert header_extras(lock) == extras
    packages = pinned(lock)
    for extra, names in EXTRAS.items():
        assert (names <= packages) == (extra in extras), (lock, extra)


@pytest.mark.parametrize(
    "lock",
    ["requirements.lock", "requirements-run.lock", "requirements-deploy.lock", "requirements-test.lock"],
)
def test_a_dependency_asked_for_with_an_extra_is_pinned_with_it(lock: str) -> None:
    """Python 3.11's pip (23.2) in --require-hashes mode refuses `smart-open[http]>=5.2.1` (weasel's
    requirement) as unpinned once a newer smart-open than the lock's is released, unless the lock
    pins it with the extra: `uv pip compile` writes `smart-open==9.0.2`, so the extra is added by
    hand after compiling (docs/deploy.md). Read from the installed packages' metadata."""
    from importlib.metadata import PackageNotFoundError, distribution

    from packaging.requirements import Requirement

    text = (ROOT / lock).read_text()
    with_extras = {
        (name, frozenset(extras.split(",")))
        for name, extras in re.findall(r"^([a-z0-9_.-]+)\[([a-z0-9_,.-]+)\]==", text, re.M)
    }
    packages = pinned(lock)
    missing = []
    for package in sorted(packages):
        try:
            requires = distribution(package).requires or []
        except PackageNotFoundError:
            continue  # not installed here: nothing to read its requirements from
        for line in requires:
            requirement = Requirement(line)
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue  # only with one of the package's own extras, or another platform
            name = re.sub(r"[-_.]+", "-", requirement.name).lower()
            if (
                requirement.extras
                and name in packages
                and (name, frozenset(requirement.extras)) not in with_extras
            ):
                missing.append(f"{package} asks for {line}")
    assert not missing, missing


def test_setup_without_the_demo_extra_says_so_and_carries_on(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "faker", None)  # as if the demo extra were not installed
    result = CliRunner().invoke(main, ["setup"])
    assert result.exit_code == 0, result.output
    assert "pip install 'socialguard[demo]'" in result.output
    assert not StaffMember.objects.exists()
    demo = CliRunner().invoke(main, ["demo"])
    assert demo.exit_code != 0 and "socialguard[demo]" in demo.output
