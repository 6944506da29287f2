"""Every rule's examples are tests; every category has a rule; every rule explains itself."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from socialguard.cli import main
from socialguard.rules import Engine
from socialguard.rules.catalogue import CATEGORIES, Example, Rule, all_rules
from socialguard.rules.publishing import PUBLISHING_CHECKS

RULES = all_rules()
EXAMPLES = [(code, n, e) for code, r in RULES.items() for n, e in enumerate(r.examples)]


@pytest.mark.parametrize(("code", "n", "example"), EXAMPLES, ids=[f"{c}-{n}" for c, n, _ in EXAMPLES])
def test_rule_example(engine: Engine, code: str, n: int, example: Example) -> None:
    report = engine.check(example.post)
    fired = [f for f in report.findings if f.rule == code]
    if example.flagged:
        assert fired, f"{code} should flag {example.post.text!r}; findings: {report.findings}"
        for f in fired:
            assert 0 <= f.start <= f.end <= len(example.post.text)
    else:
        assert not fired, f"{code} should allow {example.post.text!r} but said {fired}"


def test_every_category_has_a_rule_citing_a_clause() -> None:
    covered = {r.category for r in RULES.values()}
    assert covered == set(CATEGORIES)
    for r in RULES.values():
        assert re.fullmatch(r"\d\.\d|Do's|Don'ts|Personal use|Declaration", r.clause), r.code


@pytest.mark.parametrize("rule", RULES.values(), ids=list(RULES))
def test_rule_definition_is_complete(rule: Rule) -> None:
    assert re.fullmatch(r"[A-Z]{2}\d{3}", rule.code)
    assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", rule.name)
    assert rule.what and rule.why and rule.instead


@pytest.mark.parametrize("code", list(RULES))
def test_rule_command_explains_every_code(code: str) -> None:
    result = CliRunner().invoke(main, ["rule", code.lower()])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{code} {RULES[code].name}")
    assert (
        "Why the policy forbids it" in result.output
        and "flags " in result.output
        and "allows" in result.output
    )


def test_rules_command_lists_every_code() -> None:
    output = CliRunner().invoke(main, ["rules"]).output
    assert all(code in output for code in RULES)


@pytest.mark.parametrize("code", list(PUBLISHING_CHECKS))
def test_rule_command_explains_the_content_workflows_publishing_checks(code: str) -> None:
    result = CliRunner().invoke(main, ["rule", code.lower()])
    check = PUBLISHING_CHECKS[code]
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{code} {check.name}\nClause {check.clause} · publishing check")
    assert (
        "Why the policy forbids it" in result.output
        and "made by the content workflow" in result.output.lower()
    )
    assert code in CliRunner().invoke(main, ["rules"]).output


def test_unknown_rule_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["rule", "ZZ999"])
    assert result.exit_code == 2 and "no rule 'ZZ999'" in result.output


def test_clean_text_passes(engine: Engine) -> None:
    from socialguard.rules import Post

    for text in [
        "Applications for our September Digital Marketer apprenticeship are now open. ^TB",
        "Thank you to everyone who came to our open day in Manchester!",
        "Congratulations to all our learners who completed their end-point assessment this month.",
    ]:
        report = engine.check(Post(text=text))
        assert report.verdict == "pass", report.findings


def test_the_misspelling_rule_names_every_slip_not_only_the_first() -> None:
    from socialguard.rules import Post

    text = "Our new course in teh study of buisness starts soon, they was all so happy"
    report = Engine(classifiers=False).check(Post(text=text, account="organisational"))
    slips = [text[f.start : f.end].lower() for f in report.findings if f.rule == "QL006"]
    assert slips == ["teh", "buisness", "they was"], slips
