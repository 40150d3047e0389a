"""Charts as plain SVG: drawn by the kernel, light to send, readable by everyone.

A chart here is a string of HTML: a ``<figure>`` with a title, the SVG, a legend that
names every line, band and bar (in words and with the same colour and dash), and the same
numbers as a table that screen readers read (it is visually hidden). The page needs no
chart library: the same string is the first paint of an app and its live chart, and an
input change sends a few kilobytes.

Only drawing lives here: the numbers come from a model, their labels from the view.

>>> chart = Chart(
...     title="Savings over time",
...     x_labels=["Jan", "Feb", "Mar"],
...     series=[Series("Savings", [10.0, 20.0, 15.0], "#0b5d3b")],
...     y_format=lambda v: f"{v:,.0f}",
... )
>>> html = chart_html(chart)
>>> html.count("<polyline"), "Savings over time" in html, "<table" in html
(1, True, True)
>>> "<td>20</td>" in html  # the table holds the numbers as the reader writes them
True
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

#: The drawing's own size (the page scales it to the column): made for a phone first.
WIDTH, HEIGHT = 420, 250
MARGIN = {"right": 14, "top": 12, "bottom": 30}  # the left margin fits the y labels
DASHES = {"line": "", "dashed": "8 5", "dotted": "2 4"}
MAX_POINTS = 120
_counter = iter(range(1, 10**9))


@dataclass(frozen=True)
class Series:
    """One thing drawn: a line, a band between ``low`` and ``values``, or bars.

    ``style`` is ``line``, ``dashed``, ``dotted``, ``band`` or ``bars``. A value of None
    leaves a gap (a line) or no bar.
    """

    name: str
    values: Sequence[float | None]
    color: str
    style: str = "line"
    low: Sequence[float | None] | None = None
    width: float = 2.5
    in_table: bool = True
    dots: bool = False  # a dot on each value (few points: check-ins)


@dataclass(frozen=True)
class Marker:
    """A vertical line at one x position, named in the legend (e.g. "You come home")."""

    name: str
    at: int
    color: str = "#444444"
    style: str = "dotted"


@dataclass(frozen=True)
class Chart:
    title: str
    x_labels: Sequence[str]
    series: Sequence[Series]
    y_format: Callable[[float], str]
    x_ticks: Sequence[tuple[int, str]] | None = None  # (position, label) under the x axis
    markers: Sequence[Marker] = ()
    table_rows: Sequence[int] | None = None  # positions the table lists (default: all)
    table_x_header: str = ""
    description: str = ""  # one sentence that says what the chart shows
    css: str = ""
    y_ticks: Sequence[float] | None = None  # fixed y ticks (default: round numbers for the data)
    extra: dict = field(default_factory=dict)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round numbers for an axis from ``low`` to ``high`` (about ``count`` of them).

    >>> nice_ticks(0, 241_855)
    [0.0, 50000.0, 100000.0, 150000.0, 200000.0, 250000.0]
    >>> nice_ticks(-12_000, 30_000)
    [-20000.0, -10000.0, 0.0, 10000.0, 20000.0, 30000.0]
    >>> nice_ticks(0, 0)
    [0.0, 1.0]
    """
    if not math.isfinite(low) or not math.isfinite(high) or high <= low:
        return [float(low) if math.isfinite(low) else 0.0, (float(low) if math.isfinite(low) else 0.0) + 1.0]
    raw = (high - low) / max(1, count)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(float(round(value, 10)))
        value += step
    return ticks


def _numbers(values) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(float(v))]


def _left_margin(chart: Chart, ticks: list[float]) -> float:
    """Room for the longest y label (about 7.3 units a character at 13 px), at least 40."""
    longest = max(len(chart.y_format(t)) for t in ticks)
    return max(40.0, 10.0 + 7.3 * longest)


def _scale(chart: Chart):
    values = []
    for s in chart.series:
        values += _numbers(s.values)
        if s.low is not None:
            values += _numbers(s.low)
        if s.style == "bars":
            values.append(0.0)
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    low = min(low, 0.0)
    ticks = [float(t) for t in chart.y_ticks] if chart.y_ticks else nice_ticks(low, high)
    bottom, top = ticks[0], ticks[-1]
    n = max(1, len(chart.x_labels))
    bars = any(s.style == "bars" for s in chart.series)
    left = _left_margin(chart, ticks)
    inner_w = WIDTH - left - MARGIN["right"]
    inner_h = HEIGHT - MARGIN["top"] - MARGIN["bottom"]

    def x(i: float) -> float:
        if bars:  # bars sit in the middle of their slot
            return left + (i + 0.5) * inner_w / n
        return left + (i * inner_w / (n - 1) if n > 1 else inner_w / 2)

    def y(v: float) -> float:
        return MARGIN["top"] + (top - v) * inner_h / ((top - bottom) or 1.0)

    return x, y, ticks, inner_w / n, left


