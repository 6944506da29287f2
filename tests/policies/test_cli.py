"""`socialguard policy|declarations|training|reminders` from a terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from socialguard.cli import main
from socialguard.policies.models import PolicyVersion, TrainingCompletion
from tests.policy_fixtures import V1, V2
from tests.smtp import Inbox


@pytest.mark.parametrize(
    "command",
    [
        ["policy"],
        ["policy", "import"],
        ["policy", "publish"],
        ["policy", "diff"],
        ["policy", "status"],
        ["declarations", "status"],
        ["declarations", "verify"],
        ["training", "import"],
        ["training", "status"],
        ["reminders", "send"],
        ["reminders", "preview"],
        ["scheduler"],
    ],
)
def test_help(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_import_publish_diff_status(people: dict[str, Any], tmp_path: Path) -> None:
    runner = CliRunner()
    (tmp_path / "v1.md").write_text(V1)
    (tmp_path / "v2.md").write_text(V2)
    refused = runner.invoke(main, ["policy", "import", str(tmp_path / "v1.md"), "--as", "ben@dmm.example"])
    assert (
        refused.exit_code == 1 and "may not import, publish and re-confirm policy versions" in refused.output
    )
    result = runner.invoke(main, ["policy", "import", str(tmp_path / "v1.md"), "--as", "qd@dmm.example"])
    assert result.exit_code == 0, result.output
    assert "Imported draft version 1: 8 clauses" in result.output
    result = runner.invoke(
        main,
        [
            "policy",
            "publish",
            "1",
            "--issue-date",
            "2022-02-01",
            "--next-review",
            "2023-02-01",
            "--as",
            "qd@dmm.example",
        ],
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["policy", "status"])
    assert "Review overdue since 1 February 2023" in result.output
    assert "[outdated] Working Together to Safeguard Children (2018) (clause 4.1)" in result.output
    assert "[missing ] Online Safety Act 2023" in result.output
    runner.invoke(main, ["policy", "import", str(tmp_path / "v2.md"), "--as", "qd@dmm.example"])
    result = runner.invoke(main, ["policy", "diff", "1", "2"])
    assert "clauses 4.1 and 5.2 changed; clause 5.6 added" in result.output
    assert "[added] 5.6 Closing accounts" in result.output
    assert runner.invoke(main, ["policy", "publish", "2", "--as", "qd@dmm.example"]).exit_code == 0
    assert PolicyVersion.objects.get(number=2).status == "published"
    result = runner.invoke(main, ["declarations", "status", "--by", "employment_type", "--outstanding"])
    assert "Version 2: 0 of 3 staff in post have declared (0%)." in result.output
    assert "Ben Tutor" in result.output
    assert runner.invoke(main, ["declarations", "verify"]).exit_code == 0


def test_training_import_reports_every_error(people: dict[str, Any], tmp_path: Path) -> None:
    from socialguard.policies import services

    services.course_save(actor=people["smt"], values={"code": "induction", "name": "Induction"})
    bad = tmp_path / "t.csv"
    bad.write_text("staff_id,course,completed_on\nS1,induction,2025-01-01\nS9,induction,x\n")
    result = CliRunner().invoke(main, ["training", "import", str(bad), "--as", "smt@dmm.example"])
    assert result.exit_code == 1
    assert "t.csv, row 3, field 'staff_id': no staff member has id 'S9'" in result.output
    assert "t.csv, row 3, field 'completed_on'" in result.output
    assert not TrainingCompletion.objects.exists()
    bad.write_text("staff_id,course,completed_on\nS1,induction,2025-01-01\n")
    result = CliRunner().invoke(main, ["training", "import", str(bad), "--as", "smt@dmm.example"])
    assert "Recorded 1 completion; 0 were already recorded." in result.output


def test_reminders_send_and_preview(published: dict[str, Any], mailbox: Inbox) -> None:
    preview = CliRunner().invoke(main, ["reminders", "preview", "ben@dmm.example"])
    assert "This goes out with the next daily run." in preview.output
    assert "Declare that you have read the social media policy (version 1)" in preview.output
    result = CliRunner().invoke(main, ["reminders", "send"])
    assert f"Sent {len(mailbox.messages)} digests." in result.output
    assert len(mailbox.messages) == 5  # three staff owe a declaration; QD and SMT owe the review
