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


PALETTE = ["#1d5fa8", "#b35c00", "#1d7a46", "#8a3ffc", "#b3261e", "#007d79", "#6f6f6f", "#a56eff", "#d12771"]


def count_bars(title: str, rows: Sequence[tuple[str, int]]) -> SafeString:
    """Horizontal bars of counts, scaled to the largest."""
    if not rows:
        return format_html('<p class="help">{}: nothing yet.</p>', title)
    top = max(1, *(n for _, n in rows))
    bar_space = WIDTH - LABEL_WIDTH - 60
    bars = format_html_join(
        "",
        '<g class="bar" data-label="{}" data-count="{}" transform="translate(0,{})">'
        '<text x="{}" y="19" text-anchor="end">{}</text>'
        '<rect x="{}" y="6" width="{}" height="18" fill="#1d5fa8"></rect>'
        '<text x="{}" y="19">{}</text></g>',
        (
            (
                label,
                n,
                i * ROW,
                LABEL_WIDTH - 8,
                label[:32],
                LABEL_WIDTH,
                round(bar_space * n / top),
                LABEL_WIDTH + round(bar_space * n / top) + 6,
                n,
            )
            for i, (label, n) in enumerate(rows)
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" font-size="13">{}</svg>',
        WIDTH,
        ROW * len(rows) + 10,
        title,
        bars,
    )


def stacked_columns(title: str, columns: Sequence[tuple[str, Sequence[tuple[str, int]]]]) -> SafeString:
    """One column per period (e.g. month), stacked by series (e.g. category), with a legend."""
    if not columns or not any(n for _, parts in columns for _, n in parts):
        return format_html('<p class="help">{}: nothing yet.</p>', title)
    series = [name for name, _ in columns[0][1]]
    colour = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(series)}
    left, top, height = 30, 10, 160
    step = (WIDTH - left - 10) / len(columns)
    highest = max(1, *(sum(n for _, n in parts) for _, parts in columns))
    shapes = []
    for i, (label, parts) in enumerate(columns):
        x = left + i * step + step * 0.15
        y: float = top + height
        for name, n in parts:
            if n:
                h = height * n / highest
                y -= h
                shapes.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                        "<title>{}: {} {}</title></rect>",
                        f"{x:.1f}",
                        f"{y:.1f}",
                        f"{step * 0.7:.1f}",
                        f"{h:.1f}",
                        colour[name],
                        label,
                        n,
                        name,
                    )
                )
        total = sum(n for _, n in parts)
        shapes.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="10">{}</text>'
                '<text x="{}" y="{}" text-anchor="middle" font-size="10">{}</text>',
                f"{x + step * 0.35:.1f}",
                top + height + 14,
                label[2:] if len(label) == 7 else label,
                f"{x + step * 0.35:.1f}",
                f"{y - 3:.1f}",
                total or "",
            )
        )
    legend = format_html_join(
        "",
        '<g transform="translate({},{})"><rect width="10" height="10" fill="{}"></rect>'
        '<text x="14" y="9" font-size="11">{}</text></g>',
        (
            (left + (i % 2) * 300, top + height + 28 + (i // 2) * 16, colour[name], name[:44])
            for i, name in enumerate(series)
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" font-size="12">{}{}</svg>',
        WIDTH,
        top + height + 36 + 16 * ((len(series) + 1) // 2),
        title,
        SafeString("".join(shapes)),
        legend,
    )
