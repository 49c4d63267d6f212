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


#: Width of a character of the chart's sans-serif text, as a share of its font size (a
#: safe upper bound for digits and capitals, used to keep labels apart).
CHAR_WIDTH = 0.62
#: The angle list labels are drawn at: a slot of ``BAR_SLOT`` pixels apart keeps rotated
#: labels ``BAR_SLOT * sin(45°)`` ≈ 28 px apart, wider than their 10 px height, whatever
#: their length (horizontal labels overlapped as soon as a list code was long).
LABEL_ANGLE = -45
BAR_SLOT = 40


def changes_chart(history: Sequence[dict[str, Any]]) -> str:
    """Bars per (snapshot, list): additions above the axis, removals below; one group of
    bars per snapshot, captioned with its source and date, each bar's list written at an
    angle under the chart so that no label overlaps another."""
    bars = [h for h in history if h["added"] or h["removed"]]
    if not bars:
        return ""
    groups: dict[tuple[str, str, Any], list[dict[str, Any]]] = {}
    for h in bars:
        groups.setdefault((h.get("source", ""), h["date"], h.get("snapshot")), []).append(h)
    peak = max(max(h["added"], h["removed"]) for h in bars) or 1
    longest = max(len(str(h["list"])) for h in bars)
    slant = int(longest * 10 * CHAR_WIDTH * 0.71)  # a rotated label's height and width
    half, top, gap, bottom = 110, 48, 24, slant + 24
    left = max(70, slant + 10)
    axis = top + half
    # No removals: no empty half below the axis between the bars and their labels.
    below = half if any(h["removed"] for h in bars) else 0
    parts: list[str] = []
    x = left
    for (source, day, _), rows in groups.items():
        caption = f"{source} {day}".strip()
        # A group is as wide as its bars or its caption (captions never overlap).
        width = max(BAR_SLOT * len(rows), int(len(caption) * 11 * CHAR_WIDTH) + 8)
        parts.append(_text(x + width / 2, top - 30, caption, size=11))
        parts.append(
            f'<line x1="{x}" y1="{top - 24}" x2="{x + width}" y2="{top - 24}" stroke="#999"/>'
        )
        for i, h in enumerate(rows):
            bx = x + (width - BAR_SLOT * len(rows)) / 2 + i * BAR_SLOT + 9
            up, down = half * h["added"] / peak, half * h["removed"] / peak
            label = f"{h['list']} {day}"
            parts.append(
                f'<rect x="{bx:.0f}" y="{axis - up:.1f}" width="22" height="{up:.1f}" '
                f'fill="#2e7d32"><title>{escape(label)}: +{h["added"]}</title></rect>'
                f'<rect x="{bx:.0f}" y="{axis}" width="22" height="{down:.1f}" '
                f'fill="{LISTED}"><title>{escape(label)}: -{h["removed"]}</title></rect>'
            )
            if h["added"]:
                parts.append(_text(bx + 11, axis - up - 4, f"+{h['added']}", size=10))
            if h["removed"]:
                parts.append(_text(bx + 11, axis + down + 12, f"-{h['removed']}", size=10))
            lx, ly = bx + 15, axis + below + 22
            parts.append(
                f'<text x="{lx:.0f}" y="{ly:.0f}" font-size="10" text-anchor="end" '
                f'font-family="sans-serif" transform="rotate({LABEL_ANGLE} {lx:.0f} {ly:.0f})">'
                f"{escape(str(h['list']))}</text>"
            )
        x += width + gap
    width = max(400, x - gap + 30)
    height = axis + below + 22 + bottom
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height}" '
        'role="img" aria-label="list changes per snapshot">',
        f'<line x1="{left - 10}" y1="{axis}" x2="{width - 20:.0f}" y2="{axis}" stroke="#333"/>',
        _text(left - 14, axis - 4, "added", anchor="end", size=10),
        _text(left - 14, axis + 12, "removed", anchor="end", size=10) if below else "",
    ]
    return "".join([*head, *parts, "</svg>"])


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
