"""Policy packs: an organisation's configuration as TOML (rules chosen, severities, lexicons,
allowed domains, disclaimer, confidential terms, clause mapping).

An organisation's pack is laid over the base pack (`packs/default.toml`, organisation-neutral):
keys it sets replace the base's, except `[lexicons]`, whose terms are added to the base's;
`[remove]` drops base terms and `[allow]` names phrases inside which a lexicon must not match
(a place name such as Twatt, a title such as Dick Whittington). `[clauses]` maps the engine's
clause keys (and single rule codes) to the organisation's own clause numbers.

Every mistake is reported as "SOURCE, line N: [section] key: reason", all at once, so a person
editing a pack in the web sees every problem in one go. A proposed pack (in the CLI, the API or
the web) is checked strictly: an entry that would do nothing (an empty term, a lone `*`, a single
letter, a domain that is no domain) is a mistake too, and the pack may be at most MAX_PACK_CHARS
long. A pack already in use (a saved version, the deployment's file) is loaded without those two
checks, so tightening them never drops an organisation's whole pack for the base one.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from socialguard.rules.detectors.lexicon import term_key
from socialguard.rules.model import Severity
from socialguard.rules.publishing import PUBLISHING_CHECKS

PACKS = Path(__file__).resolve().parent / "packs"
DEFAULT_PACK = PACKS / "default.toml"
DMM_PACK = PACKS / "dmm.toml"  # Digital Marketing Mentor's pack: the demo organisation's
UNMAPPED = "This rule maps to no clause of your policy."
# The most a pack may hold, checked before it is parsed: a pack is read on every page of the editor,
# previewed and audited, and a 2 MB word list is a mistake, not a policy.
MAX_PACK_CHARS = 200_000
SECTIONS = {
    "pack": {"name": str, "policy": str, "select": list, "ignore": list},
    "severity": None,  # CODE = severity
    "organisation": {"names": list, "handles": list, "disclaimer": str, "approved_platforms": list},
    "links": {"allowed_domains": list},
    "confidential": {"terms": list},
    "spelling": None,  # american = "british"
    "lexicons": None,  # name = [terms]
    "remove": None,  # lexicon name = [base terms this organisation drops]
    "allow": None,  # lexicon name = [phrases inside which the lexicon's terms must not match]
    "clauses": None,  # engine clause key or rule code = the organisation's clause number ("" = none)
}
# Lists matched as names are (case-folded, not de-obfuscated), whose entries must match something.
NAME_LISTS = {("confidential", "terms"), ("organisation", "names"), ("organisation", "handles")}
SECTION_LINE = re.compile(r"^\s*\[\s*([A-Za-z0-9_\-]+)\s*\]")
KEY_LINE = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_\-]+))\s*=""")


class PackError(ValueError):
    """The pack is invalid; each message names the source, line, section, key and the problem."""

    def __init__(self, errors: str | list[str]) -> None:
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("\n".join(self.errors))


@dataclass
class Pack:
    name: str = ""
    policy: str = ""
    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    organisation_names: list[str] = field(default_factory=list)
    organisation_handles: list[str] = field(default_factory=list)
    disclaimer: str = ""
    disclaimer_template: str = ""  # as written, with "{organisation}" for the server to fill in
    approved_platforms: list[str] = field(default_factory=list)
    allowed_domains: list[str] = field(default_factory=list)
    confidential_terms: list[str] = field(default_factory=list)
    spellings: dict[str, str] = field(default_factory=dict)
    lexicons: dict[str, list[str]] = field(default_factory=dict)
    allow: dict[str, list[str]] = field(default_factory=dict)
    removed: dict[str, list[str]] = field(default_factory=dict)  # lexicon -> base terms dropped
    # None: findings cite the engine's own clause keys. A dict: the organisation's numbers, and a
    # rule whose clause is not in it cites none (it says so rather than quote a wrong number).
    clauses: dict[str, str] | None = None
    clause_texts: dict[str, str] = field(default_factory=dict)  # organisation's number -> its text

    def is_selected(self, code: str) -> bool:
        """ruff's rule: the most specific matching entry wins; at equal specificity ignore wins."""

        def best(entries: list[str]) -> int:
            lengths = [0 if e == "ALL" else len(e) for e in entries if e == "ALL" or code.startswith(e)]
            return max(lengths, default=-1)

        chosen, dropped = best(self.select), best(self.ignore)
        return chosen >= 0 and chosen > dropped

    def clause_for(self, code: str, clause: str) -> tuple[str, str]:
        """(clause number, clause text) a finding of rule `code` (enforcing the engine's `clause`)
        cites: the organisation's own where the pack maps it, ("", UNMAPPED) where it maps nowhere."""
        if self.clauses is None:
            return clause, ""
        number = self.clauses.get(code, self.clauses.get(clause, ""))
        if not number:
            return "", UNMAPPED
        return number, self.clause_texts.get(number, "")


