"""The server-drawn charts: every label inside the picture (wrapped, never cut short), series
told apart by clearly different colours and by pattern, months written as words."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import xml.etree.ElementTree as ET

import pytest

from socialguard.ui import charts

SVG = "{http://www.w3.org/2000/svg}"

LONG_COURSE = "Designated Safeguarding Lead refresher (annual, all deputies and the lead)"
CATEGORIES = [
    "Bullying or harassment by a colleague",
    "Inappropriate or offensive content",
    "Confidential data disclosed",
    "Contact or friending with a learner aged 18 or over",
    "Contact or friending with a learner under 18 (or of unknown age)",
    "Adverse criticism of the organisation",
    "Image used without consent",
    "Possible criminal act",
    "Safeguarding concern",
    "Something else",
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))


def text_boxes(svg: str) -> list[tuple[str, float, float, float, float]]:
    """(text, left, right, top, baseline) of every line of text, by the charts' own estimate."""
    root = parse(svg)
    root_size = float(root.get("font-size", "16"))
    boxes = []
    for text in root.iter(f"{SVG}text"):
        size = float(text.get("font-size", root_size))
        anchor = text.get("text-anchor", "start")
        y = float(text.get("y", "0"))
        spans = list(text.iter(f"{SVG}tspan"))
        lines = (
            [(float(s.get("x", text.get("x", "0"))), float(s.get("dy", "0")), s.text or "") for s in spans]
            if spans
            else [(float(text.get("x", "0")), 0.0, "".join(text.itertext()))]
        )
        for x, dy, content in lines:
            y += dy
            width = charts.text_width(content, size)
            left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
            boxes.append((content, left, left + width, y - size * 0.8, y + size * 0.2))
    return boxes


def assert_fits(svg: str) -> None:
    _, _, width, height = (float(v) for v in parse(svg).get("viewBox", "").split())
    for content, left, right, top, bottom in text_boxes(svg):
        assert left >= 0 and right <= width, f"{content!r} runs outside the chart sideways"
        assert top >= 0 and bottom <= height, f"{content!r} runs outside the chart at the top or bottom"


def all_text(svg: str) -> str:
    return " ".join(content for content, *_ in text_boxes(svg))


def test_training_bars_keep_long_course_names_whole_and_inside_the_picture() -> None:
    svg = charts.percent_bars(
        "Training coverage by course",
        [(LONG_COURSE, 45, "9 of 20"), ("Social media policy", 100, "1234 of 1234"), ("Data", 0, "0 of 3")],
    )
    assert_fits(svg)
    # Wrapped onto lines, every word still there: nothing cut at 32 characters.
    assert " ".join(all_text(svg).split()).startswith(LONG_COURSE)
    assert "45% (9 of 20)" in all_text(svg) and "100% (1234 of 1234)" in all_text(svg)


def test_count_bars_fit() -> None:
    svg = charts.count_bars(
        "Closed cases by outcome", [("Formal disciplinary action taken", 120), ("No case", 1)]
    )
    assert_fits(svg)
    assert "Formal disciplinary action taken" in all_text(svg)


def test_the_tallest_columns_total_and_every_legend_entry_fit() -> None:
    months = [
        (charts.month_label(f"2025-{m:02d}"), [(c, (m * 7 + i) % 5) for i, c in enumerate(CATEGORIES)])
        for m in range(1, 13)
    ]
    svg = charts.stacked_columns("Reports by month and category", months)
    assert_fits(svg)
    text = " ".join(all_text(svg).split())
    for category in CATEGORIES:
        assert category in text  # the legend wraps a long name instead of cutting it at 44 characters
    totals = [t for t in parse(svg).iter(f"{SVG}text") if t.get("class") == "total"]
    assert len(totals) == 12


def test_line_chart_fits() -> None:
    points = [(dt.date(2025, 11, 1), 0), (dt.date(2025, 11, 20), 64), (dt.date(2025, 12, 3), 100)]
    assert_fits(charts.percent_line("Share of staff who have declared, since publication", points))


