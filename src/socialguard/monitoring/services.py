"""Monitoring's writes: sources, polling (fetch → store with the cursor → check → alert), alert
triage and the retention purge. Each decision on an alert is one transaction with its audit event.

Restart safety: a page's items and the cursor after them are stored in one transaction, before
anything is checked; items are checked afterwards (`process_pending`), so a crash between the
two leaves unchecked items that the next poll checks. The database keeps one item per source
and platform id and one alert per item key, so nothing is stored or raised twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone

from socialguard.accounts.models import AccountStatus, OrgAccount
from socialguard.audit.services import audit_record
from socialguard.connectors import base as connectors
from socialguard.identity.permissions import can
from socialguard.monitoring import access, criticism, exports, fetchers
from socialguard.monitoring.models import (
    OPEN_STATES,
    PRIORITY,
    Alert,
    AlertKind,
    AlertState,
    Health,
    Item,
    Kind,
    Source,
)
from socialguard.rules import AccountKind, Post, Severity, Verdict
from socialguard.rules.model import mended

log = logging.getLogger(__name__)

MAX_PAGES_PER_POLL = 20
MAX_BACKOFF = dt.timedelta(hours=6)
MIN_REASON = 5
BATCH = 256
BLUESKY_KINDS = (Kind.BLUESKY_OWN, Kind.BLUESKY_MENTIONS, Kind.BLUESKY_LOOKALIKES)
# Sources whose items are the organisation's own posts (matched against the archive, on an account).
OWN_POST_KINDS = (Kind.BLUESKY_OWN, Kind.EXPORT)


def retention_days() -> int:
    return int(getattr(settings, "MONITORING_RETENTION_DAYS", 30))


# --- Sources -------------------------------------------------------------------------------------


def _require(actor: Any, action: str, doing: str) -> None:
    if not can(actor, action):
        raise PermissionDenied(f"only SMT {doing}")


def organisation_terms() -> list[str]:
    """What a mention is: the organisation's names, aliases and handles (from the register)."""
    from socialguard.people.selectors import organisation_get

    org = organisation_get()
    handles = [h.lstrip("@") for h in org.handle_list]
    handles += [a.handle.lstrip("@") for a in OrgAccount.objects.exclude(status=AccountStatus.CLOSED)]
    return list(dict.fromkeys(t for t in [org.name, *org.alias_list, *handles] if t and t.strip()))


def source_save(
    *,
    actor: Any,
    source: Source | None = None,
    name: str,
    kind: str,
    account: OrgAccount | None = None,
    config: dict[str, Any] | None = None,
    every_minutes: int = 15,
    enabled: bool = True,
) -> Source:
    """Add or change a source (SMT). Only organisational accounts from the registry are read as
    'own'; a search or feed reads public posts that mention the organisation (4.2)."""
    _require(actor, "monitoring.manage", "add and change monitoring sources")
    config = dict(config or {})
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "give the source a name"
    if kind not in Kind.values:
        errors["kind"] = f"choose one of {', '.join(Kind.values)}"
    if kind in (*BLUESKY_KINDS, Kind.BLUESKY_STREAM):
        if account is None or account.platform != "bluesky":
            errors["account"] = "choose the organisational Bluesky account to read with"
        elif account.status != AccountStatus.ACTIVE:
            errors["account"] = f"{account} is {account.get_status_display().lower()}"
    if kind == Kind.FEED:
        url = str(config.get("url", "")).strip()
        if not url.lower().startswith(("http://", "https://")) or len(url) > 1000:
            errors["url"] = "give the feed's web address (http:// or https://)"
        config = {"url": url, "only_mentions": bool(config.get("only_mentions", True))}
    if kind == Kind.EXPORT:
        platform = str(config.get("platform", ""))
        if platform not in exports.PARSERS:
            errors["platform"] = f"choose one of {', '.join(exports.PARSERS)}"
        elif account is None or account.platform != platform:
            errors["account"] = f"choose the organisational {platform} account the export is from"
        config = {"platform": platform}
    if kind in (Kind.BLUESKY_MENTIONS, Kind.BLUESKY_LOOKALIKES, Kind.BLUESKY_STREAM):
        terms = [str(t).strip() for t in config.get("terms", []) if str(t).strip()]
        url = str(config.get("url", "")).strip()
        config = {"terms": terms[:20]}  # blank: the organisation's names, aliases and handles
        if kind == Kind.BLUESKY_STREAM:
            # The relay or PDS whose event stream is read; blank: the account's server's.
            if url and (
                not url.lower().startswith(("wss://", "ws://", "https://", "http://")) or len(url) > 300
            ):
                errors["url"] = "give the event stream's address (wss://…), or leave it blank"
            config["url"] = url
    if not 5 <= every_minutes <= 7 * 24 * 60:
        errors["every_minutes"] = "poll between every 5 minutes and once a week"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        created = source is None
        if source is None:
            source = Source(created_by=actor)
        elif source.kind != kind:
            source.cursor = {}  # a different listing: start afresh
        source.name = name.strip()[:120]
        source.kind = kind
        source.account = account
        source.config = config
        source.every_minutes = every_minutes
        source.enabled = enabled
        if not enabled:
            source.health = Health.PAUSED
        elif source.health == Health.PAUSED:
            source.health = Health.NEW
        source.next_poll_at = None
        source.save()
        audit_record(
            actor=actor,
            action="monitoring.source_created" if created else "monitoring.source_changed",
            target=source,
            after={"kind": kind, "account": str(account or ""), "config": config, "enabled": enabled},
        )
    return source


