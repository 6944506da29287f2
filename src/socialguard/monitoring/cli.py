"""`socialguard monitor sources|poll|alerts|alert`: what is monitored, polling now, and the alert
inbox with triage, acting as a named person (`--as EMAIL`) through the same services and access
rules as the web pages and the API."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

import click

from socialguard.clitools import acting_user, as_option, django_setup, service_call

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@click.group("monitor")
def monitor_group() -> None:
    """Monitoring: the organisation's accounts and what is said about it (policy 3.2, 4.2, 5.1)."""


@monitor_group.command("sources")
@as_option
def sources_command(as_email: str | None) -> None:
    """List what is monitored, with each source's health."""
    django_setup()
    acting_user(as_email, "monitoring.view")
    from socialguard.monitoring import selectors

    for s in selectors.sources():
        where = s.config.get("url") or (s.account.handle if s.account else "")
        line = f"{s.pk}\t{s.name}\t{s.kind}\t{where}\t{s.health}"
        if s.last_error:
            line += f"\t{s.last_error}"
        if s.warning:
            line += f"\t{s.warning}"
        click.echo(line)


@monitor_group.command("poll")
@as_option
@click.option("--source", "source_id", type=int, default=None, help="Poll only this source.")
@click.option("--export", "export_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Read this platform export file into the (export) source.")  # fmt: skip
def poll_command(as_email: str | None, source_id: int | None, export_file: str | None) -> None:
    """Poll the enabled sources now (or one), and print what each found."""
    django_setup()
    user = acting_user(as_email, "monitoring.manage")
    from socialguard.monitoring import services
    from socialguard.monitoring.models import Kind, Source

    if export_file:
        if source_id is None:
            raise click.UsageError("say which export source: --source ID")
        found = Source.objects.filter(pk=source_id, kind=Kind.EXPORT).first()
        if found is None:
            raise click.ClickException(f"there is no export source {source_id}")
        source: Source = found
        path = Path(export_file)
        result = service_call(
            lambda: services.import_export(
                actor=user, source=source, data=path.read_bytes(), filename=path.name
            )
        )
        click.echo(str(result))
        return
    chosen = Source.objects.filter(enabled=True).exclude(kind__in=[Kind.EXPORT, Kind.BLUESKY_STREAM])
    if source_id is not None:
        chosen = Source.objects.filter(pk=source_id)
        if not chosen.exists():
            raise click.ClickException(f"there is no source {source_id}")
    failed = False
    for source in chosen:
        result = services.poll(source)
        failed = failed or bool(result.error)
        click.echo(str(result))
    if failed:
        raise SystemExit(1)


@monitor_group.command("stream")
@as_option
@click.option(
    "--source",
    "source_id",
    type=int,
    default=None,
    help="The event-stream source to read (default: the only enabled one).",
)
@click.option("--seconds", type=float, default=None, help="Stop after this long (default: when stopped).")
def stream_command(as_email: str | None, source_id: int | None, seconds: float | None) -> None:
    """Read the network's event stream continuously, keeping only posts that mention the
    organisation and posts by its own accounts (stop with Ctrl-C or SIGTERM; a restart resumes)."""
    import time

    django_setup()
    acting_user(as_email, "monitoring.manage")
    from socialguard.monitoring import services
    from socialguard.monitoring.models import Kind, Source

    chosen = Source.objects.filter(kind=Kind.BLUESKY_STREAM, enabled=True)
    if source_id is not None:
        chosen = chosen.filter(pk=source_id)
    found = list(chosen[:2])
    if len(found) != 1:
        raise click.ClickException(
            "say which event-stream source: --source ID"
            if found
            else "there is no enabled event-stream source (add one on Monitoring → What is monitored)"
        )
    source = found[0]
    deadline = time.monotonic() + seconds if seconds is not None else None
    reader = service_call(
        lambda: services.stream_reader(
            source, until=(lambda: time.monotonic() >= deadline) if deadline is not None else (lambda: False)
        )
    )
    before = {signum: signal.signal(signum, lambda *_: reader.stop.set()) for signum in STOP_SIGNALS}
    click.echo(f"Reading the event stream for {source.name}; stop with Ctrl-C.")
    if source.warning:
        click.echo(f"Warning: {source.warning}", err=True)
    try:
        reader.run()
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)
    source.refresh_from_db()
    click.echo(
        f"Stopped after {reader.read} event(s), {reader.kept} post(s) kept; "
        f"resumes after seq {source.cursor.get('seq')}."
    )


def _alert(user: Any, alert_id: int) -> Any:
    from socialguard.monitoring import access

    alert = access.alerts_visible(user).filter(pk=alert_id).first()
    if alert is None:
        raise click.ClickException(f"there is no alert {alert_id} that you may see")
    return alert


@monitor_group.command("alerts")
@as_option
@click.option("--state", default="open", help="open (default), all, dismissed, case, responded")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def alerts_command(as_email: str | None, state: str, fmt: str) -> None:
    """The alerts you may see."""
    django_setup()
    user = acting_user(as_email, "monitoring.view")
    from socialguard.monitoring import selectors

    alerts = list(selectors.alerts_for(user, state=state))
    if fmt == "json":
        click.echo(json.dumps([_as_dict(a) for a in alerts], indent=2, ensure_ascii=False))
        return
    if not alerts:
        click.echo("No alerts.")
    for a in alerts:
        click.echo(f"{a.pk}\t{a.kind}\t{a.state}\t{a.author}\t{a.text[:80]!r}")


def _as_dict(a: Any) -> dict[str, Any]:
    return {
        "id": a.pk, "kind": a.kind, "state": a.state, "author": a.author, "url": a.url, "uri": a.uri,
        "text": a.text, "reasons": a.reasons, "created_at": a.created_at.isoformat(),
        "case": a.case.reference if a.case else None, "reply_draft": a.reply_draft_id,
    }  # fmt: skip


@monitor_group.command("alert")
@as_option
@click.argument("alert_id", type=int)
@click.option("--dismiss", "reason", default=None, help="Dismiss it, with this reason.")
@click.option("--assign", "assignee", default=None, help="Assign it to this email.")
@click.option("--case", "make_case", is_flag=True, help="Turn it into a case.")
@click.option("--respond", "reply", default=None, help="Draft this reply (SMT; adverse criticism).")
def alert_command(
    as_email: str | None,
    alert_id: int,
    reason: str | None,
    assignee: str | None,
    make_case: bool,
    reply: str | None,
) -> None:
    """Show one alert, or act on it."""
    django_setup()
    user = acting_user(as_email, "monitoring.view")
    from socialguard.identity.models import User
    from socialguard.monitoring import services

    alert = _alert(user, alert_id)
    if reason is not None:
        service_call(lambda: services.alert_dismiss(actor=user, alert=alert, reason=reason))
        click.echo(f"Alert {alert_id} dismissed.")
    elif assignee is not None:
        person = User.objects.filter(email__iexact=assignee, is_active=True).first()
        service_call(lambda: services.alert_assign(actor=user, alert=alert, assignee=person))
        click.echo(f"Alert {alert_id} assigned to {assignee}.")
    elif make_case:
        case = service_call(lambda: services.alert_to_case(actor=user, alert=alert))
        click.echo(f"Case {case.reference} opened from alert {alert_id}.")
    elif reply is not None:
        draft = service_call(lambda: services.alert_respond(actor=user, alert=alert, text=reply))
        click.echo(f"Reply draft {draft.pk} created; it needs an SMT member's approval.")
    else:
        click.echo(json.dumps(_as_dict(alert), indent=2, ensure_ascii=False))