def _points(xs, ys) -> list[str]:
    """Whole-unit points of a line, without the points that lie on the straight line between
    their neighbours (a flat goal line is two points, not one a month): light to send.

    >>> _points([0, 10, 20, 30, 40], [5, 5, 5, 7.2, 9.4])
    ['0,5', '20,5', '40,9']
    """
    pts = [(round(x), round(y)) for x, y in zip(xs, ys, strict=True)]
    kept = pts[:1]
    for i in range(1, len(pts) - 1):
        (ax, ay), (bx, by), (cx, cy) = kept[-1], pts[i], pts[i + 1]
        if (bx - ax) * (cy - ay) != (by - ay) * (cx - ax):  # not on the line from a to c
            kept.append(pts[i])
    kept += pts[len(pts) - 1:] if len(pts) > 1 else []
    return [f"{x},{y}" for x, y in kept]


def _runs(values) -> list[list[int]]:
    """Positions of the values that are there, in unbroken runs (a None breaks a line).

    A long series is thinned to about ``MAX_POINTS`` points (the drawing is 420 units wide):

    >>> [len(run) for run in _runs([1.0] * 360)]
    [121]
    >>> _runs([1.0, None, 2.0, 3.0])
    [[0], [2, 3]]
    """
    step = max(1, math.ceil(len(values) / MAX_POINTS))
    keep = set(range(0, len(values), step)) | {len(values) - 1}
    runs, run = [], []
    for i, v in enumerate(values):
        if i not in keep and v is not None and math.isfinite(float(v)):
            continue
        if v is None or not math.isfinite(float(v)):
            if run:
                runs.append(run)
            run = []
        else:
            run.append(i)
    if run:
        runs.append(run)
    return runs


def _svg(chart: Chart, label_id: str) -> str:
    x, y, ticks, slot, left = _scale(chart)
    bars = any(s.style == "bars" for s in chart.series)
    # shared attributes are said once (on the drawing or a group): each change sends less
    parts = [f"<svg class='hw-svg' viewBox='0 0 {WIDTH} {HEIGHT}' role='img' "
             f"aria-labelledby='{label_id}' focusable='false' "
             "xmlns='http://www.w3.org/2000/svg' font-size='13' fill='none' "
             "stroke-linejoin='round'>"]
    right = WIDTH - MARGIN["right"]
    for colour, shown in (("#e0e0e0", [t for t in ticks if t != 0]),
                          ("#767676", [t for t in ticks if t == 0])):  # grid, then the zero line
        if shown:
            lines = "".join(f"M{left} {y(t):.0f}H{right}" for t in shown)
            parts.append(f"<path d='{lines}' stroke='{colour}'/>")
    parts.append(f"<g text-anchor='end' fill='#333' transform='translate({left - 6} 4)'>"
                 + "".join(f"<text y='{y(t):.0f}'>{html.escape(chart.y_format(t))}</text>"
                           for t in ticks) + "</g>")  # y labels
    ticks_x = (chart.x_ticks if chart.x_ticks is not None
               else list(enumerate(chart.x_labels)))
    base = HEIGHT - MARGIN["bottom"]
    last = len(chart.x_labels) - 1
    labels = []
    for i, label in ticks_x:
        # a line's first and last labels sit at the drawing's edges: keep them inside it
        anchor = ("" if bars or 0 < i < last or last == 0
                  else " text-anchor='start'" if i == 0 else " text-anchor='end'")
        labels.append(f"<text x='{x(i):.0f}'{anchor}>{html.escape(label)}</text>")
    parts.append(f"<g text-anchor='middle' fill='#333' transform='translate(0 {base + 18})'>"
                 + "".join(labels) + "</g>")
    bar_series = [s for s in chart.series if s.style == "bars"]
    for k, s in enumerate(bar_series):
        width = slot * 0.7 / len(bar_series)
        for i, v in enumerate(s.values):
            if v is None:
                continue
            left_edge = x(i) - slot * 0.35 + k * width
            top_y, bottom_y = sorted((y(float(v)), y(0.0)))
            parts.append(f"<rect x='{left_edge:.1f}' y='{top_y:.1f}' width='{width:.1f}' "
                         f"height='{max(bottom_y - top_y, 0.5):.1f}' fill='{s.color}'/>")
    for s in chart.series:
        if s.style == "band" and s.low is not None:
            for run in _runs([None if (a is None or b is None) else a
                              for a, b in zip(s.values, s.low, strict=True)]):
                upper = _points([x(i) for i in run], [y(float(s.values[i])) for i in run])
                lower = _points([x(i) for i in reversed(run)],
                                [y(float(s.low[i])) for i in reversed(run)])
                parts.append(f"<polygon points='{' '.join(upper + lower)}' fill='{s.color}' "
                             "fill-opacity='0.45' stroke='none'/>")
    for m in chart.markers:
        dash = DASHES.get(m.style, "")
        parts.append(f"<line x1='{x(m.at):.0f}' x2='{x(m.at):.0f}' y1='{MARGIN['top']}' "
                     f"y2='{base}' stroke='{m.color}' stroke-width='2'"
                     + (f" stroke-dasharray='{dash}'" if dash else "") + "/>")
    for s in chart.series:
        if s.style in DASHES:
            dash = DASHES[s.style]
            for run in _runs(s.values):
                pts = _points([x(i) for i in run], [y(float(s.values[i])) for i in run])
                parts.append(f"<polyline points='{' '.join(pts)}' "
                             f"stroke='{s.color}' stroke-width='{s.width}'"
                             + (f" stroke-dasharray='{dash}'" if dash else "") + "/>")
                if s.dots:
                    parts += [f"<circle cx='{x(i):.0f}' cy='{y(float(s.values[i])):.0f}' r='4' "
                              f"fill='{s.color}'/>" for i in run]
    parts.append("</svg>")
    return "".join(parts)


