"""Draw the matcher's precision-recall curves and score distributions as SVG.

Scores every labelled pair of the evaluation sets (``bench/accuracy.py``'s data) with
``compare_names`` and writes, into ``entityscreen/web/static/`` (served on the web UI's
"about the matcher" page, and shown in docs/benchmarks.md):

* ``pr_curve.svg`` -- precision against recall as the threshold moves, one line per
  set, with the default threshold's recall marked;
* ``score_distribution.svg`` -- the share of true and of false pairs per score bucket
  (all sets pooled), with the default threshold marked.

Usage::

    python bench/plots.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    DEFAULT_DATA,
    NOMENKLATURA,
    ROOT,
    WATCHMAN_1,
    WATCHMAN_2,
    metrics_at,
    precision_recall_curve,
    read_pairs,
)

from entityscreen.matching import DEFAULT_THRESHOLD, compare_names
from entityscreen.web.charts import line_chart

OUT = ROOT / "entityscreen" / "web" / "static"
SETS = (
    ("nomenklatura", NOMENKLATURA, "#1f3b73"),
    ("watchman 1", WATCHMAN_1, "#2e7d32"),
    ("watchman 2", WATCHMAN_2, "#e65100"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    curves = []
    pooled: list[tuple[float, bool]] = []
    recall_at_default = []
    for label, path, color in SETS:
        pairs = read_pairs(args.data / path)
        scores = [compare_names(p.name1, p.name2, schema=p.schema).score for p in pairs]
        labels = [p.is_match for p in pairs]
        pooled.extend(zip(scores, labels, strict=True))
        points = [(r, p) for _, p, r in precision_recall_curve(scores, labels)]
        curves.append((label, color, sorted(points)))
        recall_at_default.append(metrics_at(scores, labels, DEFAULT_THRESHOLD).recall)
    (OUT / "pr_curve.svg").write_text(
        line_chart(
            curves,
            title="Precision and recall as the threshold moves",
            x_label="recall",
            y_label="precision",
        ),
        encoding="utf-8",
    )
    buckets = 20
    true_hist = [0] * buckets
    false_hist = [0] * buckets
    for score, is_match in pooled:
        i = min(buckets - 1, int(score * buckets))
        (true_hist if is_match else false_hist)[i] += 1

    def shares(hist: list[int]) -> list[tuple[float, float]]:
        total = sum(hist) or 1
        peak = max(hist) / total or 1
        return [((i + 0.5) / buckets, (n / total) / peak) for i, n in enumerate(hist)]

    (OUT / "score_distribution.svg").write_text(
        line_chart(
            [
                ("true pairs", "#2e7d32", shares(true_hist)),
                ("false pairs", "#b3261e", shares(false_hist)),
            ],
            title="Score distribution of true and false pairs (all sets)",
            x_label="score",
            y_label="share of pairs (scaled to the peak)",
            marker_x=DEFAULT_THRESHOLD,
            marker_label=f"default threshold {DEFAULT_THRESHOLD:.2f}",
        ),
        encoding="utf-8",
    )
    print(f"wrote {OUT / 'pr_curve.svg'} and {OUT / 'score_distribution.svg'}")
    for (label, _, _), recall in zip(SETS, recall_at_default, strict=True):
        print(f"{label}: recall at the default threshold {recall:.3f}")


if __name__ == "__main__":
    main()
