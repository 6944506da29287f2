"""`socialguard vault …`: master-key management for the credential vault."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from socialguard.clitools import acting_user, as_option, django_setup, row_or_fail, service_call


@click.group("vault")
def vault_group() -> None:
    """The credential vault's master key."""


@vault_group.command("generate-key")
def generate_key_command() -> None:
    """Print a new random master key (store it in a file readable only by socialguard)."""
    from socialguard.accounts.crypto import generate_key

    click.echo(generate_key().to_text())


@vault_group.command("rotate-key")
@click.option(
    "--new-key-file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="File holding the new key (from `socialguard vault generate-key`).",
)
def rotate_key_command(new_key_file: Path) -> None:
    """Re-wrap every secret's and evidence file's data key under a new master key. Safe to
    interrupt and run again."""
    django_setup()
    from socialguard.accounts import crypto, vault

    try:
        new_key = crypto.MasterKey.from_text(new_key_file.read_text(encoding="utf-8"), str(new_key_file))
        current = vault.current_key()
    except crypto.VaultKeyError as exc:
        raise click.ClickException(str(exc)) from None
    if new_key.key_id == current.key_id:
        click.echo("That is already the current key; any secret still under an older key is re-wrapped.")
    with click.progressbar(length=1, label="Re-wrapping data keys") as bar:
        state = {"total": 0}

        def progress(done: int, total: int) -> None:
            if state["total"] != total:
                bar.length, state["total"] = total, total
            bar.update(1)

        try:
            count = vault.rotate_master_key(new_key=new_key, progress=progress)
        except crypto.VaultKeyError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(
        f"Re-wrapped {count} data key{'s' if count != 1 else ''} (vault secrets and evidence files) "
        f"under key {new_key.key_id}."
    )
    click.echo(
        f"Now set SOCIALGUARD_VAULT_KEY_FILE={new_key_file} and restart. Keep the old key as "
        "SOCIALGUARD_VAULT_PREVIOUS_KEY_FILE only until every server runs with the new one."
    )


@vault_group.command("check")
def check_command() -> None:
    """Check that every secret and evidence file key opens with the configured keys (shows no
    secret)."""
    django_setup()
    from socialguard.accounts import crypto, vault
    from socialguard.accounts.models import VaultSecret

    keys = vault.keyring()
    failures = 0
    counts: dict[str, int] = {}
    for secret in VaultSecret.objects.select_related("account"):
        counts[secret.key_id] = counts.get(secret.key_id, 0) + 1
        try:
            crypto.unseal(vault.sealed_of(secret), keys, secret.aad)
        except crypto.VaultKeyError as exc:
            failures += 1
            click.secho(f"{secret}: {exc}", fg="red", err=True)
    for key_id, n in sorted(counts.items()):
        marker = " (current)" if key_id == vault.current_key().key_id else ""
        click.echo(f"key {key_id}{marker}: {n} secret{'s' if n != 1 else ''}")
    from django.apps import apps

    # By label, as vault.WRAPPED_KEY_MODELS does: accounts sits below the cases app.
    Evidence = apps.get_model("incidents", "Evidence")

    files: dict[str, int] = {}
    for item in Evidence.objects.exclude(key_id="").only(
        "pk", "stored_name", "wrapped_key", "key_nonce", "key_id"
    ):
        files[item.key_id] = files.get(item.key_id, 0) + 1
        try:
            crypto.unwrap_key(vault.wrapped_of(item), keys, item.aad)
        except crypto.VaultKeyError as exc:
            failures += 1
            click.secho(f"evidence {item.pk}: {exc}", fg="red", err=True)
    for key_id, n in sorted(files.items()):
        marker = " (current)" if key_id == vault.current_key().key_id else ""
        click.echo(f"key {key_id}{marker}: {n} evidence file{'s' if n != 1 else ''}")
    unencrypted = Evidence.objects.filter(key_id="").count()
    if unencrypted:
        click.echo(
            f"{unencrypted} evidence file(s) not yet encrypted: run `socialguard cases encrypt-evidence`"
        )
    if failures:
        raise SystemExit(1)


@click.group("accounts")
def accounts_group() -> None:
    """Organisational accounts: the registry and leaver tasks."""


@accounts_group.command("list")
def accounts_list_command() -> None:
    """Every account with its runners and warnings, then the open proposals.

    The numbers are what the other commands take: `#12` is the ACCOUNT_ID of `vault store`,
    `accounts review`, `transfer` and `close`; a proposal's `#3` the PROPOSAL_ID of `decide` and
    `create`; a runner's HR id (`S2`) the STAFF_ID of `transfer`."""
    django_setup()
    from socialguard.accounts.selectors import open_proposals, registry

    for row in registry():
        runners = ", ".join(
            f"{r.staff.full_name} ({r.staff.external_id}{', lead' if r.is_lead else ''})" for r in row.runners
        )
        account = row.account
        click.secho(
            f"#{account.pk} {account.handle} ({account.get_platform_display()}) [{account.status}]", bold=True
        )
        click.echo(f"  runners: {runners or 'none'}")
        for warning in row.warnings:
            click.secho(f"  ! {warning}", fg="red")
    proposals = open_proposals()
    if proposals:
        click.secho("Open proposals", bold=True)
        for proposal in proposals:
            click.echo(
                f"  proposal #{proposal.pk} {proposal.handle or '(no handle yet)'} "
                f"({proposal.get_platform_display()}) [{proposal.status}], "
                f"proposed by {proposal.proposer.full_name}"
            )
    click.echo("ACCOUNT_ID and PROPOSAL_ID are the numbers after #; STAFF_ID is the id in brackets.")


