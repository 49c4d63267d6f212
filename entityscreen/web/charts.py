"""Small server-side SVG drawings for the web UI: no JavaScript, no plotting library.

* :func:`ownership_svg` -- owners to the left, the entry in the middle, what it owns to
  the right; edges labelled with shares; listed parties marked in red with their lists.
* :func:`changes_chart` -- additions (up) and removals (down) per snapshot and list.
* :func:`line_chart` -- polylines on a unit square (the matcher's precision-recall curve
  and score histograms, written by ``bench/plots.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

LISTED = "#b3261e"
PLAIN = "#1f3b73"


def _text(x: float, y: float, text: str, *, anchor: str = "middle", size: int = 12) -> str:
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}" text-anchor="{anchor}" '
        f'font-family="sans-serif">{escape(text)}</text>'
    )


def _short(text: str, size: int = 34) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def ownership_svg(edges: Sequence[dict[str, Any]], center: str) -> str:
    """The ownership graph around ``center`` (edges from ``Screener.ownership_around``):
    columns of owners' owners, owners, the entry, and what it owns."""
    if not edges:
        return ""
    names: dict[str, str] = {}
    listed: dict[str, Sequence[str]] = {}
    for e in edges:
        names[e["owner_id"]] = e["owner_name"]
        names[e["owned_id"]] = e["owned_name"]
        listed[e["owner_id"]] = e["owner_listed"]
    level1 = list(dict.fromkeys(e["owner_id"] for e in edges if e["owned_id"] == center))
    level2 = list(
        dict.fromkeys(
            e["owner_id"] for e in edges if e["owned_id"] in level1 and e["owner_id"] != center
        )
    )
    owned = list(dict.fromkeys(e["owned_id"] for e in edges if e["owner_id"] == center))
    columns = [(140, level2), (420, level1), (700, [center]), (980, owned)]
    rows = max(len(c) for _, c in columns)
    height, width = 60 * rows + 40, 1120
    where: dict[str, tuple[float, float]] = {}
    for x, nodes in columns:
        top = (height - 60 * len(nodes)) / 2 + 30
        for i, node in enumerate(nodes):
            where.setdefault(node, (x, top + 60 * i))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'role="img" aria-label="ownership graph">'
    ]
    for e in edges:
        if e["owner_id"] not in where or e["owned_id"] not in where:
            continue
        (x1, y1), (x2, y2) = where[e["owner_id"]], where[e["owned_id"]]
        share = "share unknown" if e["share"] is None else f"{e['share']:g}%"
        parts.append(
            f'<line x1="{x1 + 120:.0f}" y1="{y1:.0f}" x2="{x2 - 120:.0f}" y2="{y2:.0f}" '
            'stroke="#555" stroke-width="1.5"/>'
        )
        parts.append(_text((x1 + x2) / 2, (y1 + y2) / 2 - 5, share, size=11))
    for node, (bx, by) in where.items():
        marks = listed.get(node) or ()
        color = LISTED if marks else PLAIN
        tag = f" [{', '.join(marks)}]" if marks else ""
        weight = "3" if node == center else "1.5"
        parts.append(
            f'<rect x="{bx - 120:.0f}" y="{by - 18:.0f}" width="240" height="36" rx="6" '
            f'fill="white" stroke="{color}" stroke-width="{weight}"/>'
            + _text(bx, by + 4, _short(names.get(node, node) + tag, 32))
        )
    parts.append("</svg>")
    return "".join(parts)


def changes_chart(history: Sequence[dict[str, Any]]) -> str:
    """Bars per (snapshot, list): additions above the axis, removals below."""
    if not history:
        return ""
    bars = [h for h in history if h["added"] or h["removed"]]
    if not bars:
        return ""
    peak = max(max(h["added"], h["removed"]) for h in bars) or 1
    width, half, step = max(400, 60 * len(bars) + 80), 120, 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{2 * half + 90}" '
        'role="img" aria-label="list changes per snapshot">',
        f'<line x1="40" y1="{half + 20}" x2="{width - 20}" y2="{half + 20}" stroke="#333"/>',
    ]
    for i, h in enumerate(bars):
        x = 60 + i * step
        up = half * h["added"] / peak
        down = half * h["removed"] / peak
        parts.append(
            f'<rect x="{x}" y="{half + 20 - up:.1f}" width="24" height="{up:.1f}" fill="#2e7d32">'
            f"<title>{escape(h['list'])} {h['date']}: +{h['added']}</title></rect>"
        )
        parts.append(
            f'<rect x="{x}" y="{half + 20}" width="24" height="{down:.1f}" fill="{LISTED}">'
            f"<title>{escape(h['list'])} {h['date']}: -{h['removed']}</title></rect>"
        )
        parts.append(_text(x + 12, half + 20 - up - 4, f"+{h['added']}", size=10))
        parts.append(_text(x + 12, half + 32 + down, f"-{h['removed']}", size=10))
        parts.append(_text(x + 12, 2 * half + 60, f"{h['list']}", size=10))
        parts.append(_text(x + 12, 2 * half + 74, h["date"][2:], size=9))
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    series: Sequence[tuple[str, str, Sequence[tuple[float, float]]]],
    *,
    title: str,
    x_label: str,
    y_label: str,
    marker_x: float | None = None,
    marker_label: str = "",
) -> str:
    """Polylines on [0, 1] x [0, 1]: ``series`` of (label, colour, points)."""
    w, h, m = 520, 380, 50

    def px(x: float) -> float:
        return m + x * (w - 2 * m)

    def py(y: float) -> float:
        return h - m - y * (h - 2 * m)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" role="img" '
        f'aria-label="{escape(title)}">',
        _text(w / 2, 20, title, size=14),
        f'<rect x="{m}" y="{m}" width="{w - 2 * m}" height="{h - 2 * m}" fill="none" '
        'stroke="#333"/>',
        _text(w / 2, h - 12, x_label),
        f'<text x="14" y="{h / 2:.0f}" font-size="12" font-family="sans-serif" '
        f'transform="rotate(-90 14 {h / 2:.0f})" text-anchor="middle">{escape(y_label)}</text>',
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(_text(px(tick), h - m + 14, f"{tick:g}", size=10))
        parts.append(_text(m - 6, py(tick) + 4, f"{tick:g}", anchor="end", size=10))
    for i, (label, color, points) in enumerate(series):
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        parts.append(
            f'<rect x="{m + 10}" y="{h - m - 24 - 18 * i}" width="12" height="12" '
            f'fill="{color}"/>' + _text(m + 28, h - m - 13 - 18 * i, label, anchor="start")
        )
    if marker_x is not None:
        parts.append(
            f'<line x1="{px(marker_x):.1f}" y1="{m}" x2="{px(marker_x):.1f}" y2="{h - m}" '
            'stroke="#888" stroke-dasharray="4 3"/>'
            + _text(px(marker_x) + 4, m + 14, marker_label, anchor="start", size=11)
        )
    parts.append("</svg>")
    return "".join(parts)


__all__ = ["changes_chart", "line_chart", "ownership_svg"]
