"""Time to check posts built to be slow, at the longest length a post may have, and how that time
grows as the post doubles: each should grow about twice (linear), never four times (quadratic).

    PYTHONPATH=src .venv/bin/python benchmarks/long_posts.py [--sizes 16000 32000 63206]

Each was found by trying to make one check take seconds (session 29): before their fixes the
first four took 20 s or more at 32,000-63,000 characters and grew about four times a doubling.
An ordinary post of the same length is the peer, measured in the same run.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from socialguard.rules import Engine, Post
from socialguard.rules.model import MAX_TEXT_CHARS, AccountKind


def _fill(unit: str) -> Callable[[int], str]:
    return lambda n: (unit * (n // len(unit) + 1))[:n]


ATTACKS: dict[str, Callable[[int], str]] = {
    "ordinary text (the peer)": _fill("Our learners did brilliantly at the awards evening tonight. "),
    "a run of 'a-' (links)": lambda n: "a-" * (n // 2 - 3) + " .com",
    "a run of 'a.' (links)": lambda n: "a." * (n // 2 - 3) + " .com",
    "unclosed curly quotes": _fill("\u201ca"),
    "postcodes in one sentence": _fill("M1 5QA "),
    "an accusation, then 'A-' (organisation names)": lambda n: "stealing " + "A-" * ((n - 9) // 2),
    "emails and unknown words (spelling)": _fill("xqzt@ab.co "),
    "bare links (third-party links)": _fill("abcd.co "),
    "known misspellings": _fill("recieve definately "),
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[MAX_TEXT_CHARS // 4, MAX_TEXT_CHARS // 2, MAX_TEXT_CHARS]
    )
    args = parser.parse_args()
    # Rules only: the learned models read a bounded start of the post, whatever its length.
    engine = Engine(classifiers=False)
    engine.check(Post(text="warm up"))
    sizes = sorted(args.sizes)
    print(f"one organisational post each, rules only; sizes {', '.join(f'{n:,}' for n in sizes)} characters")
    for name, make in ATTACKS.items():
        seconds = []
        for n in sizes:
            post = Post(text=make(n), account=AccountKind.ORGANISATIONAL)
            started = time.perf_counter()
            engine.check(post)
            seconds.append(time.perf_counter() - started)
        growth = seconds[-1] / seconds[-2] if len(seconds) > 1 else float("nan")
        times = "  ".join(f"{s * 1000:7.0f} ms" for s in seconds)
        print(f"  {name:46} {times}   x{growth:.1f} a doubling")


if __name__ == "__main__":
    main()
