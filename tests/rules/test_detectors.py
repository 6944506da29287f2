"""Detectors against their format rules."""

from __future__ import annotations

import functools

import pytest

from socialguard.rules import Engine, Post


def kinds(engine: Engine, text: str, prefix: str) -> list[tuple[str, str]]:
    a = engine.analyse(Post(text=text))
    return [
        (h.kind, text[h.start : h.end])
        for kind, hits in a.hits.items()
        if kind.startswith(prefix)
        for h in hits
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("NI: AB 12 34 56 C", True),
        ("NI: AB123456C", True),
        ("NI: BG 12 34 56 C", False),  # BG is never issued
        ("NI: DA 12 34 56 C", False),  # D is not a valid first letter
        ("NI: AB 12 34 56 E", False),  # suffix must be A-D
    ],
)
def test_national_insurance_numbers(rules_only: Engine, text: str, found: bool) -> None:
    assert bool(kinds(rules_only, text, "pii:nino")) is found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("at SW1A 1AA", True),
        ("at M1 1AE", True),
        ("at B33 8TH", True),
        ("at CR2 6XH", True),
        ("at DN55 1PT", True),
        ("at QA1 1AA", False),  # Q is not a valid area letter
        ("at M1 1CA", False),  # C is not used in the inward code
    ],
)
def test_postcodes(rules_only: Engine, text: str, found: bool) -> None:
    assert bool(kinds(rules_only, text, "pii:postcode")) is found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("call 07912 345678", True),
        # A no-break or thin space, or an autocorrected dash, as phones and word processors type.
        ("call 07912\u00a0345678", True),
        ("call 07912\u2013345678", True),
        ("call 07912\u2009345\u2009678", True),
        ("call 0161 496 000", False),  # one digit short
        ("call 0161 999 8888", True),
        ("order 2024-03-05", False),
        ("id 12345678", False),
    ],
)
def test_phone_numbers(rules_only: Engine, text: str, found: bool) -> None:
    assert bool(kinds(rules_only, text, "pii:phone")) is found


def test_links_resolve_registered_domains(rules_only: Engine) -> None:
    a = rules_only.analyse(
        Post(
            text="see https://news.bbc.co.uk/x and www.example.org/y, mail jo@site.com",
            links=("https://forms.gle/abc",),
        )
    )
    assert sorted(h.value for h in a.get("link")) == ["bbc.co.uk", "example.org", "forms.gle"]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("jamie.smith@gmail.com", "jamie.smith@gmail.com"),
        # Spelt or spaced out to get past a filter.
        ("email me: jamie.smith [at] gmail [dot] com", "jamie.smith@gmail.com"),
        ("jamie.smith (at) gmail (dot) co (dot) uk", "jamie.smith@gmail.co.uk"),
        ("jamie.smith@gmail . com", "jamie.smith@gmail.com"),
        # An "at" or "dot" that is not bracketed is a word.
        ("meet at the station. Com on guys", None),
        ("we are at gmail dot com hq", None),
    ],
)
def test_email_addresses_spelt_out_are_found(rules_only: Engine, text: str, address: str | None) -> None:
    found = [h.value for h in rules_only.analyse(Post(text=text)).get("pii:email")]
    assert found == ([address] if address else [])


@pytest.mark.parametrize(
    ("text", "domains"),
    [
        ("Visit us...digitalmarketingmentor.co.uk for dates", ["digitalmarketingmentor.co.uk"]),
        ("(see gov.uk) and my-site.com, or north-west.ac.uk", ["gov.uk", "my-site.com", "north-west.ac.uk"]),
        ("email jo@site.com", []),
        # A bare domain starts where its run of letters, digits, dots and hyphens starts: these runs
        # hold no domain at all (each was once tried from every letter, in quadratic time).
        ("a-" * 500 + " .com", []),
        ("a." * 500 + " .com", []),
    ],
)
def test_bare_domains_start_where_their_run_starts(rules_only: Engine, text: str, domains: list[str]) -> None:
    assert sorted(h.value for h in rules_only.analyse(Post(text=text)).get("link")) == domains


@functools.cache
def _tldextract():  # type: ignore[no-untyped-def]
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _tldextract_registered_domain(url: str) -> str:
    """What registered_domain answered when it called tldextract itself."""
    parts = _tldextract()(url)
    if not parts.domain:
        return parts.suffix.lower()
    return f"{parts.domain}.{parts.suffix}".lower() if parts.suffix else parts.domain.lower()


