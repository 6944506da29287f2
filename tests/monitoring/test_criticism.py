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


def test_names_are_read_without_invisible_characters_as_the_engine_reads_them() -> None:
    """A zero-width space inside a learner's name hid it from the safeguarding routing, though the
    engine's own check (which strips it) found the name."""
    from socialguard.rules import Post
    from socialguard.rules.engine import context_from_pack
    from socialguard.rules.model import RegisterPerson
    from socialguard.rules.pack import load_pack

    pack = load_pack()
    context = context_from_pack(
        pack, organisation_names=["Digital Marketing Mentor"], register=[RegisterPerson("Jade Wilson")]
    )
    engine = Engine(context, pack, classifiers=False)
    hidden = Post(text="Digital Mar\u200bketing Mentor is a joke and Ja\u200bde Wil\u2060son is thick")

    assert criticism.names(engine, hidden).has("name:learner")
    assert criticism.names(engine, hidden).has("name:organisation")
    assert criticism.names(engine, hidden).post.text == hidden.text.replace("\u200b", "").replace(
        "\u2060", ""
    )