@accounts_group.command("leavers")
@click.option("--scan", is_flag=True, help="Raise tasks for leaving runners now (the daily job does this).")
def accounts_leavers_command(scan: bool) -> None:
    """Leaver tasks and their steps."""
    django_setup()
    from socialguard.accounts import lifecycle
    from socialguard.accounts.models import LeaverTask

    if scan:
        raised = lifecycle.leavers_scan()
        lifecycle.tasks_refresh()
        click.echo(f"Raised {len(raised)} task{'s' if len(raised) != 1 else ''}.")
    for task in LeaverTask.objects.select_related("account", "staff"):
        state = lifecycle.task_state(task)
        done = "done" if task.done_at else "open"
        click.secho(
            f"{task.staff.full_name} leaving {task.account.handle} on {task.leave_date} [{done}]", bold=True
        )
        for label, ok in state.steps:
            click.echo(f"  [{'x' if ok else ' '}] {label}")


@accounts_group.command("decide")
@click.argument("proposal_id", type=int)
@click.option("--approve/--reject", required=True)
@click.option("--reason", default="", help="Required to reject.")
@as_option
def accounts_decide_command(proposal_id: int, approve: bool, reason: str, as_email: str | None) -> None:
    """Approve or reject proposal PROPOSAL_ID (SMT; blocked while runners are untrained)."""
    django_setup()
    from socialguard.accounts import services
    from socialguard.accounts.models import Proposal

    actor = acting_user(as_email, "accounts.decide")
    proposal = row_or_fail(Proposal, f"proposal {proposal_id}", pk=proposal_id)
    service_call(
        lambda: services.proposal_decide(actor=actor, proposal=proposal, approve=approve, reason=reason)
    )
    click.echo(f"Proposal {proposal_id} {'approved' if approve else 'rejected'}.")


@accounts_group.command("review")
@click.argument("account_id", type=int)
@click.option("--looked-at", required=True, help="What you looked at.")
@click.option("--issues", default="")
@click.option("--actions", default="")
@as_option
def accounts_review_command(
    account_id: int, looked_at: str, issues: str, actions: str, as_email: str | None
) -> None:
    """Record a monitoring review of ACCOUNT_ID."""
    django_setup()
    from socialguard.accounts import lifecycle
    from socialguard.accounts.models import OrgAccount

    actor = acting_user(as_email, "accounts.manage")
    account = row_or_fail(OrgAccount, f"account {account_id}", pk=account_id)
    service_call(
        lambda: lifecycle.review_record(
            actor=actor, account=account, looked_at=looked_at, issues_found=issues, actions=actions
        )
    )
    click.echo(f"Reviewed; next review due {lifecycle.review_due(account):%d %B %Y}.")


@accounts_group.command("transfer")
@click.argument("account_id", type=int)
@click.option("--to", "staff_id", required=True, help="Staff id of the new lead (an active, trained runner).")
@as_option
def accounts_transfer_command(account_id: int, staff_id: str, as_email: str | None) -> None:
    """Transfer the lead of ACCOUNT_ID."""
    django_setup()
    from socialguard.accounts import lifecycle
    from socialguard.accounts.models import OrgAccount
    from socialguard.people.models import StaffMember

    actor = acting_user(as_email, "accounts.manage")
    account = OrgAccount.objects.filter(pk=account_id).first()
    staff = StaffMember.objects.filter(external_id=staff_id).first()
    if account is None or staff is None:
        raise click.ClickException("unknown account or staff id")
    service_call(lambda: lifecycle.lead_transfer(actor=actor, account=account, to=staff))
    click.echo(f"{staff.full_name} is now the lead of {account.handle}.")


