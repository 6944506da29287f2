"""What the policy encoder buys and costs: recall on our labelled posts against speed on tweets.

    .venv/bin/python benchmarks/tradeoff.py [--gates 0.45,0.6] [--limit 2000]

Issue 15 asks for 1,000 posts/s with the classifiers on and for 90 % of held-out breaches flagged.
On a 2-core CPU without VNNI the two pull apart, and the policy encoder (the second reader of the
learned rules, `detectors/policy_model.py`) is where: it costs more than the rest of the classifiers
together. This prints, for each setting, side by side:
- recall on breaches and the pass rate of must-pass posts, over the probe files' held halves (posts
  no rule, lexicon or model was tuned on) and, apart, their tuned halves. The benchmark's test split
  is never read here: it is read once, by benchmarks/policy.py, when a setting is chosen;
- on TweetEval's sentiment validation tweets (which nothing was tuned on, as in throughput.py): how
  many the encoder reads, and posts per second through `Engine.check_many` in this process.
Settings: as shipped; the encoder's gate for posts not about work (`PolicyEncoder.gate`, 0.3) raised
to each of --gates (posts about work keep theirs); and no encoder at all. Speeds are from the same
run, one after the other: read them as ratios (machines here are noisy).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from _data import require_data, split
from policy import DATA, load, score

PROBES = sorted(DATA.parent.glob("policy_probe[0-9]*.jsonl"))


@contextlib.contextmanager
def setting(gate: float | None) -> Iterator[None]:
    """The encoder as shipped (gate None), with another gate for posts not about work, or off
    (gate inf: engines built inside are given no encoder)."""
    from socialguard.rules import engine
    from socialguard.rules.detectors.policy_model import shared_encoder

    encoder = shared_encoder()
    if encoder is None:
        sys.exit("the policy encoder's files or runtime are missing: nothing to compare")
    shipped, shipped_factory = encoder.gate, engine.shared_encoder
    try:
        if gate is not None and math.isinf(gate):
            engine.shared_encoder = lambda: None  # type: ignore[assignment]
        elif gate is not None:
            encoder.gate = gate
        yield
    finally:
        encoder.gate, engine.shared_encoder = shipped, shipped_factory


def halves(kind: str) -> list[dict[str, Any]]:
    """Every probe file's posts in its `*-held` (or `*-tune`) split."""
    rows = []
    for path in PROBES:
        rows += [r for r in load(path) if str(r["split"]).endswith(f"-{kind}")]
    return rows


def counts(rows: list[dict[str, Any]]) -> tuple[int, int, int, int]:
    """(breaches flagged in their category, breaches, must-pass posts passed, must-pass posts)."""
    with contextlib.redirect_stderr(io.StringIO()):  # score's progress lines, for each of many runs
        totals = score(rows)["totals"]
    return (
        round(totals["recall"] * totals["breaches"]),
        totals["breaches"],
        round(totals["pass_rate"] * totals["passes"]),
        totals["passes"],
    )


def speed(texts: list[str]) -> tuple[int, float, float]:
    """(encoder runs, posts/s by the clock, posts per CPU-second) over `texts`, the engine warm."""
    from socialguard.rules import Engine, Post
    from socialguard.rules.detectors.policy_model import shared_encoder
    from socialguard.rules.engine import context_from_pack
    from socialguard.rules.pack import load_pack

    pack = load_pack()
    engine = Engine(context_from_pack(pack), pack, classifiers=True)
    engine.warm_up()
    list(engine.check_many([Post(text=t) for t in texts[:50]]))
    encoder = shared_encoder()
    before = encoder.runs if encoder is not None else 0
    clock, cpu = time.perf_counter(), time.process_time()
    for _ in engine.check_many([Post(text=t) for t in texts]):
        pass
    clock, cpu = time.perf_counter() - clock, time.process_time() - cpu
    runs = (encoder.runs - before) if encoder is not None and engine_reads(engine) else 0
    return runs, len(texts) / clock, len(texts) / cpu


def engine_reads(engine: Any) -> bool:
    """Whether this engine's learned detector was given the encoder."""
    return any(getattr(d, "encoder", None) is not None for d in engine.compiled.detectors)


def fraction(right: int, total: int) -> str:
    return f"{right}/{total} ({right / total:.1%})" if total else "-"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--gates", default="0.45,0.6", help="gates to try for posts not about work (comma-separated)"
    )
    parser.add_argument("--limit", type=int, default=2000, help="tweets to time (at most 2,000)")
    args = parser.parse_args()
    require_data()
    try:
        gates = [float(g) for g in args.gates.split(",") if g.strip()]
    except ValueError:
        parser.error(f"--gates: not a list of numbers: {args.gates!r}")
    if not PROBES:
        sys.exit(f"no probe files (policy_probe*.jsonl) in {DATA.parent}")
    held, tuned = halves("held"), halves("tune")
    tweets = split("sentiment", "val")[0][: args.limit]
    settings: list[tuple[str, float | None]] = [("as shipped", None)]
    settings += [(f"gate {g:g} off work", g) for g in gates] + [("no encoder", math.inf)]
    print(
        f"held halves: {len(held)} posts of {len(PROBES)} probe files; tuned halves: {len(tuned)}; "
        f"{len(tweets):,} TweetEval sentiment/val tweets",
        file=sys.stderr,
    )
    header = f"{'setting':<20} {'held: breaches':>18} {'must-pass':>15} {'tuned: breaches':>18}"
    lines = [header + f" {'must-pass':>15} {'encoder reads':>14} {'posts/s':>8} {'per CPU-s':>9}"]
    for n, (name, gate) in enumerate(settings, 1):
        print(f"  [{n}/{len(settings)}] {name}", file=sys.stderr)
        with setting(gate):
            h, t = counts(held), counts(tuned)
            runs, clock, cpu = speed(tweets)
        lines.append(
            f"{name:<20} {fraction(h[0], h[1]):>18} {fraction(h[2], h[3]):>15} "
            f"{fraction(t[0], t[1]):>18} {fraction(t[2], t[3]):>15} "
            f"{f'{runs} ({runs / len(tweets):.1%})':>14} {clock:>8.0f} {cpu:>9.0f}"
        )
    print("\n".join(lines))
    print(f"\n(test split not read; probe files: {', '.join(Path(p).name for p in PROBES)})")


if __name__ == "__main__":
    main()
