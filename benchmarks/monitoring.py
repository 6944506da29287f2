"""Monitoring: the adverse-criticism judgement's accuracy, and items per second through the whole
path (fetch → check → store → alert) in one worker process.

    PYTHONPATH=src .venv/bin/python benchmarks/monitoring.py [--items N] [--network]
        [--postgres URL --workers 1,2]

1. Accuracy. TweetEval's sentiment validation split (public, labelled; the classifier's sentiment
   head learnt from VADER's labels on other tweets, never on this split), "negative" against "neutral or
   positive", as a PROXY for adverse criticism: every tweet is judged as if it had been found by a
   search for the organisation (monitoring.criticism.judge_texts). Real criticism of a training
   provider is not tweets about anything; this says how well the negative signal separates, not
   how well it finds criticism of us. Prints precision, recall and F1.
2. Throughput on a LOCAL STREAM: an in-process stand-in for the AppView pages N generated
   posts (TweetEval texts, a third of them naming the organisation) to the mentions source, 100 a
   page; everything after the fetch is the product's own path on a fresh SQLite database:
   storing with the cursor, the rules engine with classifiers on, the criticism judgement and the
   alerts. This is the figure for the product's side of the path.
3. With --network: the same on a stream GENERATED ON THE LOCAL AT PROTOCOL NETWORK (the tests'
   PLC, PDS and AppView): posts written through the PDS by several accounts, then polled through
   the AppView's search by the real connector. Writing them is the slow part and is not timed.
4. With --postgres URL: the local stream on PostgreSQL with 1, 2, … worker processes, each
   polling its own source (as the task workers would), reporting the combined items per second.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("SOCIALGUARD_TWEETEVAL", "")) if os.environ.get("SOCIALGUARD_TWEETEVAL") else None


def _data_dir() -> Path:
    candidates = [DATA] if DATA else []
    candidates += [p / "shared" / "datasets" / "tweeteval" for p in ROOT.parents]
    for path in candidates:
        if path and (path / "sentiment" / "val_text.txt").exists():
            return path
    sys.exit("TweetEval not found: set SOCIALGUARD_TWEETEVAL to its folder")


def _texts(task: str, split: str) -> tuple[list[str], list[int]]:
    folder = _data_dir() / task
    texts = (folder / f"{split}_text.txt").read_text(encoding="utf-8").splitlines()
    labels = [int(x) for x in (folder / f"{split}_labels.txt").read_text().split()]
    return texts, labels


def accuracy() -> None:
    from socialguard.monitoring.criticism import judge_texts
    from socialguard.rules import Engine

    texts, labels = _texts("sentiment", "val")
    engine = Engine()
    started = time.perf_counter()
    judged: list[bool] = []
    for start in range(0, len(texts), 256):
        judged += [j.adverse for j in judge_texts(engine, texts[start : start + 256])]
    seconds = time.perf_counter() - started
    truth = [label == 0 for label in labels]
    tp = sum(j and t for j, t in zip(judged, truth, strict=True))
    fp = sum(j and not t for j, t in zip(judged, truth, strict=True))
    fn = sum(t and not j for j, t in zip(judged, truth, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(
        f"adverse criticism (PROXY: TweetEval sentiment val, negative vs not, n={len(texts)}, "
        f"{sum(truth)} negative): precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f} "
        f"({len(texts) / seconds:.0f} texts/s)"
    )


def _django(database_url: str, data_dir: str) -> None:
    os.environ["SOCIALGUARD_DATABASE_URL"] = database_url
    os.environ["SOCIALGUARD_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialguard.settings")
    os.environ.setdefault("SOCIALGUARD_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _setup(n_sources: int = 1) -> list[Any]:
    """An organisation, its Bluesky account, an SMT member and `n_sources` mentions sources."""
    from socialguard.accounts.models import OrgAccount
    from socialguard.identity.models import User
    from socialguard.identity.roles import Role
    from socialguard.monitoring import services
    from socialguard.monitoring.models import Kind
    from socialguard.people.models import Organisation

    Organisation.objects.all().delete()
    Organisation.objects.create(name="Digital Marketing Mentor", aliases="DMM")
    account, _ = OrgAccount.objects.get_or_create(
        platform="bluesky", handle="@dmm-news.bsky.social", defaults={"login_email": "social@dmm.example"}
    )
    smt = User.objects.filter(email="bench@dmm.example").first()
    if smt is None:
        smt = User.objects.create_user(email="bench@dmm.example", password=None, full_name="Bench")  # type: ignore[call-arg]
        smt.role_assignments.create(role=Role.SMT)
    return [
        services.source_save(
            actor=smt,
            name=f"Mentions {n}",
            kind=Kind.BLUESKY_MENTIONS,
            account=account,
            config={"terms": ["Digital Marketing Mentor"]},
        )
        for n in range(n_sources)
    ]


def _stream(n: int, offset: int = 0) -> list[Any]:
    import datetime as dt

    from socialguard.connectors.base import PlatformPost

    texts, _ = _texts("sentiment", "val")
    posts = []
    base = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    for i in range(n):
        text = texts[(i + offset) % len(texts)]
        text = f"Digital Marketing Mentor: {text}" if i % 3 == 0 else f"{text} (Digital Marketing Mentor)"
        k = offset + i
        posts.append(
            PlatformPost(
                uri=f"at://did:plc:bench{k % 50}/app.bsky.feed.post/{k:013d}", id=f"cid{k}",
                url=f"https://bsky.app/profile/u{k % 50}.test/post/{k:013d}", text=text,
                author_handle=f"u{k % 50}.test", created_at=base + dt.timedelta(seconds=n - i),
            )
        )  # fmt: skip
    return posts  # newest first


class LocalAppView:
    """Pages the generated posts as the AppView's search does (newest first, 100 a page)."""

    platform = "bluesky"

    def __init__(self, posts: list[Any]) -> None:
        self.posts = posts

    def search_mentions(self, query: str, *, cursor: str = "", limit: int = 50) -> tuple[list[Any], str]:
        start = int(cursor or 0)
        page = self.posts[start : start + 100]
        return page, str(start + 100) if start + 100 < len(self.posts) else ""


