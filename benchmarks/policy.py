"""The engine against our own labelled posts written from the policy (benchmarks/data/policy_posts.jsonl).

    PYTHONPATH=src .venv/bin/python benchmarks/policy.py [--split dev|test|both] [--json] [--policy-model F]
    PYTHONPATH=src .venv/bin/python benchmarks/policy.py --data benchmarks/data/policy_probe.jsonl --split all

Per expected category: recall on breaches (a finding of that category at review or block) and
"flagged at all" (any review or block finding); for posts that must pass, the share that pass
(no review or block finding). Dev and test are reported separately: tune on dev only.
See benchmarks/data/README.md for the labels and the categories the engine does not have yet.
`--data` reads another file of the same form, such as policy_probe.jsonl (posts written to look for
misses and false alarms, and tuned on: a regression check, never a measure of accuracy).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "policy_posts.jsonl"
# Who the posts' learners and staff are: the engine needs a register to know a learner when it sees one.
REGISTER = Path(__file__).resolve().parent / "data" / "policy_register.json"
# Fields of a row that describe the label, not the post.
LABEL_FIELDS = {"expected", "kind", "note", "split"}


def load(path: Path = DATA) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def score(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Run the whole engine (classifiers on) and count outcomes per expected category."""
    from socialguard.rules import Engine, Post
    from socialguard.rules.engine import context_from_pack
    from socialguard.rules.model import Severity
    from socialguard.rules.pack import DMM_PACK, load_pack

    pack = load_pack(DMM_PACK)  # the posts are written for DMM, the demo organisation
    people = json.loads(REGISTER.read_text(encoding="utf-8"))
    context = context_from_pack(pack, register=register_people(people), staff_names=people["staff"])
    engine = Engine(context, pack)
    posts = [Post.from_dict({k: v for k, v in r.items() if k not in LABEL_FIELDS}) for r in rows]
    per: dict[str, dict[str, int]] = defaultdict(lambda: {"n": 0, "right": 0, "flagged": 0, "passed": 0})
    for n, (row, report) in enumerate(zip(rows, engine.check_many(posts), strict=True), 1):
        if n % 50 == 0 or n == len(rows):
            print(f"  {n}/{len(rows)} checked", file=sys.stderr)
        serious = [f for f in report.findings if f.severity in (Severity.BLOCK, Severity.REVIEW)]
        key = row["expected"] if row["expected"] != "pass" else f"pass ({row['kind']})"
        cell = per[key]
        cell["n"] += 1
        cell["flagged"] += bool(serious)
        cell["passed"] += not serious
        cell["right"] += any(f.category == row["expected"] for f in serious)
    breaches = [c for k, c in per.items() if not k.startswith("pass")]
    passes = [c for k, c in per.items() if k.startswith("pass")]
    totals = {
        "breaches": sum(c["n"] for c in breaches),
        "recall": _ratio(sum(c["right"] for c in breaches), sum(c["n"] for c in breaches)),
        "flagged_at_all": _ratio(sum(c["flagged"] for c in breaches), sum(c["n"] for c in breaches)),
        "passes": sum(c["n"] for c in passes),
        "pass_rate": _ratio(sum(c["passed"] for c in passes), sum(c["n"] for c in passes)),
    }
    categories = {
        k: (
            {"n": c["n"], "pass_rate": _ratio(c["passed"], c["n"])}
            if k.startswith("pass")
            else {
                "n": c["n"],
                "recall": _ratio(c["right"], c["n"]),
                "flagged_at_all": _ratio(c["flagged"], c["n"]),
            }
        )
        for k, c in sorted(per.items())
    }
    return {"categories": categories, "totals": totals}


def register_people(people: dict[str, Any], today: dt.date | None = None) -> list[Any]:
    """The register as the engine takes it. Dates of birth are passed on as the web app does
    (people.selectors.policy_context): a past learner known to be 18 or over is an adult, and 5.2
    allows connecting with adult past learners; without a date of birth, maybe under 18."""
    from socialguard.rules.model import RegisterPerson

    today = today or dt.date.today()
    born = {name: dt.date.fromisoformat(d) for name, d in people.get("dates_of_birth", {}).items()}

    def adult(name: str) -> bool:
        b = born.get(name)
        return b is not None and today.year - b.year - ((today.month, today.day) < (b.month, b.day)) >= 18

    register = [RegisterPerson(p[0], tuple(p[1:]), "learner", adult(p[0])) for p in people["learners"]]
    register += [
        RegisterPerson(p[0], tuple(p[1:]), "past_learner", adult(p[0])) for p in people["past_learners"]
    ]
    return register


def _ratio(a: int, b: int) -> float:
    return round(a / b, 3) if b else 0.0


def show(name: str, result: dict[str, Any]) -> None:
    print(f"\n{name}")
    print(f"  {'category':<22} {'n':>4} {'recall':>7} {'flagged':>8} {'pass':>6}")
    for k, c in result["categories"].items():
        if "pass_rate" in c:
            print(f"  {k:<22} {c['n']:>4} {'':>7} {'':>8} {c['pass_rate']:>6.0%}")
        else:
            print(f"  {k:<22} {c['n']:>4} {c['recall']:>7.0%} {c['flagged_at_all']:>8.0%}")
    t = result["totals"]
    print(
        f"  {'TOTAL':<22} breaches {t['breaches']}: recall {t['recall']:.0%}, flagged at all "
        f"{t['flagged_at_all']:.0%}; must-pass {t['passes']}: pass rate {t['pass_rate']:.0%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--split",
        default="both",
        help="a split named in the data (dev, test, probe, probe2-tune, probe2-held), both (dev and test) "
        "or all (every post)",
    )
    parser.add_argument("--data", type=Path, default=DATA, help="the labelled posts (JSON lines)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead")
    parser.add_argument(
        "--policy-model",
        type=Path,
        help="the learned detector's model file to use instead of the shipped one "
        "(e.g. one trained without the dev split: training/train_policy.py --without-dev)",
    )
    args = parser.parse_args()
    if args.policy_model:
        from socialguard.rules.detectors.policy_model import use_model

        use_model(args.policy_model)
    rows = load(args.data)
    splits = ["dev", "test"] if args.split == "both" else [args.split]
    unknown = [n for n in splits if n != "all" and not any(r["split"] == n for r in rows)]
    if unknown:
        known = sorted({r["split"] for r in rows})
        parser.error(f"no post in {args.data} is in split {unknown[0]!r}; its splits: {', '.join(known)}")
    results = {}
    for name in splits:
        print(f"checking the {name} split", file=sys.stderr)
        results[name] = score([r for r in rows if name == "all" or r["split"] == name])
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for name, result in results.items():
            show(name, result)
        if len(results) > 1:
            print("\nper split")
            for name, result in results.items():
                t = result["totals"]
                print(
                    f"  {name:<11} breaches {t['breaches']}: recall {t['recall']:.0%}, flagged at all "
                    f"{t['flagged_at_all']:.0%}; must-pass {t['passes']}: pass rate {t['pass_rate']:.0%}"
                )


if __name__ == "__main__":
    main()
