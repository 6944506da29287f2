"""`socialguard cases …`: concerns and breaches from the command line, acting as a named person
through the same access rules as the web (`--as EMAIL`)."""

from __future__ import annotations

import datetime as dt
import json
from functools import partial
from pathlib import Path
from typing import Any

import click

from socialguard.clitools import acting_user, as_option, django_setup, service_call


def _setup(as_email: str | None, action: str) -> Any:
    django_setup()
    return acting_user(as_email, action)


def _case(reference: str, user: Any) -> Any:
    from socialguard.incidents.access import Access, access
    from socialguard.incidents.models import Case

    case = Case.objects.filter(reference__iexact=reference.strip()).first()
    if case is None or access(user, case) == Access.NONE:
        raise click.ClickException(f"there is no case {reference} you can see")
    return case


@click.group("cases")
def cases_group() -> None:
    """Concerns, breaches and safeguarding cases."""


@cases_group.command("list")
@click.option("--status", default="", help="open, new, triaged, investigating, awaiting_referral or closed")
@click.option("--search", "query", default="", help="Search the cases you can read.")
@as_option
def list_command(status: str, query: str, as_email: str | None) -> None:
    """The cases you can see; restricted ones you cannot read show as such."""
    user = _setup(as_email, "signed-in")
    from socialguard.incidents import selectors

    rows = selectors.case_rows(user, query=query, status=status)
    for row in rows:
        click.echo(f"{row.case.reference:<14} {row.status:<18} {row.category}")
    click.echo(f"{len(rows)} case{'s' if len(rows) != 1 else ''}")


@cases_group.command("show")
@click.argument("reference")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@as_option
def show_command(reference: str, fmt: str, as_email: str | None) -> None:
    """One case, in the detail you may see (a restricted read is audited)."""
    user = _setup(as_email, "signed-in")
    from socialguard.incidents import selectors, services

    case = _case(reference, user)
    services.restricted_viewed(actor=user, case=case, where="cli")
    data = selectors.case_dict(user, case, detail=True)
    if fmt == "json":
        click.echo(json.dumps(data, default=str, indent=2))
        return
    click.echo(f"{data['reference']}  {data['status']}  {data.get('category') or 'restricted'}")
    if data["access"] == "stub":
        click.echo("Restricted: only the DSL and deputies can read this case.")
        return
    if data.get("summary"):
        click.echo(f"\n{data['summary']}")
    for entry in data["entries"]:
        click.echo(f"  {entry['on']}  {entry['kind']:<9} {entry['text']}")
    if data["hidden_parts"]:
        click.echo(f"  ({data['hidden_parts']} safeguarding part(s) visible only to the DSL and deputies)")


@cases_group.command("encrypt-evidence")
def encrypt_evidence_command() -> None:
    """Encrypt evidence files stored before encryption at rest. Safe to interrupt and run again;
    files stay readable throughout."""
    django_setup()
    from socialguard.accounts import crypto
    from socialguard.incidents import services

    with click.progressbar(length=1, label="Encrypting evidence files") as bar:

        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(1)

        try:
            count = service_call(lambda: services.evidence_encrypt_existing(progress=progress))
        except crypto.VaultKeyError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"Encrypted {count} evidence file{'s' if count != 1 else ''}; the others already were.")


@cases_group.command("restrict-children")
def restrict_children_command() -> None:
    """Restrict every case that names a learner under 18 and is not restricted yet (cases reported
    before an upgrade, dates of birth corrected since). The daily job does the same."""
    django_setup()
    from socialguard.incidents import services

    with click.progressbar(length=1, label="Checking cases") as bar:

        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(1)

        count = services.cases_restrict_naming_children(progress=progress)
    click.echo(f"Restricted {count} case{'s' if count != 1 else ''} to the DSL and deputies.")


@cases_group.command("report")
@click.option("--category", required=True, help="e.g. offensive, bullying, safeguarding")
@click.option("--summary", required=True, help="What happened.")
@click.option("--person", "people", multiple=True, help="ROLE:NAME-OR-ID, e.g. subject:S012 (repeatable).")
@click.option("--platform", default="")
@click.option("--url", default="")
@click.option("--file", "paths", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@as_option
def report_command(
    category: str,
    summary: str,
    people: tuple[str, ...],
    platform: str,
    url: str,
    paths: tuple[Path, ...],
    as_email: str | None,
) -> None:
    """Report a concern, with screenshots."""
    user = _setup(as_email, "cases.report")
    from socialguard.incidents import evidence, services

    parties = []
    for item in people:
        role, sep, who = item.partition(":")
        if not sep:
            raise click.UsageError(f"--person {item!r}: write ROLE:NAME, e.g. subject:S012")
        parties.append(services.party_from_text(who, role))
    attachments = []
    for path in paths:
        with path.open("rb") as handle:
            attachments.append(service_call(partial(evidence.check, path.name, handle, path.stat().st_size)))
    case = service_call(
        lambda: services.report_submit(
            actor=user,
            category=category,
            summary=summary,
            platform=platform,
            url=url,
            parties=parties,
            attachments=attachments,
            source="cli",
        )
    )
    click.echo(f"Reported as {case.reference}.")


@cases_group.command("close")
@click.argument("reference")
@click.option("--outcome", required=True)
@click.option("--subject", default="", help="Staff register id the outcome applies to.")
@click.option("--note", default="")
@as_option
def close_command(reference: str, outcome: str, subject: str, note: str, as_email: str | None) -> None:
    """Close a case with its outcome (5.4)."""
    user = _setup(as_email, "cases.manage")
    from socialguard.incidents import services

    case = _case(reference, user)
    party = case.parties.filter(staff__external_id__iexact=subject).first() if subject else None
    if subject and party is None:
        raise click.ClickException(f"{subject} is not recorded as involved in case {case.reference}")
    service_call(
        lambda: services.case_close(
            actor=user, case=case, outcome=outcome, note=note, subject=party.staff if party else None
        )
    )
    click.echo(f"Closed {case.reference}: {outcome.replace('_', ' ')}.")


@cases_group.command("stats")
@as_option
def stats_command(as_email: str | None) -> None:
    """Cases by category, outcome and age (restricted cases counted, never described)."""
    user = _setup(as_email, "cases.reports")
    from socialguard.incidents import selectors

    figures = selectors.stats(user)
    click.echo(
        f"{figures.total} cases since records began, {figures.open} open, {figures.restricted} restricted; "
        f"{figures.in_months} reported in the last {len(figures.months)} months"
    )
    click.echo(f"median days to triage: {figures.days_to_triage}; to close: {figures.days_to_close}")
    for label, count in figures.by_category.most_common():
        click.echo(f"  {count:>4}  {label}")
    click.echo("open cases by age: " + ", ".join(f"{name} {n}" for name, n in figures.open_by_age))


@cases_group.command("retention")
@click.option("--anonymise", is_flag=True, help="Anonymise every case listed.")
@as_option
def retention_command(anonymise: bool, as_email: str | None) -> None:
    """Closed cases past their retention period that you may review (and anonymise)."""
    user = _setup(as_email, "cases.retention")
    from socialguard.incidents import selectors, services

    due = selectors.retention_due(user)
    for case in due:
        click.echo(f"{case.reference:<14} closed {case.closed_at:%Y-%m-%d}, kept until {case.retain_until}")
        if anonymise:
            service_call(partial(services.case_anonymise, actor=user, case=case, today=dt.date.today()))
            click.echo("  anonymised")
    click.echo(f"{len(due)} case{'s' if len(due) != 1 else ''} past retention")
