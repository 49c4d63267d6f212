"""The batch's parent process, per row, outside matching: what ``entityscreen batch``'s
own process does for every row after the pool has matched it (``_assess``: what each hit
means, listings and flags; ``_audit_screenings``: the hash-chained audit log;
``batch_rows``: the output rows).

For each checkout (``--code``, alternating, in a fresh process each round): a home with
every list (``bench/batch_speed.py``'s, made once), N parties of its customer file
matched first (not timed), then the real :meth:`screen_batch` loop over those matches
(``screen_chunks`` replays them), each phase timed in process CPU, with what existed
before the loop frozen out of the collector as the CLI's parent does once its pool
starts. Prints CPU ms a row: assess, audit, output rows and the whole loop.

Usage::

    python bench/batch_parent.py [--parties 3000] [--rounds 3]
        [--code /tmp/base --code .]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch_speed import add_common_arguments, prepare_homes, write_customers

_LOOP = r"""
import gc, json, sys, time
import entityscreen.service.batch as sb
from entityscreen.batch.io import ColumnMap, read_rows
from entityscreen.matching import DEFAULT_THRESHOLD
from entityscreen.service import Screener
from entityscreen.service._common import pool_size

screener = Screener.open(sys.argv[1])
view = screener.view()
index = view.matcher()
rows = list(read_rows(sys.argv[2], kind="csv", columns=ColumnMap(country="country")))
chunks = list(sb._chunked((sb._resolved(r) for r in rows), 200))
matched = [
    index.screen_many([r.party for r in c if r.party is not None],
                      threshold=DEFAULT_THRESHOLD, limit=pool_size(10), lists=None)
    for c in chunks
]
replay = iter(matched)

def screen_chunks(index, chunks, **options):
    for _ in chunks:
        yield next(replay)

sb.screen_chunks = screen_chunks
cpu = {"assess": 0.0, "audit": 0.0, "rows": 0.0}

def timed(name, fn):
    def run(*args, **kwargs):
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            cpu[name] += time.process_time() - start
    return run

screener._assess = timed("assess", screener._assess)
screener._audit_screenings = timed("audit", screener._audit_screenings)
sb.batch_rows = timed("rows", sb.batch_rows)
out = []
gc.collect()
gc.freeze()
start = time.process_time()
screener.screen_batch(rows, out.append, view=view)
cpu["loop"] = time.process_time() - start
print(json.dumps({k: v / len(rows) * 1000 for k, v in cpu.items()}))
"""

PHASES = ("assess", "audit", "rows", "loop")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_arguments(parser, rounds=3)
    parser.add_argument("--parties", type=int, default=3000)
    args = parser.parse_args()
    codes, homes = prepare_homes(args)
    path = args.work / f"customers-{args.parties}-{args.seed}.csv"
    if not path.exists():
        write_customers(path, args.parties, args.seed, args.data)
    figures: dict[tuple[Path, str], list[float]] = {}
    for _ in range(args.rounds):
        for code in codes:
            # cwd=code: ``python -c`` puts the working directory before PYTHONPATH.
            env = {**os.environ, "PYTHONPATH": str(code)}
            done = subprocess.run(
                [sys.executable, "-c", _LOOP, str(homes[code]), str(path)],
                env=env, cwd=code, check=True, capture_output=True, text=True,
            )  # fmt: skip
            got = json.loads(done.stdout.strip().splitlines()[-1])
            for phase in PHASES:
                figures.setdefault((code, phase), []).append(got[phase])
            shown = ", ".join(f"{p} {got[p]:.3f}" for p in PHASES)
            print(f"{code}: CPU ms a row: {shown}", flush=True)
    print(f"\nmedians over {args.rounds} rounds, {args.parties} parties, CPU ms a row "
          "(ratio to the first --code):")  # fmt: skip
    for phase in PHASES:
        base = statistics.median(figures[(codes[0], phase)])
        cells = []
        for code in codes:
            value = statistics.median(figures[(code, phase)])
            cells.append(f"{code.name}: {value:.3f} (x{value / max(base, 1e-9):.2f})")
        print(f"{phase:>7}: " + ", ".join(cells))


if __name__ == "__main__":
    main()
