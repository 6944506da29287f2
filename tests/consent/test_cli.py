"""`socialguard consent import|status|withdraw`, through the same permission layer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from socialguard.cli import main
from socialguard.consent.models import ConsentRecord, Takedown
from socialguard.content.tasks import publish_draft


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_import_status_and_withdraw(team: dict[str, Any], tmp_path: Path) -> None:
    from tests.consent.test_withdraw import approved

    bad = tmp_path / "bad.csv"
    bad.write_text("learner_id,status,given_on\nL99,given,2025-09-01\n")
    result = run("consent", "import", str(bad), "--as", "ada@dmm.example")
    assert result.exit_code == 2 and "bad.csv, row 2, field 'learner_id'" in result.output
    assert run("consent", "import", str(bad), "--as", "ben@dmm.example").exit_code == 1  # not SMT
    good = tmp_path / "mis.csv"
    good.write_text("learner_id,status,given_on,guardian_id\nL1,given,2025-09-01,G1\n")
    assert "1 consent records added" in run("consent", "import", str(good), "--as", "ada@dmm.example").output
    status = run("consent", "status", "L1", "--as", "ben@dmm.example")  # a runner reads it
    assert "Dan Young (L1): Consent given until" in status.output and "may be posted: yes" in status.output
    refused = run("consent", "status", "L1", "--as", "dee@dmm.example")  # runs nothing
    assert refused.exit_code == 1 and "account runners" in refused.output
    draft = approved(team)
    publish_draft.call(draft_id=draft.pk)
    out = run("consent", "withdraw", "L2", "--note", "phoned", "--as", "ada@dmm.example")
    assert "Withdrawn for Eve Former: 1 takedown(s)." in out.output
    assert Takedown.objects.count() == 1 and ConsentRecord.objects.filter(source="cli").count() == 1
