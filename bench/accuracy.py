"""Accuracy of name matching on labelled pairs, against two baselines.

For each evaluation set (nomenklatura ``cases.csv``, watchman ``cascade-name-pairs*.csv``)
this prints precision, recall, F1 and ROC AUC of ``compare_names`` at
``DEFAULT_THRESHOLD``, the same for two baselines (RapidFuzz ``token_set_ratio`` and an
OFAC-Sanctions-List-Search-style Jaro-Winkler) at their own best threshold on that set and
at a fixed 0.85, our F1 minus theirs, the errors per category, and candidate recall of a
``MatchIndex`` built from the set's listed names. It also counts the cross-script pairs that
reach their minimum score.

Our threshold is fixed in advance (``entityscreen.matching.DEFAULT_THRESHOLD``, chosen on
pairs generated from the lists, see ``docs/matching.md``); the baselines' "best threshold"
is picked on the very set it is reported on, which flatters them.

Usage::

    python bench/accuracy.py [--data ../shared/data] [--errors] [--plot-dir DIR]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    CROSS_SCRIPT,
    DEFAULT_DATA,
    NOMENKLATURA,
    WATCHMAN_1,
    WATCHMAN_2,
    LabelledPair,
    Metrics,
    best_threshold,
    metrics_at,
    precision_recall_curve,
    read_cross_script,
    read_pairs,
    roc_auc,
)

from entityscreen.matching import DEFAULT_THRESHOLD, compare_names
from entityscreen.model import Schema
from entityscreen.names import normalize_text

FIXED = 0.85


def token_set_score(a: str, b: str) -> float:
    """Baseline 1: RapidFuzz token_set_ratio on normalised text, in [0, 1]."""
    return fuzz.token_set_ratio(normalize_text(a), normalize_text(b)) / 100.0


def ofac_jw_score(a: str, b: str) -> float:
    """Baseline 2: OFAC SLS style: each query token's best Jaro-Winkler, averaged.

    Both names are normalised and split on spaces; the score is symmetric (the mean of
    both directions), as a fuzzy list search tool compares a query against list names.
    """
    ta = normalize_text(a).replace(",", " ").replace(".", " ").split()
    tb = normalize_text(b).replace(",", " ").replace(".", " ").split()
    if not ta or not tb:
        return 0.0

    def one_way(x: list[str], y: list[str]) -> float:
        return sum(max(JaroWinkler.similarity(t, u) for u in y) for t in x) / len(x)

    return (one_way(ta, tb) + one_way(tb, ta)) / 2.0


def ours(pair: LabelledPair) -> tuple[float, str]:
    c = compare_names(pair.name1, pair.name2, schema=pair.schema)
    return c.score, c.explanation


def _fmt(m: Metrics) -> str:
    return (
        f"P {m.precision:.3f}  R {m.recall:.3f}  F1 {m.f1:.3f}  "
        f"(TP {m.tp} FP {m.fp} FN {m.fn} TN {m.tn})"
    )


def evaluate(
    title: str,
    pairs: Sequence[LabelledPair],
    *,
    show_errors: bool,
    plot_dir: Path | None,
    slug: str,
) -> dict[str, float]:
    labels = [p.is_match for p in pairs]
    results = [ours(p) for p in pairs]
    scores = [s for s, _ in results]
    mine = metrics_at(scores, labels, DEFAULT_THRESHOLD)
    auc = roc_auc(scores, labels)
    print(f"\n== {title}: {len(pairs)} pairs ({sum(labels)} matches)")
    print(
        f"entityscreen @ {DEFAULT_THRESHOLD:.2f} (fixed in advance): {_fmt(mine)}  "
        f"AUC {auc:.3f}   [target F1 >= 0.95]"
    )
    oracle = best_threshold(scores, labels)
    print(
        f"  (for reference, its best threshold on this set would be "
        f"{oracle.threshold:.3f}: F1 {oracle.f1:.3f})"
    )
    baselines: dict[str, Callable[[str, str], float]] = {
        "token_set_ratio": token_set_score,
        "OFAC-style JW": ofac_jw_score,
    }
    out = {"f1": mine.f1, "auc": auc}
    for name, fn in baselines.items():
        b_scores = [fn(p.name1, p.name2) for p in pairs]
        best = best_threshold(b_scores, labels)
        fixed = metrics_at(b_scores, labels, FIXED)
        b_auc = roc_auc(b_scores, labels)
        print(f"{name:>16} @ own best {best.threshold:.3f}: {_fmt(best)}  AUC {b_auc:.3f}")
        print(f"{name:>16} @ {FIXED:.2f}: {_fmt(fixed)}")
        print(
            f"{'':>16}   our F1 - theirs: {mine.f1 - best.f1:+.3f} (vs best), "
            f"{mine.f1 - fixed.f1:+.3f} (vs {FIXED})"
        )
        if plot_dir is not None:
            _write_curve(plot_dir / f"pr_{slug}_{name.split()[0].lower()}.csv", b_scores, labels)
    fp = Counter(
        p.category
        for p, s in zip(pairs, scores, strict=True)
        if s >= DEFAULT_THRESHOLD and not p.is_match
    )
    fn_ = Counter(
        p.category
        for p, s in zip(pairs, scores, strict=True)
        if s < DEFAULT_THRESHOLD and p.is_match
    )
    if fp or fn_:
        print("errors by category (false positives / false negatives):")
        for category in sorted(set(fp) | set(fn_), key=lambda c: -(fp[c] + fn_[c])):
            print(f"  {category[:48]:<48} FP {fp[category]:>3}  FN {fn_[category]:>3}")
    if show_errors:
        for p, (s, why) in zip(pairs, results, strict=True):
            wrong = (s >= DEFAULT_THRESHOLD) != p.is_match
            if wrong:
                kind = "FP" if not p.is_match else "FN"
                print(
                    f"  {kind} {s:.3f} [{p.schema.value[:3]}] {p.name1!r} vs {p.name2!r}"
                    f" <{p.category}>\n      {why}"
                )
    if plot_dir is not None:
        _write_curve(plot_dir / f"pr_{slug}_entityscreen.csv", scores, labels)
    return out


def _write_curve(path: Path, scores: Sequence[float], labels: Sequence[bool]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["threshold", "precision", "recall"])
        for row in precision_recall_curve(scores, labels):
            writer.writerow([f"{v:.4f}" for v in row])


def cross_script(data: Path, *, show_errors: bool) -> None:
    rows = read_cross_script(data / CROSS_SCRIPT)
    ok = 0
    print(f"\n== cross_script_pairs.csv: {len(rows)} positive pairs with a minimum score")
    for query, expected, minimum, description in rows:
        score = compare_names(query, expected, schema=Schema.PERSON).score
        passed = score >= minimum
        ok += passed
        if show_errors and not passed:
            print(f"  below: {score:.3f} < {minimum:.2f} {query} vs {expected} ({description})")
    print(f"pairs at or above their minimum score: {ok}/{len(rows)}   [target: all]")
    above = sum(
        compare_names(q, e, schema=Schema.PERSON).score >= DEFAULT_THRESHOLD for q, e, _, _ in rows
    )
    print(f"pairs at or above DEFAULT_THRESHOLD {DEFAULT_THRESHOLD:.2f}: {above}/{len(rows)}")


def candidate_recall(title: str, pairs: Sequence[LabelledPair], limit: int) -> None:
    from entityscreen.matching import MatchIndex
    from entityscreen.model import Entry, Name, Party

    listed: dict[tuple[str, Schema], str] = {}
    entries: list[Entry] = []
    for p in pairs:
        key = (p.name2, p.schema)
        if key not in listed:
            listed[key] = f"e{len(entries)}"
            entries.append(
                Entry(
                    id=listed[key],
                    source="eval",
                    list="EVAL",
                    schema=p.schema,
                    names=(Name(p.name2),),
                )
            )
    index = MatchIndex.build(entries)
    positives = [p for p in pairs if p.is_match]
    found = 0
    missed: list[LabelledPair] = []
    for p in positives:
        ids = {c for c in index.candidates(Party(name=p.name1, schema=p.schema), limit=limit)}
        if listed[(p.name2, p.schema)] in ids:
            found += 1
        else:
            missed.append(p)
    print(
        f"candidate recall ({title}, {len(entries)} entries, limit {limit}): "
        f"{found}/{len(positives)} = {found / max(1, len(positives)):.3f}   [target 1.00]"
    )
    for p in missed[:10]:
        print(f"    missed: {p.name1!r} -> {p.name2!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--errors", action="store_true", help="list misclassified pairs")
    parser.add_argument(
        "--plot-dir", type=Path, default=None, help="write precision-recall CSVs here"
    )
    parser.add_argument("--limit", type=int, default=25, help="candidates per query")
    args = parser.parse_args()
    sets = [
        ("nomenklatura cases.csv", NOMENKLATURA, "nomenklatura"),
        ("watchman cascade-name-pairs.csv", WATCHMAN_1, "watchman1"),
        ("watchman cascade-name-pairs-2.csv", WATCHMAN_2, "watchman2"),
    ]
    summary: dict[str, dict[str, float]] = {}
    for title, rel, slug in sets:
        pairs = read_pairs(args.data / rel)
        summary[title] = evaluate(
            title, pairs, show_errors=args.errors, plot_dir=args.plot_dir, slug=slug
        )
        candidate_recall(title, pairs, args.limit)
    cross_script(args.data, show_errors=args.errors)
    print("\n== summary (F1 at the default threshold / ROC AUC)")
    for title, figures in summary.items():
        print(f"  {title:<36} F1 {figures['f1']:.3f}   AUC {figures['auc']:.3f}")


if __name__ == "__main__":
    main()
