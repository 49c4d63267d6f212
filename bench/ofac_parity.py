"""Parity of the OFAC-style score with OFAC's own Sanctions List Search (issue #14).

Reads ``eval_ofac_search_scores/ofac_scores.csv``: query, result name and the score that
SLS showed (0-100; -1 where SLS did not list the name at its slider set to 80). Scores
each pair with :func:`entityscreen.matching.ofac_score` and prints:

* the share of rows within 5 points of SLS (a -1 row counts when our score is under 80,
  the slider the capture used), overall and for the rows SLS scored;
* the median and mean absolute difference on the rows SLS scored;
* the rows furthest from SLS, with how each technique scored them;
* for scale, the same share for two scores that do not try to be SLS: ours
  (``compare_names``) and rapidfuzz's Jaro-Winkler of the upper-cased whole names.

Nothing is fitted on this file: it measures (docs/matching.md, "The OFAC-style score").

Usage::

    python bench/ofac_parity.py [--data ../shared/data] [--worst 15]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

from rapidfuzz.distance import JaroWinkler

from entityscreen.matching import compare_names
from entityscreen.matching.ofac_score import explain_ofac, ofac_score

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
SCORES = Path("eval_ofac_search_scores") / "ofac_scores.csv"
#: SLS's slider when a name was captured as not listed (-1).
CAPTURE_SLIDER = 80
TOLERANCE = 5


def _share(rows: list[tuple[str, str, int]], score: Callable[[str, str], int]) -> float:
    """Share of rows within TOLERANCE of SLS (a -1 row: under the capture slider)."""
    agree = 0
    for query, result, theirs in rows:
        ours = score(query, result)
        agree += ours < CAPTURE_SLIDER if theirs < 0 else abs(ours - theirs) <= TOLERANCE
    return agree / len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--worst", type=int, default=15, help="rows furthest from SLS shown")
    args = parser.parse_args(argv)
    path = args.data / SCORES
    if not path.is_file():
        print(f"{path}: no such file", file=sys.stderr)
        return 1
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [
            (r["query_name"], r["result_name"], int(r["ofac_score"])) for r in csv.DictReader(fh)
        ]
    scored: list[tuple[int, str, str, int, int, str]] = []
    agree = 0
    misses: list[tuple[str, str, int, str]] = []
    for query, result, theirs in rows:
        ours = ofac_score(query, result)
        if theirs < 0:
            ok = ours.score < CAPTURE_SLIDER
            if not ok:
                misses.append((query, result, ours.score, explain_ofac(ours)))
        else:
            diff = ours.score - theirs
            ok = abs(diff) <= TOLERANCE
            scored.append((diff, query, result, theirs, ours.score, explain_ofac(ours)))
        agree += ok
    diffs = [abs(d[0]) for d in scored]
    within = sum(d <= TOLERANCE for d in diffs)
    print(f"OFAC parity on {path} ({len(rows)} rows)")
    print(
        f"  within {TOLERANCE} points (a -1 row: ours under {CAPTURE_SLIDER}): "
        f"{agree}/{len(rows)} = {agree / len(rows):.1%}"
    )
    print(
        f"  rows SLS scored: {within}/{len(diffs)} = {within / len(diffs):.1%} within "
        f"{TOLERANCE}; median |diff| {statistics.median(diffs):.1f}, mean "
        f"{statistics.mean(diffs):.2f}; ours higher by >5: "
        f"{sum(d[0] > TOLERANCE for d in scored)}, lower by >5: "
        f"{sum(d[0] < -TOLERANCE for d in scored)}"
    )
    negatives = len(rows) - len(diffs)
    print(
        f"  rows SLS did not list: {negatives - len(misses)}/{negatives} under "
        f"{CAPTURE_SLIDER} here"
    )
    ours_default = _share(rows, lambda a, b: round(compare_names(a, b).score * 100))
    plain_jw = _share(rows, lambda a, b: round(JaroWinkler.similarity(a.upper(), b.upper()) * 100))
    print(
        f"  for scale, within {TOLERANCE}: entityscreen's own score {ours_default:.1%}, "
        f"plain Jaro-Winkler of the whole names {plain_jw:.1%}"
    )
    print(f"\nWorst {args.worst} rows (ours - SLS):")
    for diff, query, result, theirs, ours_score, why in sorted(scored, key=lambda d: -abs(d[0]))[
        : args.worst
    ]:
        print(f"  {diff:+4d}  SLS {theirs:3d} ours {ours_score:3d}  {query!r} -> {result!r}")
        print(f"        {why}")
    for query, result, ours_score, why in misses:
        print(f"  not listed by SLS, ours {ours_score}: {query!r} -> {result!r}")
        print(f"        {why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
