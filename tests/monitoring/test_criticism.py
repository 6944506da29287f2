"""The adverse-criticism judgement read directly (a post about the organisation that does not name
it), with the classifiers on: it asks the cascade for the sentiment score only."""

from __future__ import annotations

from socialguard.monitoring import criticism
from socialguard.rules import Engine


def test_a_post_about_us_is_judged_on_its_negative_score_with_the_classifiers_on() -> None:
    engine = Engine()
    assert engine.cascade is not None

    hostile, calm = criticism.judge_texts(
        engine,
        ["I hate this place, they took my money and ignored every email", "See you at the open day!"],
    )

    assert hostile.adverse and hostile.score is not None and hostile.score >= criticism.NEGATIVE_THRESHOLD
    assert not calm.adverse and calm.score is not None and calm.score < 0.5
