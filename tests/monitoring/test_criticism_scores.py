"""Adverse criticism read with the classifiers on: the cascade is asked for sentiment by name."""

from __future__ import annotations

from socialguard.monitoring.criticism import judge_texts
from socialguard.rules import Engine
from socialguard.rules.detectors.classifiers import Cascade


def test_items_about_the_organisation_are_judged_by_their_sentiment_score() -> None:
    """judge_texts passed `True` for each text where the cascade takes the names of the scores it
    needs, and raised TypeError as soon as the classifiers were on."""
    cascade = Cascade()
    engine = Engine(classifiers=cascade)
    kind, hostile = judge_texts(
        engine,
        [
            "Have a lovely day everyone",
            "This college is a disgrace, the worst course I have ever wasted money on",
        ],
    )
    assert kind.score is not None and not kind.adverse
    assert hostile.score is not None and hostile.score >= 0.7 and hostile.adverse
    assert cascade.runs()[1] == 1  # only the possibly negative item ran the whole model