def test_registered_domains_match_tldextract_for_every_public_suffix() -> None:
    """The links detector reads tldextract's snapshot of the Public Suffix List without importing
    tldextract (and requests with it); its answers must be tldextract's, rule by rule."""
    import re
    from pathlib import Path

    import tldextract

    from socialguard.rules.detectors.links import registered_domain

    snapshot = (Path(tldextract.__file__).parent / ".tld_set_snapshot").read_text(encoding="utf-8")
    suffixes = [
        m.group(1).lstrip("!").replace("*", "x") for m in re.finditer(r"^([.*!]*\w\S*)", snapshot, re.M)
    ]
    urls = [u for s in suffixes for u in (s, f"a.{s}", f"https://www.b.a.{s}/p?q", f"A.B.{s.upper()}")]
    urls += [
        "http://news.bbc.co.uk/a",
        "gov.uk",
        "https://user:pw@Example.COM:8080/x",
        "http://1.2.3.4:80",
        "192.168.0.1",
        "http://[::1]/x",
        "http://xn--fiqs8s.xn--fiqs8s/",
        "https://www.ck",
        "http://foo.ck",
        "localhost",
        "//example.org/x",
        "ftp://x.y.co.uk.",
        "bbc\u3002co\u3002uk",
        "@handle.bsky.social",
        "example..com",
        "",
    ]
    different = [
        (u, registered_domain(u)) for u in urls if registered_domain(u) != _tldextract_registered_domain(u)
    ]
    assert not different, different[:5]


def test_a_link_does_not_import_tldextract_or_requests() -> None:
    """Importing them was a tenth of a second of the first link's check, in every CLI run."""
    import subprocess
    import sys

    code = (
        "import sys; from socialguard.rules.detectors.links import registered_domain; "
        "assert registered_domain('https://news.bbc.co.uk/x') == 'bbc.co.uk'; "
        "print(sorted(m for m in ('tldextract', 'requests') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_names_and_handles_from_the_register(rules_only: Engine) -> None:
    found = kinds(rules_only, "hi JAMIE FLETCHER and @jamief_22 and @priyanair", "name:")
    assert ("name:learner", "JAMIE FLETCHER") in found
    assert ("name:learner", "@jamief_22") in found
    assert ("name:past_learner", "@priyanair") in found


def test_whole_words_only(rules_only: Engine) -> None:
    assert not kinds(rules_only, "Scunthorpe and class assessments in Essex", "lexicon:profanity")
    assert kinds(rules_only, "what a wanker", "lexicon:profanity") == [("lexicon:profanity", "wanker")]


@pytest.mark.parametrize(
    ("text", "insult"),
    [
        ("Oh just get lost, Kyle", True),
        ("@kyle you can get lost", True),
        ("why don't you get lost", True),
        ("g3t l0st @kyle", True),  # de-obfuscated first
        ("@kyle why not get lost", True),
        ("@kyle when are you going to get lost", True),
        ("@kyle do us all a favour and get lost", True),
        ("@kyle if you don't like it, get lost", True),
        ("ask at reception if you get lost on your first day", False),
        ("in case any learners get lost, the map is on the door", False),
        ("Don't get lost on the way to the open day!", False),
        ("it's easy to get lost in the new building", False),
        ("try not to get lost", False),
    ],
)
def test_get_lost_is_an_insult_only_when_it_is_not_about_finding_the_way(
    rules_only: Engine, text: str, insult: bool
) -> None:
    found = kinds(rules_only, text, "lexicon:insult")
    assert bool(found) is insult, found


def test_roles_and_the_organisation_inside_handles(rules_only: Engine) -> None:
    text = "@sophie_b_assessor @AmyMentorDMM @jo_bloggs @dmm_jane @tutorial_fan hello"
    found = kinds(rules_only, text, "handle:")
    assert ("handle:work_role", "@sophie_b_assessor") in found
    assert ("handle:organisation", "@AmyMentorDMM") in found  # camel case: "Amy Mentor DMM"
    assert ("handle:organisation", "@dmm_jane") in found
    handles = {h for _, h in found}
    assert "@jo_bloggs" not in handles
    assert (
        "@tutorial_fan" in handles
    )  # "tutor*" is a prefix term in work_role; the cost: such a handle is "at work"
    assert not kinds(rules_only, "email assessor@college.ac.uk or see the tutor", "handle:")
