"""Policy packs: select/ignore like ruff, severity overrides, added lexicons, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialguard.rules import Engine, Post
from socialguard.rules.catalogue.example_context import EXAMPLE_CONTEXT
from socialguard.rules.pack import Pack, PackError, load_pack


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pack.toml"
    path.write_text(text)
    return path


def test_select_and_ignore_follow_ruffs_rule() -> None:
    pack = Pack(select=["ALL"], ignore=["QL"])
    assert pack.is_selected("OF001") and not pack.is_selected("QL001")
    assert Pack(select=["QL001"], ignore=["QL"]).is_selected("QL001")  # more specific select wins
    assert not Pack(select=["QL"], ignore=["QL"]).is_selected("QL002")  # equal: ignore wins
    assert not Pack(select=["OF"]).is_selected("PD001")


def test_overrides_and_added_lexicon(tmp_path: Path) -> None:
    pack = load_pack(
        write(
            tmp_path,
            """
[pack]
ignore = ["QL"]
[severity]
PD002 = "block"
[lexicons]
profanity = ["blimey"]
[confidential]
terms = ["Operation Swan"]
""",
        )
    )
    engine = Engine(EXAMPLE_CONTEXT, pack, classifiers=False)
    report = engine.check(Post(text="Blimey, call 07912 345678. Our organization"))
    by_rule = {f.rule: f for f in report.findings}
    assert by_rule["PD002"].severity == "block"
    assert "OF001" in by_rule and "QL002" not in by_rule
    assert "shit" in pack.lexicons["profanity"]  # default terms kept
    assert pack.confidential_terms == ["Operation Swan"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[pak]\nname='x'", "unknown section [pak]"),
        ("[pack]\nselekt=['ALL']", "[pack] selekt: unknown key"),
        ("[pack]\nselect='ALL'", "[pack] select: expected a list of strings"),
        ("[pack]\nselect=['ZZ']", "[pack] select: 'ZZ' matches no rule code or prefix"),
        ("[severity]\nOF001='blocker'", "[severity] OF001: 'blocker' is not a severity"),
        ("[severity]\nXX001='block'", "[severity] XX001: no rule has this code"),
        ("[lexicons]\nprofanity='x'", "[lexicons] profanity: expected a list of strings"),
        ("[links]\nallowed_domains=[1]", "[links] allowed_domains: expected a list of strings"),
        ("not toml at all [", "not valid TOML"),
    ],
)
def test_invalid_pack_names_key_and_problem(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(PackError) as err:
        load_pack(path)
    assert str(path) in str(err.value) and message in str(err.value)
