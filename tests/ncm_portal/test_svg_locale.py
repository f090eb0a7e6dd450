"""Charts and timelines are SVG drawn on the server: their coordinates must be plain numbers in
every language, while the labels a reader sees keep the reader's number format."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from ncm_portal import charts
from nip_lifecycle.models import Step
from nip_lifecycle.selectors import timeline

GEOMETRY = re.compile(r'\s(x|y|x1|x2|y1|y2|dx|dy|width|height|cx|cy|r|points|viewBox)="([^"]*)"')
LANGUAGES = ["fr", "ru", "es", "ar", "zh-hans"]
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def assert_plain_numbers(svg: str) -> None:
    """Every coordinate is a number written with a decimal point (``points`` holds x,y pairs,
    ``viewBox`` four numbers), never with a decimal comma or a thousands separator."""
    found = [(name, value) for name, value in GEOMETRY.findall(svg) if value != "100%"]
    assert len(found) > 10, "no geometry found"
    bad = []
    for name, value in found:
        if name == "points":
            numbers = [part for pair in value.split() for part in pair.split(",")]
            ok = all(len(pair.split(",")) == 2 for pair in value.split())
        else:
            numbers = value.split()
            ok = len(numbers) == (4 if name == "viewBox" else 1)
        if not (ok and all(NUMBER.fullmatch(n) for n in numbers)):
            bad.append(f'{name}="{value}"')
    assert bad == [], bad[:5]


def bar_chart():
    return charts.grouped_bars(
        categories=["2024", "2025"],
        series=[("import", "Import"), ("export", "Export")],
        values={("2024", "import"): 1.5, ("2025", "export"): 1234.25},
        title="Net mass",
        unit="kg",
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_bar_and_stacked_charts_keep_plain_coordinates(language):
    stacked = charts.stacked_bars(
        categories=["A", "B"],
        series=[("in_use", "In use"), ("disposed", "Disposed")],
        values={("A", "in_use"): 2.5, ("B", "disposed"): 7.75},
        title="Equipment",
        unit="units",
    )
    with translation.override(language):
        for chart in (bar_chart(), stacked):
            svg = render_to_string("inventories/data/_bars.svg", {"chart": chart, "chart_id": "c"})
            assert_plain_numbers(svg)


def test_the_values_a_reader_sees_keep_the_readers_format():
    with translation.override("fr"):
        svg = render_to_string(
            "inventories/data/_bars.svg", {"chart": bar_chart(), "chart_id": "c"}
        )
    assert "1\u00a0234,25" in svg or "1 234,25" in svg


@pytest.mark.parametrize("language", LANGUAGES)
def test_line_charts_keep_plain_coordinates(language):
    chart = charts.line_chart(
        categories=[2022, 2023, 2024],
        series=[("PCB, soil", {2022: 0.5, 2023: 1.25, 2024: 0.75})],
        title="Median",
        unit="ng/g",
    )
    with translation.override(language):
        svg = render_to_string("inventories/data/_lines.svg", {"chart": chart, "chart_id": "c"})
    assert_plain_numbers(svg)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_nip_timeline_keeps_plain_coordinates(language):
    steps = [
        Step(
            number=n,
            name=f"Step {n}",
            planned_start=datetime.date(2026, n, 3),
            planned_end=datetime.date(2026, n, 27),
            actual_start=datetime.date(2026, n, 5) if n < 4 else None,
            actual_end=datetime.date(2026, n, 26) if n < 3 else None,
        )
        for n in range(1, 9)
    ]
    drawn = timeline(steps, on=datetime.date(2026, 4, 17), deadline=datetime.date(2027, 6, 1))
    with translation.override(language):
        svg = render_to_string("nip_lifecycle/partials/_timeline.svg", {"timeline": drawn})
    assert_plain_numbers(svg)
