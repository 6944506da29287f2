"""The `socialguard` command. Django is set up only by the commands that need it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import click

from socialguard.clitools import SETTINGS, acting_user, django_setup


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="socialguard")
def main() -> None:
    """socialguard: your social media policy, made operational."""


@main.command()
@click.option(
    "--demo/--no-demo", default=True, show_default=True, help="Load the demo organisation on first run."
)
def setup(demo: bool) -> None:
    """Create or upgrade the database; on first run, load the demo organisation."""
    django_setup()
    from django.core.management import call_command

    from socialguard import demo as all_demo
    from socialguard.people import demo as demo_data

    call_command("migrate", interactive=False, verbosity=0)
    click.echo("Database is up to date.")
    if demo and not demo_data.demo_loaded():
        with click.progressbar(length=all_demo.STEPS, label="Loading the demo organisation") as bar:
            all_demo.load_all(progress=lambda: bar.update(1))
    if demo_data.demo_loaded():
        click.echo(demo_data.sign_in_sheet())


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="Web server processes.")
@click.option(
    "--task-worker/--no-task-worker",
    default=True,
    show_default=True,
    help="Also run a background-task worker (run it elsewhere with `socialguard manage db_worker`).",
)
def serve(host: str, port: int, workers: int, task_worker: bool) -> None:
    """Serve the web app with gunicorn (static files via WhiteNoise), plus a task worker."""
    django_setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", SETTINGS)}
    children = []
    if task_worker:
        children.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "socialguard.cli",
                    "manage",
                    "db_worker",
                    "--queue-name",
                    "*",
                    "--no-reload",
                ],
                env=env,
            )
        )
    if task_worker:
        # Enqueues the daily jobs (reminder digests) that the worker then runs.
        children.append(subprocess.Popen([sys.executable, "-m", "socialguard.cli", "scheduler"], env=env))
    children.append(
        subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "socialguard.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
                "--forwarded-allow-ips",
                "127.0.0.1",
            ],
            env=env,
        )
    )
    click.echo(f"socialguard is running on http://{host}:{port}/ (Ctrl+C to stop)")

    def stop(*_: Any) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(child.poll() is None for child in children):
            try:
                children[-1].wait(timeout=1)
            except subprocess.TimeoutExpired:
                continue
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for child in children:
            child.wait(timeout=20)


@main.command()
@click.option("--force", is_flag=True, help="Load even if a demo organisation is already there.")
def demo(force: bool) -> None:
    """Load the demo organisation: DMM with ~40 staff, ~300 learners and their guardians."""
    django_setup()
    from socialguard import demo as all_demo
    from socialguard.people import demo as demo_data

    if demo_data.demo_loaded() and not force:
        click.echo("The demo organisation is already loaded.")
    else:
        with click.progressbar(length=all_demo.STEPS, label="Loading the demo organisation") as bar:
            all_demo.load_all(progress=lambda: bar.update(1))
    click.echo(demo_data.sign_in_sheet())


@main.command("import")
@click.argument("kind", type=click.Choice(["staff", "learners", "guardians"]))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "as_email", envvar="SOCIALGUARD_AS", help="Email of the person importing (needs SMT).")
def import_people(kind: str, file: Path, as_email: str | None) -> None:
    """Import staff, learners or guardians from a CSV file: all rows or none."""
    django_setup()
    from socialguard.people.services import ImportFailed, people_import

    actor = acting_user(as_email, "people.import")
    try:
        result = people_import(actor=actor, kind=kind, data=file.read_bytes(), filename=file.name)
    except ImportFailed as failed:
        click.echo("Nothing was imported. Fix these and try again:", err=True)
        for error in failed.errors:
            click.echo(f"  {error}", err=True)
        sys.exit(2)
    click.echo(result.summary())


@main.group()
def audit() -> None:
    """The tamper-evident audit trail."""


@audit.command("verify")
def audit_verify_command() -> None:
    """Check the hash chain; name the first broken link and exit 1 if any event was tampered with."""
    django_setup()
    from socialguard.audit.selectors import audit_verify

    result = audit_verify()
    if result.ok:
        click.echo(f"OK: {result.checked} events, chain intact.")
        return
    click.echo(f"BROKEN: {result.problem} ({result.checked} events before it are intact)", err=True)
    sys.exit(1)


@main.command()
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True, help="Full name.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice(["quality_director", "smt", "dsl", "staff", "auditor"]),
    help="Repeat for several roles.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def createuser(email: str, full_name: str, roles: tuple[str, ...], password_stdin: bool) -> None:
    """Create a sign-in (run by whoever administers the server; audited as 'system')."""
    django_setup()
    from django.core.exceptions import ValidationError

    from socialguard.identity.roles import Role
    from socialguard.identity.services import user_create

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = user_create(
            actor=None, email=email, full_name=full_name, password=password, roles=[Role(r) for r in roles]
        )
    except ValidationError as exc:
        raise click.ClickException("; ".join(exc.messages)) from None
    click.echo(f"Created {user.email} with roles: {', '.join(roles) or 'none'}")


@main.command()
@click.option("--email", required=True, help="The sign-in whose password to set.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def setpassword(email: str, password_stdin: bool) -> None:
    """Set someone's password (audited as 'system'); their sessions end and API tokens are revoked."""
    django_setup()
    from django.core.exceptions import ValidationError

    from socialguard.identity.models import User, normalise_email
    from socialguard.identity.services import user_set_password

    user = User.objects.filter(email=normalise_email(email)).first()
    if user is None:
        raise click.ClickException(f"there is no sign-in for {email}")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        revoked = user_set_password(actor=None, user=user, password=password)
    except ValidationError as exc:
        raise click.ClickException("; ".join(exc.messages)) from None
    click.echo(f"Password set for {user.email}; {revoked} API token(s) revoked.")


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command, e.g. `socialguard manage check --deploy`."""
    if args[:1] == ("changepassword",):
        # Django's command would skip the audit event and leave the person's API tokens working.
        raise click.ClickException("use `socialguard setpassword --email EMAIL` to set a password")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["socialguard manage", *args])


def _add_commands() -> None:
    from socialguard.accounts.cli import accounts_group, vault_group
    from socialguard.incidents.cli import cases_group
    from socialguard.policies.cli import COMMANDS as policy_commands
    from socialguard.rules.cli import check_command, rule_command, rules_command

    for command in (
        check_command,
        rules_command,
        rule_command,
        *policy_commands,
        vault_group,
        accounts_group,
        cases_group,
    ):
        main.add_command(command)


_add_commands()

if __name__ == "__main__":
    main()