def _lab(colour: str) -> tuple[float, float, float]:
    """sRGB hex → CIE L*a*b* (D65)."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e(one: str, other: str) -> float:
    return ciede2000(_lab(one), _lab(other))


def ciede2000(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """Sharma, Wu and Dalal's CIEDE2000 colour difference: about 2 is just noticeable."""
    L1, a1, b1 = lab1
    L2, a2, b2 = lab2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    cbar = (c1 + c2) / 2
    g = 0.5 * (1 - math.sqrt(cbar**7 / (cbar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360
    h2p = math.degrees(math.atan2(b2, a2p)) % 360
    dl, dc = L2 - L1, c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    else:
        dh = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    dH = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    lbar, cbarp = (L1 + L2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hbar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hbar = (h1p + h2p) / 2
    else:
        hbar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(hbar - 30))
        + 0.24 * math.cos(math.radians(2 * hbar))
        + 0.32 * math.cos(math.radians(3 * hbar + 6))
        - 0.20 * math.cos(math.radians(4 * hbar - 63))
    )
    sl = 1 + 0.015 * (lbar - 50) ** 2 / math.sqrt(20 + (lbar - 50) ** 2)
    sc = 1 + 0.045 * cbarp
    sh = 1 + 0.015 * cbarp * t
    rt = (
        -2
        * math.sqrt(cbarp**7 / (cbarp**7 + 25**7))
        * math.sin(math.radians(60 * math.exp(-(((hbar - 275) / 25) ** 2))))
    )
    return math.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (dH / sh) ** 2 + rt * (dc / sc) * (dH / sh))


def test_colour_difference_matches_published_data_and_tells_near_identical_colours_apart() -> None:
    assert ciede2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    # The two purples the old palette gave to two categories, then two Okabe-Ito colours.
    assert delta_e("#8a3ffc", "#a56eff") < 20 < delta_e("#0072B2", "#E69F00")


def series_fills(svg: str) -> list[tuple[str, str]]:
    """(colour, pattern marks) of each legend entry."""
    root = parse(svg)
    patterns = {p.get("id"): p for p in root.iter(f"{SVG}pattern")}
    fills = []
    for entry in root.iter(f"{SVG}g"):
        if entry.get("class") != "legend":
            continue
        fill = entry.find(f"{SVG}rect").get("fill", "")  # type: ignore[union-attr]
        match = re.fullmatch(r"url\(#(.+)\)", fill)
        if match:
            pattern = patterns[match.group(1)]
            colour = pattern.find(f"{SVG}rect").get("fill", "")  # type: ignore[union-attr]
            marks = ET.tostring(pattern.find(f"{SVG}g"), encoding="unicode")  # type: ignore[arg-type]
            fills.append((colour, re.sub(r"xmlns(:\w+)?=\"[^\"]*\"", "", marks)))
        else:
            fills.append((fill, ""))
    return fills


def test_every_category_has_a_clearly_different_colour_and_not_colour_alone() -> None:
    svg = charts.stacked_columns("By month", [(charts.month_label("2025-11"), [(c, 1) for c in CATEGORIES])])
    fills = series_fills(svg)
    assert len(fills) == len(CATEGORIES)
    for (one, _), (other, _) in itertools.combinations(fills, 2):
        assert delta_e(one, other) >= 20, f"{one} and {other} look nearly the same"
    # Patterns too: most series carry marks, so a reader who cannot tell the colours apart can.
    assert len({marks for _, marks in fills}) >= 6


def test_two_charts_on_one_page_do_not_share_pattern_ids() -> None:
    ids = [
        p.get("id")
        for title in ("One", "Two")
        for p in parse(charts.stacked_columns(title, [("Nov 2025", [(c, 1) for c in CATEGORIES])])).iter(
            f"{SVG}pattern"
        )
    ]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("month", "label"), [("2025-11", "Nov 2025"), ("2026-01", "Jan 2026")])
def test_months_read_as_words(month: str, label: str) -> None:
    assert charts.month_label(month) == label


def test_month_columns_write_each_year_once_where_it_starts() -> None:
    months = [charts.month_label(m) for m in ("2025-11", "2025-12", "2026-01", "2026-02")]
    svg = charts.stacked_columns("By month", [(m, [("Other", 1)]) for m in months])
    axis = [" ".join(t.itertext()) for t in parse(svg).iter(f"{SVG}text") if t.get("font-size") == "11.0"]
    assert [" ".join(a.split()) for a in axis] == ["Nov 2025", "Dec", "Jan 2026", "Feb"]


def test_thirteen_months_break_no_year_across_lines() -> None:
    months = [charts.month_label(f"{2025 + (10 + n) // 12}-{(10 + n) % 12 + 1:02d}") for n in range(13)]
    svg = charts.stacked_columns("By month", [(m, [("Other", 1)]) for m in months])
    assert_fits(svg)
    assert "-" not in all_text(svg) and all_text(svg).count("2026") == 1
