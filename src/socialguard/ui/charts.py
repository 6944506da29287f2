"""Small server-drawn SVG charts: no JavaScript, readable by screen readers (role="img" with a
label, and every figure also in a table beside the chart).

Nothing is ever cut short or drawn outside the picture: text is measured approximately (per
character, erring wide) and long labels wrap onto several lines, so a course or category name
reads in full on a phone as on a desktop. Series differ by a colour-blind-safe palette *and* a
pattern, and every figure is also written as a number, so no reading depends on colour alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# A narrow picture: the charts scale to the page's width, and a narrow viewBox keeps their text
# readable (about 12 px) when a phone shrinks them to 350 px.
WIDTH = 400
FONT = 14  # labels and figures in the bar charts
LINE = 17  # distance between wrapped label lines at FONT
BAR = 16
GAP = 10  # between one bar and the next label

# Approximate advance widths in ems, taken at or above the widest common sans-serif (DejaVu Sans,
# which system-ui often is on Linux), so that the estimate is never narrower than the text.
_THIN = set("ijl.,:;'|!")
_NARROW = set("frt()[] -/")
_WIDE = set("mwMW@%")
_UPPER_WIDE = set("ABCDGHKNOQRUVXY&")


def text_width(text: str, size: float) -> float:
    """Estimated width in px of text at font size `size` (px)."""
    ems = 0.0
    for char in text:
        if char in _THIN:
            ems += 0.32
        elif char in _NARROW:
            ems += 0.42
        elif char in _WIDE:
            ems += 1.0
        elif char in _UPPER_WIDE:
            ems += 0.8
        elif char.isupper() or char.isdigit():
            ems += 0.7
        else:
            ems += 0.64
    return ems * size


def wrap(text: str, size: float, width: float) -> list[str]:
    """Break text at spaces into lines no wider than `width`; a single word too long for a line
    is split with a hyphen rather than left to run off the picture."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while text_width(word, size) > width:
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut] + "-", size) > width:
                cut -= 1
            lines.append(word[:cut] + "-")
            word = word[cut:]
        line = word
    if line or not lines:
        lines.append(line)
    return lines


def _lines(x: float, y: float, lines: Sequence[str], line_height: float, extra: str = "") -> SafeString:
    """One <text> of several lines (a <tspan> each), the first baseline at y."""
    spans = format_html_join(
        "",
        '<tspan x="{}" dy="{}">{}</tspan>',
        ((x, 0 if n == 0 else line_height, line) for n, line in enumerate(lines)),
    )
    return format_html('<text x="{}" y="{}"{}>{}</text>', x, y, SafeString(extra), spans)


def month_label(month: str) -> str:
    """'2025-11' → 'Nov 2025'."""
    return f"{dt.date.fromisoformat(month + '-01'):%b %Y}"


# Okabe and Ito's colour-blind-safe palette, with two dark colours added so that all ten case
# categories differ; each also has its own pattern (see _PATTERNS).
PALETTE = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
    "#882255",  # wine (Tol)
    "#332288",  # indigo (Tol)
]

# Marks drawn over a series' colour, by index: none, stripes, dots, bars, crosses...
_PATTERNS = [
    "",
    '<path d="M0,8 L8,0" stroke-width="2"/>',
    '<circle cx="4" cy="4" r="1.6" stroke="none"/>',
    '<path d="M0,4 L8,4" stroke-width="2"/>',
    '<path d="M0,0 L8,8" stroke-width="2"/>',
    '<path d="M4,0 L4,8" stroke-width="2"/>',
    '<path d="M0,8 L8,0 M0,0 L8,8" stroke-width="1.5"/>',
]


def _ink(colour: str) -> str:
    """Black marks on a light colour, white on a dark one."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#fff"


def _fills(title: str, count: int) -> tuple[list[str], SafeString]:
    """Fill values for `count` series and the <defs> they need. Pattern ids carry a hash of the
    chart's title so that two charts on one page do not share them."""
    prefix = "c" + hashlib.sha256(title.encode()).hexdigest()[:8]
    fills, defs = [], []
    for i in range(count):
        colour = PALETTE[i % len(PALETTE)]
        marks = _PATTERNS[i % len(_PATTERNS)]
        if not marks:
            fills.append(colour)
            continue
        ink = _ink(colour)
        defs.append(
            f'<pattern id="{prefix}-{i}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{colour}"/>'
            f'<g stroke="{ink}" fill="{ink}" opacity="0.55">{marks}</g></pattern>'
        )
        fills.append(f"url(#{prefix}-{i})")
    return fills, SafeString(f"<defs>{''.join(defs)}</defs>" if defs else "")


