"""Name search for the registers and the pickers that choose a person: the one helper every list
of people searches with, so a word finds the same people everywhere.

Each word must appear in one of the name (or email) fields, anywhere in it, ignoring case; an ID
matches whole. On PostgreSQL, trigram indexes (people migration 0003) serve these
`UPPER(field) LIKE UPPER('%word%')` lookups, so a search reads the matches, not every row; SQLite
gives the same answers by scanning, which its sizes allow."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from django.db.models import Model, Q, QuerySet

M = TypeVar("M", bound=Model)

MAX_WORDS = 5  # more words narrow nothing a person types, and each adds a condition
NAME_FIELDS = ("first_name", "last_name", "email")
ID_FIELDS = ("external_id",)


def name_search(
    queryset: QuerySet[M],
    q: str,
    fields: Sequence[str] = NAME_FIELDS,
    exact: Sequence[str] = ID_FIELDS,
) -> QuerySet[M]:
    for word in q.split()[:MAX_WORDS]:
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": word})
        for field in exact:
            match |= Q(**{f"{field}__iexact": word})
        queryset = queryset.filter(match)
    return queryset
