"""Batch throughput on the product's path: ``entityscreen batch FILE --workers N`` end to end
on a fresh customer file, beside ``MatchIndex.screen_many`` on the same parties.

Steps:

1. A home per checkout of the code (``--code``, default this one) with every list of
   ../shared/data imported (``lists update --mirror``; made once, kept under ``--work``) and
   its index built and saved.
2. A customer file of N invented parties (CSV: id, name, schema, country): Faker persons
   and companies of many locales (``bench/base_rate.py``'s generator, in their scripts and
   Latin spellings, half with their country) and 2% listed names as a customer file
   changes them (``bench/generate_pairs.py``'s ``perturb``). Every run is a new process, so
   every cache is cold for every party: what a new customer file gets.
3. For each N, each code and each worker count, alternating the codes: the CLI in a fresh
   process (wall from start to exit, and the CLI's own rows/s, which leaves out import and
   index load), then ``screen_many`` in a fresh process over the same parties and the same
   saved index (the matching alone, no assessment, audit or output).

Usage::

    python bench/batch_speed.py [--parties 1000 10000] [--workers 1 2] [--rounds 2]
        [--code /tmp/base-batch --code .]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_DATA, ROOT

PYTHON = sys.executable
#: Share of the file that is listed names as a customer file changes them.
LISTED_SHARE = 0.02


def write_customers(path: Path, n: int, seed: int, data: Path) -> None:
    """``n`` invented parties and ``LISTED_SHARE`` of listed names, shuffled, as CSV."""
    from base_rate import negatives
    from generate_pairs import perturb
    from speed import load_entries

    from entityscreen.model import Schema

    rng = random.Random(seed)
    listed = int(n * LISTED_SHARE)
    persons = (n - listed) * 4 // 10
    rows: list[tuple[str, str, str]] = []
    for q in negatives(persons, n - listed - persons, seed):
        country = q.locale.split("_")[1] if "_" in q.locale and rng.random() < 0.5 else ""
        rows.append((q.name, q.schema.value, country))
    entries, _ = load_entries(data)
    for entry in rng.sample(entries, listed):
        name = rng.choice(entry.names).value
        rows.append((perturb(name, entry.schema is Schema.PERSON, rng), entry.schema.value, ""))
    rng.shuffle(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "schema", "country"])
        for i, (name, schema, country) in enumerate(rows):
            writer.writerow([f"C{i:07d}", name, schema, country])


def _env(code: Path) -> dict[str, str]:
    # Each child also runs in ``code`` (cwd=code): ``python -m`` and ``-c`` put the working
    # directory before PYTHONPATH, so run from a checkout they would import its code.
    return {**os.environ, "PYTHONPATH": str(code)}


def make_home(code: Path, work: Path, data: Path) -> Path:
    """A home with every list imported and the index saved, by ``code`` (made once)."""
    tag = hashlib.sha256(str(code.resolve()).encode()).hexdigest()[:8]
    home = work / f"home-{code.resolve().name}-{tag}"
    if not (home / "ready").exists():
        run = [PYTHON, "-m", "entityscreen", "lists", "update", "--home", str(home)]
        subprocess.run([*run, "--mirror", str(data)], env=_env(code), cwd=code, check=True,
                       capture_output=True)  # fmt: skip
        (home / "ready").write_text("")
    # The index is built (and saved) by the first screening; not timed.
    screen = [PYTHON, "-m", "entityscreen", "screen", "Test Name", "--home", str(home)]
    subprocess.run(screen, env=_env(code), cwd=code, check=True, capture_output=True)
    return home


_SCREEN_MANY = """
import json, sys, time
from entityscreen.batch.io import ColumnMap, read_rows
from entityscreen.service import Screener
from entityscreen.service._common import pool_size
from entityscreen.service.inputs import resolve_party
with Screener.open(sys.argv[1]) as screener:
    index = screener.matcher()
