"""The legislation register: outdated references are flagged, missing law is named, facts cite sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialguard.policies import legislation, outline
from socialguard.policies.demo import STAND_IN
from tests.policy_fixtures import V1, V2


def _report(text: str, extra: str = "") -> legislation.ReferenceReport:
    return legislation.check_references(
        outline.parse_markdown(text).clauses, legislation.load_register(extra)
    )


def test_stand_in_policy_flags_the_outdated_references_named_in_the_issue() -> None:
    report = _report(Path(STAND_IN).read_text())
    outdated = {c.reference.key for c in report.outdated}
    assert outdated == {
        "local-safeguarding-children-boards",
        "independent-safeguarding-authority",
        "ukccis-sexting-guidance-2017",
        "working-together-2018",
    }
    assert {c.reference.key for c in report.to_check} >= {"keeping-children-safe-in-education"}
    assert {r.key for r in report.missing} == {"online-safety-act-2023", "data-protection-act-2018-uk-gdpr"}
    lscb = next(c for c in report.cited if c.reference.key == "local-safeguarding-children-boards")
    assert lscb.clauses == ["acceptance-of-friends"]
    assert "LSCB" in lscb.quotes[0]


def test_an_updated_policy_clears_the_flags() -> None:
    report = _report(V2)
    assert not report.outdated
    assert {r.key for r in report.missing} == {"data-protection-act-2018-uk-gdpr"}
    assert "working-together-2018" in {c.reference.key for c in _report(V1).outdated}


def test_every_entry_cites_public_sources_and_a_check_date() -> None:
    for reference in legislation.load_register():
        assert reference.sources and all(s.startswith("https://") for s in reference.sources), reference.key
        assert reference.checked, reference.key
        if reference.outdated:
            assert reference.superseded_by, reference.key


def test_an_organisation_can_add_and_override_entries(tmp_path: Path) -> None:
    own = tmp_path / "ours.toml"
    own.write_text(
        '[[reference]]\nkey = "computer-misuse-act-1990"\ntitle = "Computer Misuse Act 1990"\nkind = "act"\n'
        'status = "superseded"\nsummary = "Pretend it was replaced."\nsuperseded_by = "X"\n'
        "patterns = ['computer\\s+misuse']\nsources = [\"https://example.org\"]\n"
    )
    report = _report("## 4 Law\n\n4.1 Computer Misuse Act 1990\n", str(own))
    assert [c.reference.key for c in report.outdated] == ["computer-misuse-act-1990"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[reference]]\nkey = "x"\n', "reference 1, field 'title': is required"),
        (
            '[[reference]]\nkey="x"\ntitle="X"\nkind="act"\nstatus="gone"\nsummary="s"\npatterns=["x"]\nsources=["https://a"]\n',
            "field 'status': 'gone' is not one of",
        ),
        (
            '[[reference]]\nkey="x"\ntitle="X"\nkind="act"\nstatus="current"\nsummary="s"\npatterns=["(x"]\nsources=["https://a"]\n',
            "field 'patterns': '(x' is not a valid pattern",
        ),
        ("not toml [", "cannot be read as TOML"),
        (
            '[[reference]]\nkey="x"\ntitle="X"\nkind="act"\nstatus="current"\nsummary="s"\npatterns=["x"]\nsources=["javascript:alert(1)"]\n',
            "reference 1, field 'sources': 'javascript:alert(1)': give a web address starting with https:// or http://",
        ),
    ],
)
def test_bad_register_files_say_where(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(body)
    with pytest.raises(legislation.RegisterError, match=r"bad\.toml") as error:
        legislation.load_register(str(path))
    assert message in str(error.value)


def test_quotes_from_a_list_item_leave_out_its_bullet() -> None:
    report = _report(Path(STAND_IN).read_text())
    quotes = [q for c in report.cited for q in c.quotes]
    assert any(q.startswith("Sexting in Schools") for q in quotes), quotes
    assert not [q for q in quotes if q.startswith(("- ", "* ", "• "))]
