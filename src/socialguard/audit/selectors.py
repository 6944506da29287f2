"""Reads of the audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property

from socialguard.audit import chain, checkpoints
from socialguard.audit.keys import audit_key
from socialguard.audit.labels import ACTIONS
from socialguard.audit.models import AuditEvent, AuditHead, AuditVerification, VerificationScope

CHECKPOINTED = "audit.checkpointed"


@dataclass(frozen=True)
class AuditFilter:
    q: str = ""
    action: str = ""
    object_type: str = ""
    actor: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def audit_events(*, filters: AuditFilter | None = None) -> QuerySet[AuditEvent]:
    """Events newest first, narrowed by the filter. Callers check `audit.view` first."""
    events = AuditEvent.objects.all()
    f = filters or AuditFilter()
    if f.action:
        events = events.filter(action=f.action)
    if f.object_type:
        events = events.filter(object_type=f.object_type)
    if f.actor:
        events = events.filter(actor_label__icontains=f.actor)
    if f.since:
        events = events.filter(at__date__gte=f.since)
    if f.until:
        events = events.filter(at__date__lte=f.until)
    if f.q:
        # "checkpoint written" finds audit.checkpointed: the page shows actions in words.
        worded = [code for code, words in ACTIONS.items() if f.q.lower() in words.lower()]
        events = events.filter(
            Q(object_repr__icontains=f.q) | Q(action__icontains=f.q) | Q(action__in=worded) | Q(object_id=f.q)
        )
    return events


# Some events carry details that not every reader of the trail may see: a restricted safeguarding
# case's category, severity, referrals and retention date are for the DSL and deputies alone, though
# SMT and the auditor read the trail. An app that records such events registers a function here:
# given the reader, it answers None (they may read everything) or a test of (object_type, object_id)
# naming the objects whose events' details are withheld from them. The audit app cannot import the
# apps above it, so they register themselves (incidents does, in its AppConfig.ready).
Withholder = Callable[[Any], Callable[[str, str], bool] | None]
WITHHOLDERS: list[Withholder] = []
WITHHELD = {"withheld": "details of a restricted case are for the safeguarding team only"}


def audit_reader(*, viewer: Any) -> Callable[[AuditEvent], AuditEvent]:
    """A function that gives an event as `viewer` may read it: before/after replaced by a note
    where a registered withholder says so. The page, the CSV export and the API all read through
    it. The events are only changed in memory (they cannot be saved), so the chain still verifies."""
    hides = [test for withholder in WITHHOLDERS if (test := withholder(viewer)) is not None]

    def read(event: AuditEvent) -> AuditEvent:
        if hides and any(test(event.object_type, event.object_id) for test in hides):
            event.before = dict(WITHHELD) if event.before else {}
            event.after = dict(WITHHELD) if event.after else {}
        return event

    return read


def _distinct(column: str) -> list[str]:
    """The distinct non-empty values of an indexed column, each found by one index probe (a
    "skip scan": next value greater than the last), not by reading a million rows for DISTINCT.
    Plain SQL that PostgreSQL and SQLite both run."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    col = connection.ops.quote_name(column)
    # Only quoted identifiers from the model are formatted in; nothing the user sent.
    first = f"SELECT MIN({col}) FROM {table} WHERE {col} > ''"  # noqa: S608
    after = f"SELECT MIN({col}) FROM {table} WHERE {col} > found.v"  # noqa: S608
    step = f"SELECT ({after}) FROM found WHERE found.v IS NOT NULL"  # noqa: S608
    sql = f"WITH RECURSIVE found(v) AS ({first} UNION ALL {step}) SELECT v FROM found WHERE v IS NOT NULL"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


def audit_action_names() -> list[str]:
    return _distinct("action")


def audit_object_types() -> list[str]:
    return _distinct("object_type")


