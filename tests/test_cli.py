"""The socialguard command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from socialguard.cli import main
from socialguard.identity.models import User
from socialguard.identity.roles import Role
from socialguard.people.models import Learner, StaffMember


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["setup"],
        ["serve"],
        ["worker"],
        ["backup"],
        ["restore"],
        ["demo"],
        ["import"],
        ["audit"],
        ["audit", "verify"],
        ["createuser"],
        ["setpassword"],
        ["manage"],
    ],
)
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_createuser(db: Any) -> None:
    result = CliRunner().invoke(
        main,
        [
            "createuser",
            "--email",
            "Q@dmm.example",
            "--name",
            "Quinn Q",
            "--role",
            "smt",
            "--role",
            "staff",
            "--password-stdin",
        ],
        input="a long enough passphrase\n",
    )
    assert result.exit_code == 0, result.output
    user = User.objects.get(email="q@dmm.example")
    assert user.roles == {Role.SMT, Role.STAFF}


def test_createuser_rejects_weak_password(db: Any) -> None:
    result = CliRunner().invoke(
        main,
        ["createuser", "--email", "w@dmm.example", "--name", "W", "--password-stdin"],
        input="password\n",
    )
    assert result.exit_code == 1
    assert "too short" in result.output or "too common" in result.output


def test_import_needs_a_permitted_actor(db: Any, tmp_path: Path, make_user: Any) -> None:
    csv = tmp_path / "staff.csv"
    csv.write_text("external_id,first_name,last_name,employment_type\nE1,Ada,L,employee\n")
    runner = CliRunner()
    assert runner.invoke(main, ["import", "staff", str(csv)]).exit_code == 2  # no --as
    staff = make_user(Role.STAFF, email="s@dmm.example")
    refused = runner.invoke(main, ["import", "staff", str(csv), "--as", staff.email])
    assert refused.exit_code == 1 and "may not import people" in refused.output
    smt = make_user(Role.SMT, email="smt@dmm.example")
    ok = runner.invoke(main, ["import", "staff", str(csv), "--as", smt.email])
    assert ok.exit_code == 0, ok.output
    assert "1 staff added" in ok.output
    assert StaffMember.objects.count() == 1


def test_import_reports_errors_and_exits_2(db: Any, tmp_path: Path, make_user: Any) -> None:
    smt = make_user(Role.SMT, email="smt@dmm.example")
    csv = tmp_path / "learners.csv"
    csv.write_bytes(b"external_id,first_name,last_name,date_of_birth\nL1,Al,Bo,2010-13-01\n")
    result = CliRunner().invoke(main, ["import", "learners", str(csv), "--as", smt.email])
    assert result.exit_code == 2
    assert "learners.csv, row 2, field 'date_of_birth'" in result.output
    assert Learner.objects.count() == 0


def test_demo_loads_the_demo_organisation(db: Any) -> None:
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    assert "helen.carter@dmm.example" in result.output
    staff = StaffMember.objects.all()
    assert 35 <= staff.count() <= 45
    assert {s.employment_type for s in staff} == {"employee", "contract_worker", "volunteer"}
    learners = list(Learner.objects.all())
    assert 280 <= len(learners) <= 320
    assert any(le.is_under_18 for le in learners) and any(not le.is_current for le in learners)
    held = {r for u in User.objects.all() for r in u.roles}
    assert held == set(Role)
    again = CliRunner().invoke(main, ["demo"])
    assert "already loaded" in again.output


def test_python_m_socialguard_runs_the_same_command() -> None:
    # `python -m socialguard` for a virtual environment whose scripts folder is not on PATH.
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "socialguard", "rule", "QL011"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "QL011" in done.stdout
    usage = subprocess.run(
        [sys.executable, "-m", "socialguard", "--help"], capture_output=True, text=True, check=False
    )
    assert usage.returncode == 0 and usage.stdout.startswith("Usage: socialguard ")


def test_pack_validate_checks_the_file_where_no_database_is_set_up(tmp_path: Path) -> None:
    """A pack written on a laptop: the file's own checks and a notice, not a traceback (it asked
    for the published policy's clauses from a database that had no tables)."""
    import os
    import subprocess
    import sys

    good, bad = tmp_path / "ours.toml", tmp_path / "bad.toml"
    good.write_text('[lexicons]\ninsult = ["numpty"]\n')
    bad.write_text('[lexicons]\ninsulte = ["numpty"]\n')
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["SOCIALGUARD_DATA_DIR"] = str(tmp_path / "data")
    env.pop("SOCIALGUARD_DATABASE_URL", None)

    def validate(path: Path) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "socialguard", "pack", "validate", str(path)]
        return subprocess.run(command, capture_output=True, text=True, check=False, env=env)

    done = validate(good)
    assert done.returncode == 0 and done.stdout.strip() == f"{good}: valid", done.stderr
    assert "no database here (run `socialguard setup`)" in done.stderr and "Traceback" not in done.stderr
    refused = validate(bad)
    assert (
        refused.returncode == 2 and "line 2: [lexicons] insulte: no lexicon has this name" in refused.stderr
    )
    assert "Traceback" not in refused.stderr
