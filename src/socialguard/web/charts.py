"""Small server-drawn SVG charts: no JavaScript, readable by screen readers (role="img" with a
label, and every figure also in a table beside the chart)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
ROW = 30
LABEL_WIDTH = 220


def _colour(percent: int) -> str:
    if percent >= 90:
        return "#1d7a46"
    return "#b35c00" if percent >= 60 else "#b3261e"


def percent_bars(title: str, rows: Sequence[tuple[str, int, str]]) -> SafeString:
    """Horizontal bars, one per (label, percent, detail such as "12 of 14")."""
    height = ROW * len(rows) + 10
    bar_space = WIDTH - LABEL_WIDTH - 120
    bars = format_html_join(
        "",
        '<g class="bar" data-label="{}" data-percent="{}" transform="translate(0,{})">'
        '<text x="{}" y="19" text-anchor="end">{}</text>'
        '<rect x="{}" y="6" width="{}" height="18" fill="#e7ebf0"></rect>'
        '<rect x="{}" y="6" width="{}" height="18" fill="{}"></rect>'
        '<text x="{}" y="19">{}% <tspan fill="#555">({})</tspan></text></g>',
        (
            (
                label,
                percent,
                n * ROW,
                LABEL_WIDTH - 8,
                label[:32],
                LABEL_WIDTH,
                bar_space,
                LABEL_WIDTH,
                round(bar_space * percent / 100),
                _colour(percent),
                LABEL_WIDTH + bar_space + 6,
                percent,
                detail,
            )
            for n, (label, percent, detail) in enumerate(rows)
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" font-size="13">{}</svg>',
        WIDTH,
        height,
        title,
        bars,
    )


def percent_line(title: str, points: Sequence[tuple[dt.date, int]]) -> SafeString:
    """A line of a percentage over days (e.g. declaration coverage since publication)."""
    left, top, width, height = 40, 10, WIDTH - 60, 160
    if not points:
        return format_html('<p class="help">{}: no data yet.</p>', title)
    first, last = points[0][0], points[-1][0]
    span = max(1, (last - first).days)

    def xy(day: dt.date, percent: int) -> tuple[float, float]:
        return left + width * (day - first).days / span, top + height * (1 - percent / 100)

    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(d, p) for d, p in points))
    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#ddd"></line>'
        '<text x="{}" y="{}" text-anchor="end">{}%</text>',
        (
            (
                left,
                left + width,
                top + height * (1 - g / 100),
                top + height * (1 - g / 100),
                left - 4,
                top + height * (1 - g / 100) + 4,
                g,
            )
            for g in (0, 50, 100)
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" font-size="12">{}'
        '<polyline points="{}" fill="none" stroke="#1d5fa8" stroke-width="2.5"></polyline>'
        '<text x="{}" y="{}">{}</text><text x="{}" y="{}" text-anchor="end">{}</text>'
        '<text class="last" x="{}" y="{}" text-anchor="end" font-weight="bold">{}%</text></svg>',
        WIDTH,
        top + height + 30,
        title,
        grid,
        path,
        left,
        top + height + 20,
        f"{first:%-d %b %Y}",
        left + width,
        top + height + 20,
        f"{last:%-d %b %Y}",
        left + width,
        max(12, xy(*points[-1])[1] - 6),
        points[-1][1],
    )