class TrailPaginator(Paginator):  # type: ignore[type-arg]
    """Pages of events, newest first, that never read past the page they show.

    - The whole trail (no filter): its seq runs 1, 2, 3 … with no gaps (each event takes the
      head's next), so page n is a range of seq read from the index, and the count is the head's
      last seq: page 2,000 costs what page 1 does (OFFSET read 100,000 rows to skip them).
    - A filtered trail: counted up to MAX_PAGES pages and paged up to there; older matches are
      reached by narrowing the dates (the page says so)."""

    MAX_PAGES = 100

    def __init__(self, events: QuerySet[AuditEvent], per_page: int, *, whole: bool) -> None:
        super().__init__(events, per_page)
        self.events = events
        self.whole = whole

    @cached_property
    def last_seq(self) -> int:
        head = AuditHead.objects.first()
        return head.last_seq if head else 0

    @cached_property
    def count(self) -> int:
        if self.whole:
            return self.last_seq
        return self.events[: self.cap + 1].count()

    @property
    def cap(self) -> int:
        return self.MAX_PAGES * self.per_page

    @property
    def capped(self) -> bool:
        return not self.whole and self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        return min(super().num_pages, self.MAX_PAGES) if not self.whole else super().num_pages

    def page(self, number: Any) -> Any:
        number = self.validate_number(number)
        if not self.whole:
            return super().page(number)
        top = self.last_seq - (number - 1) * self.per_page
        items = list(self.events.filter(seq__lte=top, seq__gt=top - self.per_page))
        return Page(items, number, self)


def audit_page(*, filters: AuditFilter, number: Any, per_page: int = 50) -> Any:
    """One page of the trail, newest first (see TrailPaginator). Callers check `audit.view` first."""
    events = audit_events(filters=filters).select_related("actor")
    paginator = TrailPaginator(events, per_page, whole=filters == AuditFilter())
    return paginator.get_page(number)


def stored_rows(events: QuerySet[Any]) -> Iterator[tuple[int, int, str, str, dict[str, Any]]]:
    """(seq, scheme, prev_hash, hash, fields) for each event in seq order, fields as they were sealed.

    Takes the queryset so that the migration that keys an old chain can pass its historical model."""
    rows = events.order_by("seq").values_list(
        "seq",
        "scheme",
        "prev_hash",
        "hash",
        "at",
        "actor_id",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "before",
        "after",
        "ip_address",
    )
    for (
        seq,
        scheme,
        prev_hash,
        stored_hash,
        at,
        actor_id,
        actor_label,
        action,
        object_type,
        object_id,
        object_repr,
        before,
        after,
        ip_address,
    ) in rows.iterator(chunk_size=2000):
        fields = chain.hashed_fields(
            seq=seq,
            at=at.astimezone(dt.UTC).isoformat(),
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr,
            before=before,
            after=after,
            ip_address=ip_address,
        )
        yield seq, scheme, prev_hash, stored_hash, fields


def recorded_checkpoints() -> list[chain.Checkpoint]:
    """The checkpoints the trail says were written (`audit.checkpointed` events)."""
    found = []
    for after in (
        AuditEvent.objects.filter(action=CHECKPOINTED).order_by("seq").values_list("after", flat=True)
    ):
        try:
            found.append(
                chain.Checkpoint(seq=after["seq"], hash=after["hash"], at=after["at"], mac=after["mac"])
            )
        except (KeyError, TypeError):
            continue  # the event itself is sealed, so verification judges it; nothing to match here
    return found


def latest_checkpoint() -> chain.Checkpoint | None:
    """The newest checkpoint the trail records (the quick check starts after the one in the file)."""
    found = recorded_checkpoints()
    return found[-1] if found else None