# --- Polling -------------------------------------------------------------------------------------


@dataclass
class PollResult:
    source: str
    stored: int = 0
    checked: int = 0
    alerts: int = 0
    pages: int = 0
    error: str = ""
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        if self.error:
            return f"{self.source}: {self.error}"
        return f"{self.source}: {self.stored} new, {self.checked} checked, {self.alerts} alert(s)"


def _connector(source: Source) -> connectors.Connector:
    from socialguard.content.publishing import credentials_for

    account = source.account
    if account is None:
        raise fetchers.FetchError("The source has no organisational account to read with.")
    credentials = credentials_for(account)
    if credentials is None:
        error = fetchers.FetchError(
            f"{account} has no app password in the vault: an SMT member stores one on the account's page "
            f"(Accounts → {account.handle})."
        )
        error.retryable = False
        raise error
    connector = connectors.connector_for(account.platform, credentials)
    if connector is None:
        raise fetchers.FetchError(f"There is no connector for {account.get_platform_display()}.")
    return connector


def _known(source: Source) -> Any:
    def known(ids: list[str]) -> set[str]:
        return set(
            Item.objects.filter(source=source, external_id__in=ids).values_list("external_id", flat=True)
        )

    return known


def _registered() -> set[str]:
    found = {a.handle.lower().lstrip("@") for a in OrgAccount.objects.filter(platform="bluesky")}
    from socialguard.people.selectors import organisation_get

    found |= {h.lower().lstrip("@") for h in organisation_get().handle_list}
    return found


def fetch_page(source: Source, connector: connectors.Connector | None = None) -> fetchers.Page:
    terms = source.config.get("terms") or organisation_terms()
    if source.kind == Kind.FEED:
        return fetchers.feed(
            source.config["url"], source.cursor, terms, source.config.get("only_mentions", True)
        )
    connector = connector or _connector(source)
    if source.kind == Kind.BLUESKY_OWN:
        return fetchers.bluesky_own(connector, source.cursor, _known(source))
    if source.kind == Kind.BLUESKY_MENTIONS:
        return fetchers.bluesky_mentions(connector, source.cursor, _known(source), terms)
    if source.kind == Kind.BLUESKY_LOOKALIKES:
        return fetchers.bluesky_lookalikes(connector, terms, organisation_terms(), _registered())
    raise fetchers.FetchError("An export is uploaded, not polled.")


def store_page(source: Source, page: fetchers.Page) -> int:
    """Store the page's new items and the cursor after them, in one transaction."""
    now = timezone.now()
    with transaction.atomic():
        locked = Source.objects.select_for_update().get(pk=source.pk)
        ids = [_external_id(i) for i in page.items]
        existing = set(
            Item.objects.filter(source=locked, external_id__in=ids).values_list("external_id", flat=True)
        )
        new = _new_items(locked, page.items, existing, now)
        Item.objects.bulk_create(new)
        locked.cursor = page.cursor
        locked.save(update_fields=["cursor"])
        source.cursor = page.cursor
    return len(new)


def _external_id(raw: fetchers.RawItem) -> str:
    return mended(raw.external_id[:500])


def _new_items(
    source: Source, raws: Sequence[fetchers.RawItem], existing: set[str], now: dt.datetime
) -> list[Item]:
    new = []
    for raw in raws:
        external_id = _external_id(raw)
        if external_id in existing:
            continue
        existing.add(external_id)
        new.append(
            Item(
                source=source,
                # A network's JSON can spell half a character; PostgreSQL and the models take none.
                external_id=external_id,
                key=mended(raw.key[:500]),
                platform=raw.platform[:20],
                url=mended(raw.url[:1000]),
                author=mended(raw.author[:300]),
                text=mended(raw.text[:63_206]),
                posted_at=raw.posted_at,
                fetched_at=now,
            )
        )
    return new


