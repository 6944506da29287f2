"""`socialguard privacy …`: the connection self-check, coverage, the recruitment log, subject
access exports, retention and erasure, and the record of processing, acting as a named person
(`--as EMAIL`) through the same services and permission layer as the web pages and the API."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from socialguard.clitools import acting_user, as_option, django_setup, service_call

KINDS = click.Choice(["staff", "learner", "guardian"])


def _setup(as_email: str | None, action: str) -> Any:
    django_setup()
    return acting_user(as_email, action)


@click.group("privacy")
def privacy_group() -> None:
    """Personal accounts and data protection (policy 5.2, 5.3; UK GDPR)."""


@privacy_group.command("check-connections")
@click.argument("export", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path), required=False)
@click.option(
    "--source", type=click.Choice(["", "linkedin", "facebook", "instagram", "x", "pasted"]), default=""
)
@as_option
def check_connections(export: Path | None, source: str, as_email: str | None) -> None:
    """Check your own connections: an export file (or - for handles on standard input). Read in
    memory; only that you checked, and how many matched, is recorded."""
    user = _setup(as_email, "privacy.self_check")
    from socialguard.privacy import exports, matching, selectors, services
    from socialguard.privacy.retention import self_check_max_bytes

    limit = self_check_max_bytes()
    if export is None or str(export) == "-":
        data = sys.stdin.buffer.read(limit + 1)
        source = source or "pasted"
    else:
        with export.open("rb") as handle:
            data = handle.read(limit + 1)
    if len(data) > limit:
        raise click.ClickException(
            f"the file is larger than {limit // (1024 * 1024)} MB, the most a check reads"
        )
    try:
        parsed = (
            exports.parse_pasted(exports.decode(data))
            if source == "pasted"
            else exports.parse(data, expected=source)
        )
    except exports.ExportError as exc:
        raise click.ClickException(str(exc)) from None
    found = matching.match(parsed.connections, selectors.register_index())
    service_call(lambda: services.self_check_done(actor=user, matches=len(found), source=parsed.format))
    click.echo(f"Read {len(parsed.connections)} connection(s).")
    if parsed.note:
        click.echo(parsed.note)
    if not found:
        click.echo("Nobody to review.")
        return
    click.echo(f"{len(found)} to review ({matching.CLAUSE}):")
    for m in found:
        click.echo(f"  {m.shown_as}: same {m.how} as {m.why}")


@privacy_group.command("coverage")
@as_option
def coverage(as_email: str | None) -> None:
    """Per department: privacy reviews and connection checks done (counts only)."""
    _setup(as_email, "privacy.coverage")
    from socialguard.privacy import selectors

    for row in selectors.coverage():
        click.echo(f"{row.department}: {row.staff} staff, {row.reviewed} reviewed, {row.checked} checked")


@privacy_group.command("recruitment")
@as_option
def recruitment(as_email: str | None) -> None:
    """The recruitment screening log (5.3)."""
    user = _setup(as_email, "recruitment.screen")
    from socialguard.privacy import selectors

    for r in selectors.screening_records(user):
        expires = f", deleted on {r.expires_on}" if r.expires_on else ""
        click.echo(f"#{r.pk} {r.candidate} ({r.role_applied_for}): {r.get_status_display()}{expires}")


@privacy_group.command("subject-access")
@click.argument("kind", type=KINDS)
@click.argument("record_id", type=int)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The ZIP file to write."
)
@as_option
def subject_access(kind: str, record_id: int, out: Path, as_email: str | None) -> None:
    """Export everything held about a person as a ZIP (data.json and summary.html)."""
    user = _setup(as_email, "privacy.subject_access")
    from socialguard.privacy import selectors
    from socialguard.privacy.subject_access import subject_access_export

    if not selectors.person_model(kind).objects.filter(pk=record_id).exists():
        raise click.ClickException(f"there is no {kind} {record_id}")
    export = service_call(lambda: subject_access_export(actor=user, kind=kind, pk=record_id))
    out.write_bytes(export.content)
    click.echo(f"Wrote {out} ({len(export.content):,} bytes).")


@privacy_group.command("retention")
@as_option
def retention(as_email: str | None) -> None:
    """People past their retention period, with any legal hold."""
    user = _setup(as_email, "privacy.retention")
    from socialguard.privacy import selectors

    rows = selectors.retention_due(reader=user)
    if not rows:
        click.echo("Nobody is past their retention period.")
    for r in rows:
        hold = f" — LEGAL HOLD: {'; '.join(r.holds)}" if r.holds else ""
        click.echo(f"{r.kind} {r.pk} {r.name}: {r.rule}, due since {r.due_since}{hold}")


@privacy_group.command("erase")
@click.argument("kind", type=KINDS)
@click.argument("record_id", type=int)
@click.option("--reason", required=True)
@as_option
def erase(kind: str, record_id: int, reason: str, as_email: str | None) -> None:
    """Anonymise a person's record (refused under a legal hold)."""
    user = _setup(as_email, "privacy.retention")
    from socialguard.privacy import services

    done = service_call(lambda: services.person_erase(actor=user, kind=kind, pk=record_id, reason=reason))
    click.echo(f"Erased {kind} {record_id}: now {done.pseudonym}.")


@privacy_group.command("processing")
@as_option
def processing(as_email: str | None) -> None:
    """The record of processing, from the models."""
    _setup(as_email, "privacy.processing")
    from socialguard.privacy.processing import record_of_processing

    for entry in record_of_processing():
        click.echo(f"{entry.purpose.part}\n  why: {entry.purpose.why}\n  how long: {entry.purpose.how_long}")
        click.echo(f"  who: {entry.purpose.who}")
        for m in entry.models:
            click.echo(f"  - {m.label}: {', '.join(m.fields)}")