def _svg(title: str, height: float, body: SafeString, font_size: int = FONT) -> SafeString:
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" font-size="{}">{}</svg>',
        WIDTH,
        round(height),
        title,
        font_size,
        body,
    )


def _labelled_bars(rows: Sequence[tuple[str, float, str, str, str]], css: str) -> tuple[SafeString, float]:
    """Bars, each under its (wrapped) label, with its figure written after it.

    rows: (label, fraction of the bar space filled, figure text, fill, data attributes)."""
    figure_space = max(text_width(figure, FONT) for _, _, figure, _, _ in rows) + 8
    bar_space = WIDTH - figure_space
    parts = []
    y = 0.0
    for label, fraction, figure, fill, data in rows:
        lines = wrap(label, FONT, WIDTH)
        bar_top = y + LINE * len(lines) + 2
        parts.append(
            format_html(
                '<g class="{}" {}>{}<rect x="0" y="{}" width="{}" height="{}" fill="#e7ebf0"></rect>'
                '<rect x="0" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}">{}</text></g>',
                css,
                SafeString(data),
                _lines(0, y + FONT, lines, LINE),
                bar_top,
                round(bar_space - 4),
                BAR,
                bar_top,
                round((bar_space - 4) * fraction),
                BAR,
                SafeString(fill),
                round(bar_space + 4),
                bar_top + BAR - 3,
                figure,
            )
        )
        y = bar_top + BAR + GAP
    return SafeString("".join(parts)), y


def percent_bars(title: str, rows: Sequence[tuple[str, int, str]]) -> SafeString:
    """Horizontal bars, one per (label, percent, detail such as "12 of 14").

    The colour says how near the target a bar is (blue at 90 % or more, orange from 60 %,
    vermillion below), the stripes on the two lower bands say it again, and the percentage is
    written beside every bar."""
    if not rows:
        return format_html('<p class="help">{}: nothing yet.</p>', title)
    prefix = "c" + hashlib.sha256(title.encode()).hexdigest()[:8]
    defs = format_html(
        '<defs><pattern id="{}-mid" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<rect width="8" height="8" fill="#E69F00"/><path d="M0,8 L8,0" stroke="#000" '
        'stroke-width="1.5" opacity="0.45"/></pattern>'
        '<pattern id="{}-low" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<rect width="8" height="8" fill="#D55E00"/><path d="M0,8 L8,0 M0,0 L8,8" stroke="#fff" '
        'stroke-width="1.5" opacity="0.6"/></pattern></defs>',
        prefix,
        prefix,
    )

    def fill(percent: int) -> str:
        if percent >= 90:
            return "#0072B2"
        return f"url(#{prefix}-mid)" if percent >= 60 else f"url(#{prefix}-low)"

    body, height = _labelled_bars(
        [
            (
                label,
                max(0, min(percent, 100)) / 100,
                f"{percent}% ({detail})",
                fill(percent),
                format_html('data-label="{}" data-percent="{}"', label, percent),
            )
            for label, percent, detail in rows
        ],
        "bar",
    )
    return _svg(title, height, SafeString(defs + body))


def count_bars(title: str, rows: Sequence[tuple[str, int]]) -> SafeString:
    """Horizontal bars of counts, scaled to the largest, the count written beside each."""
    if not rows:
        return format_html('<p class="help">{}: nothing yet.</p>', title)
    top = max(1, *(n for _, n in rows))
    body, height = _labelled_bars(
        [
            (label, n / top, str(n), "#0072B2", format_html('data-label="{}" data-count="{}"', label, n))
            for label, n in rows
        ],
        "bar",
    )
    return _svg(title, height, body)


