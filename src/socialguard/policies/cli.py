"""`socialguard policy|declarations|training|reminders|scheduler|pack`: the policy lifecycle from a terminal.

Commands that change something act as a named person (--as EMAIL), checked by the same
permission layer as the web and the API. Django is set up by each command, not on import.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import click

from socialguard.clitools import acting_user, as_option, django_setup, row_or_fail, service_call

DATE = click.DateTime(formats=["%Y-%m-%d", "%d/%m/%Y"])


def _version(number: int | None) -> Any:
    from socialguard.policies import selectors
    from socialguard.policies.models import PolicyVersion

    if number is None:
        version = selectors.current_version()
        if version is None:
            raise click.ClickException("no version is published yet; say which: VERSION number")
        return version
    return row_or_fail(PolicyVersion, f"version {number}", number=number)


@click.group("policy")
def policy_group() -> None:
    """Policy versions: import, publish, compare, check references."""


@policy_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", default="", help="Title, if not the document's own.")
@as_option
def policy_import_command(file: Path, title: str, as_email: str | None) -> None:
    """Import a Markdown or Word file as a new draft version."""
    django_setup()
    from socialguard.policies import services

    actor = acting_user(as_email, "policy.manage")
    try:
        version = services.policy_import(actor=actor, data=file.read_bytes(), filename=file.name, title=title)
    except services.PolicyImportError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Imported draft version {version.number}: {version.clauses.count()} clauses, "
        f"fingerprint {version.short_hash}."
    )


@policy_group.command("publish")
@click.argument("number", type=int)
@click.option("--issue-date", type=DATE, help="Default: today.")
@click.option("--next-review", type=DATE, help="Default: the issue date plus the review interval.")
@as_option
def policy_publish_command(
    number: int, issue_date: dt.datetime | None, next_review: dt.datetime | None, as_email: str | None
) -> None:
    """Publish version NUMBER; staff in post are asked to declare it."""
    django_setup()

    from socialguard.policies import services

    actor = acting_user(as_email, "policy.manage")
    version = service_call(
        lambda: services.version_publish(
            actor=actor,
            version=_version(number),
            issue_date=issue_date.date() if issue_date else None,
            next_review_date=next_review.date() if next_review else None,
        )
    )
    click.echo(
        f"Published version {version.number} ({version.change_summary}); "
        f"next review {version.next_review_date:%d %B %Y}."
    )


@policy_group.command("diff")
@click.argument("old", type=int)
@click.argument("new", type=int)
@click.option("--all", "show_all", is_flag=True, help="Show unchanged clauses too.")
def policy_diff_command(old: int, new: int, show_all: bool) -> None:
    """Compare two versions clause by clause."""
    django_setup()
    from socialguard.policies import outline, selectors

    changes = selectors.version_diff(_version(old), _version(new))
    click.echo(f"Version {old} -> {new}: {outline.change_summary(changes) or 'no changes'}")
    for change in changes:
        if change.kind == "unchanged" and not show_all:
            continue
        click.secho(f"\n[{change.kind}] {change.label}", bold=True)
        for op, text in change.segments():
            if op == "delete":
                click.secho(f"- {text}", fg="red")
            elif op == "insert":
                click.secho(f"+ {text}", fg="green")
            elif show_all or change.kind != "unchanged":
                click.echo(f"  {text[:300]}{'…' if len(text) > 300 else ''}")


@policy_group.command("status")
@click.argument("number", type=int, required=False)
def policy_status_command(number: int | None) -> None:
    """The review state and the legislation references of the current (or given) version."""
    django_setup()
    from socialguard.policies import selectors

    version = _version(number)
    state = selectors.review_state(version.document)
    click.echo(
        f"{version.title}, version {version.number} ({version.get_status_display()}), "
        f"fingerprint {version.short_hash}"
    )
    click.secho(selectors.sentence(state.describe), fg="red" if state.state == "overdue" else None)
    report = selectors.references_for(version)
    for citation in report.cited:
        colour = {"outdated": "red", "check": "yellow"}.get(citation.verdict)
        click.secho(
            f"  [{citation.verdict:<8}] {citation.reference.title} (clause {', '.join(citation.clauses)})",
            fg=colour,
        )
        if citation.verdict == "outdated" and citation.reference.superseded_by:
            click.echo(f"             now: {citation.reference.superseded_by}")
    for reference in report.missing:
        click.secho(f"  [missing ] {reference.title}", fg="red")


@click.group("declarations")
def declarations_group() -> None:
    """Who has declared the current policy."""


@declarations_group.command("status")
@click.option(
    "--by",
    type=click.Choice(["department", "employment_type", "all"]),
    default="department",
    show_default=True,
)
@click.option("--outstanding", is_flag=True, help="List everyone who still owes a declaration.")
def declarations_status_command(by: str, outstanding: bool) -> None:
    """Declaration coverage of the current version."""
    django_setup()
    from django.utils import timezone

    from socialguard.policies import selectors

    version = _version(None)
    rows = selectors.declaration_rows(version)
    overall = selectors.coverage(rows, "all")
    if overall:
        o = overall[0]
        click.echo(
            f"Version {version.number}: {o.declared} of {o.total} staff in post have declared ({o.percent}%)."
        )
    for group in selectors.coverage(rows, by):
        bar = "#" * (group.percent // 5)
        click.echo(f"  {group.label[:28]:<28} {group.declared:>4}/{group.total:<4} {group.percent:>3}% {bar}")
    if outstanding:
        today = timezone.localdate()
        click.echo("Still to declare:")
        for row in sorted((r for r in rows if not r.declared), key=lambda r: -r.days_owed(today)):
            click.echo(
                f"  {row.staff.external_id:<8} {row.staff.full_name:<30} owed {row.days_owed(today)} days"
            )


@declarations_group.command("verify")
def declarations_verify_command() -> None:
    """Check every declaration against its hash-chained audit event."""
    django_setup()
    from socialguard.policies.models import Declaration
    from socialguard.policies.services import declarations_verify

    problems = declarations_verify()
    if problems:
        for problem in problems:
            click.secho(problem, fg="red", err=True)
        raise SystemExit(1)
    click.echo(f"All {Declaration.objects.count()} declarations match their audit events.")


@click.group("training")
def training_group() -> None:
    """Training completions and gaps."""


@training_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@as_option
def training_import_command(file: Path, as_email: str | None) -> None:
    """Import completions from CSV (staff_id or email, course, completed_on, evidence): all or none."""
    django_setup()
    from socialguard.people.services import ImportFailed
    from socialguard.policies import services

    actor = acting_user(as_email, "training.manage")
    try:
        recorded, existing = services.completions_import(
            actor=actor, data=file.read_bytes(), filename=file.name
        )
    except ImportFailed as failed:
        for error in failed.errors:
            click.secho(str(error), fg="red", err=True)
        raise click.ClickException("nothing was imported") from None
    click.echo(
        f"Recorded {recorded} completion{'s' if recorded != 1 else ''}; {existing} were already recorded."
    )


@training_group.command("status")
def training_status_command() -> None:
    """Coverage per course and who is missing or overdue."""
    django_setup()
    from socialguard.policies import selectors

    for c in selectors.training_coverage():
        click.secho(
            f"{c.course.name} ({c.course.get_required_for_display()}): "
            f"{c.current}/{c.required} up to date ({c.percent}%)",
            bold=True,
        )
        for gap in c.gaps:
            click.echo(f"  {gap.staff.full_name:<30} {gap.label}")


@click.group("reminders")
def reminders_group() -> None:
    """Reminder digests (at most one email per person per day)."""


@reminders_group.command("send")
def reminders_send_command() -> None:
    """Send today's digests now (the scheduler does this daily)."""
    django_setup()
    from socialguard.policies.reminders import send_digests

    sent = send_digests()
    click.echo(f"Sent {sent} digest{'s' if sent != 1 else ''}.")


