"""Helpers shared by the benchmark scripts: data paths, labelled pairs, metrics.

Nothing here is part of the package; benchmarks print figures, they do not assert.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from entityscreen.model import Schema

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"

NOMENKLATURA = Path("eval_nomenklatura") / "cases.csv"
WATCHMAN_1 = Path("eval_watchman") / "cascade-name-pairs.csv"
WATCHMAN_2 = Path("eval_watchman") / "cascade-name-pairs-2.csv"
CROSS_SCRIPT = Path("eval_watchman") / "cross_script_pairs.csv"


@dataclass(frozen=True, slots=True)
class LabelledPair:
    """One labelled pair of names from an evaluation set."""

    name1: str
    name2: str
    schema: Schema
    is_match: bool
    category: str
    group: str


def parse_schema(value: str) -> Schema:
    """Map the evaluation files' schema names (FollowTheMoney style) to ours."""
    key = value.strip().lower()
    if key in ("company", "organization", "legalentity", "publicbody"):
        return Schema.ORGANIZATION
    return Schema.parse(key)


def read_pairs(path: Path) -> list[LabelledPair]:
    """Read a nomenklatura/watchman labelled-pairs CSV.

    Args:
        path: The CSV file.

    Returns:
        The pairs, in file order.
    """
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    pairs: list[LabelledPair] = []
    for row in rows:
        label = (row.get("is_match") or "").strip().lower()
        if label not in ("true", "false"):
            continue
        pairs.append(
            LabelledPair(
                name1=row["name1"],
                name2=row["name2"],
                schema=parse_schema(row.get("schema") or ""),
                is_match=label == "true",
                category=(row.get("category") or "").strip() or "(none)",
                group=(row.get("case_group") or "").strip(),
            )
        )
    return pairs


def read_cross_script(path: Path) -> list[tuple[str, str, float, str]]:
    """Read ``cross_script_pairs.csv``: (query, expected, min score, description)."""
    out: list[tuple[str, str, float, str]] = []
    with open(path, encoding="utf-8") as f:
        lines = [line for line in f if line.strip() and not line.lstrip().startswith("#")]
    for row in csv.reader(lines):
        if len(row) >= 3:
            out.append((row[0].strip(), row[1].strip(), float(row[2]), ",".join(row[3:]).strip()))
    return out


@dataclass(frozen=True, slots=True)
class Metrics:
    """Binary classification figures at one threshold."""

    threshold: float
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int
    tn: int


def metrics_at(scores: Sequence[float], labels: Sequence[bool], threshold: float) -> Metrics:
    """Precision, recall and F1 when ``score >= threshold`` predicts a match."""
    tp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and y)
    fp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and not y)
    fn = sum(1 for s, y in zip(scores, labels, strict=True) if s < threshold and y)
    tn = len(labels) - tp - fp - fn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Metrics(threshold, precision, recall, f1, tp, fp, fn, tn)


def best_threshold(scores: Sequence[float], labels: Sequence[bool]) -> Metrics:
    """The threshold with the highest F1 on these very scores (optimistic by design)."""
    best = metrics_at(scores, labels, 1.01)
    for threshold in sorted(set(scores)):
        m = metrics_at(scores, labels, threshold)
        if m.f1 > best.f1:
            best = m
    return best


def roc_auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Area under the ROC curve (probability a positive outscores a negative; ties 1/2)."""
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    if not pos or not neg:
        return math.nan
    ranked = sorted((s, i) for i, s in enumerate(scores))
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(ranked):
        j = i
        while j + 1 < len(ranked) and ranked[j + 1][0] == ranked[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[ranked[k][1]] = (i + j) / 2 + 1
        i = j + 1
    rank_sum = sum(r for r, y in zip(ranks, labels, strict=True) if y)
    return (rank_sum - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


def precision_recall_curve(
    scores: Sequence[float], labels: Sequence[bool]
) -> list[tuple[float, float, float]]:
    """(threshold, precision, recall) at every distinct score."""
    return [
        (t, m.precision, m.recall)
        for t in sorted(set(scores))
        for m in (metrics_at(scores, labels, t),)
    ]


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    """Wall time of ``fn`` in seconds (best of ``repeat``)."""
    import time

    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def percentile(values: Iterable[float], q: float) -> float:
    """The ``q``-th percentile (0..100) by nearest rank."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    index = min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[index]
