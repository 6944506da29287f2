"""Detectors find things in a post; rules decide what they mean under the policy.

A detector is any object with a `name` and a `detect(analysis)` method that adds `Hit`s to the
analysis under kinds it declares (compare Presidio's recognizers). Detectors are built once per
engine (compiling lexicons into automata) and called once per post.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from socialguard.rules.analysis import Analysis


@dataclass(frozen=True)
class Hit:
    kind: str  # e.g. "lexicon:profanity", "pii:email", "name:learner", "link"
    start: int  # span in the original text
    end: int
    value: str  # what was found, normalised
    detail: str = ""


class Detector(Protocol):
    name: str
    kinds: tuple[str, ...]

    def detect(self, analysis: Analysis) -> None: ...
