"""`socialguard check`, `socialguard rules` and `socialguard rule CODE` (no Django needed)."""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import click

from socialguard.rules.catalogue import Rule, all_rules
from socialguard.rules.model import MAX_TEXT_CHARS, Post, Report, Verdict
from socialguard.rules.publishing import PUBLISHING_CHECKS


def _engine(pack_path: Path | None, register: Path | None, classifiers: bool):  # type: ignore[no-untyped-def]
    from socialguard.rules.engine import Engine, context_from_pack
    from socialguard.rules.pack import PackError, load_pack
    from socialguard.rules.register import RegisterError, read_register

    try:
        pack = load_pack(pack_path)
        people = read_register(register) if register else []
    except (PackError, RegisterError) as exc:
        raise click.UsageError(str(exc)) from None
    return Engine(context_from_pack(pack, register=people), pack, classifiers=classifiers)


# A JSON line holding the longest post with every character escaped (an emoji is two \uXXXX
# escapes: 12 characters), plus its other fields.
MAX_LINE_CHARS = MAX_TEXT_CHARS * 12 + 64 * 1024


class BadInput(click.ClickException):
    """One line, "Error: ...", exit 2: bad input, never 1, which means a post is blocked."""

    exit_code = 2


def _posts_from_lines(handle: IO[str], source: str) -> Iterator[Post]:
    number = 0
    while True:
        try:
            line = handle.readline(MAX_LINE_CHARS + 1)
        except UnicodeDecodeError:
            raise BadInput(f"{source}, line {number + 1}: not UTF-8 text; save it as UTF-8") from None
        if not line:
            break
        number += 1
        if len(line) > MAX_LINE_CHARS:
            # Refused before it is parsed (or read any further): no post is this long.
            raise click.UsageError(
                f"{source}, line {number}: longer than {MAX_LINE_CHARS:,} characters; "
                f"a post's text may be at most {MAX_TEXT_CHARS:,}"
            )
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError("each line must be a JSON object")
            if "id" not in data:
                data["id"] = str(number)
            yield Post.from_dict(data)
        except (json.JSONDecodeError, ValueError) as exc:
            raise click.UsageError(f"{source}, line {number}: {exc}") from None


def _text_report(report: Report, label: str) -> str:
    lines = [f"{label}: {report.verdict}"]
    text = report.post.text
    for f in report.findings:
        lines.append(f"  {f.rule} {f.clause or '(no clause)'} [{f.severity}] {f.message}")
        if f.end > f.start:
            line_start = text.rfind("\n", 0, f.start) + 1
            line_end = text.find("\n", f.start)
            line_end = len(text) if line_end == -1 else line_end
            lines.append("      " + text[line_start:line_end])
            lines.append(
                "      " + " " * (f.start - line_start) + "^" * max(1, min(f.end, line_end) - f.start)
            )
        if f.fix:
            lines.append(f"      fix: {f.fix}")
    return "\n".join(lines)


@click.command("check")
@click.argument("text", required=False)
@click.option(
    "--file",
    "file_",
    type=click.Path(dir_okay=False, allow_dash=True),
    help='JSONL of posts ({"id", "text", …}), or - for standard input.',
)
@click.option(
    "--pack",
    "pack_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    envvar="SOCIALGUARD_RULES_PACK",
    help="The organisation's policy pack (TOML), laid over the base pack "
    "(default: $SOCIALGUARD_RULES_PACK; rules/packs/dmm.toml is the demo organisation's).",
)
@click.option(
    "--register",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Learners or guardians CSV, e.g. the learner export "
    "(first_name, last_name, social_handles, date_of_birth, end_date).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--account",
    type=click.Choice(["organisational", "personal"]),
    default="organisational",
    show_default=True,
    help="For TEXT: the kind of account it is for.",
)
@click.option("--no-classifiers", is_flag=True, help="Rules only: skip the statistical classifiers.")
def check_command(
    text: str | None,
    file_: str | None,
    pack_path: Path | None,
    register: Path | None,
    fmt: str,
    account: str,
    no_classifiers: bool,
) -> None:
    """Check posts against the policy. Exit 0 if none is blocked, 1 if any is, 2 on bad input."""
    if text is None and file_ is None:
        raise click.UsageError("nothing to check: give TEXT, or --file FILE (or --file - for standard input)")
    if text is not None and file_ is not None:
        raise click.UsageError("give TEXT or --file FILE (or --file - for standard input), not both")
    engine = _engine(pack_path, register, classifiers=not no_classifiers)
    if text is not None:
        try:
            posts: Iterator[Post] = iter([Post.from_dict({"text": text, "id": "1", "account": account})])
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        source = None
    else:
        assert file_ is not None
        try:
            source = sys.stdin if file_ == "-" else open(file_, encoding="utf-8")  # noqa: SIM115
        except FileNotFoundError:
            raise BadInput(f"cannot read {file_}: no such file") from None
        except OSError as exc:
            raise BadInput(f"cannot read {file_}: {exc.strerror or exc}") from None
        posts = _posts_from_lines(source, "standard input" if file_ == "-" else str(file_))
    blocked = False
    # A running count on a terminal: the length of a stream is not known in advance.
    show_progress = file_ is not None and sys.stderr.isatty()
    try:
        for n, report in enumerate(engine.check_many(posts), start=1):
            blocked = blocked or report.verdict == Verdict.BLOCK
            if fmt == "json":
                click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
            else:
                click.echo(_text_report(report, f"post {report.post.id or n}"))
            if show_progress and n % 200 == 0:
                click.echo(f"\rchecked {n:,} posts", nl=False, err=True)
        if show_progress:
            click.echo("\r", nl=False, err=True)
    finally:
        if source is not None and source is not sys.stdin:
            source.close()
    sys.exit(1 if blocked else 0)


