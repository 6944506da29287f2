from socialguard.rules.text import normalise


def test_obfuscations_read_plainly() -> None:
    assert normalise("f.u.c.k off").plain == "fuck off"
    assert normalise("F U C K").plain == "fuck"
    assert normalise("sh1t").plain == "shit"
    assert normalise("fuuuuuck").plain == "fuuck"
    assert normalise("Ｆｕｃｋ").folded == "fuck"


def test_ordinary_text_is_left_alone() -> None:
    assert normalise("I am a b c d").plain == "i am abcd"  # single letters with one separator join
    assert normalise("Good morning").plain == "good morning"


def test_spans_map_back_to_the_original() -> None:
    text = "Wow Ｆｕｃｋ this f.u.c.k that"
    n = normalise(text)
    start = n.plain.index("fuck")
    s, e = n.span(start, start + 4, plain=True)
    assert text[s:e] == "Ｆｕｃｋ"
    second = n.plain.index("fuck", start + 1)
    s, e = n.span(second, second + 4, plain=True)
    assert text[s:e] == "f.u.c.k"


def test_accents_do_not_hide_words() -> None:
    assert normalise("shît").plain == "shit"
