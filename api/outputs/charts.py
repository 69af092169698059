"""Server-side SVG charts: bars, histograms and a heatmap, no JavaScript needed.

Each function returns markup to embed inline; every text goes through ``escape``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

PALETTE = ("#2563eb", "#0d9488", "#d97706", "#7c3aed", "#db2777", "#65a30d")


def hbar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    color: str = PALETTE[0],
    unit: str = "",
    max_items: int = 12,
) -> Markup:
    """Horizontal bars, largest first as given; the rest summed up as 'Other'."""
    rows = list(items[:max_items])
    if len(items) > max_items:
        rows.append(("Other", sum(v for _, v in items[max_items:])))
    if not rows:
        return _empty(title)
    label_w, bar_w, row_h = 130, 190, 24
    height = row_h * len(rows) + 8
    top = max(v for _, v in rows) or 1
    parts = [
        f'<svg class="chart" width="{label_w + bar_w + 60}" height="{height}" '
        f'viewBox="0 0 {label_w + bar_w + 60} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = 4 + i * row_h
        w = max(1.0, bar_w * value / top) if value else 0
        short = label if len(label) <= 22 else label[:21] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" class="lbl">'
            f"{escape(short)}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
            f'rx="3" fill="{color}">'
            f"<title>{escape(label)}: {value:g}{escape(unit)}</title></rect>"
            f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" class="val">'
            f"{value:g}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    color: str = PALETTE[1],
    x_label: str = "",
    y_label: str = "",
    max_value: float | None = None,
    percent: bool = False,
    plot_width: int = 240,
) -> Markup:
    """Vertical columns (histograms, values per slot) with a light baseline grid.

    The plot has a fixed width whatever the number of columns, so charts side by side
    are drawn at one scale and their text at one size; tick labels are thinned out so
    they never overlap, and the y-axis name sits above the top tick.
    """
    if not items:
        return _empty(title)
    n = len(items)
    left, bottom = 36, 38
    top_pad = 26 if y_label else 14
    col_w = plot_width / n
    width = left + plot_width + 10
    plot_h = 160
    height = plot_h + bottom + top_pad
    top = max_value if max_value is not None else (max(v for _, v in items) or 1)
    if max_value is None and not percent and float(top).is_integer() and top > 1 and top % 2:
        top += 1  # an even top keeps the middle tick a whole number
    parts = [
        f'<svg class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for frac in (0.0, 0.5, 1.0):
        y = top_pad + plot_h * (1 - frac)
        tick = f"{frac * top * 100:.0f}%" if percent else f"{frac * top:g}"
        parts.append(
            f'<line x1="{left}" x2="{width - 6}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" class="tick">{tick}</text>'
        )
    widest = max(len(label) for label, _ in items) * 6 + 8  # 10 px text, about 6 px a char
    every = max(1, math.ceil(widest / col_w))
    gap = min(4.0, col_w / 4)
    for i, (label, value) in enumerate(items):
        h = plot_h * value / top if top else 0
        x = left + i * col_w
        shown = f"{value * 100:.0f}%" if percent else f"{value:g}"
        parts.append(
            f'<rect x="{x + gap / 2:.1f}" y="{top_pad + plot_h - h:.1f}" '
            f'width="{col_w - gap:.1f}" height="{h:.1f}" rx="2" fill="{color}">'
            f"<title>{escape(label)}: {shown}</title></rect>"
        )
        if i % every == 0:
            parts.append(
                f'<text x="{x + col_w / 2:.1f}" y="{top_pad + plot_h + 14}" text-anchor="middle" '
                f'class="tick">{escape(label)}</text>'
            )
    if x_label:
        parts.append(
            f'<text x="{left + plot_width / 2:.1f}" y="{height - 4}" text-anchor="middle" '
            f'class="axis">{escape(x_label)}</text>'
        )
    if y_label:
        parts.append(f'<text x="{left}" y="11" class="axis">{escape(y_label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def heatmap(
    rows: Sequence[tuple[str, Sequence[bool]]],
    columns: Sequence[str],
    *,
    title: str,
    color: str = PALETTE[0],
) -> Markup:
    """Rows x columns of filled or empty cells (tables x slots)."""
    if not rows or not columns:
        return _empty(title)
    label_w, cell, head = 120, 16, 58
    # Column labels are rotated 45 degrees up to the right: leave room for the last one.
    width = label_w + cell * len(columns) + head + 4
    height = head + cell * len(rows) + 4
    parts = [
        f'<svg class="chart heat" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    every = max(1, len(columns) // 12)
    for j, column in enumerate(columns):
        if j % every == 0:
            x = label_w + j * cell + cell / 2
            parts.append(
                f'<text x="{x:.1f}" y="{head - 6}" transform="rotate(-45 {x:.1f} {head - 6})" '
                f'class="tick">{escape(column)}</text>'
            )
    for i, (label, cells) in enumerate(rows):
        y = head + i * cell
        label = label if len(label) <= 18 else label[:17] + "…"
        parts.append(
            f'<text x="{label_w - 4}" y="{y + cell - 3}" text-anchor="end" class="tick">'
            f"{escape(label)}</text>"
        )
        for j, filled in enumerate(cells):
            fill = color if filled else "#e5e7eb"
            parts.append(
                f'<rect x="{label_w + j * cell}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                f'rx="2" fill="{fill}"><title>{escape(label)} {escape(columns[j])}: '
                f"{'busy' if filled else 'free'}</title></rect>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def _empty(title: str) -> Markup:
    return Markup('<p class="empty">{}: no data yet.</p>').format(title)