@click.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(fmt: str) -> None:
    """List the rule catalogue: code, clause, category, severity, name."""
    catalogue = all_rules()
    if fmt == "json":
        click.echo(json.dumps([_rule_dict(r) for r in catalogue.values()], indent=2, ensure_ascii=False))
        return
    for r in catalogue.values():
        click.echo(f"{r.code:<6} {r.clause:<7} {r.category:<18} {r.severity:<7} {r.name}")
    click.echo("\nPublishing checks, made by the content workflow on drafts (it knows the account):")
    for c in PUBLISHING_CHECKS.values():
        click.echo(f"{c.code:<6} {c.clause:<7} {'publishing':<18} {c.severity:<7} {c.name}")


def _rule_dict(r: Rule) -> dict[str, object]:
    return {
        "code": r.code,
        "name": r.name,
        "clause": r.clause,
        "category": r.category,
        "severity": str(r.severity),
        "what": r.what,
        "why": r.why,
        "instead": r.instead,
        "uses_classifier": r.uses_classifier,
        "scores": list(r.scores),
        "added_in": r.added_in,
    }


@click.command("rule")
@click.argument("code")
def rule_command(code: str) -> None:
    """Explain one rule, with the examples its tests run."""
    catalogue = all_rules()
    r = catalogue.get(code.upper())
    wrap = lambda s: textwrap.fill(s, 88, initial_indent="  ", subsequent_indent="  ")  # noqa: E731
    check = PUBLISHING_CHECKS.get(code.upper())
    if r is None and check is not None:
        click.echo(
            "\n".join(
                [
                    f"{check.code} {check.name}",
                    f"Clause {check.clause} · publishing check · severity {check.severity}",
                    "",
                    "What it flags",
                    wrap(check.what),
                    "",
                    "Why the policy forbids it",
                    wrap(check.why),
                    "",
                    "What to do instead",
                    wrap(check.instead),
                    "",
                    wrap(
                        "Made by the content workflow on every draft for an organisational account, "
                        "which knows the account; `socialguard check` sees only the text and never makes it."
                    ),
                ]
            )
        )
        return
    if r is None:
        raise click.UsageError(f"no rule {code!r}; `socialguard rules` lists them")
    out = [
        f"{r.code} {r.name}",
        f"Clause {r.clause} · category {r.category} · default severity {r.severity}",
        "",
        "What it flags",
        wrap(r.what),
        "",
        "Why the policy forbids it",
        wrap(r.why),
        "",
        "What to do instead",
        wrap(r.instead),
        "",
        "Examples",
    ]
    for e in r.examples:
        label = "flags " if e.flagged else "allows"
        extra = []
        if e.post.account != "organisational":
            extra.append(f"{e.post.account} account")
        if e.post.media:
            extra.append(f"media: {e.post.media}")
        if e.post.is_direct_message:
            extra.append(f"direct message to {', '.join(e.post.recipients)}")
        if e.post.connection_request_to:
            extra.append(f"connection request to {', '.join(e.post.connection_request_to)}")
        if e.post.author.name:
            extra.append(f"by {e.post.author.name}")
        out.append(f"  {label}  {e.post.text!r}" + (f"  ({'; '.join(extra)})" if extra else ""))
    if r.uses_classifier:
        out += ["", "Uses the statistical classifiers (see `socialguard rules` and docs/rules.md)."]
    click.echo("\n".join(out))