def legend_html(chart: Chart) -> str:
    """The key under a chart: every series and marker, with its colour and its dash."""
    items = []
    for s in chart.series:
        if s.style == "bars" or s.style == "band":
            swatch = f"<i class='hw-key-box' style='background:{s.color}'></i>"
        else:
            swatch = (f"<i class='hw-key-line{'' if s.style == 'line' else ' hw-key-' + s.style}' "
                      f"style='border-top-color:{s.color}'></i>")
        items.append(f"<span>{swatch}{html.escape(s.name)}</span>")
    for m in chart.markers:
        items.append(f"<span><i class='hw-key-line hw-key-{m.style}' "
                     f"style='border-top-color:{m.color}'></i>{html.escape(m.name)}</span>")
    return f"<div class='hw-legend' aria-hidden='true'>{''.join(items)}</div>"


def table_html(chart: Chart, caption: str | None = None) -> str:
    """The chart's numbers as a table (for screen readers; visually hidden)."""
    shown = [s for s in chart.series if s.in_table]
    rows = chart.table_rows if chart.table_rows is not None else range(len(chart.x_labels))
    head = "".join(f"<th scope='col'>{html.escape(s.name)}</th>" for s in shown)
    body = []
    for i in rows:
        cells = []
        for s in shown:
            v = s.values[i]
            text = "" if v is None else chart.y_format(float(v))
            if s.style == "band" and s.low is not None and s.low[i] is not None:
                text = f"{chart.y_format(float(s.low[i]))} – {text}"
            cells.append(f"<td>{html.escape(text)}</td>")
        body.append(f"<tr><th scope='row'>{html.escape(chart.x_labels[i])}</th>{''.join(cells)}</tr>")
    cap = html.escape(caption if caption is not None else chart.title)
    return (f"<table class='hw-sr-only'><caption>{cap}</caption><thead><tr>"
            f"<th scope='col'>{html.escape(chart.table_x_header)}</th>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def chart_html(chart: Chart, legend: bool = True, label_id: str | None = None) -> str:
    """The whole figure: title, SVG, legend, and the numbers as a table.

    ``legend=False`` leaves the legend out, for a view that shows :func:`legend_html` in a
    widget of its own (it seldom changes, so an input change need not send it again).
    ``label_id`` names the title for the drawing; a view that redraws one chart gives the
    same one each time, so that the same chart is the same text (and is not sent again).

    >>> chart_html(Chart("T", ["a", "b"], [Series("S", [1.0, 2.0], "#000")], str),
    ...            label_id="hw-c") == chart_html(
    ...     Chart("T", ["a", "b"], [Series("S", [1.0, 2.0], "#000")], str), label_id="hw-c")
    True
    """
    label_id = label_id or f"hw-chart-{next(_counter)}"
    title = html.escape(chart.title)
    description = (f"<p class='hw-chart-note'>{html.escape(chart.description)}</p>"
                   if chart.description else "")
    return (f"<figure class='hw-figure {html.escape(chart.css)}'>"
            f"<figcaption id='{label_id}' class='hw-chart-title'>{title}</figcaption>"
            f"{_svg(chart, label_id)}{legend_html(chart) if legend else ''}{description}"
            f"{table_html(chart)}</figure>")