def _warm() -> Any:
    from socialguard.rules import Post

    # The engine, its models and the link detector's suffix list built before timing.
    return Post(text="warm up DMM https://example.com/warm")


class ClassifierClock:
    """Wall time spent in the classifier cascade (the engine's `cascade.scores`) while timing, so
    that the figure says how much of the path is the classifiers' and how much the product's."""

    def __init__(self, engine: Any) -> None:
        self.cascade = getattr(engine, "cascade", None)
        self.seconds = 0.0
        if self.cascade is not None:
            inner = self.cascade.scores

            def timed(*args: Any, **kwargs: Any) -> Any:
                t0 = time.perf_counter()
                try:
                    return inner(*args, **kwargs)
                finally:
                    self.seconds += time.perf_counter() - t0

            self.cascade.scores = timed

    def share(self, seconds: float) -> str:
        if self.cascade is None:
            return "no classifiers"
        runs = self.cascade.runs()
        return (
            f"{self.seconds / seconds:.0%} of the time in the classifiers "
            f"({self.seconds:.2f}s; transformer lower/whole runs {runs[0]}/{runs[1]})"
        )


def _poll_local(source: Any, posts: list[Any], engine: Any = None) -> tuple[float, Any]:
    from socialguard.monitoring import services

    connector = LocalAppView(posts)
    started = time.perf_counter()
    result = services.poll(source, connector=connector, max_pages=10_000, engine=engine)  # type: ignore[arg-type]
    return time.perf_counter() - started, result


