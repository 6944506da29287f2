"""How long closed cases are kept (UK GDPR storage limitation) before they are anonymised.

The defaults follow common UK education guidance (e.g. the IRMS toolkit for schools): child
protection records until the child is 25 (and safeguarding cases at least ten years after they
close, as for allegations about staff); bullying and disciplinary matters six years; the rest
shorter. Organisations set their own with SOCIALGUARD_CASE_RETENTION, e.g.
"criticism=2,other=4" (years after closure); check them with your data protection officer.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from socialguard.incidents.models import Case, Category, Status

DEFAULT_YEARS: dict[str, int] = {
    Category.SAFEGUARDING: 10,
    Category.CRIMINAL: 7,
    Category.BULLYING: 6,
    Category.LEARNER_CONTACT: 6,
    Category.MINOR_CONTACT: 10,  # an allegation about staff and a child, as safeguarding
    Category.CONFIDENTIAL: 6,
    Category.IMAGE_CONSENT: 3,
    Category.OFFENSIVE: 3,
    Category.CRITICISM: 1,
    Category.OTHER: 3,
}
# Safeguarding records about a child are kept at least until they are this old.
CHILD_RECORD_UNTIL_AGE = 25


def parse(text: str, where: str = "SOCIALGUARD_CASE_RETENTION") -> dict[str, int]:
    years = dict(DEFAULT_YEARS)
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or key not in Category.values:
            raise ImproperlyConfigured(
                f"{where}: {item!r} should be CATEGORY=YEARS, "
                f"with a category from: {', '.join(Category.values)}"
            )
        if not value.strip().isdigit() or not 0 < int(value) <= 100:
            raise ImproperlyConfigured(f"{where}: {key} needs a whole number of years from 1 to 100")
        years[key] = int(value)
    return years


def years_for(category: str) -> int:
    return parse(str(getattr(settings, "CASE_RETENTION", "")))[category]


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def retain_until(case: Case, closed_on: dt.date) -> dt.date:
    until = _add_years(closed_on, years_for(case.category))
    if case.restricted or case.category == Category.SAFEGUARDING:
        for party in case.parties.select_related("learner"):
            if party.learner is not None and party.learner.date_of_birth is not None:
                until = max(until, _add_years(party.learner.date_of_birth, CHILD_RECORD_UNTIL_AGE))
    return until


def due(today: dt.date) -> QuerySet[Case]:
    """Closed cases past their retention date and not yet anonymised."""
    return Case.objects.filter(
        status=Status.CLOSED, anonymised_at__isnull=True, retain_until__lte=today
    ).order_by("retain_until", "pk")
