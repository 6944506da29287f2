"""`socialguard check`: text and JSON output, JSONL in and out, exit codes, input errors."""

from __future__ import annotations

import json
import time
from pathlib import Path

from click.testing import CliRunner

from socialguard.cli import main


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["check", *args], input=input)


def test_text_output_reads_like_a_linter() -> None:
    result = run("--no-classifiers", "Ring me on 07912 345678")
    assert result.exit_code == 0
    assert "PD002 5.2 [review] phone number +447912345678 is personal data" in result.output
    assert "           ^^^^^^^^^^^^" in result.output


def test_blocked_post_exits_1_and_clean_post_exits_0() -> None:
    assert run("--no-classifiers", "this is sh1t").exit_code == 1
    clean = run("--no-classifiers", "Applications are open")
    assert clean.exit_code == 0 and "pass" in clean.output


def test_jsonl_in_jsonl_out(tmp_path: Path) -> None:
    posts = tmp_path / "posts.jsonl"
    posts.write_text(
        "\n".join(
            json.dumps(p)
            for p in [
                {"id": "a", "text": "Well done Jamie Fletcher!"},
                {"id": "b", "text": "Lovely day", "account": "personal"},
                {"text": "Call 07912 345678"},
            ]
        )
        + "\n"
    )
    register = tmp_path / "learners.csv"
    register.write_text("external_id,first_name,last_name,social_handles,end_date\nL1,Jamie,Fletcher,@jf,\n")
    result = run("--no-classifiers", "--file", str(posts), "--register", str(register), "--format", "json")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [x["id"] for x in lines] == ["a", "b", "3"]
    assert lines[0]["verdict"] == "review" and lines[0]["findings"][0]["rule"] == "LI001"
    assert set(lines[0]["findings"][0]) >= {
        "rule",
        "category",
        "clause",
        "severity",
        "message",
        "start",
        "end",
    }
    assert lines[1] == {"id": "b", "verdict": "pass", "findings": []}


def test_standard_input() -> None:
    result = run("--no-classifiers", "--file", "-", "--format", "json", input='{"id": "x", "text": "sh1t"}\n')
    assert result.exit_code == 1
    assert json.loads(result.output)["verdict"] == "block"


def test_bad_line_is_named(tmp_path: Path) -> None:
    posts = tmp_path / "posts.jsonl"
    posts.write_text('{"text": "ok"}\n{"text": "missing brace"\n')
    result = run("--no-classifiers", "--file", str(posts))
    assert result.exit_code == 2
    assert "posts.jsonl, line 2:" in result.output


def test_unknown_field_is_named(tmp_path: Path) -> None:
    result = run("--no-classifiers", "--file", "-", input='{"text": "ok", "txet": "typo"}\n')
    assert result.exit_code == 2 and "line 1: unknown field(s): txet" in result.output


def test_usage_errors() -> None:
    assert run().exit_code == 2
    bad_pack = run("--no-classifiers", "--pack", "/dev/null/x", "hi")
    assert bad_pack.exit_code == 2


def test_list_fields_must_be_lists_of_strings() -> None:
    result = run("--no-classifiers", "--file", "-", input='{"text": "hi", "links": "https://x.example"}\n')
    assert result.exit_code == 2 and "line 1: 'links' must be a list of strings" in result.output
    media = '{"text": "hi", "media": [{"people_shown": "Jamie"}]}\n'
    result = run("--no-classifiers", "--file", "-", input=media)
    assert result.exit_code == 2 and "'media[0].people_shown' must be a list of strings" in result.output


def test_half_a_character_is_refused_with_where_it_is() -> None:
    # JSON can spell a lone surrogate ("\\ud800"); the models cannot read one (it was a traceback).
    result = run("--file", "-", input='{"text": "ok"}\n{"text": "hello \\ud800 there"}\n')
    assert result.exit_code == 2
    assert (
        "line 2: 'text' has half of a character (U+D800, an unpaired surrogate) at character 7"
        in result.output
    )
    result = run(
        "--no-classifiers", "--file", "-", input='{"text": "ok", "links": ["https://x.co/\\udc80"]}\n'
    )
    assert result.exit_code == 2 and "'links[0]' has half of a character (U+DC80" in result.output
    whole = run("--no-classifiers", "--file", "-", input='{"text": "a pair is one emoji \\ud83d\\ude00"}\n')
    assert whole.exit_code == 0


def test_a_post_longer_than_any_platform_allows_is_refused() -> None:
    result = run("--no-classifiers", "a" * 63_207)
    assert result.exit_code == 2
    assert "'text' is 63,207 characters; the longest post any platform allows is 63,206" in result.output
    line = json.dumps({"text": "x" * 63_207}) + "\n"
    result = run("--no-classifiers", "--file", "-", input=line)
    assert result.exit_code == 2 and "line 1: 'text' is 63,207 characters" in result.output


def test_an_endless_line_is_refused_without_reading_it_all() -> None:
    started = time.monotonic()
    result = run("--no-classifiers", "--file", "-", input='{"text": "ok"}\n{"text": "' + "b" * 5_000_000)
    assert result.exit_code == 2
    assert "line 2: longer than 824,008 characters" in result.output
    assert time.monotonic() - started < 5


def test_a_missing_file_exits_2_with_one_line(tmp_path: Path) -> None:
    # Exit 1 means "blocked", so a traceback's exit 1 told a script the posts were blocked.
    result = run("--no-classifiers", "--file", str(tmp_path / "nope.jsonl"))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"Error: cannot read {tmp_path / 'nope.jsonl'}: no such file"
    ]


def test_a_file_that_is_not_utf8_exits_2_with_one_line(tmp_path: Path) -> None:
    posts = tmp_path / "posts.jsonl"
    posts.write_bytes(json.dumps({"text": "Café opens"}).encode("cp1252").replace(b"\\u00e9", b"\xe9"))
    result = run("--no-classifiers", "--file", str(posts))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "line 1: not UTF-8 text" in lines[0], result.output


def test_check_with_nothing_to_check_says_so() -> None:
    result = run("--no-classifiers")
    assert result.exit_code == 2
    assert "nothing to check: give TEXT, or --file FILE" in result.output
    assert "not both" not in result.output
