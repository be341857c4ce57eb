"""Charts as server-rendered SVG: no chart library in the browser, no inline styles (CSP).

Colours and line styles come from classes in static/css/portal.css (`chart-series-N`), and each
chart carries a <title> and <desc>; the table beside it holds the same numbers for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 150, 16, 36


def _svg(chart_id: str, title: str, description: str, body: list[str]) -> Markup:
    # Every text or label interpolated into `body` and here goes through escape(); numbers are ours.
    return Markup(  # noqa: S704
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _y(pct: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - pct / 100)


def _target_key(target: float | None, slot: int) -> list[str]:
    """The target's entry in the key, right of the plot: no bar or line can ever cover it."""
    if target is None:
        return []
    y = TOP + 14 + slot * 18
    return [
        f'<line class="chart-target" x1="{WIDTH - RIGHT + 6}" y1="{y - 4}" '
        f'x2="{WIDTH - RIGHT + 22}" y2="{y - 4}"/>'
        f'<text class="chart-label chart-target-label" x="{WIDTH - RIGHT + 26}" y="{y}">'
        f"target {target:g}%</text>"
    ]


def _axes(target: float | None) -> list[str]:
    parts = [
        f'<line class="chart-axis" x1="{LEFT}" y1="{_y(0)}" x2="{WIDTH - RIGHT}" y2="{_y(0)}"/>',
        f'<line class="chart-axis" x1="{LEFT}" y1="{_y(100)}" x2="{LEFT}" y2="{_y(0)}"/>',
    ]
    for pct in (0, 25, 50, 75, 100):
        parts.append(
            f'<text class="chart-label" x="{LEFT - 6}" y="{_y(pct) + 4:.1f}" '
            f'text-anchor="end">{pct}%</text>'
        )
    if target is not None:
        y = _y(target)
        # The line only: its label is in the key (`_target_key`), where a bar cannot hide it.
        parts.append(
            f'<line class="chart-target" x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}"/>'
        )
    return parts


def _shown(value: float | str | None) -> float | None:
    """A rate the chart may draw: a withheld one ("suppressed", ADR 0046) is a gap."""
    return value if isinstance(value, int | float) else None


def _described(value: float | str | None, nothing: str = "no forms") -> str:
    if value is None:
        return nothing
    return value if isinstance(value, str) else f"{value:g}%"


def line_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float | str | None]],
    target: float | None = 50.0,
) -> Markup:
    """Rates (0-100) over time, one line per series; gaps where a rate is None."""
    step = (WIDTH - LEFT - RIGHT) / max(len(labels) - 1, 1)
    body = _axes(target)
    every = max(1, -(-len(labels) // 6))  # at most about 6 axis labels, so they never overlap
    for index, label in enumerate(labels):
        if index % every == 0:
            body.append(
                f'<text class="chart-label" x="{LEFT + index * step:.1f}" y="{HEIGHT - 12}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    for number, (name, values) in enumerate(series.items()):
        css = f"chart-series-{number % 8}"
        drawn = [(i, _shown(v)) for i, v in enumerate(values)]
        points = [f"{LEFT + i * step:.1f},{_y(v):.1f}" for i, v in drawn if v is not None]
        if points:
            body.append(f'<polyline class="chart-line {css}" points="{" ".join(points)}"/>')
            for point in points:
                x, y = point.split(",")
                body.append(f'<circle class="chart-dot {css}" cx="{x}" cy="{y}" r="3"/>')
        legend_y = TOP + 14 + number * 18
        body.append(
            f'<rect class="chart-key {css}" x="{WIDTH - RIGHT + 8}" y="{legend_y - 9}" '
            f'width="12" height="4"/>'
            f'<text class="chart-label" x="{WIDTH - RIGHT + 26}" y="{legend_y}">{escape(name)}</text>'
        )
    body += _target_key(target, len(series))
    description = "; ".join(
        f"{name}: "
        + ", ".join(f"{lab} {_described(v)}" for lab, v in zip(labels, vals, strict=True))
        for name, vals in series.items()
    )
    return _svg(chart_id, title, description, body)


def bar_chart(
    chart_id: str,
    title: str,
    bars: Sequence[tuple[str, float | str | None]],
    target: float | None = 50.0,
    nothing: str = "no forms",
) -> Markup:
    """One vertical bar per label, height = rate (0-100)."""
    slot = (WIDTH - LEFT - RIGHT) / max(len(bars), 1)
    body = _axes(target)
    for index, (label, shown) in enumerate(bars):
        value = _shown(shown)
        x = LEFT + index * slot + slot * 0.2
        body.append(
            f'<text class="chart-label" x="{x + slot * 0.3:.1f}" y="{HEIGHT - 12}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
        if value is None:
            continue
        top = _y(value)
        body.append(
            f'<rect class="chart-bar chart-series-{index % 8}" x="{x:.1f}" y="{top:.1f}" '
            f'width="{slot * 0.6:.1f}" height="{_y(0) - top:.1f}"/>'
            f'<text class="chart-label" x="{x + slot * 0.3:.1f}" y="{top - 4:.1f}" '
            f'text-anchor="middle">{value:g}%</text>'
        )
    body += _target_key(target, 0)
    description = ", ".join(f"{label} {_described(value, nothing)}" for label, value in bars)
    return _svg(chart_id, title, description, body)
