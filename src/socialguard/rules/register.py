"""Read a learner or guardian register from CSV (the same columns as `socialguard import`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from socialguard.rules.model import RegisterPerson

# socialguard.csvfiles guards exported cells starting with these by a leading apostrophe. The rules
# package imports nothing outside itself (tests/rules/test_framework_free.py), so it is mirrored here.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The same date formats as `socialguard import` (socialguard.people.records, which needs Django).
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


class RegisterError(ValueError):
    pass


def read_register(path: Path, today: dt.date | None = None) -> list[RegisterPerson]:
    today = today or dt.date.today()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise RegisterError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise RegisterError(f"{path}: is not UTF-8 text; save it as CSV UTF-8") from None
    reader = csv.DictReader(io.StringIO(text))
    fields = {(f or "").strip().lower() for f in reader.fieldnames or []}
    missing = {"first_name", "last_name"} - fields
    if missing:
        raise RegisterError(f"{path}, row 1: missing column(s): {', '.join(sorted(missing))}")
    people = []
    for number, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        name = f"{row['first_name']} {row['last_name']}".strip()
        if not name:
            continue
        # Our own export guards a cell starting '@' with an apostrophe: take it off, as the import does.
        cell = unguard(row.get("social_handles", ""))
        handles = tuple(unguard(h.strip()) for h in cell.replace(",", ";").split(";") if h.strip())
        kind = "learner"
        if "learner_ids" in row:
            kind = "guardian"
        elif row.get("end_date"):
            end = _date(row["end_date"])
            if end is None:
                raise RegisterError(
                    f"{path}, row {number}, field 'end_date': {row['end_date']!r} is not a date; "
                    "write it as YYYY-MM-DD (2024-09-01) or DD/MM/YYYY (01/09/2024)"
                )
            if end < today:
                kind = "past_learner"
        born = _date(row.get("date_of_birth", ""))
        adult = born is not None and _age(born, today) >= 18
        people.append(RegisterPerson(name, handles, kind, adult))
    return people


def _date(raw: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def unguard(text: str) -> str:
    """As socialguard.csvfiles.unguard: an apostrophe before a formula character is the export's guard."""
    if text.startswith("'") and text[1:2] and text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
