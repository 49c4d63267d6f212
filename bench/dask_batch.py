"""Batch screening on Dask: throughput for 1 and 2 workers on a large synthetic file.

Steps:

1. A store with every list of ../shared/data (``lists update --mirror``), its index built.
2. N synthetic parties (default 1,000,000; ``bench/parties.py``) written as Parquet.
3. ``batch --executor dask`` with a LocalCluster of 1, then 2 worker processes (one
   thread each); each worker loads the persisted index once. Prints rows/s per run and
   the 2-vs-1 ratio.

Usage::

    python bench/dask_batch.py [--data ../shared/data] [--parties 1000000]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_DATA
from parties import write_parties

from entityscreen.batch.io import ColumnMap
from entityscreen.service import Screener


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--parties", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    import pandas as pd

    with tempfile.TemporaryDirectory(prefix="es-bench-dask-") as tmp:
        root = Path(tmp)
        with Screener.open(root / "home") as screener:
            started = time.perf_counter()
            results = screener.update_lists(mirror=args.data)
            entries = sum(r.snapshot.entry_count for r in results if r.snapshot and r.ok)
            screener.matcher()
            print(
                f"lists loaded and indexed: {entries:,} entries in "
                f"{time.perf_counter() - started:.1f}s"
            )
            csv_path = root / "parties.csv"
            write_parties(screener, csv_path, args.parties, seed=11)
            source = root / "parties.parquet"
            pd.read_csv(csv_path, dtype=str, keep_default_na=False).to_parquet(source)
            print(f"{args.parties:,} parties written to Parquet")
            rates = {}
            for workers in args.workers:
                out = root / f"hits-{workers}.parquet"
                report = screener.batch_dask(
                    str(source), str(out), columns=ColumnMap(), workers=workers
                )
                rates[workers] = report.rate
                print(
                    f"dask, {report.workers} worker(s): {report.rows:,} rows in "
                    f"{report.seconds:.1f}s = {report.rate:,.0f} parties/s "
                    f"({report.output_rows:,} output rows)"
                )
                shutil.rmtree(out, ignore_errors=True)
        if 1 in rates and 2 in rates:
            print(f"\n2 workers / 1 worker = {rates[2] / rates[1]:.2f}x")


if __name__ == "__main__":
    main()
