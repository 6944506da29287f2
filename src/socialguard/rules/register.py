"""Read a learner or guardian register from CSV (the same columns as `socialguard import`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from socialguard.rules.model import RegisterPerson


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
        handles = tuple(
            h.strip() for h in row.get("social_handles", "").replace(",", ";").split(";") if h.strip()
        )
        kind = "learner"
        if "learner_ids" in row:
            kind = "guardian"
        elif row.get("end_date"):
            try:
                if dt.date.fromisoformat(row["end_date"]) < today:
                    kind = "past_learner"
            except ValueError:
                raise RegisterError(
                    f"{path}, row {number}, field 'end_date': {row['end_date']!r} is not YYYY-MM-DD"
                ) from None
        people.append(RegisterPerson(name, handles, kind))
    return people
