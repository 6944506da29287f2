"""`socialguard consent import|status|withdraw|takedowns`: the consent register from the command
line, acting as a named person (`--as EMAIL`) through the same services and access rules as the
web pages."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from socialguard.clitools import acting_user, as_option, django_setup, service_call


def _setup(as_email: str | None, action: str) -> Any:
    django_setup()
    return acting_user(as_email, action)


@click.group("consent")
def consent_group() -> None:
    """Photo and video consent (policy 5.2): import, look up, withdraw."""


@consent_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@as_option
def import_command(file: Path, as_email: str | None) -> None:
    """Import consent recorded at enrolment in the MIS (CSV: all rows or none)."""
    from socialguard.consent.services import consent_import
    from socialguard.people.services import ImportFailed

    user = _setup(as_email, "consent.import")
    try:
        result = service_call(lambda: consent_import(actor=user, data=file.read_bytes(), filename=file.name))
    except ImportFailed as failed:
        click.echo("Nothing was imported. Fix these and try again:", err=True)
        for error in failed.errors:
            click.echo(f"  {error}", err=True)
        sys.exit(2)
    click.echo(result.summary())


@consent_group.command("status")
@click.argument("learner_id")
@as_option
def status_command(learner_id: str, as_email: str | None) -> None:
    """A learner's current social-media consent and its history."""
    from socialguard.consent import access, selectors

    user = _setup(as_email, "consent.view")
    if not access.may_view(user):
        raise click.ClickException("the consent register is read by SMT, the DSL and account runners")
    from socialguard.people.models import Learner

    learner = Learner.objects.filter(external_id=learner_id).first()
    if learner is None:
        raise click.ClickException(f"there is no learner {learner_id}")
    state = selectors.state_of("learner", learner_id)
    until = f" until {state.lapses_on.isoformat()}" if state.may_post and state.lapses_on else ""
    click.echo(f"{learner.full_name} ({learner_id}): {state.words}{until}")
    click.echo(f"may be posted: {'yes' if state.may_post else 'no'}")
    for record in selectors.history("learner", learner_id):
        click.echo(
            f"  {record.recorded_at:%Y-%m-%d %H:%M} {record.status} ({record.scope}) by {record.given_by}, "
            f"dated {record.given_on.isoformat()}, {record.get_evidence_display().lower()}"
        )


@consent_group.command("withdraw")
@click.argument("learner_id")
@click.option("--note", default="", help="How it was withdrawn (a phone call, an email).")
@as_option
def withdraw_command(learner_id: str, note: str, as_email: str | None) -> None:
    """Withdraw a learner's consent now: pending posts are pulled back, takedowns opened."""
    from socialguard.consent.models import Takedown
    from socialguard.consent.services import consent_withdraw

    user = _setup(as_email, "consent.manage")
    record = service_call(
        lambda: consent_withdraw(actor=user, kind="learner", ref=learner_id, note=note, source="cli")
    )
    takedowns = Takedown.objects.filter(withdrawal=record)
    click.echo(f"Withdrawn for {record.subject_name}: {takedowns.count()} takedown(s).")
    for takedown in takedowns:
        click.echo(f"  {takedown}: {takedown.get_state_display()}")
