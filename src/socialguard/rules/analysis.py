"""Everything the detectors found in one post, for the rules to read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from socialguard.rules.detectors import Hit
from socialguard.rules.detectors.classifiers import Scores
from socialguard.rules.model import Post
from socialguard.rules.text import NormalisedText


@dataclass
class Analysis:
    post: Post
    text: NormalisedText
    hits: dict[str, list[Hit]] = field(default_factory=dict)
    score_source: Callable[[], Scores | None] | None = None
    # Work a detector left for later (the policy encoder's reading): run by `finish` before the
    # rules read the post; in a batch, on the classifiers' thread, beside the next batch's detectors.
    later: list[Callable[[bool], None]] = field(default_factory=list)
    _scores: Scores | None = None
    _scored: bool = False
    # Where the post had invisible characters, `post` is read without them (text.visible): the post
    # as written, and where each character read was in it, to report findings against.
    written: Post | None = None
    positions: tuple[int, ...] | None = None

    def span_as_written(self, start: int, end: int) -> tuple[int, int]:
        """A span of the text read as a span of the text as written."""
        where = self.positions
        if where is None or start >= end:
            return (start, end) if where is None else (self._at(start), self._at(start))
        return self._at(start), where[end - 1] + 1 if end - 1 < len(where) else self._at(end)

    def _at(self, i: int) -> int:
        where = self.positions
        assert where is not None and self.written is not None
        return where[i] if i < len(where) else len(self.written.text)

    def finish(self, solo: bool = False) -> None:
        """Run the work the detectors left for later (see `later`); `solo`: for one post checked
        on its own, which may use two cores."""
        while self.later:
            self.later.pop(0)(solo)

    def add(self, hit: Hit) -> None:
        self.hits.setdefault(hit.kind, []).append(hit)

    def get(self, *kinds: str) -> list[Hit]:
        hits = self.hits
        found = [hit for kind in kinds if kind in hits for hit in hits[kind]]
        if len(found) > 1:
            found.sort(key=lambda h: (h.start, h.end))
        return found

    def has(self, *kinds: str) -> bool:
        hits = self.hits
        return any(kind in hits and hits[kind] for kind in kinds)

    @property
    def scores(self) -> Scores | None:
        """Classifier scores, computed on first use (or supplied by a batch run)."""
        if not self._scored:
            self._scores = self.score_source() if self.score_source else None
            self._scored = True
        return self._scores

    def set_scores(self, scores: Scores | None) -> None:
        self._scores = scores
        self._scored = True
