"""A PolicyContext compiled for fast checking: sets, automata and detectors built once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from socialguard.rules.detectors import Detector
from socialguard.rules.detectors.lexicon import Automaton, HandleWordsDetector, LexiconDetector, NamesDetector
from socialguard.rules.detectors.links import LinkDetector, domain_set
from socialguard.rules.detectors.personal_data import PersonalDataDetector
from socialguard.rules.detectors.policy_model import PolicyModelDetector, shared_model
from socialguard.rules.detectors.spelling import SpellingDetector
from socialguard.rules.model import PolicyContext
from socialguard.rules.text import fold

if TYPE_CHECKING:
    from socialguard.rules.analysis import Analysis


def folded(name: str) -> str:
    return fold(name).strip()


class AllowedPhrases:
    """A pack's `[allow]`: lexicon hits lying inside an allowed phrase are dropped, so a place
    name (Twatt) or a title (Dick Whittington) does not count as the word inside it."""

    def __init__(self, inner: LexiconDetector, allow: Mapping[str, Iterable[str]]) -> None:
        self.inner = inner
        self.name = inner.name
        self.kinds = inner.kinds
        self.automaton = Automaton({f"lexicon:{k}": v for k, v in allow.items()}, plain=True)

    def detect(self, analysis: Analysis) -> None:
        self.inner.detect(analysis)
        text = analysis.text
        for start, end, _key, kinds in self.automaton.find(text.plain):
            o_start, o_end = text.span(start, end, plain=True)
            for kind in kinds:
                hits = analysis.hits.get(kind)
                if not hits:
                    continue
                kept = [h for h in hits if not (o_start <= h.start and h.end <= o_end)]
                if kept:
                    analysis.hits[kind] = kept
                else:
                    del analysis.hits[kind]  # rules skip on the kind's absence


@dataclass
class CompiledContext:
    context: PolicyContext
    lexicons: dict[str, list[str]]
    allowed_domains: set[str] = field(default_factory=set)
    own_domains: set[str] = field(default_factory=set)
    learner_names: set[str] = field(default_factory=set)  # folded names and handles
    guardian_names: set[str] = field(default_factory=set)
    adult_past_names: set[str] = field(default_factory=set)  # past learners known to be 18 or over
    disclaimer: str = ""
    spellings: dict[str, str] = field(default_factory=dict)
    allow: dict[str, list[str]] = field(default_factory=dict)  # lexicon -> allowed phrases
    # Terms the organisation took out of a lexicon ([remove]) or allowed ([allow]): the learned
    # detector does not read them either, or it would flag the word the organisation has cleared.
    unread: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        ctx = self.context
        self.allowed_domains = domain_set(ctx.allowed_domains)
        self.own_domains = domain_set(h for h in ctx.organisation_handles if "." in h)
        self.disclaimer = folded(ctx.disclaimer)
        names: dict[str, list[str]] = {
            "name:organisation": [*ctx.organisation_names, *ctx.organisation_handles],
            "name:staff": list(ctx.staff_names),
            "name:confidential": list(ctx.confidential_terms),
            "name:learner": [],
            "name:past_learner": [],
            "name:guardian": [],
        }
        for person in ctx.register:
            kind = f"name:{person.kind}"
            names.setdefault(kind, []).extend([person.name, *person.handles])
            target = self.guardian_names if person.kind == "guardian" else self.learner_names
            target.update(folded(n) for n in (person.name, *person.handles) if n)
        # 5.2 forbids connecting with past learners under 18 only; a name any other register person
        # shares stays forbidden.
        others = {
            folded(n)
            for p in ctx.register
            if not (p.kind == "past_learner" and p.adult)
            for n in (p.name, *p.handles)
            if n
        }
        self.adult_past_names = {
            folded(n)
            for p in ctx.register
            if p.kind == "past_learner" and p.adult
            for n in (p.name, *p.handles)
            if n and folded(n) not in others
        }
        lexicon: Detector = LexiconDetector(self.lexicons)
        if self.allow:
            lexicon = AllowedPhrases(LexiconDetector(self.lexicons), self.allow)
        self.detectors: list[Detector] = [
            lexicon,
            NamesDetector(names),
            # Roles and the organisation's name inside handles: whether a post is about work.
            HandleWordsDetector(
                {
                    "work_role": self.lexicons.get("work_role", []),
                    "organisation": list(ctx.organisation_names),
                }
            ),
            PersonalDataDetector(),
            LinkDetector(),
            # After the names, links and lexicons: it skips the words they found.
            SpellingDetector(),
        ]
        # The learned detector reads the others' hits (register names), so it runs last; without
        # its model file the learned rules simply never fire.
        model = shared_model()
        if model is not None:
            self.detectors.append(PolicyModelDetector(model, unread=self.unread))

    def is_learner(self, name: str) -> bool:
        return folded(name) in self.learner_names

    def is_adult_past_learner(self, name: str) -> bool:
        return folded(name) in self.adult_past_names

    def is_register_person(self, name: str) -> bool:
        key = folded(name)
        return key in self.learner_names or key in self.guardian_names
