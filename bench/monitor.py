"""Delta re-screening vs a full re-screen after a real list update.

Steps (all on the real OFAC SDN files of ../shared/data, each imported from its primary
``sdn.csv`` alone, since only the 2023 folder has add/alt files):

1. A registry of N parties (default 100,000): synthetic names built from real name parts
   (``bench/speed.py``'s generator), plus 1% real SDN names so that alerts exist.
2. Store A: SDN 2023-12-28, parties, ``monitor`` (the first run screens everyone).
   Then SDN 2024-05-03 is imported and ``monitor`` runs again: the delta run (it builds
   the party-name index once; a second delta run would load it). Its time is split into
   the index build and the rest.
3. Store B, the baseline in the same run: SDN 2024-05-03 directly, the same parties,
   ``monitor``: a full re-screen against the updated list.

Prints both times, the ratio, and what the delta run screened.

Usage::

    python bench/monitor.py [--data ../shared/data] [--parties 100000] [--workers 2]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_DATA
from parties import write_parties

from entityscreen.service import Screener

SNAPSHOTS = ("ofac_sdn_2023-12-28", "ofac_sdn_2024-05-03")


def timed_monitor(screener: Screener, workers: int) -> tuple[float, str]:
    started = time.perf_counter()
    report = screener.monitor(workers=workers)
    seconds = time.perf_counter() - started
    detail = (
        f"{report.screened:,} screened, {report.changed_entries:,} changed entries, "
        f"{report.changed_parties:,} changed parties, alerts {len(report.outcome.new):,} new / "
        f"{len(report.outcome.reopened):,} re-opened"
    )
    return seconds, detail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--parties", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="es-bench-monitor-") as tmp:
        root = Path(tmp)
        files = {}
        for folder in SNAPSHOTS:
            (root / folder).mkdir()
            (root / folder / "sdn.csv").symlink_to((args.data / folder / "sdn.csv").resolve())
            files[folder] = root / folder / "sdn.csv"
        parties = root / "parties.csv"

        with Screener.open(root / "a") as a:
            assert a.import_path(files[SNAPSHOTS[0]]).ok
            write_parties(a, parties, args.parties, seed=7)
            started = time.perf_counter()
            a.import_parties(parties)
            print(
                f"parties import (with the party-name index): {args.parties:,} in "
                f"{time.perf_counter() - started:.1f}s"
            )
            a.matcher()
            full_a, detail = timed_monitor(a, args.workers)
            print(f"first run vs SDN 2023-12-28 (full): {full_a:.1f}s  ({detail})")
            assert a.import_path(files[SNAPSHOTS[1]]).ok
            started = time.perf_counter()
            a.matcher()
            print(f"list index of SDN 2024-05-03 built in {time.perf_counter() - started:.1f}s")
            delta, detail = timed_monitor(a, args.workers)
            print(f"delta run after the update: {delta:.1f}s  ({detail})")

        with Screener.open(root / "b") as b:
            assert b.import_path(files[SNAPSHOTS[1]]).ok
            b.import_parties(parties)
            b.matcher()
            full_b, detail = timed_monitor(b, args.workers)
            print(f"baseline: full re-screen vs SDN 2024-05-03: {full_b:.1f}s  ({detail})")

        print(
            f"\ndelta / full re-screen = {delta:.1f}s / {full_b:.1f}s = {delta / full_b:.3f} "
            f"({args.parties:,} parties, {args.workers} workers)"
        )


if __name__ == "__main__":
    main()