def _failed(source: Source, error: Exception, retryable: bool) -> None:
    now = timezone.now()
    source.failures += 1
    source.health = Health.FAILING
    source.last_error = str(error)[:2000] or type(error).__name__
    wait = dt.timedelta(minutes=source.every_minutes) * (2 ** min(source.failures - 1, 8))
    source.next_poll_at = now + min(wait, MAX_BACKOFF) if retryable else now + MAX_BACKOFF
    source.last_polled_at = now
    source.save(update_fields=["failures", "health", "last_error", "next_poll_at", "last_polled_at"])
    log.warning("Monitoring source %s failed: %s", source.pk, source.last_error)


def poll(
    source: Source,
    *,
    connector: connectors.Connector | None = None,
    max_pages: int = MAX_PAGES_PER_POLL,
    engine: Any | None = None,
) -> PollResult:
    """Read the source's new items, store them with the cursor, check them and raise alerts.
    A failure is recorded on the source (with back-off), never raised: the poller carries on."""
    result = PollResult(source.name)
    if source.kind == Kind.EXPORT:
        result.error = "an export is uploaded, not polled"
        return result
    if source.kind == Kind.BLUESKY_STREAM:
        result.error = "an event stream is read continuously by `socialguard monitor stream`, not polled"
        return result
    if not source.enabled:
        # Paused is paused: neither "Read now" nor a poll enqueued before the pause reads it.
        result.error = "this source is paused: resume it to read it"
        return result
    try:
        if connector is None and source.kind in BLUESKY_KINDS:
            # One connector for the whole poll: it signs in once (Bluesky limits sign-ins).
            connector = _connector(source)
        while result.pages < max_pages:
            page = fetch_page(source, connector)
            result.pages += 1
            result.stored += store_page(source, page)
            if not page.more:
                break
    except fetchers.FetchError as error:
        _failed(source, error, error.retryable)
        result.error = str(error)
    except Exception as error:  # a bug or a surprise from a library: recorded, not a crashed poller
        log.exception("Monitoring source %s failed unexpectedly", source.pk)
        _failed(source, error, True)
        result.error = f"{type(error).__name__}: {error}"
    else:
        now = timezone.now()
        source.health = Health.OK
        source.failures = 0
        source.last_error = ""
        source.last_polled_at = source.last_ok_at = now
        source.next_poll_at = now + dt.timedelta(minutes=source.every_minutes)
        source.save(
            update_fields=["health", "failures", "last_error", "last_polled_at", "last_ok_at", "next_poll_at"]
        )
    _check(source, result, engine)
    return result


def _check(source: Source, result: PollResult, engine: Any | None = None) -> None:
    """Check what the source stored and raise its alerts. A failure here (the database, or a
    surprise in the engine) is recorded on the source like a fetch failure, not raised: the
    items stay stored and unchecked, and the next poll checks them."""
    try:
        result.checked, result.alerts = process_pending(source=source, engine=engine)
    except Exception as error:
        log.exception("Monitoring source %s: checking its items failed", source.pk)
        waiting = Item.objects.filter(source=source, checked_at__isnull=True).count()
        failure = RuntimeError(
            f"{waiting} item(s) read but not yet checked ({type(error).__name__}: {error}); "
            "they are checked at the next poll."
        )
        if not result.error:  # a fetch failure already set the source failing, with its wait
            _failed(source, failure, True)
            result.error = str(failure)


# --- The event stream (`socialguard monitor stream`) ------------------------------------------------


def store_stream(source: Source, seq: int, posts: Sequence[Any], own: dict[str, Source]) -> int:
    """Posts kept from the stream and the stream's seq after them, in one transaction: a restart
    resumes after `seq` and misses or repeats nothing. A post by one of our accounts goes to that
    account's own-posts source (so it is matched against the archive like a polled one); the
    rest to the stream source. Then each is checked. Returns how many were new."""
    from socialguard.monitoring.stream import raw_item

    now = timezone.now()
    by_source: dict[int, tuple[Source, list[fetchers.RawItem]]] = {source.pk: (source, [])}
    for post in posts:
        target = own.get(post.did, source)
        by_source.setdefault(target.pk, (target, []))[1].append(raw_item(post))
    stored = 0
    with transaction.atomic():
        locked = Source.objects.select_for_update().get(pk=source.pk)
        for target, raws in by_source.values():
            if not raws:
                continue
            ids = [_external_id(r) for r in raws]
            existing = set(
                Item.objects.filter(source=target, external_id__in=ids).values_list("external_id", flat=True)
            )
            new = _new_items(target, raws, existing, now)
            Item.objects.bulk_create(new)
            stored += len(new)
        locked.cursor = {"seq": seq}
        locked.last_polled_at = locked.last_ok_at = now
        locked.save(update_fields=["cursor", "last_polled_at", "last_ok_at"])
        source.cursor = locked.cursor
    check_stream_items(source, [target for target, raws in by_source.values() if raws])
    return stored


