"""The list-changes chart's labels do not overlap (issue #14, item 6: "the change chart's
labels overlap"): every text's box, rotated as drawn, is checked against every other's."""

from __future__ import annotations

import math
import re

import pytest

from entityscreen.web.charts import CHAR_WIDTH, changes_chart

Box = list[tuple[float, float]]


def _boxes(svg: str) -> list[tuple[str, Box]]:
    """Each <text>'s corners: width from its length at CHAR_WIDTH of its font size,
    height its font size, placed by its anchor and turned by its rotate()."""
    out = []
    for attrs, text in re.findall(r"<text ([^>]*)>([^<]*)</text>", svg):
        get = dict(re.findall(r'([\w-]+)="([^"]*)"', attrs))
        x, y, size = float(get["x"]), float(get["y"]), float(get["font-size"])
        width = len(text) * size * CHAR_WIDTH
        anchor = get.get("text-anchor", "start")
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        corners = [(left, y - size), (left + width, y - size), (left + width, y), (left, y)]
        turn = re.search(r"rotate\(([-\d.]+) ([-\d.]+) ([-\d.]+)\)", get.get("transform", ""))
        if turn:
            angle, cx, cy = (float(v) for v in turn.groups())
            c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
            corners = [
                (cx + (px - cx) * c - (py - cy) * s, cy + (px - cx) * s + (py - cy) * c)
                for px, py in corners
            ]
        out.append((text, corners))
    return out


def _overlap(a: Box, b: Box) -> bool:
    """Separating-axis test of two convex quadrilaterals."""
    for poly in (a, b):
        for i in range(4):
            (x1, y1), (x2, y2) = poly[i], poly[(i + 1) % 4]
            nx, ny = y2 - y1, x1 - x2
            pa = [nx * x + ny * y for x, y in a]
            pb = [nx * x + ny * y for x, y in b]
            if max(pa) <= min(pb) or max(pb) <= min(pa):
                return False
    return True


def _history() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for snapshot, day in enumerate(["2023-07-19", "2024-01-02", "2024-05-03", "2024-06-01"]):
        for code in ["SDN", "UKRAINE-EO13662", "NS-CMIC-EO13959", "EL", "CAPTA", "DPL"]:
            rows.append(
                {
                    "source": "ofac" if code == "SDN" else "us_csl",
                    "list": code,
                    "snapshot": snapshot,
                    "date": day,
                    "added": 1234 * (snapshot + 1),
                    "removed": 17 * snapshot,
                }
            )
    return rows


def _clashes(svg: str) -> list[tuple[str, str]]:
    boxes = _boxes(svg)
    return [
        (ta, tb) for i, (ta, a) in enumerate(boxes) for tb, b in boxes[i + 1 :] if _overlap(a, b)
    ]


def test_no_label_of_the_changes_chart_overlaps_another() -> None:
    svg = changes_chart(_history())
    assert len(_boxes(svg)) > 40  # the lists, the captions, the counts
    assert _clashes(svg) == []


@pytest.mark.parametrize("removals", [True, False])
def test_every_label_is_inside_the_drawing(removals: bool) -> None:
    rows = _history() if removals else [{**h, "removed": 0} for h in _history()]
    svg = changes_chart(rows)
    assert not _clashes(svg)
    width, height = (float(v) for v in re.search(r'width="(\d+)" height="(\d+)"', svg).groups())  # type: ignore[union-attr]
    for text, corners in _boxes(svg):
        for x, y in corners:
            assert -1 <= x <= width + 1 and -1 <= y <= height + 1, text


def test_each_list_and_snapshot_is_named() -> None:
    svg = changes_chart(_history())
    assert svg.count(">UKRAINE-EO13662</text>") == 4  # one per snapshot
    assert "us_csl 2024-05-03" in svg and "+4936" in svg and "-51" in svg
    assert changes_chart([]) == "" and changes_chart([{**_history()[0], "added": 0}]) == ""