rows = read_rows(sys.argv[2], kind="csv", columns=ColumnMap(country="country"))
parties = [resolve_party(r.party) for r in rows if r.party is not None]
start = time.perf_counter()
results = index.screen_many(parties, workers=int(sys.argv[3]), limit=pool_size(10))
wall = time.perf_counter() - start
print(json.dumps({"wall": wall, "hits": sum(len(r) for r in results)}))
"""

_RATE = re.compile(r"([\d,]+) rows screened in ([\d.]+)s")


def _cpu() -> float:
    """CPU seconds of the ended child processes (with theirs) so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run_cli(code: Path, home: Path, path: Path, workers: int, out: Path) -> dict[str, float]:
    """``entityscreen batch`` in a fresh process: wall, the CLI's own screening time and
    the CPU time of the process and its workers."""
    cmd = [PYTHON, "-m", "entityscreen", "batch", str(path), "--out", str(out),
           "--home", str(home), "--workers", str(workers)]  # fmt: skip
    start, cpu = time.perf_counter(), _cpu()
    done = subprocess.run(cmd, env=_env(code), cwd=code, check=True, capture_output=True, text=True)
    wall, cpu = time.perf_counter() - start, _cpu() - cpu
    found = _RATE.search(done.stderr)
    assert found, done.stderr
    rows = int(found.group(1).replace(",", ""))
    return {"wall": wall, "rows": rows, "screening": float(found.group(2)), "cpu": cpu}


def run_many(code: Path, home: Path, path: Path, workers: int) -> dict[str, float]:
    cmd = [PYTHON, "-c", _SCREEN_MANY, str(home), str(path), str(workers)]
    cpu = _cpu()
    done = subprocess.run(cmd, env=_env(code), cwd=code, check=True, capture_output=True, text=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["cpu"] = _cpu() - cpu
    return figures


def add_common_arguments(parser: argparse.ArgumentParser, *, rounds: int) -> None:
    """The options this bench and ``bench/batch_parent.py`` share."""
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--work", type=Path, default=Path("/tmp/es-batch-speed"))
    parser.add_argument("--code", type=Path, action="append", help="checkouts to compare")
    parser.add_argument("--rounds", type=int, default=rounds)
    parser.add_argument("--seed", type=int, default=23)


def prepare_homes(args: argparse.Namespace) -> tuple[list[Path], dict[Path, Path]]:
    """The checkouts to compare (resolved) and a home with every list for each."""
    codes = [c.resolve() for c in args.code or [ROOT]]
    args.work, args.data = args.work.resolve(), args.data.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    return codes, {code: make_home(code, args.work, args.data) for code in codes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_arguments(parser, rounds=2)
    parser.add_argument("--parties", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    codes, homes = prepare_homes(args)
    files = {}
    for n in args.parties:
        files[n] = args.work / f"customers-{n}-{args.seed}.csv"
        if not files[n].exists():
            write_customers(files[n], n, args.seed, args.data)
    # figures[(n, workers, code, what)] = rates over the rounds
    figures: dict[tuple[int, int, Path, str], list[float]] = {}
    for _ in range(args.rounds):
        for n in args.parties:
            for workers in args.workers:
                for code in codes:
                    out = args.work / f"hits-{os.getpid()}.csv"
                    cli = run_cli(code, homes[code], files[n], workers, out)
                    many = run_many(code, homes[code], files[n], workers)
                    for what, rate in (
                        ("cli end to end", cli["rows"] / cli["wall"]),
                        ("cli screening", cli["rows"] / cli["screening"]),
                        ("screen_many", n / many["wall"]),
                    ):
                        figures.setdefault((n, workers, code, what), []).append(rate)
                    figures.setdefault((n, workers, code, "cli cpu ms/row"), []).append(
                        cli["cpu"] / n * 1000
                    )
                    print(
                        f"{n:>6} parties, {workers} worker(s), {code}: cli {cli['wall']:.2f} s "
                        f"wall ({cli['rows'] / cli['screening']:,.0f}/s screening), cpu "
                        f"{cli['cpu'] / n * 1000:.2f} ms/row; screen_many "
                        f"{n / many['wall']:,.0f}/s, process cpu {many['cpu'] / n * 1000:.2f} "
                        f"ms/party (with loading); load {os.getloadavg()[0]:.1f}",
                        flush=True,
                    )
    print("\nmedians, parties/s or CPU ms a row (ratio to the first --code):")
    for n in args.parties:
        for workers in args.workers:
            for what in ("cli end to end", "cli screening", "screen_many", "cli cpu ms/row"):
                cells = []
                base = statistics.median(figures[(n, workers, codes[0], what)])
                for code in codes:
                    rate = statistics.median(figures[(n, workers, code, what)])
                    shown = f"{rate:.2f}" if what.endswith("ms/row") else f"{rate:,.0f}"
                    cells.append(f"{code.name}: {shown} (x{rate / base:.2f})")
                print(f"{n:>6} parties, {workers} worker(s), {what}: " + ", ".join(cells))


if __name__ == "__main__":
    main()