def check_stream_items(source: Source, targets: Sequence[Source]) -> None:
    """Check what the stream stored for `targets`. A failure (the database, or a surprise in the
    engine) is shown on the stream's source and not raised: the posts and the seq are stored
    already, so the reader carries on; what was left unchecked is checked with the next posts for
    that source, or when the reader (re)connects."""
    for target in targets:
        try:
            process_pending(source=target)
        except Exception as error:
            log.exception("Event stream %s: checking the posts of %s failed", source.pk, target.pk)
            waiting = Item.objects.filter(source=target, checked_at__isnull=True).count()
            Source.objects.filter(pk=source.pk).update(
                health=Health.FAILING,
                last_error=(
                    f"{waiting} post(s) read but not yet checked ({type(error).__name__}: {error}); "
                    "they are checked with the next posts, or when the reader reconnects."
                )[:2000],
            )


def stream_status(source: Source, ok: bool, error: str = "", wait_s: float = 0.0) -> None:
    """The stream's connection as the source's health: working, or failing with the reason and
    when the reader tries again."""
    now = timezone.now()
    if ok:
        Source.objects.filter(pk=source.pk).update(
            health=Health.OK, failures=0, last_error="", last_ok_at=now, next_poll_at=None
        )
    else:
        source.refresh_from_db(fields=["failures"])
        Source.objects.filter(pk=source.pk).update(
            health=Health.FAILING,
            failures=source.failures + 1,
            last_error=f"The event stream: {error}"[:2000],
            last_polled_at=now,
            next_poll_at=now + dt.timedelta(seconds=wait_s),
        )


def stream_reader(source: Source, **options: Any) -> Any:
    """A reader for an event-stream source: its terms (blank: the organisation's names, aliases
    and handles), our active Bluesky accounts' DIDs (their posts, and posts mentioning them), the
    stream's address, and the stored seq to resume after."""
    from socialguard.connectors.bluesky import DEFAULT_SERVICE
    from socialguard.monitoring import stream

    if source.kind != Kind.BLUESKY_STREAM:
        raise ValidationError("this source is not an event stream")
    service = (source.account.service_url if source.account else "") or DEFAULT_SERVICE
    base = source.config.get("url") or (
        service if source.account and source.account.service_url else stream.RELAY
    )
    accounts = OrgAccount.objects.filter(platform="bluesky", status=AccountStatus.ACTIVE)
    handles = {a.handle.lstrip("@"): a for a in accounts}
    dids, missing = stream.resolve_dids(service, handles)
    own_sources = {
        s.account_id: s
        for s in Source.objects.filter(kind=Kind.BLUESKY_OWN, account__in=accounts, enabled=True)
    }
    own = {did: own_sources.get(handles[handle].pk, source) for did, handle in dids.items()}
    notes = []
    if missing:
        log.warning("Event stream %s: could not resolve %s", source.pk, ", ".join(missing))
        notes.append(
            f"Could not find {', '.join('@' + h for h in missing)} on Bluesky, so "
            f"{'its' if len(missing) == 1 else 'their'} own posts are not followed (posts naming "
            f"{'it' if len(missing) == 1 else 'them'} still are). Check the handle in the accounts "
            "registry, then restart the reader."
        )
    unwatched = sorted(handle for handle in dids.values() if handles[handle].pk not in own_sources)
    if unwatched:
        # Their posts still reach the stream source, but there they are read as mentions: not
        # matched against the archive, and a negative one could be raised as criticism of us.
        notes.append(
            f"{', '.join('@' + h for h in unwatched)} "
            f"{'has' if len(unwatched) == 1 else 'have'} no own-posts source, so "
            f"{'its' if len(unwatched) == 1 else 'their'} posts are read as mentions and not "
            "matched against the archive. Add an own-posts source for "
            f"{'it' if len(unwatched) == 1 else 'each'}, then restart the reader."
        )
    source.warning = " ".join(notes)
    Source.objects.filter(pk=source.pk).update(warning=source.warning)
    wanted = stream.Wanted(terms=source.config.get("terms") or organisation_terms(), own=own)

    def url() -> str:
        if not connection.in_atomic_block:
            # After a database error the connection may be broken: a fresh one for the retry.
            close_old_connections()
        source.refresh_from_db(fields=["cursor"])
        # Before each (re)connect: anything a failure left stored but unchecked.
        check_stream_items(source, [source, *{s.pk: s for s in own.values() if s.pk != source.pk}.values()])
        seq = source.cursor.get("seq")
        return stream.stream_url(base, int(seq) if isinstance(seq, int) else None)

    return stream.Reader(
        url=url,
        wanted=wanted,
        store=lambda seq, posts: store_stream(source, seq, posts, own),
        status=lambda ok, error, wait: stream_status(source, ok, error, wait),
        **options,
    )