def local_stream(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _django(f"sqlite:///{tmp}/bench.sqlite3", tmp)
        _migrate()
        source, other = _setup(2)
        from socialguard.policies.engine import policy_engine

        list(policy_engine().check_many([_warm()]))
        clock = ClassifierClock(policy_engine())
        cpu = time.process_time()
        seconds, result = _poll_local(source, _stream(n))
        cpu = time.process_time() - cpu
        assert result.error == "", result.error
        print(
            f"LOCAL STREAM, SQLite, 1 worker, classifiers on: {result.stored} items in {seconds:.2f}s = "
            f"{result.stored / seconds:.0f} items/s (fetch → check → store → alert; {result.alerts} alerts; "
            f"{clock.share(seconds)}; CPU {cpu:.2f}s, load average {os.getloadavg()[0]:.1f})"
        )
        # For comparison: the same path with the rules only (no classifier scores, so no
        # sentiment-based criticism): how much of the time is the transformer's.
        from socialguard.policies.engine import policy_context
        from socialguard.rules import Engine

        seconds, result = _poll_local(
            other, _stream(n, offset=n), Engine(policy_context(), classifiers=False)
        )
        print(
            f"LOCAL STREAM, SQLite, 1 worker, rules only (classifiers off, for comparison): "
            f"{result.stored} items in {seconds:.2f}s = {result.stored / seconds:.0f} items/s"
        )


def _pg_worker(args: tuple[str, str, int, int, int]) -> tuple[int, float, float, float]:
    url, data_dir, source_id, n, offset = args
    _django(url, data_dir)
    from socialguard.monitoring.models import Source
    from socialguard.policies.engine import policy_engine

    list(policy_engine().check_many([_warm()]))
    clock = ClassifierClock(policy_engine())
    source = Source.objects.get(pk=source_id)
    cpu = time.process_time()
    seconds, result = _poll_local(source, _stream(n, offset))
    return result.stored, seconds, time.process_time() - cpu, clock.seconds


def _pg_prepare(args: tuple[str, str, int]) -> list[int]:
    url, data_dir, count = args
    _django(url, data_dir)
    _migrate()
    from socialguard.monitoring.models import Alert, Item, Source

    Item.objects.all().delete()
    Alert.objects.all().delete()
    Source.objects.all().delete()
    return [s.pk for s in _setup(count)]


def postgres(url: str, n: int, workers: list[int]) -> None:
    """Each run in fresh processes (spawned), so that none inherits another database's settings."""
    import multiprocessing

    spawn = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp:
        for count in workers:
            with spawn.Pool(1) as pool:
                source_ids = pool.apply(_pg_prepare, ((url, tmp, count),))
            jobs = [(url, tmp, pk, n // count, k * n) for k, pk in enumerate(source_ids)]
            started = time.perf_counter()
            with spawn.Pool(count) as pool:
                results = pool.map(_pg_worker, jobs)
            wall = time.perf_counter() - started
            stored = sum(r[0] for r in results)
            slowest = max(r[1] for r in results)
            share = sum(r[3] for r in results) / sum(r[1] for r in results)
            print(
                f"LOCAL STREAM, PostgreSQL, {count} worker(s): {stored} items, "
                f"{stored / slowest:.0f} items/s "
                f"(slowest worker's poll {slowest:.2f}s; {wall:.1f}s with start-up; "
                f"{share:.0%} of the workers' time in the classifiers; "
                f"CPU {sum(r[2] for r in results):.1f}s; load average {os.getloadavg()[0]:.1f})"
            )


def network_stream(n: int) -> None:
    """Posts written on the local AT Protocol network, then one poll through the real connector."""
    import httpx

    sys.path.insert(0, str(ROOT))
    from tests.atproto import SCRIPT, AtprotoNetwork

    pg = os.environ.get("SOCIALGUARD_ATPROTO_PG_URL", "")
    if not pg:
        print("network stream skipped: set SOCIALGUARD_ATPROTO_PG_URL")
        return
    run_dir = Path(tempfile.mkdtemp(prefix="atp-bench-"))
    env = {**os.environ, "SOCIALGUARD_ATPROTO_SCHEMA": "sgatpbench"}
    started = subprocess.run(  # noqa: S603 - our own script with fixed arguments
        ["/bin/bash", str(SCRIPT), "start", str(run_dir)], env=env, capture_output=True, text=True
    )
    if started.returncode:
        print("network stream skipped: the network did not start\n" + started.stderr[-2000:])
        return
    state = json.loads((run_dir / "state.json").read_text())
    network = AtprotoNetwork(pds=state["pds"], appview=state["appview"], plc=state["plc"], pid=state["pid"])
    try:
        org = network.create_account(f"dmmbench{os.getpid() % 10000}")
        writers = [network.create_account(f"w{k}x{os.getpid() % 10000}") for k in range(5)]
        sessions = []
        for w in writers:
            r = httpx.post(f"{network.pds}/xrpc/com.atproto.server.createSession",
                           json={"identifier": w.handle, "password": w.password}, timeout=30)  # fmt: skip
            sessions.append((w, r.json()["accessJwt"]))
        texts = [p.text for p in _stream(n)]
        t0 = time.perf_counter()
        uris = []
        with httpx.Client(timeout=30) as client:
            for i, text in enumerate(texts):
                w, jwt = sessions[i % len(sessions)]
                r = client.post(
                    f"{network.pds}/xrpc/com.atproto.repo.createRecord",
                    headers={"Authorization": f"Bearer {jwt}"},
                    json={"repo": w.did, "collection": "app.bsky.feed.post",
                          "record": {"$type": "app.bsky.feed.post", "text": text[:300],
                                     "createdAt": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())}},
                )  # fmt: skip
                r.raise_for_status()
                uris.append(r.json()["uri"])
        written = time.perf_counter() - t0
        for start in range(0, len(uris), 25):
            network.wait_for_posts(uris[start : start + 25], deadline_s=120)
        print(f"(generated {len(uris)} posts on the local network in {written:.1f}s, not timed below)")
        with tempfile.TemporaryDirectory() as tmp:
            _django(f"sqlite:///{tmp}/bench.sqlite3", tmp)
            _migrate()
            from socialguard.connectors.bluesky import BlueskyConnector
            from socialguard.monitoring import services
            from socialguard.policies.engine import policy_engine

            [source] = _setup()
            list(policy_engine().check_many([_warm()]))
            connector = BlueskyConnector(org.credentials)
            t1 = time.perf_counter()
            result = services.poll(source, connector=connector, max_pages=10_000)
            seconds = time.perf_counter() - t1
            print(
                f"NETWORK STREAM (local AT Protocol network), SQLite, 1 worker, classifiers on: "
                f"{result.stored} items in {seconds:.2f}s = {result.stored / seconds:.0f} items/s "
                f"({result.pages} pages; {result.alerts} alerts)"
                + (f" ERROR {result.error}" if result.error else "")
            )
    finally:
        stop = ["/bin/bash", str(SCRIPT), "stop", str(run_dir)]
        subprocess.run(stop, env=env, capture_output=True)  # noqa: S603 - our own script


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--network", action="store_true")
    parser.add_argument("--network-items", type=int, default=600)
    parser.add_argument("--postgres", default="")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--skip-accuracy", action="store_true")
    args = parser.parse_args()
    if not args.skip_accuracy:
        accuracy()
    local_stream(args.items)
    if args.network:
        network_stream(args.network_items)
    if args.postgres:
        postgres(args.postgres, args.items, [int(w) for w in args.workers.split(",")])


if __name__ == "__main__":
    main()
