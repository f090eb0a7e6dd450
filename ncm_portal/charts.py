"""Geometry of the portal's charts (the inventory data pages, the performance report). Pure
functions: figures in, shapes out. The templates `inventories/data/_bars.svg` and `_lines.svg` draw
them, so the same chart serves the page and a PDF."""

import math
from dataclasses import dataclass, field
from decimal import Decimal

# Bootstrap's palette, distinguishable in print and for the common forms of colour blindness.
PALETTE = ("#0d6efd", "#fd7e14", "#198754", "#6f42c1", "#dc3545", "#20c997", "#ffc107", "#6c757d")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: Decimal | float | int
    series: str = ""
    color: str = PALETTE[0]


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class LegendItem:
    label: str
    color: str
    x: float = 0
    y: float = 0


@dataclass
class BarChart:
    title: str
    unit: str
    width: int
    height: int
    left: int
    top: int
    bottom: float
    bars: list[Bar] = field(default_factory=list)
    categories: list[Tick] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    value_unit: str = ""

    @property
    def empty(self) -> bool:
        return not self.bars

    @property
    def label_y(self) -> float:
        return self.bottom + 14


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    value: Decimal | float | int


@dataclass(frozen=True)
class Line:
    label: str
    color: str
    points: tuple[Point, ...]

    @property
    def path(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


@dataclass
class LineChart:
    title: str
    unit: str
    width: int
    height: int
    left: int
    top: int
    bottom: float
    lines: list[Line] = field(default_factory=list)
    categories: list[Tick] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(line.points for line in self.lines)

    @property
    def label_y(self) -> float:
        return self.bottom + 14


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 or 10 times a power of ten that is at least ``value``."""
    if value <= 0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value * (1 - 1e-9):
            return step * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def _format(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def legend(
    items: list[tuple[str, str]], *, left: int, top: float, width: int
) -> tuple[list[LegendItem], float]:
    """Legend entries laid out in rows under the chart; returns them and the height they take."""
    per_row = max(1, (width - left) // 130)
    placed = [
        LegendItem(
            label=label, color=color, x=left + (i % per_row) * 130, y=top + (i // per_row) * 16
        )
        for i, (label, color) in enumerate(items)
    ]
    rows = -(-len(items) // per_row)
    return placed, rows * 16


def _axis(maximum: float, top: int, plot_height: int) -> list[Tick]:
    # Four steps, or five when that gives rounder figures (a maximum of 5 reads 1, 2, 3, 4, 5).
    count = 5 if (maximum / 4) != int(maximum / 4) and (maximum / 5) == int(maximum / 5) else 4
    return [
        Tick(
            position=round(top + plot_height - plot_height * i / count, 1),
            label=_format(maximum * i / count),
        )
        for i in range(count + 1)
    ]


def stacked_bars(
    *,
    categories: list[str],
    series: list[tuple[str, str]],
    values: dict[tuple[str, str], Decimal | float | int],
    title: str,
    unit: str,
    value_unit: str | None = None,
    plot_height: int = 220,
) -> BarChart:
    """One bar per category, one segment per series stacked from the baseline up.

    ``series`` is a list of (key, label); ``values`` maps (category, series key) to a figure.
    Empty or zero segments are left out.
    """
    left, top, slot = 70, 20, 64
    totals = [
        sum(float(values.get((c, key), 0) or 0) for key, _label in series) for c in categories
    ]
    maximum = nice_ceiling(max(totals, default=0))
    width = max(left + slot * max(len(categories), 1) + 20, 440)
    bottom = top + plot_height
    chart = BarChart(
        title=title,
        unit=unit,
        width=width,
        height=bottom + 60,
        left=left,
        top=top,
        bottom=bottom,
        ticks=_axis(maximum, top, plot_height),
        value_unit=unit if value_unit is None else value_unit,
    )
    colors = {key: PALETTE[i % len(PALETTE)] for i, (key, _label) in enumerate(series)}
    chart.legend, extra = legend(
        [(str(label), colors[key]) for key, label in series],
        left=left,
        top=bottom + 26,
        width=width,
    )
    chart.height = int(bottom + 30 + extra)
    for index, category in enumerate(categories):
        x = left + index * slot + 10
        base = float(bottom)
        for key, label in series:
            value = values.get((category, key), 0) or 0
            if not value:
                continue
            height = plot_height * float(value) / maximum
            base -= height
            chart.bars.append(
                Bar(
                    x=x,
                    y=round(base, 2),
                    width=slot - 20,
                    height=round(height, 2),
                    label=str(category),
                    value=value,
                    series=str(label),
                    color=colors[key],
                )
            )
        chart.categories.append(Tick(position=x + (slot - 20) / 2, label=str(category)))
    return chart


def grouped_bars(
    *,
    categories: list[str],
    series: list[tuple[str, str]],
    values: dict[tuple[str, str], Decimal | float | int],
    title: str,
    unit: str,
    plot_height: int = 220,
) -> BarChart:
    """One group per category, one bar per series side by side."""
    left, top = 70, 20
    bar_width, gap = 22, 18
    slot = bar_width * max(len(series), 1) + gap
    maximum = nice_ceiling(max((float(v or 0) for v in values.values()), default=0))
    width = max(left + slot * max(len(categories), 1) + 20, 440)
    bottom = top + plot_height
    chart = BarChart(
        title=title,
        unit=unit,
        width=width,
        height=bottom + 60,
        left=left,
        top=top,
        bottom=bottom,
        ticks=_axis(maximum, top, plot_height),
        value_unit=unit,
    )
    colors = {key: PALETTE[i % len(PALETTE)] for i, (key, _label) in enumerate(series)}
    chart.legend, extra = legend(
        [(str(label), colors[key]) for key, label in series],
        left=left,
        top=bottom + 26,
        width=width,
    )
    chart.height = int(bottom + 30 + extra)
    for index, category in enumerate(categories):
        x0 = left + index * slot + gap / 2
        for position, (key, label) in enumerate(series):
            value = values.get((category, key), 0) or 0
            if not value:
                continue
            height = plot_height * float(value) / maximum
            chart.bars.append(
                Bar(
                    x=x0 + position * bar_width,
                    y=round(bottom - height, 2),
                    width=bar_width - 2,
                    height=round(height, 2),
                    label=str(category),
                    value=value,
                    series=str(label),
                    color=colors[key],
                )
            )
        chart.categories.append(
            Tick(position=x0 + bar_width * len(series) / 2, label=str(category))
        )
    return chart


def line_chart(
    *,
    categories: list[int | str],
    series: list[tuple[str, dict]],
    title: str,
    unit: str,
    plot_height: int = 220,
) -> LineChart:
    """One line per series across the categories (years); a series maps category to figure and
    may miss some categories (the line then joins the points it has)."""
    left, top, slot = 70, 20, 60
    figures = [float(v) for _label, points in series for v in points.values() if v is not None]
    maximum = nice_ceiling(max(figures, default=0))
    width = max(left + slot * max(len(categories), 1) + 20, 440)
    bottom = top + plot_height
    chart = LineChart(
        title=title,
        unit=unit,
        width=width,
        height=bottom + 40,
        left=left,
        top=top,
        bottom=bottom,
        ticks=_axis(maximum, top, plot_height),
    )
    x_of = {c: left + index * slot + slot / 2 for index, c in enumerate(categories)}
    chart.categories = [Tick(position=x_of[c], label=str(c)) for c in categories]
    for index, (label, points) in enumerate(series):
        drawn = tuple(
            Point(
                x=x_of[c],
                y=round(bottom - plot_height * float(points[c]) / maximum, 2),
                label=str(c),
                value=points[c],
            )
            for c in categories
            if points.get(c) is not None
        )
        chart.lines.append(
            Line(label=str(label), color=PALETTE[index % len(PALETTE)], points=drawn)
        )
    return chart
