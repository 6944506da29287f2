"""How the spelling rule (QL010) and the misspelling lexicon (QL006) do on hand-written
organisational posts (training/data/spelling_posts.jsonl), for each part of the set.

The set: posts a college's own accounts might publish, each `misspelt` (at least one word no
dictionary knows), `grammar` (only real words, wrongly used: "there exams", "its looking") or `clean`
(sector words, names, places, brands, British spellings, informal but correct). `split` is fixed
by the text: `int(sha256(text)[:8], 16) % 10 < 3` is `holdout`, never looked at while choosing the
thresholds or the lexicon (MIN_SUGGESTION_FREQUENCY, MIN_UNKNOWN_WORDS, spelling_known); the rest is
`tune`.

    PYTHONPATH=src .venv/bin/python training/check_spelling.py [--split tune|holdout|both] [--show]
        [--time-on benchmarks/data/policy_posts.jsonl]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from socialguard.rules import Engine, Post
from socialguard.rules.detectors.spelling import KIND, SpellingDetector

DATA = Path(__file__).resolve().parent / "data" / "spelling_posts.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("tune", "holdout", "both"), default="both")
    parser.add_argument("--show", action="store_true", help="print the posts the rules get wrong")
    parser.add_argument(
        "--time-on",
        type=Path,
        help="time the detector on this JSONL file's posts instead (not its test split)",
    )
    args = parser.parse_args()
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    engine = Engine(classifiers=False)
    engine.check(Post(text="Warm up: load the dictionary before timing."))
    splits = ("tune", "holdout") if args.split == "both" else (args.split,)
    for split in splits:
        part = [r for r in rows if r["split"] == split]
        print(f"== {split}: {len(part)} posts")
        for expected in ("misspelt", "grammar", "clean"):
            group = [r for r in part if r["expected"] == expected]
            if not group:
                continue
            by_rule = {"QL010": 0, "QL006": 0, "quality": 0}
            for r in group:
                report = engine.check(Post(text=r["text"], account=r["account"]))
                rules = {f.rule for f in report.findings}
                flagged_quality = any(
                    f.category == "quality" and f.severity != "advice" for f in report.findings
                )
                by_rule["QL010"] += "QL010" in rules
                by_rule["QL006"] += "QL006" in rules
                by_rule["quality"] += flagged_quality
                wrong = flagged_quality if expected == "clean" else not flagged_quality
                if args.show and wrong:
                    messages = "; ".join(
                        f"{f.rule}: {f.message}" for f in report.findings if f.category == "quality"
                    )
                    what = "FALSE ALARM" if expected == "clean" else "MISSED"
                    print(f"   {what}: {r['text'][:90]} [{messages}]")
            verb = "flagged" if expected != "clean" else "false alarms"
            print(
                f"  {expected:9} {len(group):3}  {verb}: QL010 {by_rule['QL010']}, QL006 {by_rule['QL006']}, "
                f"any quality rule at review {by_rule['quality']} ({by_rule['quality'] / len(group):.0%})"
            )
    # The spelling detector's own cost per organisational post, after the other detectors ran.
    timed = rows
    if args.time_on:
        lines = args.time_on.read_text(encoding="utf-8").splitlines()
        timed = [json.loads(line) for line in lines if line.strip()]
        # Never a benchmark's held-out split.
        timed = [r for r in timed if r.get("split") != "test" and r.get("account") != "personal"]
    median, p90, worst = detector_cost(engine, [r["text"] for r in timed])
    print(
        f"spelling detector per organisational post ({len(timed)} posts): median {median * 1e6:.0f} µs, "
        f"p90 {p90 * 1e6:.0f} µs, max {worst * 1e6:.0f} µs"
    )


def detector_cost(engine: Engine, texts: list[str], repeats: int = 20) -> tuple[float, float, float]:
    """Median, 90th percentile and worst seconds the spelling detector takes on one post."""
    spelling = next(d for d in engine.compiled.detectors if isinstance(d, SpellingDetector))
    times = []
    for text in texts:
        a = engine.analyse(Post(text=text))
        start = time.perf_counter()
        for _ in range(repeats):
            a.hits.pop(KIND, None)
            spelling.detect(a)
        times.append((time.perf_counter() - start) / repeats)
    times.sort()
    return times[len(times) // 2], times[int(len(times) * 0.9)], times[-1]


if __name__ == "__main__":
    main()
