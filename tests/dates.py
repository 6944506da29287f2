"""Dates relative to today that hold on every day of the year, 29 February and 31 December too."""

from __future__ import annotations

import datetime as dt


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier; 29 February, where that year has none, becomes 28 February
    (someone born then is `years` old on `day`, as the law counts in England)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
