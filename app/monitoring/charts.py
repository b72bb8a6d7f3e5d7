"""Geometry of the monitor's server-drawn SVG charts (no script): lines and stacked bars.

The templates (templates/monitoring/_charts.html) only place what is computed
here; every chart sits beside a table of the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from app.skp import scoring

WIDTH, HEIGHT = 600, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 40, 12, 46
# At least 3:1 against white (a chart's marks), and told apart by shape in the legend too.
PREDIKAT_COLOURS = {
    "sangat_baik": "#146c43",
    "baik": "#0d6efd",
    "butuh_perbaikan": "#b35c00",
    "kurang": "#dc3545",
    "sangat_kurang": "#6f42c1",
}
SERIES_COLOURS = ("#0d6efd", "#146c43", "#b35c00", "#6f42c1")


ROMAN = {"tw1": "I", "tw2": "II", "tw3": "III", "tw4": "IV"}


def short_label(period) -> str:
    """A period under a chart's point: "2026", "TW III 2026" (the tables say it in full)."""
    quarter = ROMAN.get(period.kind)
    return f"TW {quarter} {period.year}" if quarter else str(period.year)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: Decimal


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    points: tuple[Point, ...]
    dashed: bool = False

    @property
    def path(self) -> str:
        """The polyline's points; a gap (None) breaks nothing, it is simply left out."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    labels: tuple[tuple[float, str], ...]
    ticks: tuple[tuple[float, str], ...]
    series: tuple[Series, ...]
    left: int = LEFT
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM


def _top(values: Sequence[Decimal], floor: int) -> int:
    """The scale's top: `floor`, or the highest value rounded up to a multiple of 20."""
    highest = max((float(v) for v in values), default=0.0)
    return floor if highest <= floor else math.ceil(highest / 20) * 20


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | None]]],
    *,
    top: int = 100,
    tick_labels: dict[int, str] | None = None,
    left: int = LEFT,
) -> LineChart:
    """One line per series over the labels; the scale reaches `top` or the highest value."""
    values = [v for _, vs in series for v in vs if v is not None]
    top = _top(values, top)
    plot_w, plot_h = WIDTH - RIGHT - left, HEIGHT - BOTTOM - TOP
    step = plot_w / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return left + (i * step if len(labels) > 1 else plot_w / 2)

    def y(v: Decimal | float) -> float:
        return TOP + plot_h * (1 - float(v) / top)

    drawn = tuple(
        Series(
            name,
            SERIES_COLOURS[n % len(SERIES_COLOURS)],
            tuple(Point(x(i), y(v), v) for i, v in enumerate(vs) if v is not None),
            dashed=n % 2 == 1,
        )
        for n, (name, vs) in enumerate(series)
    )
    if tick_labels is None:
        ticks = tuple((y(t), str(t)) for t in range(0, top + 1, max(top // 4, 1)))
    else:
        ticks = tuple((y(t), text) for t, text in tick_labels.items())
    # Long label lists are thinned: every label stays in the table.
    every = max(1, -(-len(labels) // 8))
    shown = tuple((x(i), text) for i, text in enumerate(labels) if i % every == 0)
    return LineChart(WIDTH, HEIGHT, shown, ticks, drawn, left=left)


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str
    predikat: str
    count: int


@dataclass(frozen=True)
class StackedBar:
    y: float
    label: str
    segments: tuple[Segment, ...]
    rated: int


def predikat_bars(rows: Sequence[tuple[str, dict[str, int]]]) -> tuple[int, list[StackedBar]]:
    """(height, bars): one bar per row, split into its predikat shares (100 % wide)."""
    bars, bar_height, start, width = [], 26, 150.0, 240.0
    for n, (label, counts) in enumerate(rows):
        rated = sum(counts.get(p, 0) for p in scoring.PREDIKAT)
        segments, x = [], start
        for predikat in scoring.PREDIKAT:
            count = counts.get(predikat, 0)
            if rated and count:
                w = width * count / rated
                segments.append(Segment(x, w, PREDIKAT_COLOURS[predikat], predikat, count))
                x += w
        bars.append(StackedBar(n * bar_height, label, tuple(segments), rated))
    return len(rows) * bar_height + 8, bars