@reminders_group.command("preview")
@click.argument("email")
def reminders_preview_command(email: str) -> None:
    """Show the digest EMAIL would get next."""
    django_setup()
    from socialguard.identity.models import User
    from socialguard.policies.reminders import digest_for

    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        raise click.ClickException(f"no sign-in for {email}")
    digest = digest_for(user)
    click.echo(digest.why)
    if digest.items:
        click.echo(f"Subject: {digest.subject}\n\n{digest.body}")


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Enqueue what is due and exit (for cron).")
@click.option("--every", default=60, show_default=True, help="Seconds between checks.")
def scheduler_command(once: bool, every: int) -> None:
    """Enqueue daily jobs (reminder digests) when they are due; `serve` runs this for you."""
    django_setup()
    from socialguard.scheduling.jobs import run_due

    while True:
        for name in run_due():
            click.echo(f"enqueued {name}")
        if once:
            return
        time.sleep(every)


@click.group("pack")
def pack_group() -> None:
    """The organisation's rules pack (docs/rules.md): show, validate, preview, save."""


def _read_pack(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise click.ClickException(f"{file}: not UTF-8 text; save it as UTF-8") from None


@pack_group.command("show")
@as_option
def pack_show(as_email: str | None) -> None:
    """Print the pack in use, where it comes from, and the clause each rule cites."""
    django_setup()
    from socialguard.policies import packs

    acting_user(as_email, "rules.pack_view")
    version = packs.current_version()
    pack, source = packs.rules_pack()
    click.echo(f"# in use: {source}")
    click.echo(version.text if version else packs.starting_text(), nl=False)
    click.echo("\n# clause each rule cites")
    for row in packs.mapping_rows(pack):
        click.echo(f"# {row.code} {row.engine_clause} -> {row.cited or 'no clause of your policy'}")


@pack_group.command("validate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def pack_validate(file: Path) -> None:
    """Check FILE as the server would (against the published policy's clauses). Exit 2 if invalid."""
    django_setup()
    from django.db import DatabaseError

    from socialguard.policies import packs
    from socialguard.rules.pack import PackError, load_pack_text

    text = _read_pack(file)
    try:
        try:
            packs.load_text(text, str(file))
        except DatabaseError:
            # No database set up where this runs (a pack written on a laptop): the file's own
            # checks, not its clause numbers against the published policy.
            click.echo(
                "no database here (run `socialguard setup`): the file is checked, not its [clauses] "
                "against your published policy",
                err=True,
            )
            load_pack_text(text, str(file))
    except PackError as exc:
        click.echo("\n".join(exc.errors), err=True)
        raise SystemExit(2) from None
    click.echo(f"{file}: valid")


@pack_group.command("preview")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@as_option
def pack_preview(file: Path, as_email: str | None) -> None:
    """What FILE would change on the archive and recent drafts, per rule, if it were saved."""
    django_setup()
    from socialguard.policies import packs
    from socialguard.rules.pack import PackError

    acting_user(as_email, "rules.pack_manage")
    try:
        proposed = packs.load_text(_read_pack(file), str(file))
    except PackError as exc:
        click.echo("\n".join(exc.errors), err=True)
        raise SystemExit(2) from None
    result = packs.preview(proposed)
    click.echo(
        f"re-checked {result.checked_archive} published posts and {result.checked_drafts} drafts: "
        f"{len(result.posts)} would be flagged differently, "
        f"{result.verdicts_changed} of them with another verdict"
    )
    for rule in result.rules:
        click.echo(f"{rule.rule}: {len(rule.newly)} newly flagged, {len(rule.cleared)} no longer flagged")
    for post in result.posts:
        click.echo(f"  {post.kind} {post.id}: {post.before} -> {post.after}")


@pack_group.command("save")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@as_option
def pack_save_command(file: Path, as_email: str | None) -> None:
    """Save FILE as the next version of the pack (audited); checks use it at once."""
    django_setup()
    from socialguard.policies import services
    from socialguard.rules.pack import PackError

    actor = acting_user(as_email, "rules.pack_manage")
    try:
        version = service_call(lambda: services.pack_save(actor=actor, text=_read_pack(file)))
    except PackError as exc:
        click.echo("\n".join(exc.errors), err=True)
        raise SystemExit(2) from None
    click.echo(f"saved as version {version.number}: {version.summary}")


COMMANDS = [policy_group, declarations_group, training_group, reminders_group, scheduler_command, pack_group]
