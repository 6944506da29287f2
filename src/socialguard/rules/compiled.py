"""A PolicyContext compiled for fast checking: sets, automata and detectors built once."""

from __future__ import annotations

from dataclasses import dataclass, field

from socialguard.rules.detectors import Detector
from socialguard.rules.detectors.lexicon import LexiconDetector, NamesDetector
from socialguard.rules.detectors.links import LinkDetector, domain_set
from socialguard.rules.detectors.personal_data import PersonalDataDetector
from socialguard.rules.model import PolicyContext
from socialguard.rules.text import fold


def folded(name: str) -> str:
    return fold(name).strip()


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
        self.detectors: list[Detector] = [
            LexiconDetector(self.lexicons),
            NamesDetector(names),
            PersonalDataDetector(),
            LinkDetector(),
        ]

    def is_learner(self, name: str) -> bool:
        return folded(name) in self.learner_names

    def is_adult_past_learner(self, name: str) -> bool:
        return folded(name) in self.adult_past_names

    def is_register_person(self, name: str) -> bool:
        key = folded(name)
        return key in self.learner_names or key in self.guardian_names
