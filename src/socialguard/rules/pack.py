"""Policy packs: an organisation's configuration as TOML (rules chosen, severities, lexicons,
allowed domains, disclaimer, confidential terms). A pack is laid over the default pack: keys it
sets replace the default's, except `[lexicons]`, whose terms are added to the default's."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialguard.rules.model import Severity

DEFAULT_PACK = Path(__file__).resolve().parent / "packs" / "default.toml"
SECTIONS = {
    "pack": {"name": str, "policy": str, "select": list, "ignore": list},
    "severity": None,  # CODE = severity
    "organisation": {"names": list, "handles": list, "disclaimer": str, "approved_platforms": list},
    "links": {"allowed_domains": list},
    "confidential": {"terms": list},
    "spelling": None,  # american = "british"
    "lexicons": None,  # name = [terms]
}


class PackError(ValueError):
    """The pack is invalid; the message names the file, the key and the problem."""


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
    approved_platforms: list[str] = field(default_factory=list)
    allowed_domains: list[str] = field(default_factory=list)
    confidential_terms: list[str] = field(default_factory=list)
    spellings: dict[str, str] = field(default_factory=dict)
    lexicons: dict[str, list[str]] = field(default_factory=dict)

    def is_selected(self, code: str) -> bool:
        """ruff's rule: the most specific matching entry wins; at equal specificity ignore wins."""

        def best(entries: list[str]) -> int:
            lengths = [0 if e == "ALL" else len(e) for e in entries if e == "ALL" or code.startswith(e)]
            return max(lengths, default=-1)

        chosen, dropped = best(self.select), best(self.ignore)
        return chosen >= 0 and chosen > dropped


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise PackError(f"{path}: no such file") from None
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{path}: not valid TOML: {exc}") from None


def _strings(where: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PackError(f"{where}: expected a list of strings")
    return list(value)


def _validate(path: Path, data: dict[str, Any], codes: set[str]) -> None:
    for section, value in data.items():
        if section not in SECTIONS:
            raise PackError(f"{path}: unknown section [{section}]; expected one of {', '.join(SECTIONS)}")
        if not isinstance(value, dict):
            raise PackError(f"{path}: [{section}] must be a table")
        keys = SECTIONS[section]
        for key, item in value.items():
            where = f"{path}: [{section}] {key}"
            if keys is not None:
                if key not in keys:
                    raise PackError(f"{where}: unknown key; expected one of {', '.join(keys)}")
                if keys[key] is list:
                    _strings(where, item)
                elif not isinstance(item, keys[key]):
                    raise PackError(f"{where}: expected {keys[key].__name__}")
            elif section == "severity":
                if key not in codes:
                    raise PackError(f"{where}: no rule has this code")
                if item not in {s.value for s in Severity}:
                    raise PackError(f"{where}: {item!r} is not a severity; use block, review or advice")
            elif section == "spelling":
                if not isinstance(item, str):
                    raise PackError(f"{where}: expected the British spelling as a string")
            else:
                _strings(where, item)
    for key in ("select", "ignore"):
        for entry in data.get("pack", {}).get(key, []):
            if entry != "ALL" and not any(code.startswith(entry) for code in codes):
                raise PackError(f"{path}: [pack] {key}: {entry!r} matches no rule code or prefix")


def load_pack(path: Path | None = None) -> Pack:
    from socialguard.rules.catalogue import all_rules

    codes = set(all_rules())
    base = _read(DEFAULT_PACK)
    _validate(DEFAULT_PACK, base, codes)
    if path is not None:
        overlay = _read(path)
        _validate(path, overlay, codes)
        lexicons = {k: list(v) for k, v in base.get("lexicons", {}).items()}
        for name, terms in overlay.get("lexicons", {}).items():
            lexicons.setdefault(name, []).extend(terms)
        for section, values in overlay.items():
            base.setdefault(section, {}).update(values)
        base["lexicons"] = lexicons
    p, org = base.get("pack", {}), base.get("organisation", {})
    return Pack(
        name=p.get("name", ""),
        policy=p.get("policy", ""),
        select=p.get("select", ["ALL"]),
        ignore=p.get("ignore", []),
        severity={k: Severity(v) for k, v in base.get("severity", {}).items()},
        organisation_names=org.get("names", []),
        organisation_handles=org.get("handles", []),
        disclaimer=org.get("disclaimer", ""),
        approved_platforms=org.get("approved_platforms", []),
        allowed_domains=base.get("links", {}).get("allowed_domains", []),
        confidential_terms=base.get("confidential", {}).get("terms", []),
        spellings={k.lower(): v for k, v in base.get("spelling", {}).items()},
        lexicons=base.get("lexicons", {}),
    )