def _parse(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{source}: not valid TOML: {exc}") from None
    except RecursionError:
        # tomllib reads nested arrays and tables by recursion: "x = [[[[…" 500 deep exhausts it.
        raise PackError(f"{source}: not valid TOML: arrays or tables nested too deeply") from None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PackError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise PackError(f"{path}: not UTF-8 text; save it as UTF-8") from None


def size_error(text: str, source: str) -> str | None:
    """Why the pack is too long to use, or None."""
    if len(text) <= MAX_PACK_CHARS:
        return None
    return f"{source}: the pack is {len(text):,} characters long; a pack may have at most {MAX_PACK_CHARS:,}"


def _matches_nothing(term: str, *, plain: bool) -> str | None:
    """Why a lexicon term, allowed phrase or name would match nothing (as the matcher drops it), or None."""
    if term_key(term, plain=plain) is not None:
        return None
    if not term.strip().rstrip("*").strip():
        return f"{term!r} is empty once spaces and the trailing * are taken off, so it matches nothing"
    return f"{term!r} is a single letter or digit, which is never matched; write the whole word"


def _allows_nothing(domain: str) -> str | None:
    """Why an allowed domain would allow nothing (links.domain_set drops it), or None."""
    if not domain.strip():
        return f"{domain!r} is empty, so it allows nothing"
    if "*" in domain:
        return f"{domain!r}: a wildcard allows nothing; write the domain (gov.uk allows its subdomains too)"
    if "." not in domain:
        return f"{domain!r} is not a domain, so it allows nothing; write one such as gov.uk"
    return None


def key_lines(text: str) -> dict[tuple[str, str], int]:
    """Where each (section, key) and each section ((section, "")) is written, 1-based: tomllib
    gives no positions, and "line 12" is what a person editing the pack needs."""
    lines: dict[tuple[str, str], int] = {}
    section = ""
    for number, line in enumerate(text.splitlines(), 1):
        if m := SECTION_LINE.match(line):
            section = m.group(1)
            lines.setdefault((section, ""), number)
        elif m := KEY_LINE.match(line):
            key = next(g for g in m.groups() if g is not None)
            lines.setdefault((section, key), number)
    return lines


@dataclass(frozen=True)
class Catalogue:
    """What a pack may name: rule codes, the engine's clause keys, lexicon names and base terms."""

    codes: frozenset[str]
    clause_keys: frozenset[str]
    lexicons: dict[str, list[str]]

    @classmethod
    def current(cls, base: dict[str, Any] | None = None) -> Catalogue:
        from socialguard.rules.catalogue import all_rules

        rules = all_rules()
        base = base if base is not None else _parse(_read(DEFAULT_PACK), str(DEFAULT_PACK))
        lexicons = {k: list(v) for k, v in base.get("lexicons", {}).items()}
        for rule in rules.values():  # a lexicon a rule reads is known even where the base has none
            for need in rule.needs:
                if need.startswith("lexicon:"):
                    lexicons.setdefault(need.removeprefix("lexicon:"), [])
        clause_keys = {r.clause for r in rules.values()} | {c.clause for c in PUBLISHING_CHECKS.values()}
        return cls(frozenset(rules), frozenset(clause_keys), lexicons)


def validate(
    data: dict[str, Any], text: str, source: str, catalogue: Catalogue, *, strict: bool = True
) -> list[str]:
    """Every problem in the pack, as "SOURCE, line N: [section] key: reason"; `strict`: entries
    that would match or allow nothing too (the matcher skips them, so a pack in use keeps working)."""
    lines = key_lines(text)
    errors: list[str] = []

    def at(section: str, key: str = "") -> str:
        line = lines.get((section, key)) or lines.get((section, ""))
        where = f"{source}, line {line}" if line else source
        return f"{where}: [{section}] {key}".rstrip()

    def strings(where: str, value: Any) -> bool:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            errors.append(f"{where}: expected a list of strings")
            return False
        return True

    def each(where: str, values: list[str], why: Callable[[str], str | None]) -> None:
        if strict:
            errors.extend(f"{where}: {reason}" for value in values if (reason := why(value)))

    known_lexicons = ", ".join(sorted(catalogue.lexicons))
    for section, value in data.items():
        if section not in SECTIONS:
            errors.append(f"{at(section)}: unknown section; expected one of {', '.join(SECTIONS)}")
            continue
        if not isinstance(value, dict):
            errors.append(f"{at(section)}: must be a table")
            continue
        keys = SECTIONS[section]
        for key, item in value.items():
            where = at(section, key)
            if keys is not None:
                if key not in keys:
                    errors.append(f"{where}: unknown key; expected one of {', '.join(keys)}")
                elif keys[key] is list:
                    if not strings(where, item):
                        continue
                    if (section, key) == ("links", "allowed_domains"):
                        each(where, item, _allows_nothing)
                    elif (section, key) in NAME_LISTS:
                        each(where, item, partial(_matches_nothing, plain=False))
                elif not isinstance(item, keys[key]):
                    errors.append(f"{where}: expected {keys[key].__name__}")
            elif section == "severity":
                if key not in catalogue.codes:
                    errors.append(f"{where}: no rule has this code")
                if item not in {s.value for s in Severity}:
                    errors.append(f"{where}: {item!r} is not a severity; use block, review or advice")
            elif section == "spelling":
                if not isinstance(item, str):
                    errors.append(f"{where}: expected the British spelling as a string")
            elif section == "clauses":
                known = catalogue.codes | catalogue.clause_keys | PUBLISHING_CHECKS.keys()
                if key not in known:
                    keys_known = ", ".join(sorted(catalogue.clause_keys))
                    errors.append(f"{where}: neither a rule code nor a clause the rules cite ({keys_known})")
                if not isinstance(item, str):
                    errors.append(f'{where}: expected your clause number as a string ("" for none)')
            else:  # lexicons, remove, allow: keys are lexicon names
                if key not in catalogue.lexicons:
                    # A near miss names the one meant (a wall of 70 names is hard to read on a phone).
                    close = difflib.get_close_matches(
                        key.strip().lower(), catalogue.lexicons, n=1, cutoff=0.75
                    )
                    hint = f"did you mean {close[0]}?" if close else f"the lexicons are {known_lexicons}"
                    errors.append(f"{where}: no lexicon has this name; {hint}")
                    continue
                if not strings(where, item):
                    continue
                if section == "remove":
                    base = {t.strip().casefold() for t in catalogue.lexicons[key]}
                    for term in item:
                        if term.strip().casefold() not in base:
                            errors.append(f"{where}: {term!r} is not a term of the base {key} lexicon")
                else:  # lexicon terms and allowed phrases, matched on the de-obfuscated text
                    each(where, item, partial(_matches_nothing, plain=True))
    pack = data.get("pack", {})
    if isinstance(pack, dict):
        for key in ("select", "ignore"):
            entries = pack.get(key, [])
            for entry in entries if isinstance(entries, list) else []:
                if entry != "ALL" and not any(code.startswith(str(entry)) for code in catalogue.codes):
                    errors.append(f"{at('pack', key)}: {entry!r} matches no rule code or prefix")
        select, ignore = pack.get("select", ["ALL"]), pack.get("ignore", [])
        chosen = Pack(select=select, ignore=ignore) if _all_strings(select, ignore) else None
        if strict and chosen is not None and not any(map(chosen.is_selected, catalogue.codes)):
            # Every post would pass unchecked: almost always `select = []` meant as "no change".
            errors.append(
                f"{at('pack', 'select' if 'select' in pack else 'ignore')}: selects no rule, so every "
                "post would pass unchecked; list under ignore only the rules to turn off"
            )
    return errors


def _all_strings(*lists: Any) -> bool:
    return all(isinstance(v, list) and all(isinstance(e, str) for e in v) for v in lists)


def parse_pack(
    text: str, source: str = "pack", catalogue: Catalogue | None = None, *, strict: bool = True
) -> dict[str, Any]:
    """The pack's data, or PackError listing every problem (`strict`: see the module's docstring)."""
    if strict and (too_long := size_error(text, source)):
        raise PackError(too_long)
    data = _parse(text, source)
    errors = validate(data, text, source, catalogue or Catalogue.current(), strict=strict)
    if errors:
        raise PackError(errors)
    return data


def _merge(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    merged = {section: dict(values) for section, values in base.items()}
    lexicons = {k: list(v) for k, v in base.get("lexicons", {}).items()}
    for name, terms in overlay.get("lexicons", {}).items():
        lexicons.setdefault(name, []).extend(terms)
    removed = {k: list(v) for k, v in base.get("remove", {}).items()}
    for name, terms in overlay.get("remove", {}).items():
        dropped = {t.strip().casefold() for t in terms}
        lexicons[name] = [t for t in lexicons.get(name, []) if t.strip().casefold() not in dropped]
        removed.setdefault(name, []).extend(terms)
    allow = {k: list(v) for k, v in base.get("allow", {}).items()}
    for name, phrases in overlay.get("allow", {}).items():
        allow.setdefault(name, []).extend(phrases)
    for section, values in overlay.items():
        if section == "clauses":
            merged["clauses"] = dict(values)  # the organisation's numbering replaces, never mixes
        else:
            merged.setdefault(section, {}).update(values)
    merged["lexicons"], merged["allow"], merged["remove"] = lexicons, allow, removed
    return merged


def _build(data: dict[str, Any]) -> Pack:
    p, org = data.get("pack", {}), data.get("organisation", {})
    names = list(org.get("names", []))
    # The base pack is organisation-neutral: its disclaimer names "{organisation}".
    template = str(org.get("disclaimer", ""))
    disclaimer = template.replace("{organisation}", names[0] if names else "my employer")
    return Pack(
        name=p.get("name", ""),
        policy=p.get("policy", ""),
        select=p.get("select", ["ALL"]),
        ignore=p.get("ignore", []),
        severity={k: Severity(v) for k, v in data.get("severity", {}).items()},
        organisation_names=names,
        organisation_handles=org.get("handles", []),
        disclaimer=disclaimer,
        disclaimer_template=template,
        approved_platforms=org.get("approved_platforms", []),
        allowed_domains=data.get("links", {}).get("allowed_domains", []),
        confidential_terms=data.get("confidential", {}).get("terms", []),
        spellings={k.lower(): v for k, v in data.get("spelling", {}).items()},
        lexicons=data.get("lexicons", {}),
        allow={k: v for k, v in data.get("allow", {}).items() if v},
        removed={k: list(v) for k, v in data.get("remove", {}).items() if v},
        clauses=dict(data["clauses"]) if "clauses" in data else None,
    )


@lru_cache(maxsize=1)
def _base_errors(text: str) -> tuple[str, ...]:
    """The base pack's problems (none, as shipped), found once for its text rather than on every
    load: normalising its few thousand terms to check each matches something takes 30 ms."""
    base = _parse(text, str(DEFAULT_PACK))
    return tuple(validate(base, text, str(DEFAULT_PACK), Catalogue.current(base)))


def load_pack_text(text: str | None, source: str = "pack", *, strict: bool = True) -> Pack:
    """The base pack with the organisation's pack (TOML text, e.g. held in the database) over it;
    strict=False for a pack already in use (see the module's docstring)."""
    base_text = _read(DEFAULT_PACK)
    errors = _base_errors(base_text)
    if errors:
        raise PackError(list(errors))
    base = _parse(base_text, str(DEFAULT_PACK))
    catalogue = Catalogue.current(base)
    if text is not None:
        base = _merge(base, parse_pack(text, source, catalogue, strict=strict))
    return _build(base)


def load_pack(path: Path | None = None, *, strict: bool = True) -> Pack:
    """The base pack, with the pack at `path` laid over it."""
    return load_pack_text(_read(path) if path is not None else None, str(path), strict=strict)
