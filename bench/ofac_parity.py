"""Parity of the OFAC-style score with OFAC's own Sanctions List Search (issue #14).

Reads ``eval_ofac_search_scores/ofac_scores.csv``: query, result name and the score that
SLS showed (0-100; -1 where SLS did not list the name at its slider set to 80). Scores
each pair with :func:`entityscreen.matching.ofac_score` and prints:

* the share of rows within 5 points of SLS (a -1 row counts when our score is under 80,
  the slider the capture used), overall and for the rows SLS scored;
* the median and mean absolute difference on the rows SLS scored;
* the rows furthest from SLS, with how each technique scored them;
* for scale, the same share for two scores that do not try to be SLS: ours
  (``compare_names``) and rapidfuzz's Jaro-Winkler of the upper-cased whole names;
* with ``--lists``, the candidate stage of ``--algorithm ofac``: an index of OFAC's lists
  (SDN 2023-12-28 with its aliases, the consolidated non-SDN list) is built, each query
  is screened with :func:`~entityscreen.matching.screen_ofac` from 0.50, and we count the
  rows whose listed name is on those lists and whose entry comes back; and the time per
  query.

Nothing is fitted on this file: it measures (docs/matching.md, "The OFAC-style score").

Usage::

    python bench/ofac_parity.py [--data ../shared/data] [--worst 15] [--lists]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

from rapidfuzz.distance import JaroWinkler

from entityscreen.matching import MatchIndex, compare_names, screen_ofac
from entityscreen.matching.ofac_score import explain_ofac, normalize_ofac, ofac_score
from entityscreen.model import Entry, Party

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
SCORES = Path("eval_ofac_search_scores") / "ofac_scores.csv"
#: SLS's slider when a name was captured as not listed (-1).
CAPTURE_SLIDER = 80
TOLERANCE = 5
OFAC_LISTS = ("ofac_sdn_2023-12-28/sdn.csv", "ofac_consolidated_nonsdn/cons_prim.csv")


def _share(rows: list[tuple[str, str, int]], score: Callable[[str, str], int]) -> float:
    """Share of rows within TOLERANCE of SLS (a -1 row: under the capture slider)."""
    agree = 0
    for query, result, theirs in rows:
        ours = score(query, result)
        agree += ours < CAPTURE_SLIDER if theirs < 0 else abs(ours - theirs) <= TOLERANCE
    return agree / len(rows)


def _candidates(data: Path, rows: list[tuple[str, str, int]]) -> None:
    """How many rows' listed entries the OFAC-style screen finds on OFAC's own lists."""
    import time

    from entityscreen.sources import parse_file

    entries: list[Entry] = []
    for rel in OFAC_LISTS:
        entries.extend(parse_file(data / rel).entries)
    started = time.perf_counter()
    index = MatchIndex.build(entries)
    print(
        f"\nCandidate stage: index of {len(entries):,} entries of {', '.join(OFAC_LISTS)} "
        f"built in {time.perf_counter() - started:.1f} s"
    )
    owners: dict[str, set[str]] = {}
    for entry in entries:
        for name in entry.names:
            try:
                owners.setdefault(normalize_ofac(name.value), set()).add(entry.id)
            except Exception:
                continue
    on_list = found = 0
    seconds: list[float] = []
    missed: list[tuple[str, str, int]] = []
    for query, result, theirs in rows:
        ids = owners.get(normalize_ofac(result))
        started = time.perf_counter()
        matches = screen_ofac(index, Party(name=query), threshold=0.5, limit=100_000)
        seconds.append(time.perf_counter() - started)
        if theirs < 0 or not ids:
            continue
        on_list += 1
        if ids & {m.entry_id for m in matches}:
            found += 1
        else:
            missed.append((query, result, theirs))
    print(
        f"  rows SLS listed whose name is on these lists: {on_list}; entry found from 0.50: "
        f"{found} ({found / max(on_list, 1):.1%})"
    )
    print(
        "  time per query from 0.50 (first pass): median "
        f"{statistics.median(seconds) * 1000:.1f} ms, "
        f"max {max(seconds) * 1000:.1f} ms"
    )
    for query, result, theirs in missed:
        print(f"  not found: {query!r} -> {result!r} (SLS {theirs})")
    # Time per query at each algorithm's default threshold (second pass: caches warm).
    queries = list(dict.fromkeys(q for q, _, _ in rows))
    for label, screen in (
        ("ofac from 0.80", lambda p: screen_ofac(index, p)),
        ("ours from 0.70", lambda p: index.screen(p)),
    ):
        times = []
        for query in queries:
            started = time.perf_counter()
            screen(Party(name=query))
            times.append(time.perf_counter() - started)
        print(
            f"  {label}: {len(queries)} distinct queries, median "
            f"{statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--worst", type=int, default=15, help="rows furthest from SLS shown")
    parser.add_argument(
        "--lists", action="store_true", help="also measure the candidate stage on OFAC's lists"
    )
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
    if args.lists:
        _candidates(args.data, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