def import_export(*, actor: Any, source: Source, data: bytes, filename: str = "") -> PollResult:
    """Read an uploaded platform export into the source (SMT). A file of the wrong shape is
    refused whole, with what was expected."""
    _require(actor, "monitoring.manage", "upload platform exports")
    if source.kind != Kind.EXPORT:
        raise ValidationError("this source is not a platform export")
    result = PollResult(source.name)
    try:
        items = exports.parse(source.config.get("platform", ""), data)
    except exports.ExportError as error:
        source.health = Health.FAILING
        source.last_error = f"{filename or 'The file'}: {error}"[:2000]
        source.last_polled_at = timezone.now()
        source.save(update_fields=["health", "last_error", "last_polled_at"])
        raise ValidationError(str(error)) from None
    result.stored = store_page(source, fetchers.Page(items, {"file": filename[:200]}))
    source.health, source.last_error = Health.OK, ""
    source.last_polled_at = source.last_ok_at = timezone.now()
    source.save(update_fields=["health", "last_error", "last_polled_at", "last_ok_at"])
    audit_record(
        actor=actor,
        action="monitoring.export_imported",
        target=source,
        after={"file": filename[:200], "items": len(items), "new": result.stored},
    )
    _check(source, result)
    return result


# --- Checking and alerting -----------------------------------------------------------------------


@dataclass
class Decision:
    kinds: list[str]
    reasons: list[str]
    findings: list[dict[str, Any]]
    verdict: str
    score: float | None


def _archived(items: Sequence[Item]) -> set[int]:
    """The own-account items that match a post in the archive (by URI, record key or link)."""
    from socialguard.content.models import PublishedPost

    uris = [i.external_id for i in items]
    rkeys = [i.external_id.rsplit("/", 1)[-1] for i in items]
    urls = [i.url for i in items if i.url]
    posts = PublishedPost.objects.filter(uri__in=uris) | PublishedPost.objects.filter(record_key__in=rkeys)
    posts = posts | PublishedPost.objects.filter(url__in=urls)
    found_uris, found_keys, found_urls = set(), set(), set()
    for uri, rkey, url, account_id in posts.values_list("uri", "record_key", "url", "account_id"):
        found_uris.add(uri)
        found_keys.add((rkey, account_id))
        found_urls.add(url)
    matched = set()
    for item in items:
        rkey = item.external_id.rsplit("/", 1)[-1]
        if (
            item.external_id in found_uris
            or (rkey, item.source.account_id) in found_keys
            or (item.url and item.url in found_urls)
        ):
            matched.add(item.pk)
    return matched


def decide(items: Sequence[Item], engine: Any | None = None) -> list[Decision]:
    """What each item calls for: the engine's findings with the organisation's pack and register,
    the adverse-criticism judgement, and what the source says about it."""
    from socialguard.policies.engine import policy_engine

    engine = engine or policy_engine()
    # A look-alike item is our own sentence about an account, not a post: nothing in it to check
    # or to judge as criticism (read as a post, it was once taken for disparagement of us).
    # Kept by position, not by pk: the items need not be saved yet.
    decisions: list[Decision | None] = [
        Decision([AlertKind.LOOKALIKE], [i.text], [], str(Verdict.PASS), None)
        if i.source.kind == Kind.BLUESKY_LOOKALIKES
        else None
        for i in items
    ]
    at = [k for k, d in enumerate(decisions) if d is None]
    posts = [items[k] for k in at]
    own = [i.source.kind in OWN_POST_KINDS for i in posts]
    reports = list(
        engine.check_many(
            Post(text=i.text, id=str(i.pk), platform=i.platform, account=AccountKind.ORGANISATIONAL)
            for i in posts
        )
    )
    # The event stream keeps only posts naming us or mentioning our accounts, as a search does.
    about = [i.source.kind in (Kind.BLUESKY_MENTIONS, Kind.FEED, Kind.BLUESKY_STREAM) for i in posts]
    judgements = criticism.judge(engine, reports, about)
    archived = _archived([i for i, o in zip(posts, own, strict=True) if o])
    for k, item, is_own, report, judgement in zip(at, posts, own, reports, judgements, strict=True):
        kinds: list[str] = []
        reasons: list[str] = []
        findings = [f.as_dict() for f in report.findings]
        serious = [f for f in report.findings if f.severity in (Severity.BLOCK, Severity.REVIEW)]
        if (serious or judgement.adverse) and criticism.names(engine, report.post).has(
            "name:learner", "name:past_learner"
        ):
            kinds.append(AlertKind.SAFEGUARDING)
            reasons.append(
                "names a learner from the register, with "
                + (serious[0].message if serious else judgement.reason)
            )
        if is_own:
            if item.pk not in archived:
                kinds.append(AlertKind.UNAPPROVED_POST)
                reasons.append(
                    f"posted on {item.source.account} but not through socialguard: not in the archive"
                )
            if serious:
                kinds.append(AlertKind.OWN_FINDING)
                reasons += [f"{f.rule} {f.name} ({f.clause}): {f.message}" for f in serious]
        elif judgement.adverse:
            kinds.append(AlertKind.CRITICISM)
            reasons.append(f"adverse criticism: {judgement.reason}")
        elif any(f.severity == Severity.BLOCK for f in report.findings):
            kinds.append(AlertKind.FINDING)
            reasons += [f"{f.rule} {f.name} ({f.clause}): {f.message}" for f in serious]
        decisions[k] = Decision(kinds, reasons, findings, str(report.verdict), judgement.score)
    return [d for d in decisions if d is not None]


