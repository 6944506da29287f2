"""The lexicon automaton: whole words, prefixes, and one word in several lexicons."""

from __future__ import annotations

from socialguard.rules.detectors.lexicon import Automaton


def spans(automaton: Automaton, text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(text[start:end], kinds) for start, end, _, kinds in automaton.find(text)]


def test_a_whole_word_term_matches_only_the_whole_word() -> None:
    automaton = Automaton({"threat": ["kill you"], "insult": ["idiot"]}, plain=False)
    assert spans(automaton, "I'll kill you, idiot") == [("kill you", ("threat",)), ("idiot", ("insult",))]
    assert spans(automaton, "idiots skill youth") == []


def test_a_prefix_term_matches_the_whole_word_it_begins() -> None:
    automaton = Automaton({"known": ["webinar*"]}, plain=False)
    assert spans(automaton, "Two webinars and a webinar") == [
        ("webinars", ("known",)),
        ("webinar", ("known",)),
    ]
    assert spans(automaton, "prewebinar") == []


def test_one_word_a_prefix_in_one_lexicon_and_a_whole_word_in_another_keeps_both() -> None:
    """ "webinar*" in one lexicon and "webinar" in another: each keeps its own matching (the whole
    word once made the prefix whole-word too, so "webinars" stopped being a known word)."""
    automaton = Automaton({"known": ["webinar*"], "workplace": ["webinar"]}, plain=False)
    assert spans(automaton, "our webinars") == [("webinars", ("known",))]
    assert spans(automaton, "our webinar") == [("webinar", ("known", "workplace"))]


def test_a_handle_key_needs_no_word_boundary_on_its_left() -> None:
    automaton = Automaton({"handle": ["@dmm"]}, plain=False)
    assert spans(automaton, "thanks@dmm") == [("@dmm", ("handle",))]
