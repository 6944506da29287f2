"""TweetEval, read from ../shared/datasets (never copied into the repository)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Beside the checkout; SOCIALGUARD_TWEETEVAL names another place (a git worktree, say).
DATA = Path(
    os.environ.get("SOCIALGUARD_TWEETEVAL")
    or Path(__file__).resolve().parents[2] / "shared" / "datasets" / "tweeteval"
)


def require_data() -> None:
    if not DATA.exists():
        sys.exit(
            f"TweetEval not found at {DATA}: these benchmarks need ../shared/datasets beside the checkout"
        )


def split(task: str, name: str) -> tuple[list[str], list[int]]:
    texts = (DATA / task / f"{name}_text.txt").read_text(encoding="utf-8").splitlines()
    labels = [int(x) for x in (DATA / task / f"{name}_labels.txt").read_text().split()]
    return texts, labels


def all_texts() -> list[str]:
    texts: list[str] = []
    for task in ("offensive", "hate", "sentiment"):
        for name in ("train", "val"):
            path = DATA / task / f"{name}_text.txt"
            if path.exists():
                texts += path.read_text(encoding="utf-8").splitlines()
    return texts