def _new_alert(item: Item, decision: Decision, now: dt.datetime) -> Alert:
    return Alert(
        dedup_key=item.key,
        kind=min(decision.kinds, key=PRIORITY.index),
        reasons=list(decision.reasons),
        # Only an own-account post is "on" one of our accounts (its runners see it); a mention,
        # a feed entry or a look-alike was only read with one.
        account=item.source.account if item.source.kind in OWN_POST_KINDS else None,
        platform=item.platform,
        url=item.url,
        uri=item.external_id if item.external_id.startswith("at://") else "",
        # An export does not name the author: on our own account, it is the account.
        author=item.author or (item.source.account.handle if item.source.account else ""),
        text=item.text,
        findings=decision.findings,
        verdict=decision.verdict,
        criticism_score=decision.score,
        created_at=now,
    )


def _merge(alert: Alert, item: Item, decision: Decision) -> bool:
    """Another source's view of the same item: its reasons added, the stronger kind kept."""
    changed = False
    kind = min(decision.kinds, key=PRIORITY.index)
    if PRIORITY.index(kind) < PRIORITY.index(alert.kind):
        alert.kind, changed = kind, True
    for reason in decision.reasons:
        if reason not in alert.reasons:
            alert.reasons = [*alert.reasons, reason]
            changed = True
    if alert.account_id is None and item.source.kind in OWN_POST_KINDS:
        alert.account, changed = item.source.account, True
    return changed


def _raise(item: Item, decision: Decision) -> tuple[Alert, bool]:
    """One item's alert, created or merged into the one another source raised for it (the
    fallback when a batch's insert collides with another worker's)."""
    alert = Alert.objects.select_for_update().filter(dedup_key=item.key).first()
    if alert is None:
        try:
            with transaction.atomic():
                alert = _new_alert(item, decision, timezone.now())
                alert.save()
            return alert, True
        except IntegrityError:  # another worker raised it a moment ago
            alert = Alert.objects.select_for_update().get(dedup_key=item.key)
    if _merge(alert, item, decision):
        alert.save(update_fields=["kind", "reasons", "account"])
    return alert, False


def _raise_all(pairs: Sequence[tuple[Item, Decision]]) -> int:
    """The alerts for a batch of checked items, in a fixed number of queries however many items:
    the existing alerts for their keys read (and locked) at once, the new ones inserted at once,
    the merged ones updated at once. One alert per key, within the batch too. Sets each item's
    alert; returns how many alerts were new. Runs inside the caller's transaction."""
    if not pairs:
        return 0
    now = timezone.now()
    keys = {item.key for item, _ in pairs}
    found = {a.dedup_key: a for a in Alert.objects.select_for_update().filter(dedup_key__in=keys)}
    fresh: dict[str, Alert] = {}
    changed: dict[str, Alert] = {}
    for item, decision in pairs:
        if item.key in found:
            if _merge(found[item.key], item, decision):
                changed[item.key] = found[item.key]
        elif item.key in fresh:
            _merge(fresh[item.key], item, decision)
        else:
            fresh[item.key] = _new_alert(item, decision, now)
    try:
        with transaction.atomic():  # a savepoint: a collision undoes only the insert
            created = Alert.objects.bulk_create(list(fresh.values()))
    except IntegrityError:  # another worker raised one of them meanwhile: one at a time instead
        raised = 0
        for item, decision in pairs:
            alert, new = _raise(item, decision)
            item.alert = alert
            raised += new
        return raised
    if any(a.pk is None for a in created):  # a database that does not return the new ids
        ids = dict(Alert.objects.filter(dedup_key__in=list(fresh)).values_list("dedup_key", "pk"))
        for alert in created:
            alert.pk = ids[alert.dedup_key]
    if changed:
        Alert.objects.bulk_update(list(changed.values()), ["kind", "reasons", "account"])
    for item, _ in pairs:
        item.alert = found.get(item.key) or fresh[item.key]
    return len(fresh)


