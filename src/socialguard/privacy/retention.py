"""How long socialguard keeps people's records, and which are due for erasure.

Defaults a UK training provider would use (check them with your data protection officer):

- staff who have left: 6 years after the leave date (limitation period for contract claims;
  common HR guidance, e.g. the CIPD's);
- past learners: 6 years after the end of their programme (funding and audit evidence; ESFA and
  awarding bodies commonly ask for six years);
- parents and guardians: 1 year after the last of their learners left (they are in the register
  only because of the learner);
- recruitment screening records: 6 months after the decision (the period for a discrimination
  claim to an employment tribunal is 3 months less a day, plus early conciliation; ICO
  employment practices guidance);
- privacy and footprint reviews are due every 12 months.

Set them with SOCIALGUARD_PEOPLE_RETENTION ("leaver=6,past_learner=6,guardian=1", years),
SOCIALGUARD_RECRUITMENT_RETENTION_MONTHS and SOCIALGUARD_PRIVACY_REVIEW_MONTHS.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

LEAVER, PAST_LEARNER, GUARDIAN = "leaver", "past_learner", "guardian"
DEFAULT_YEARS = {LEAVER: 6, PAST_LEARNER: 6, GUARDIAN: 1}
RULE_WORDS = {
    LEAVER: "staff who have left, after their leave date",
    PAST_LEARNER: "past learners, after the end of their programme",
    GUARDIAN: "parents and guardians, after the last of their learners left",
}


def parse(text: str, where: str = "SOCIALGUARD_PEOPLE_RETENTION") -> dict[str, int]:
    years = dict(DEFAULT_YEARS)
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or key not in DEFAULT_YEARS:
            raise ImproperlyConfigured(
                f"{where}: {item!r} should be KIND=YEARS, with a kind from: {', '.join(DEFAULT_YEARS)}"
            )
        if not value.strip().isdigit() or not 1 <= int(value) <= 100:
            raise ImproperlyConfigured(f"{where}: {key} needs a whole number of years from 1 to 100")
        years[key] = int(value)
    return years


def people_years() -> dict[str, int]:
    return parse(str(getattr(settings, "PEOPLE_RETENTION", "")))


def recruitment_months() -> int:
    return int(getattr(settings, "RECRUITMENT_RETENTION_MONTHS", 6))


def review_months() -> int:
    return int(getattr(settings, "PRIVACY_REVIEW_MONTHS", 12))


def self_check_max_bytes() -> int:
    return int(getattr(settings, "SELF_CHECK_MAX_BYTES", 4 * 1024 * 1024))


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)