@accounts_group.command("close")
@click.argument("account_id", type=int)
@click.option("--on", "closed_on", required=True, type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--how", required=True, help="How it was closed on the platform.")
@as_option
def accounts_close_command(account_id: int, closed_on: dt.datetime, how: str, as_email: str | None) -> None:
    """Record that ACCOUNT_ID was closed on the platform."""
    django_setup()
    from socialguard.accounts import lifecycle
    from socialguard.accounts.models import OrgAccount

    actor = acting_user(as_email, "accounts.manage")
    account = row_or_fail(OrgAccount, f"account {account_id}", pk=account_id)
    service_call(
        lambda: lifecycle.account_close(actor=actor, account=account, closed_on=closed_on.date(), how=how)
    )
    click.echo(f"{account.handle} recorded as closed.")


@accounts_group.command("directory")
@click.argument("query", default="")
@as_option
def accounts_directory_command(query: str, as_email: str | None) -> None:
    """Staff IDs to name as runners (--runner, --lead): the staff in post matching QUERY, with
    name and department only, as the web form and GET /api/v1/people/directory list them."""
    django_setup()
    from socialguard.people import access

    actor = acting_user(as_email, access.DIRECTORY_ACTION)
    found = [access.directory_entry(m) for m in access.directory(actor, query)]
    for entry in found:
        click.echo(f"{entry.staff_id}\t{entry.name}\t{entry.department or '-'}")
    if not found:
        click.echo("Nobody in post matches." if query else "Nobody is in post.")


@accounts_group.command("propose")
@click.option("--platform", required=True)
@click.option("--handle", required=True)
@click.option("--aim", required=True)
@click.option("--audience", required=True)
@click.option("--promotion", required=True)
@click.option("--runner", "runners", multiple=True, required=True, help="Staff id; repeat for each runner.")
@click.option("--lead", required=True, help="Staff id of the lead runner.")
@click.option("--mailbox", default="", help="The role mailbox it will sign in with.")
@click.option("--recovery-codes-holder", default="")
@click.option("--closed", is_flag=True, help="A private or closed account.")
@as_option
def accounts_propose_command(
    platform: str,
    handle: str,
    aim: str,
    audience: str,
    promotion: str,
    runners: tuple[str, ...],
    lead: str,
    mailbox: str,
    recovery_codes_holder: str,
    closed: bool,
    as_email: str | None,
) -> None:
    """Propose a new organisational account (policy 5.5)."""
    django_setup()
    from socialguard.accounts import services
    from socialguard.people.models import StaffMember

    actor = acting_user(as_email, "accounts.propose")
    ids = list(dict.fromkeys([*runners, lead]))
    staff = {s.external_id: s for s in StaffMember.objects.filter(external_id__in=ids)}
    unknown = [i for i in ids if i not in staff]
    if unknown:
        raise click.ClickException(f"unknown staff id(s): {', '.join(unknown)}")
    values = {
        "platform": platform,
        "handle": handle,
        "aim": aim,
        "audience": audience,
        "promotion": promotion,
        "two_factor": True,
        "shared_mailbox": mailbox,
        "recovery_codes_holder": recovery_codes_holder,
        "security_notes": "",
        "visibility": "closed" if closed else "open",
    }
    choices = [services.RunnerChoice(staff[i], i == lead) for i in ids]
    proposal = service_call(lambda: services.proposal_submit(actor=actor, values=values, runners=choices))
    click.echo(f"Proposal {proposal.pk} sent to SMT.")


@accounts_group.command("create")
@click.argument("proposal_id", type=int)
@click.option("--handle", required=True)
@click.option("--url", default="")
@click.option("--login-email", required=True, help="An organisational role mailbox.")
@click.option("--monitor", "monitor_email", required=True, help="Email of the SMT member who monitors it.")
@click.option("--closed", is_flag=True)
@as_option
def accounts_create_command(
    proposal_id: int,
    handle: str,
    url: str,
    login_email: str,
    monitor_email: str,
    closed: bool,
    as_email: str | None,
) -> None:
    """Record the account created on the platform for approved proposal PROPOSAL_ID (two-factor on)."""
    django_setup()
    from socialguard.accounts import services
    from socialguard.accounts.models import Proposal
    from socialguard.identity.models import User

    actor = acting_user(as_email, "accounts.manage")
    proposal = row_or_fail(Proposal, f"proposal {proposal_id}", pk=proposal_id)
    monitor = User.objects.filter(email__iexact=monitor_email, is_active=True).first()
    account = service_call(
        lambda: services.account_create(
            actor=actor,
            proposal=proposal,
            handle=handle,
            url=url,
            login_email=login_email,
            two_factor_enabled=True,
            visibility="closed" if closed else "open",
            monitor=monitor,
        )
    )
    click.echo(f"Account {account.pk} recorded.")


@vault_group.command("store")
@click.argument("account_id", type=int)
@click.option(
    "--kind", type=click.Choice(["password", "recovery_codes", "note"]), default="password", show_default=True
)
@click.option("--label", default="")
@as_option
def vault_store_command(account_id: int, kind: str, label: str, as_email: str | None) -> None:
    """Store a credential for ACCOUNT_ID, read from standard input (never from the command line)."""
    django_setup()
    from socialguard.accounts import vault
    from socialguard.accounts.models import OrgAccount

    actor = acting_user(as_email, "vault.manage")
    account = row_or_fail(OrgAccount, f"account {account_id}", pk=account_id)
    value = sys.stdin.read().rstrip("\n")
    service_call(
        lambda: vault.secret_store(actor=actor, account=account, kind=kind, value=value, label=label)
    )
    click.echo(f"Stored the {kind.replace('_', ' ')} for {account.handle}, encrypted.")