def process_pending(
    *, source: Source | None = None, limit: int = 5000, engine: Any | None = None
) -> tuple[int, int]:
    """Check unchecked items and raise their alerts; (items checked, alerts raised). Each batch
    is checked with the engine at once and written in a fixed number of queries."""
    pending = Item.objects.filter(checked_at__isnull=True).defer("posted_at", "fetched_at", "checked_at")
    if source is None:
        pending = pending.select_related("source", "source__account")
    else:
        pending = pending.filter(source=source)
        source.account  # noqa: B018 - loaded once here, not once per item
    checked = raised = 0
    ids = list(pending.order_by("pk").values_list("pk", flat=True)[:limit])
    for start in range(0, len(ids), BATCH):
        items = list(pending.filter(pk__in=ids[start : start + BATCH]).order_by("pk"))
        if source is not None:
            for item in items:
                item.source = source  # one source: not read again with every row
        decisions = decide(items, engine)
        alerting = [(i, d) for i, d in zip(items, decisions, strict=True) if d.kinds]
        with transaction.atomic():
            raised += _raise_all(alerting)
            if alerting:
                Item.objects.bulk_update([i for i, _ in alerting], ["alert"])
            Item.objects.filter(pk__in=[i.pk for i in items]).update(checked_at=timezone.now())
        checked += len(items)
    return checked, raised


# --- Triage --------------------------------------------------------------------------------------


def _lock(alert: Alert) -> Alert:
    return Alert.objects.select_for_update(of=("self",)).select_related("account").get(pk=alert.pk)


def _decided(actor: Any, alert: Alert, state: str) -> None:
    alert.state = state
    alert.decided_at = timezone.now()
    alert.decided_by = actor
    alert.save()


def _audit(actor: Any, action: str, alert: Alert, **after: Any) -> None:
    audit_record(
        actor=actor,
        action=f"monitoring.{action}",
        target=alert,
        after={"kind": alert.kind, "state": alert.state, **after},
    )


def _open_for(actor: Any, alert: Alert) -> Alert:
    if not access.may_triage(actor, alert):
        raise PermissionDenied("you may not act on this alert")
    alert = _lock(alert)
    if alert.state not in OPEN_STATES:
        raise ValidationError(f"this alert is already {alert.get_state_display().lower()}")
    return alert


def alert_dismiss(*, actor: Any, alert: Alert, reason: str) -> Alert:
    if len(reason.strip()) < MIN_REASON:
        raise ValidationError({"reason": "say why it needs no action"})
    with transaction.atomic():
        alert = _open_for(actor, alert)
        alert.dismiss_reason = reason.strip()[:2000]
        _decided(actor, alert, AlertState.DISMISSED)
        _audit(actor, "alert_dismissed", alert, reason=alert.dismiss_reason)
    return alert


def alert_assign(*, actor: Any, alert: Alert, assignee: Any) -> Alert:
    with transaction.atomic():
        alert = _open_for(actor, alert)
        if assignee is None or not access.may_see(assignee, alert):
            raise ValidationError({"assignee": "choose someone who may see this alert"})
        alert.assignee = assignee
        alert.state = AlertState.ASSIGNED
        alert.save(update_fields=["assignee", "state"])
        _audit(actor, "alert_assigned", alert, assignee=str(assignee))
    return alert


CASE_CATEGORY = {
    AlertKind.SAFEGUARDING: "safeguarding",
    AlertKind.CRITICISM: "criticism",
    AlertKind.OWN_FINDING: "offensive",
}


def alert_to_case(*, actor: Any, alert: Alert, summary: str = "") -> Any:
    """Raise a case from the alert, as monitoring (source 'monitoring_alert'), pointing back at it."""
    from socialguard.incidents.models import Category
    from socialguard.incidents.services import report_submit

    with transaction.atomic():
        alert = _open_for(actor, alert)
        if not can(actor, "cases.report"):
            raise PermissionDenied("you may not report a concern")
        category = CASE_CATEGORY.get(AlertKind(alert.kind), "other")
        if category not in Category.values:
            category = "other"
        text = summary.strip() or (
            f"Monitoring alert: {alert.get_kind_display()}. " + "; ".join(alert.reasons)
        )
        case = report_submit(
            actor=None,
            category=category,
            summary=f"{text}\n\nRaised from the alert by {actor}.\n\n{alert.text}"[:10_000],
            platform=alert.platform if alert.platform != "web" else "",
            url=alert.url if alert.url.startswith(("http://", "https://")) else "",
            account=alert.author,
            happened_on=None,
            source="monitoring_alert",
            source_ref=f"alert:{alert.pk}",
        )
        alert.case = case
        _decided(actor, alert, AlertState.CASE)
        _audit(actor, "alert_to_case", alert, case=case.reference)
    return case