def audit_verify(
    *,
    checkpoint_files: Sequence[Path] | None = None,
    since_checkpoint: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> chain.VerifyResult:
    """Check the chain, and that it matches every checkpoint kept outside the database: those in the
    configured checkpoint file (by default) or in the files given (e.g. lines saved from the emails).

    `since_checkpoint` reads only the events after the newest signed checkpoint (each older
    checkpoint is still matched against its event): the daily job's and the verify page's quick
    check. The whole chain is read by the background full verification (audit/tasks.py).
    `progress(done, total)` is called every few thousand events."""
    key = audit_key()
    own_file = checkpoint_files is None
    files = [checkpoints.checkpoint_path()] if checkpoint_files is None else list(checkpoint_files)
    anchors: list[chain.Checkpoint] = []
    for path in files:
        found, problem = checkpoints.read(path, key=key)
        if problem is not None:
            return chain.VerifyResult(0, problem)
        anchors += found
    head = AuditHead.objects.filter(singleton=1).values_list("last_seq", "last_hash").first()
    start: chain.Checkpoint | None = None
    events = AuditEvent.objects.all()
    if since_checkpoint:
        start, problem = _start_from(anchors, head_seq=head[0] if head else 0)
        if problem is not None:
            return chain.VerifyResult(max(problem.seq - 1, 0), problem)
        if start is not None:
            events = events.filter(seq__gt=start.seq)
    rows = stored_rows(events)
    if progress is not None:
        rows = _reporting(rows, progress, total=head[0] if head else 0)
    result = chain.verify_events(rows, head, key=key, checkpoints=anchors, start=start)
    if result.ok and own_file:
        # Someone who can reach the file but not the key could delete lines from it; the trail
        # itself records each checkpoint written, so a missing line shows.
        written = {(c.seq, c.hash, c.at) for c in anchors}
        for recorded in recorded_checkpoints():
            if (recorded.seq, recorded.hash, recorded.at) not in written:
                reason = (
                    f"the checkpoint of #{recorded.seq} at {recorded.at} recorded in the trail is missing "
                    "from the checkpoint file (lines deleted, or the file replaced)"
                )
                return chain.VerifyResult(
                    min(result.checked, recorded.seq),
                    chain.ChainProblem(recorded.seq, reason, where=str(files[0])),
                    last_hash=result.last_hash,
                )
    return result


def _start_from(
    anchors: list[chain.Checkpoint], *, head_seq: int
) -> tuple[chain.Checkpoint | None, chain.ChainProblem | None]:
    """The newest checkpoint the chain still reaches, once every checkpoint up to it matches its event."""
    reachable = [c for c in anchors if c.seq <= head_seq]
    if not reachable:
        return None, None
    stored = dict(AuditEvent.objects.filter(seq__in={c.seq for c in reachable}).values_list("seq", "hash"))
    for checkpoint in sorted(reachable, key=lambda c: c.seq):
        found = stored.get(checkpoint.seq)
        source = f" ({checkpoint.source})" if checkpoint.source else ""
        if found is None:
            reason = f"is missing but the checkpoint of {checkpoint.at}{source} covers it (events deleted)"
            return None, chain.ChainProblem(checkpoint.seq, reason)
        if found != checkpoint.hash:
            reason = f"differs from the checkpoint of {checkpoint.at}{source} (the chain was rewritten)"
            return None, chain.ChainProblem(checkpoint.seq, reason)
    return max(reachable, key=lambda c: c.seq), None


def _reporting(
    rows: Iterator[tuple[int, int, str, str, dict[str, Any]]],
    progress: Callable[[int, int], None],
    *,
    total: int,
    every: int = 5000,
) -> Iterator[tuple[int, int, str, str, dict[str, Any]]]:
    for row in rows:
        if row[0] % every == 0:
            progress(row[0], total)
        yield row
    progress(total, total)


VERIFIED = "audit.verified"


def events_since_checkpoint(*, viewer: Any = None) -> tuple[int, chain.Checkpoint | None]:
    """How many events the trail holds beyond its latest signed checkpoint, and that checkpoint;
    with `viewer`, beyond their own latest verification too, if that came later."""
    head = AuditHead.objects.filter(singleton=1).values_list("last_seq", flat=True).first() or 0
    found = recorded_checkpoints()
    latest = found[-1] if found else None
    checked = latest.seq if latest else 0
    if viewer is not None:
        verified = (
            AuditEvent.objects.filter(action=VERIFIED, actor=viewer)
            .order_by("-seq")
            .values_list("seq", flat=True)
            .first()
        )
        checked = max(checked, verified or 0)
    return head - checked, latest


def latest_verification(*, scope: str | None = None, finished: bool = True) -> AuditVerification | None:
    """The newest stored check of the chain (of one scope), for pages that must not read the chain."""
    checks = AuditVerification.objects.all()
    if scope is not None:
        checks = checks.filter(scope=scope)
    if finished:
        checks = checks.filter(finished_at__isnull=False).order_by("-finished_at", "-pk")
    return checks.first()


def running_full_verification() -> AuditVerification | None:
    """The check of the whole trail queued or under way, if any."""
    return (
        AuditVerification.objects.filter(scope=VerificationScope.FULL, finished_at__isnull=True)
        .order_by("-requested_at")
        .first()
    )