def percent_line(title: str, points: Sequence[tuple[dt.date, int]]) -> SafeString:
    """A line of a percentage over days (e.g. declaration coverage since publication)."""
    size = 13
    left = round(text_width("100%", size)) + 8
    top, width, height = size + 6, WIDTH - left - 4, 150
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
    last_x, last_y = xy(*points[-1])
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" font-size="{}">{}'
        '<polyline points="{}" fill="none" stroke="#0072B2" stroke-width="2.5"></polyline>'
        '<circle cx="{}" cy="{}" r="4" fill="#0072B2"></circle>'
        '<text x="{}" y="{}">{}</text><text x="{}" y="{}" text-anchor="end">{}</text>'
        '<text class="last" x="{}" y="{}" text-anchor="end" font-weight="bold">{}%</text></svg>',
        WIDTH,
        top + height + size + 10,
        title,
        size,
        grid,
        path,
        f"{last_x:.1f}",
        f"{last_y:.1f}",
        left,
        top + height + size + 6,
        f"{first:%-d %b %Y}",
        left + width,
        top + height + size + 6,
        f"{last:%-d %b %Y}",
        left + width,
        f"{max(size, last_y - 8):.1f}",
        points[-1][1],
    )


def _without_repeated_years(labels: Sequence[str]) -> list[str]:
    """ "Nov 2025", "Dec 2025", "Jan 2026" → "Nov 2025", "Dec", "Jan 2026": a year is written where
    it starts (and on the first column), so that twelve narrow columns stay readable."""
    shown, year = [], None
    for label in labels:
        match = re.fullmatch(r"(\w{3}) (\d{4})", label)
        if match and match.group(2) == year:
            shown.append(match.group(1))
        else:
            shown.append(label)
        year = match.group(2) if match else None
    return shown


def stacked_columns(title: str, columns: Sequence[tuple[str, Sequence[tuple[str, int]]]]) -> SafeString:
    """One column per period (e.g. "Nov 2025"), stacked by series (e.g. category), with a legend
    that pairs each series' colour and pattern with its full name."""
    if not columns or not any(n for _, parts in columns for _, n in parts):
        return format_html('<p class="help">{}: nothing yet.</p>', title)
    series = [name for name, _ in columns[0][1]]
    fills, defs = _fills(title, len(series))
    fill = dict(zip(series, fills, strict=True))
    size, line, axis = 13, 15, 11.0
    top, height = size + 8, 160  # room above the tallest column for its total
    step = (WIDTH - 2) / len(columns)
    highest = max(1, *(sum(n for _, n in parts) for _, parts in columns))
    shown = _without_repeated_years([c for c, _ in columns])
    # Smaller axis text where columns are narrow, so that a year is not broken across lines.
    while axis > 8 and any(text_width(word, axis) > step - 2 for label in shown for word in label.split()):
        axis -= 0.5
    labels = [wrap(label, axis, step - 2) for label in shown]
    shapes = [defs]
    for i, (label, parts) in enumerate(columns):
        x = 1 + i * step + step * 0.15
        centre = round(1 + i * step + step / 2, 1)
        y: float = top + height
        for name, n in parts:
            if n:
                h = height * n / highest
                y -= h
                shapes.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#fff" '
                        'stroke-width="0.5"><title>{}: {} {}</title></rect>',
                        f"{x:.1f}",
                        f"{y:.1f}",
                        f"{step * 0.7:.1f}",
                        f"{h:.1f}",
                        SafeString(fill[name]),
                        label,
                        n,
                        name,
                    )
                )
        total = sum(n for _, n in parts)
        shapes.append(
            _lines(
                centre,
                top + height + axis + 4,
                labels[i],
                axis + 2,
                f' text-anchor="middle" font-size="{axis}"',
            )
        )
        if total:
            shapes.append(
                format_html(
                    '<text class="total" x="{}" y="{}" text-anchor="middle">{}</text>',
                    centre,
                    f"{y - 4:.1f}",
                    total,
                )
            )
    y = top + height + axis + 4 + (axis + 2) * max(len(lines) for lines in labels) + 8
    for name in series:
        lines = wrap(name, size, WIDTH - 22)
        shapes.append(
            format_html(
                '<g class="legend"><rect x="0" y="{}" width="14" height="14" fill="{}" stroke="#555" '
                'stroke-width="0.5"></rect>{}</g>',
                f"{y:.1f}",
                SafeString(fill[name]),
                _lines(20, y + 11, lines, line),
            )
        )
        y += line * len(lines) + 6
    return _svg(title, y, SafeString("".join(shapes)), font_size=size)
