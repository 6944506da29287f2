"""The adverse-criticism judgement (policy 5.1: adverse criticism reaches SMT and is never
answered without their approval), built on the rules engine's own signals: its disparagement
rule (DP001: the organisation, its staff or learners named with disparaging words or a negative
sentiment score), and for a post that is about the organisation without naming it in words the
engine knows (found through a search or a feed about it), the same lexicon and sentiment score
read directly. benchmarks/monitoring.py measures it on public labelled data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from socialguard.rules import Post, Report
from socialguard.rules.analysis import Analysis
from socialguard.rules.text import normalise, visible

# The disparagement rule's own cut-off, so that both paths agree.
try:
    from socialguard.rules.catalogue.conduct import NEGATIVE_THRESHOLD
except ImportError:  # pragma: no cover - the catalogue moved it
    NEGATIVE_THRESHOLD = 0.7

NAMES = ("name:organisation", "name:staff", "name:learner", "name:past_learner")
CATEGORY = "disparagement"
SENTIMENT = frozenset({"sentiment"})


def names(engine: Any, post: Post) -> Analysis:
    """The post's names only (the organisation, staff, the register): what the judgement and the
    safeguarding routing read after the engine's check, without running every detector again."""
    detectors = [d for d in getattr(getattr(engine, "compiled", None), "detectors", []) if d.name == "names"]
    if not detectors:
        return engine.analyse(post)  # type: ignore[no-any-return]
    # Read as the engine reads it, without invisible characters: "Ja\u200bde" names Jade here too,
    # or a hostile post about a learner would miss the safeguarding alert the check implies.
    text, _ = visible(post.text)
    analysis = Analysis(post=replace(post, text=text), text=normalise(text))
    for detector in detectors:
        detector.detect(analysis)
    return analysis


@dataclass(frozen=True)
class Judgement:
    adverse: bool
    score: float | None = None  # the negative-sentiment probability, where computed
    reason: str = ""


def judge_texts(engine: Any, texts: Sequence[str]) -> list[Judgement]:
    """Each text taken as being about the organisation: adverse when it has a disparaging word
    or a negative-sentiment score at or over the disparagement rule's threshold."""
    words = []
    for text in texts:
        # The lexicon's hits only: the policy encoder's deferred reading is not needed here.
        analysis = engine.analyse(Post(text=text), finish=False)
        found = analysis.get("lexicon:disparaging")
        words.append(analysis.text.original[found[0].start : found[0].end] if found else "")
    # Only the sentiment score is read here: the cascade runs no further than it needs to give it.
    cascade = getattr(engine, "cascade", None)
    readable = [visible(text)[0] for text in texts]  # as Engine reads a post
    scores = cascade.scores(readable, [SENTIMENT] * len(texts)) if cascade is not None and texts else []
    out = []
    for n in range(len(texts)):
        negative = scores[n].negative if scores and scores[n].negative is not None else None
        if words[n]:
            out.append(Judgement(True, negative, f"disparaging word '{words[n]}'"))
        elif negative is not None and negative >= NEGATIVE_THRESHOLD:
            out.append(Judgement(True, negative, f"negative (score {negative:.2f})"))
        else:
            out.append(Judgement(False, negative))
    return out


def judge(engine: Any, reports: Sequence[Report], about_organisation: Sequence[bool]) -> list[Judgement]:
    """The judgement for each checked post. The engine's DP001 already weighed every post that
    names the organisation or its people; the rest that are about it are scored here."""
    out: list[Judgement | None] = []
    todo: list[int] = []
    for n, report in enumerate(reports):
        finding = next((f for f in report.findings if f.category == CATEGORY), None)
        if finding is not None:
            out.append(Judgement(True, None, finding.message))
        elif about_organisation[n] and not names(engine, report.post).has(*NAMES):
            out.append(None)
            todo.append(n)
        else:
            out.append(Judgement(False))
    if todo:
        for n, judgement in zip(todo, judge_texts(engine, [reports[n].post.text for n in todo]), strict=True):
            out[n] = judgement
    return [j if j is not None else Judgement(False) for j in out]