def alert_respond(*, actor: Any, alert: Alert, text: str, account: OrgAccount | None = None) -> Any:
    """SMT answer adverse criticism: a reply draft marked as answering criticism, so that only SMT
    approve it (5.1). It goes through the content workflow like any other post."""
    from socialguard.content import services as content

    if not access.is_senior(actor):
        raise PermissionDenied("only SMT answer adverse criticism (policy 5.1)")
    account = account or alert.account or _reply_account(alert)
    if account is None:
        raise ValidationError({"account": "choose the organisational account to reply from"})
    with transaction.atomic():
        alert = _open_for(actor, alert)
        draft = content.draft_save(
            actor=actor,
            account=account,
            text=text,
            is_reply=True,
            reply_to=alert.uri or alert.url,
            reply_to_criticism=True,
        )
        draft = content.draft_mark_criticism(
            actor=actor, draft=draft, comment=f"From monitoring alert {alert.pk}"
        )
        alert.reply_draft = draft
        _decided(actor, alert, AlertState.RESPONDED)
        _audit(actor, "alert_responded", alert, draft=draft.pk)
    return draft


def reopen_after_reply_discarded(actor: Any, draft: Any) -> None:
    """A criticism's reply was discarded (content.services.DISCARD_HOOKS): the criticism is
    unanswered again, so its alert is open again, with whoever it was assigned to, for SMT to
    reply, dismiss or raise a case."""
    for alert in Alert.objects.select_for_update().filter(reply_draft=draft, state=AlertState.RESPONDED):
        if alert.assignee is not None and not access.may_see(alert.assignee, alert):
            alert.assignee = None  # no longer theirs to see (a role withdrawn meanwhile)
        alert.state = AlertState.ASSIGNED if alert.assignee_id else AlertState.NEW
        alert.reply_draft = None
        alert.decided_at = None
        alert.decided_by = None
        alert.save(update_fields=["state", "assignee", "reply_draft", "decided_at", "decided_by"])
        _audit(actor, "alert_reopened", alert, reason="its reply was discarded", draft=draft.pk)


def _reply_account(alert: Alert) -> OrgAccount | None:
    return (
        OrgAccount.objects.filter(platform=alert.platform, status=AccountStatus.ACTIVE).order_by("pk").first()
    )


# --- Retention -----------------------------------------------------------------------------------


def purge(now: dt.datetime | None = None) -> tuple[int, int]:
    """Delete raw items older than the retention period whose alert no longer needs them, and
    blank the words of alerts closed that long ago (their decision and audit trail stay).
    Returns (items deleted, alerts blanked)."""
    from socialguard.content.models import State as DraftState

    now = now or timezone.now()
    cut = now - dt.timedelta(days=retention_days())
    # An alert whose reply is still a draft opens again if the reply is discarded: SMT then
    # need the criticism's words, so it is kept as an open one is.
    pending = Q(state=AlertState.RESPONDED, reply_draft__isnull=False) & ~Q(
        reply_draft__state__in=(DraftState.PUBLISHED, DraftState.DISCARDED)
    )
    with transaction.atomic():
        old = Item.objects.filter(fetched_at__lt=cut, checked_at__isnull=False)
        needed = Alert.objects.filter(Q(state__in=OPEN_STATES) | pending).values("pk")
        deleted, _ = old.exclude(alert__in=needed).delete()
        blanked = (
            Alert.objects.exclude(state__in=OPEN_STATES)
            .exclude(pending)
            .filter(decided_at__lt=cut, purged_at__isnull=True)
            .update(text="", findings=[], purged_at=now)
        )
    return deleted, blanked


def poll_due(now: dt.datetime | None = None) -> list[str]:
    """Enqueue a poll for each enabled source whose time has come (the scheduler's FREQUENT hook)."""
    from django.db.models import Q

    from socialguard.monitoring.tasks import poll_source

    now = now or timezone.now()
    due = Source.objects.filter(enabled=True).exclude(kind__in=[Kind.EXPORT, Kind.BLUESKY_STREAM])
    due = due.filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
    names = []
    for source in due:
        # Pushed forward now, so that the next scheduler pass does not enqueue it again.
        Source.objects.filter(pk=source.pk).update(
            next_poll_at=now + dt.timedelta(minutes=source.every_minutes)
        )
        poll_source.enqueue(source_id=source.pk)
        names.append(source.name)
    return names
