"""The `socialguard` command. Django is set up only by the commands that need it."""

from __future__ import annotations

import errno
import os
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

import click

from socialguard.clitools import KEY_CHECK_TAGS, SETTINGS, acting_user, django_setup, refuse_unsafe_start


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="socialguard")
def main() -> None:
    """socialguard: your social media policy, made operational."""
    # What any command writes (database, keys, exports, mail with reset links) is for this user only.
    os.umask(0o077)


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
    refuse_unsafe_start(tags=KEY_CHECK_TAGS)
    if demo and not demo_data.demo_loaded() and not all_demo.available():
        click.echo(f"Not loading the demo: {all_demo.INSTALL_HINT}.", err=True)
    elif demo and not demo_data.demo_loaded():
        with click.progressbar(length=all_demo.STEPS, label="Loading the demo organisation") as bar:
            all_demo.load_all(progress=lambda: bar.update(1))
    if demo_data.demo_loaded():
        click.echo(demo_data.sign_in_sheet())


def served_site_url(host: str, port: int, family: int = socket.AF_INET) -> str:
    """The address links should name when serving on host:port: an "any address" bind
    (0.0.0.0, ::) is reached on this machine as 127.0.0.1; set SOCIALGUARD_SITE_URL for others."""
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 (comparing, not binding)
        host = "127.0.0.1"
    elif family == socket.AF_INET6 or ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _listen(host: str, port: int) -> socket.socket:
    """Bind the web server's socket here, before any child starts, so that a port already in use
    is reported as such (and not as a running server); gunicorn then serves on this socket."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: unknown address ({exc.strerror})"
        ) from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            suggestion = port + 1 if port else 8001
            raise click.ClickException(
                f"port {port} on {host} is already in use (another socialguard, or another program, is "
                f"listening there). Stop it, or choose another port: `socialguard serve --port {suggestion}` "
                f"(with make: `make run PORT={suggestion}`)."
            ) from None
        if exc.errno == errno.EACCES:
            raise click.ClickException(
                f"cannot listen on {host}:{port}: permission denied (ports below 1024 need administrator "
                "rights); choose a port from 1024 up with --port (with make: PORT=…)."
            ) from None
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.set_inheritable(True)
    return sock


def _log(message: str) -> None:
    click.echo(f"{time.strftime('%Y-%m-%d %H:%M:%S')} socialguard: {message}", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="0: any free port."
)
@click.option(
    "--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Web server processes."
)
@click.option(
    "--task-worker/--no-task-worker",
    default=True,
    show_default=True,
    help="Also run a background-task worker and the scheduler (run them elsewhere with "
    "`socialguard worker` and `socialguard scheduler`).",
)
def serve(host: str, port: int, workers: int, task_worker: bool) -> None:
    """Serve the web app with gunicorn (static files via WhiteNoise), plus a task worker.

    The task worker and the scheduler are restarted when they die, after a pause that grows to a
    minute; the web server carries on meanwhile and /healthz reports the worker as down. When the
    web server itself stops, serve stops too, with its exit code.
    """
    from socialguard.supervisor import STATUS_FILE, Child, Supervisor

    sock = _listen(host, port)
    django_setup()
    from django.conf import settings
    from django.core.management import call_command

    refuse_unsafe_start()
    call_command("collectstatic", interactive=False, verbosity=0)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", SETTINGS)}
    me = [sys.executable, "-m", "socialguard.cli"]
    children = []
    if task_worker:
        children.append(Child("worker", "task worker", [*me, "worker"], restart=True))
        # Enqueues the daily jobs (reminder digests) that the worker then runs.
        children.append(Child("scheduler", "scheduler", [*me, "scheduler"], restart=True))
    bound_host, bound_port = sock.getsockname()[:2]
    # Links in emails and reminder previews use SITE_URL; unset, it would name port 8000 whatever
    # port this server is on, so it follows the port actually bound (an explicit value wins).
    if not os.environ.get("SOCIALGUARD_SITE_URL"):
        env["SOCIALGUARD_SITE_URL"] = served_site_url(bound_host, bound_port, sock.family)
    fd = sock.fileno()
    gunicorn = [sys.executable, "-m", "gunicorn", "socialguard.wsgi:application", "--bind", f"fd://{fd}"]
    gunicorn += ["--workers", str(workers), "--access-logfile", "-", "--forwarded-allow-ips", "127.0.0.1"]
    # No runtime control socket: one shared path per user would clash between instances, and
    # nothing here uses it.
    gunicorn += ["--no-control-socket"]
    children.append(Child("web", "web server", gunicorn, restart=False, pass_fds=(fd,)))
    supervisor = Supervisor(children, env=env, status_file=Path(settings.DATA_DIR) / STATUS_FILE, log=_log)

    def stop(*_: Any) -> None:
        supervisor.stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    shown = f"[{bound_host}]" if sock.family == socket.AF_INET6 else bound_host
    code = 0
    try:
        supervisor.start()
        sock.close()  # gunicorn holds it now; when gunicorn ends, the port is free
        click.echo(f"socialguard is running on http://{shown}:{bound_port}/ (Ctrl+C to stop)")
        while not supervisor.stopping:
            ended = supervisor.tick()
            if ended is not None:
                code = ended
                break
            time.sleep(0.5)
    finally:
        supervisor.stop()
    sys.exit(code)


@main.command()
@click.option(
    "--queue-name", default="*", show_default=True, help="Queues to process, comma-separated; * for all."
)
@click.option(
    "--interval",
    default=1.0,
    show_default=True,
    type=click.FloatRange(0.1, 3600),
    help="Seconds between looks for new tasks when there are none.",
)
def worker(queue_name: str, interval: float) -> None:
    """Run background tasks (emails, reminders); waits out a busy or restarting database.

    `serve` runs one and restarts it if it dies; run more, on any machine that reaches the
    database, under a service manager that restarts them.
    """
    django_setup()
    refuse_unsafe_start(tags=KEY_CHECK_TAGS)
    from django.utils.crypto import get_random_string

    from socialguard.scheduling.worker import run_worker

    run_worker(queue_names=queue_name.split(","), interval=interval, worker_id=get_random_string(32))


@main.command()
@click.option("--force", is_flag=True, help="Load even if a demo organisation is already there.")
def demo(force: bool) -> None:
    """Load the demo organisation: DMM with ~40 staff, ~300 learners and their guardians."""
    django_setup()
    from socialguard import demo as all_demo
    from socialguard.people import demo as demo_data

    refuse_unsafe_start(tags=KEY_CHECK_TAGS)
    if demo_data.demo_loaded() and not force:
        click.echo("The demo organisation is already loaded.")
    elif not all_demo.available():
        raise click.ClickException(all_demo.INSTALL_HINT)
    else:
        with click.progressbar(length=all_demo.STEPS, label="Loading the demo organisation") as bar:
            all_demo.load_all(progress=lambda: bar.update(1))
    click.echo(demo_data.sign_in_sheet())


@main.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--with-keys",
    is_flag=True,
    help="Also copy the secret key, the vault key and the audit key into DEST/keys (then keep the "
    "backup as safe as the keys themselves).",
)
def backup(dest: Path, with_keys: bool) -> None:
    """Back up the database (online) and the evidence files into DEST, a new folder."""
    django_setup()
    from socialguard.backup import BackupError, backup_create

    try:
        made = backup_create(dest=dest, with_keys=with_keys)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Backed up the {made['database']} database ({made['audit_events']} audit events, "
        f"{made['vault_secrets']} vault secrets) and {made['evidence_files']} evidence files into {dest}."
    )
    if not with_keys:
        click.echo(
            "The keys are not in this backup: keep the secret key, the vault key "
            f"(id {made['vault_key_id']}) and the audit key safe apart from it; a restore needs them "
            "(docs/backup.md).",
            err=True,
        )


@main.command()
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database or key files that are already there.")
def restore(source: Path, force: bool) -> None:
    """Restore a backup made by `socialguard backup` into the configured data folder and database,
    then check that the vault opens and the audit chain verifies."""
    from socialguard.backup import BackupError, restore_files_and_keys

    try:
        notes = restore_files_and_keys(source=source, force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    for note in notes:
        click.echo(note)
    django_setup()  # only now: the settings find the restored keys instead of generating new ones
    from django.core.management import call_command

    from socialguard.accounts.models import VaultSecret
    from socialguard.audit.selectors import audit_verify

    call_command("migrate", interactive=False, verbosity=0)
    refuse_unsafe_start(tags=KEY_CHECK_TAGS)
    result = audit_verify()
    if not result.ok:
        raise click.ClickException(f"restored, but the audit chain is BROKEN: {result.problem}")
    click.echo(
        f"Restored from {source}: audit chain intact ({result.checked} events); "
        f"{VaultSecret.objects.count()} vault secrets, all sealed with a configured key."
    )


@main.command("import")
@click.argument("kind", type=click.Choice(["staff", "learners", "guardians"]))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "as_email", envvar="SOCIALGUARD_AS", help="Email of the person importing (needs SMT).")
def import_people(kind: str, file: Path, as_email: str | None) -> None:
    """Import staff, learners or guardians from a CSV file: all rows or none."""
    django_setup()
    from socialguard.people.services import ImportFailed, people_import

    actor = acting_user(as_email, "people.import")
    stages = {"checking": "Checking rows", "comparing": "Comparing", "saving": "Saving"}
    try:
        with click.progressbar(length=1, label="Reading", file=sys.stderr) as bar:

            def progress(stage: str, done: int, total: int) -> None:
                bar.label, bar.length = stages.get(stage, stage), max(total, 1)
                bar.pos = 0
                bar.update(done)

            result = people_import(
                actor=actor, kind=kind, data=file.read_bytes(), filename=file.name, progress=progress
            )
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
@click.option(
    "--checkpoints",
    "checkpoint_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Check against the checkpoints in this file (e.g. lines saved from the auditors' emails) "
    "instead of the configured checkpoint file. Repeatable.",
)
@click.option(
    "--full",
    is_flag=True,
    help="Read every event from the first (slow on a long trail), not only those after the newest "
    "signed checkpoint.",
)
def audit_verify_command(checkpoint_files: tuple[Path, ...], full: bool) -> None:
    """Check the chain since the newest checkpoint (--full: from its first event) and every checkpoint;
    name the first problem and exit 1 if there is one."""
    django_setup()
    from socialguard.audit.selectors import audit_verify

    with click.progressbar(length=1, label="Reading the audit trail", file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        result = audit_verify(
            checkpoint_files=list(checkpoint_files) or None, since_checkpoint=not full, progress=progress
        )
    if result.ok:
        click.echo(
            f"OK: {result.checked} events, chain intact, "
            f"{result.checkpoints} checkpoint{'s' if result.checkpoints != 1 else ''} matched."
        )
        return
    intact = (
        "" if result.problem and result.problem.where else f" ({result.checked} events before it are intact)"
    )
    click.echo(f"BROKEN: {result.problem}{intact}", err=True)
    sys.exit(1)


@audit.command("checkpoint")
def audit_checkpoint_command() -> None:
    """Write a checkpoint now (the scheduler does this daily): verify, sign the head, file it, email it."""
    django_setup()
    from socialguard.audit.services import audit_checkpoint

    outcome = audit_checkpoint()
    click.echo(outcome.summary())
    if outcome.checkpoint is None:
        sys.exit(1)


@audit.command("generate-key")
def audit_generate_key_command() -> None:
    """Print a new random audit key (for SOCIALGUARD_AUDIT_KEY_FILE; only for a new installation)."""
    import base64

    click.echo(base64.urlsafe_b64encode(os.urandom(32)).decode("ascii"))


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
    from socialguard.people.services import sign_ins_link

    links = sign_ins_link(actor=None, emails=[user.email])
    click.echo(f"Created {user.email} with roles: {', '.join(roles) or 'none'}")
    for member in links.linked:
        click.echo(f"Linked to staff record {member.external_id} ({member.full_name}).")
    for member, why in links.declined:
        click.echo(f"Not linked to staff record {member.external_id}: {why}.")


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
    from socialguard.consent.cli import consent_group
    from socialguard.content.cli import posts_group
    from socialguard.incidents.cli import cases_group
    from socialguard.monitoring.cli import monitor_group
    from socialguard.policies.cli import COMMANDS as policy_commands
    from socialguard.privacy.cli import privacy_group
    from socialguard.rules.cli import check_command, rule_command, rules_command

    for command in (
        check_command,
        rules_command,
        rule_command,
        *policy_commands,
        vault_group,
        accounts_group,
        cases_group,
        posts_group,
        consent_group,
        monitor_group,
        privacy_group,
    ):
        main.add_command(command)


_add_commands()

if __name__ == "__main__":
    main()
