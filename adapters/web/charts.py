"""Inline SVG bar charts: one bar per period, drawn on the server (no JavaScript)."""

from __future__ import annotations

from html import escape

from bot.insights.definitions import Cell

BAR, GAP, HEIGHT, TOP, BOTTOM = 34, 12, 80, 16, 18
AXIS = 34  # room on the left for the percentage scale
TICKS = (0, 50, 100)


def bars(*, title: str, points: list[tuple[str, Cell]], too_few: str) -> str:
    """A chart of percentages (0–100): a scale on the left (0%, 50%, 100%), a bar and its value per
    period, each period named under its bar; a hidden figure is an empty, dashed bar, so that the gap
    reads as "too few to show", not as zero."""
    width = AXIS + len(points) * (BAR + GAP) + GAP
    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{TOP + HEIGHT + BOTTOM}" '
        f'viewBox="0 0 {width} {TOP + HEIGHT + BOTTOM}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        _scale(width),
    ]
    for index, (label, cell) in enumerate(points):
        x = AXIS + GAP + index * (BAR + GAP)
        parts.append(_bar(x, label=label, cell=cell, too_few=too_few))
    parts.append("</svg>")
    return "".join(parts)


def _scale(width: int) -> str:
    """The y axis with its ticks and faint grid lines, and the x axis along the bottom."""
    lines = [
        f'<g class="axis y"><line x1="{AXIS}" y1="{TOP}" x2="{AXIS}" y2="{TOP + HEIGHT}" stroke="#666"/>'
    ]
    for tick in TICKS:
        y = TOP + HEIGHT - HEIGHT * tick / 100
        lines.append(
            f'<line x1="{AXIS - 3}" y1="{y}" x2="{width}" y2="{y}" stroke="{"#666" if tick == 0 else "#e3e3e3"}"/>'
            f'<text x="{AXIS - 5}" y="{y + 3}" font-size="9" text-anchor="end">{tick}%</text>'
        )
    lines.append("</g>")
    return "".join(lines)


def _bar(x: float, *, label: str, cell: Cell, too_few: str) -> str:
    caption = f'<text class="period" x="{x + BAR / 2}" y="{TOP + HEIGHT + 13}" font-size="9" text-anchor="middle">{escape(label)}</text>'
    if cell.hidden or cell.value is None:
        tip = too_few if cell.hidden else "—"
        return (
            f'<g class="bar empty"><title>{escape(label)}: {escape(tip)}</title>'
            f'<rect x="{x}" y="{TOP}" width="{BAR}" height="{HEIGHT}" fill="none" stroke="#bbb" '
            f'stroke-dasharray="3 3"/>{caption}</g>'
        )
    value = max(0.0, min(100.0, float(cell.value)))
    height = round(HEIGHT * value / 100, 1)
    return (
        f'<g class="bar"><title>{escape(label)}: {value:.1f}%</title>'
        f'<rect x="{x}" y="{TOP + HEIGHT - height}" width="{BAR}" height="{height}" fill="#3b6ea5"/>'
        f'<text x="{x + BAR / 2}" y="{TOP + HEIGHT - height - 3}" font-size="9" text-anchor="middle">'
        f"{value:.0f}%</text>{caption}</g>"
    )
