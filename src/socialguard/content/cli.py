"""`socialguard posts …`: draft, check, submit, approve, ask for changes, override, publish and
search the archive, acting as a named person (`--as EMAIL`) through the same services and access
rules as the web pages and the API."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click

from socialguard.clitools import acting_user, as_option, django_setup, service_call
from socialguard.ids import parse_id


def _setup(as_email: str | None, action: str) -> Any:
    django_setup()
    return acting_user(as_email, action)


def _draft(user: Any, draft_id: int) -> Any:
    from socialguard.content import access

    draft = access.drafts_visible(user).filter(pk=draft_id).first()
    if draft is None:
        raise click.ClickException(f"there is no draft {draft_id} that you may see")
    return draft


def _account(user: Any, ref: str) -> Any:
    from socialguard.accounts.models import OrgAccount

    account_id = parse_id(ref)
    account = (
        OrgAccount.objects.filter(pk=account_id).first()
        if account_id is not None
        else OrgAccount.objects.filter(handle__iexact=ref).first()
    )
    if account is None:
        raise click.ClickException(f"there is no account {ref} (give its id or handle)")
    return account


def _when(value: str | None, option: str) -> dt.datetime | None:
    from django.utils import timezone

    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date and time like 2026-12-01T09:30", param_hint=option
        ) from None
    return timezone.make_aware(when) if timezone.is_naive(when) else when


def _echo_findings(findings: list[dict[str, Any]], text: str) -> None:
    if not findings:
        click.echo("No findings.")
    for f in findings:
        excerpt = text[f["start"] : f["end"]]
        where = f' at "{excerpt}"' if excerpt else ""
        click.echo(f"{f['rule']} {f['name']} [{f['severity']}] ({f['clause']}){where}: {f['message']}")
        if f.get("fix"):
            click.echo(f"    fix: {f['fix']}")
        if f.get("override_reason"):
            click.echo(f"    overridden by {f['overridden_by']}: {f['override_reason']}")


def _show(draft: Any, fmt: str = "text") -> None:
    from socialguard.content import selectors
    from socialguard.content.models import Draft

    draft = Draft.objects.select_related("account", "author", "check_result").get(pk=draft.pk)
    result = getattr(draft, "check_result", None)
    need = selectors.requirement_of(draft)
    findings = [
        {
            **v.finding,
            "override_reason": v.override.reason if v.override else None,
            "overridden_by": (v.override.by.get_full_name() or v.override.by.email) if v.override else None,
        }
        for v in selectors.findings_of(draft)
    ]
    if fmt == "json":
        data = {
            "id": draft.pk,
            "account": str(draft.account),
            "kind": draft.kind,
            "state": draft.state,
            "author": draft.author.full_name,
            "text": draft.text,
            "publish_at": draft.publish_at.isoformat() if draft.publish_at else None,
            "verdict": result.verdict if result else None,
            "findings": findings,
            "needs_smt_because": need.reasons,
            "blocked": bool(need.blocking),
            "history": [
                {"kind": e.kind, "at": e.at.isoformat(), "comment": e.comment} for e in draft.events.all()
            ],
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    kind = draft.get_kind_display().lower()
    click.echo(f"Draft {draft.pk} ({kind}) for {draft.account} by {draft.author.full_name}")
    click.echo(f"State: {draft.get_state_display()}" + (f" ({draft.last_error})" if draft.last_error else ""))
    if draft.publish_at:
        click.echo(f"Publish at: {draft.publish_at.isoformat()}")
    click.echo(f"Check: {result.verdict if result else 'not checked'}")
    _echo_findings(findings, draft.text)
    if need.blocking:
        click.echo(
            "Cannot be approved until each blocking finding is fixed or overridden by SMT with a reason."
        )
    elif need.senior:
        click.echo("Needs a senior leader (SMT): " + "; ".join(need.reasons))


@click.group("posts")
def posts_group() -> None:
    """Posts for organisational accounts: draft → check → approval → publishing → archive."""


@posts_group.command("draft")
@click.option("--account", "account_ref", default="", help="Account id or handle (a new draft).")
@click.option("--draft", "draft_id", type=int, default=None, help="Change this draft instead.")
@click.option("--text", default=None, help="The post's text (or --text-file).")
@click.option("--text-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None)
@click.option("--link", "links", multiple=True, help="A link attached to the post (repeatable).")
@click.option("--reply-to", default="", help="The link or platform address of the post this replies to.")
@click.option("--criticism", is_flag=True, help="The reply answers adverse criticism (SMT approve it, 5.1).")
@click.option(
    "--publish-at", default=None, help="When to publish, e.g. 2026-12-01T09:30 (default: on approval)."
)
@click.option("--kind", type=click.Choice(["post", "correction", "deletion"]), default="post")
@click.option(
    "--corrects", "corrects_id", type=int, default=None, help="Archive id of the post corrected/deleted."
)
@click.option(
    "--media", "media_paths", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--alt", "alts", multiple=True, help="Alt text for each --media, in order.")
@as_option
def draft_command(
    account_ref: str,
    draft_id: int | None,
    text: str | None,
    text_file: Path | None,
    links: tuple[str, ...],
    reply_to: str,
    criticism: bool,
    publish_at: str | None,
    kind: str,
    corrects_id: int | None,
    media_paths: tuple[Path, ...],
    alts: tuple[str, ...],
    as_email: str | None,
) -> None:
    """Write a draft (or change one with --draft); it is checked at once and the findings shown."""
    user = _setup(as_email, "posts.draft")
    from socialguard.content import access, services

    body = text_file.read_text(encoding="utf-8") if text_file else text
    if body is None:
        raise click.UsageError("give the post's text: --text or --text-file")
    values: dict[str, Any] = {
        "text": body,
        "links": list(links),
        "is_reply": bool(reply_to),
        "reply_to": reply_to,
        "reply_to_criticism": criticism,
        "publish_at": _when(publish_at, "--publish-at"),
    }
    if draft_id is not None:
        draft = service_call(lambda: services.draft_save(actor=user, draft=_draft(user, draft_id), **values))
    else:
        if not account_ref:
            raise click.UsageError("say which account: --account ID-OR-HANDLE (or --draft ID to change one)")
        account = _account(user, account_ref)
        corrects = None
        if corrects_id is not None:
            corrects = access.archive_visible(user).filter(pk=corrects_id).first()
            if corrects is None:
                raise click.ClickException(f"there is no published post {corrects_id} that you may see")
        draft = service_call(
            lambda: services.draft_save(actor=user, account=account, kind=kind, corrects=corrects, **values)
        )
    for n, path in enumerate(media_paths):
        alt = alts[n] if n < len(alts) else ""
        _attach(user, draft, path, alt)
    _show(draft)


def _attach(user: Any, draft: Any, path: Path, alt: str) -> None:
    from socialguard.content import services

    with path.open("rb") as stream:
        service_call(
            lambda: services.draft_add_media(
                actor=user, draft=draft, name=path.name, stream=stream, size=path.stat().st_size, alt_text=alt
            )
        )


@posts_group.command("check")
@click.option("--account", "account_ref", required=True, help="Account id or handle.")
@click.option("--text", required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@as_option
def check_command(account_ref: str, text: str, fmt: str, as_email: str | None) -> None:
    """Check text as it would be posted on an account, without saving it. Exits 1 on block."""
    user = _setup(as_email, "posts.draft")
    from socialguard.content import access
    from socialguard.content.checking import check_text

    account = _account(user, account_ref)
    if not access.may_draft_for(user, account):
        raise click.ClickException(f"you do not draft for {account}")
    outcome = check_text(account=account, author=access.staff_of(user), text=text)
    if fmt == "json":
        click.echo(json.dumps({"verdict": outcome.verdict, "findings": outcome.findings}, indent=2))
    else:
        click.echo(f"Verdict: {outcome.verdict}")
        _echo_findings(outcome.findings, text)
    if outcome.verdict == "block":
        sys.exit(1)


@posts_group.command("show")
@click.argument("draft_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@as_option
def show_command(draft_id: int, fmt: str, as_email: str | None) -> None:
    """A draft, its findings, who must approve it and its history."""
    user = _setup(as_email, "posts.view")
    _show(_draft(user, draft_id), fmt)


@posts_group.command("list")
@click.option("--mine", is_flag=True, help="Only the drafts you wrote.")
@click.option("--queue", is_flag=True, help="Only the posts you may approve now.")
@as_option
def list_command(mine: bool, queue: bool, as_email: str | None) -> None:
    """Drafts you may see, newest change first."""
    user = _setup(as_email, "posts.view")
    from socialguard.content import access, selectors

    if queue:
        drafts = [item.draft for item in selectors.approval_queue(user)]
    else:
        drafts = list(
            (selectors.my_drafts(user) if mine else access.drafts_visible(user)).select_related("account")
        )
    if not drafts:
        click.echo("No drafts.")
    for d in drafts:
        click.echo(f"{d.pk}\t{d.state}\t{d.account}\t{d.author.full_name}\t{d.text[:60]!r}")


@posts_group.command("submit")
@click.argument("draft_id", type=int)
@as_option
def submit_command(draft_id: int, as_email: str | None) -> None:
    """Send your draft for approval."""
    user = _setup(as_email, "posts.draft")
    from socialguard.content import services

    draft = service_call(lambda: services.draft_submit(actor=user, draft=_draft(user, draft_id)))
    _show(draft)


@posts_group.command("approve")
@click.argument("draft_id", type=int)
@as_option
def approve_command(draft_id: int, as_email: str | None) -> None:
    """Approve a submitted post as it is now (never your own)."""
    user = _setup(as_email, "posts.approve")
    from socialguard.content import services

    draft = service_call(lambda: services.draft_approve(actor=user, draft=_draft(user, draft_id)))
    click.echo(f"Approved: {draft.get_state_display().lower()}.")


@posts_group.command("discard")
@click.argument("draft_id", type=int)
@click.option("--reason", default="", help="Why (required when it is not your own draft).")
@click.option(
    "--not-done-by-hand",
    is_flag=True,
    help="An approved post (or deletion) for an account published by hand: you looked, and it was not done.",
)
@as_option
def discard_command(draft_id: int, reason: str, not_done_by_hand: bool, as_email: str | None) -> None:
    """Discard a post nobody will publish: its text, links, media and check are deleted."""
    user = _setup(as_email, "posts.draft")
    from socialguard.content import services

    service_call(
        lambda: services.draft_discard(
            actor=user, draft=_draft(user, draft_id), reason=reason, not_done_by_hand=not_done_by_hand
        )
    )
    click.echo(f"Discarded draft {draft_id}: its text, links, media and check are deleted.")


@posts_group.command("request-changes")
@click.argument("draft_id", type=int)
@click.option("--comment", required=True, help="What should change.")
@as_option
def request_changes_command(draft_id: int, comment: str, as_email: str | None) -> None:
    """Send a submitted post back to its author with a comment."""
    user = _setup(as_email, "posts.approve")
    from socialguard.content import services

    service_call(
        lambda: services.draft_request_changes(actor=user, draft=_draft(user, draft_id), comment=comment)
    )
    click.echo("Sent back to the author.")


@posts_group.command("override")
@click.argument("draft_id", type=int)
@click.option("--rule", required=True, help="The finding's rule code, e.g. PD004.")
@click.option("--start", type=int, required=True)
@click.option("--end", type=int, required=True)
@click.option("--reason", required=True, help="Why it is acceptable (recorded and shown with the post).")
@as_option
def override_command(
    draft_id: int, rule: str, start: int, end: int, reason: str, as_email: str | None
) -> None:
    """Let one blocking finding through, with a written reason (SMT)."""
    user = _setup(as_email, "posts.approve_senior")
    from socialguard.content import services

    service_call(
        lambda: services.draft_override(
            actor=user, draft=_draft(user, draft_id), rule=rule, start=start, end=end, reason=reason
        )
    )
    click.echo(f"{rule} overridden.")


@posts_group.command("mark-criticism")
@click.argument("draft_id", type=int)
@click.option("--comment", default="", help="What criticism it answers.")
@as_option
def mark_criticism_command(draft_id: int, comment: str, as_email: str | None) -> None:
    """Mark a reply as answering adverse criticism: only SMT approve it from then on (5.1)."""
    user = _setup(as_email, "posts.approve_senior")
    from socialguard.content import services

    draft = service_call(
        lambda: services.draft_mark_criticism(actor=user, draft=_draft(user, draft_id), comment=comment)
    )
    click.echo(f"Marked: {draft.get_state_display().lower()}; SMT approve it.")


@posts_group.command("publish")
@click.argument("draft_id", type=int)
@click.option("--url", default="", help="Manual path: where you published the approved post by hand.")
@click.option("--published-at", default=None, help="Manual path: when, if not now.")
@as_option
def publish_command(draft_id: int, url: str, published_at: str | None, as_email: str | None) -> None:
    """Publish a due approved post now (as the worker would), try a failed one again, or record
    one published by hand (--url) on a platform without a connector."""
    user = _setup(as_email, "posts.draft")
    from socialguard.content import access, publishing
    from socialguard.content.models import State

    draft = _draft(user, draft_id)
    if url or not publishing.has_connector(draft.account.platform):
        post = service_call(
            lambda: publishing.draft_record_manual_publication(
                actor=user, draft=draft, url=url, published_at=_when(published_at, "--published-at")
            )
        )
        click.echo(f"Recorded in the archive as post {post.pk}.")
        return
    if not (access.is_senior(user) or access.runs_account(user, draft.account)):
        raise click.ClickException(f"only a current runner of {draft.account} or SMT publishes its posts")
    if draft.state == State.FAILED:
        draft = service_call(lambda: publishing.draft_retry(actor=user, draft=draft))
    outcome = publishing.publish(draft.pk)
    draft.refresh_from_db()
    click.echo(
        f"{outcome}: {draft.get_state_display().lower()}"
        + (f" ({draft.last_error})" if draft.last_error else "")
    )
    if draft.state == State.FAILED:
        sys.exit(1)


@posts_group.command("archive")
@click.option("--search", "q", default="", help='Words, "a phrase", -word, word*.')
@click.option("--account", "account_ref", default="", help="Account id or handle.")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--author", default="", help="The drafter's staff register id.")
@click.option("--category", default="", help="A finding category, e.g. personal-data.")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text")
@as_option
def archive_command(
    q: str,
    account_ref: str,
    date_from: dt.datetime | None,
    date_to: dt.datetime | None,
    author: str,
    category: str,
    fmt: str,
    as_email: str | None,
) -> None:
    """Search what the organisation published (all of it for SMT, the Quality Director and the
    auditor; your accounts' posts otherwise)."""
    user = _setup(as_email, "posts.archive")
    from socialguard.content import archive

    posts = archive.archive_search(
        user,
        q=q,
        account_id=_account(user, account_ref).pk if account_ref else None,
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None,
        author=author,
        category=category,
    )
    if fmt == "csv":
        click.echo(archive.export_csv(posts), nl=False)
    elif fmt == "json":
        click.echo(archive.export_json(posts))
    else:
        rows = list(posts)
        if not rows:
            click.echo("Nothing found.")
        for p in rows:
            deleted = " (deleted)" if p.deleted_at else ""
            click.echo(
                f"{p.pk}\t{p.published_at:%Y-%m-%d %H:%M}\t{p.account}\t{p.drafter_name}\t"
                f"{p.url or p.uri}{deleted}"
            )
            click.echo(f"\t{p.text[:120]!r}")


COMMANDS = [posts_group]
