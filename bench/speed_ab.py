"""A/B speed of two versions of the matcher in one process, query by query.

On a shared machine, two runs of the same code differ by a quarter: other processes take
the cores and the caches. This script loads another checkout's package beside this one
(copied under the name ``entityscreen_base``), builds both indexes of ``bench/speed.py``'s
lists, and screens each query with both, one right after the other (the order alternating),
timing each call in CPU time (``time.process_time``) and wall time. Both see the same load
at the same moment, so their ratio holds when the absolute figures do not. Every match of
both is compared (scores to 1e-9): a speed-up must not change a result.

Usage::

    python bench/speed_ab.py --base /tmp/base-checkout [--queries 1000] [--batch]
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_DATA, percentile
from speed import LIST_FILES, make_queries
from speed_check import same

import entityscreen


def _package(base: Path, into: Path) -> ModuleType:
    """The checkout's ``entityscreen`` package, imported as ``entityscreen_base``."""
    # Its .py files only: an extension compiled by mypyc (setup.py) holds its module's
    # name, so the copy runs as pure Python; ``run`` says which side is compiled.
    shutil.copytree(
        base / "entityscreen", into / "entityscreen_base", ignore=shutil.ignore_patterns("*.so")
    )
    sys.path.insert(0, str(into))
    return importlib.import_module("entityscreen_base")


def _index(package: str, data: Path) -> tuple[Any, Any, Any]:
    sources = importlib.import_module(f"{package}.sources")
    matching = importlib.import_module(f"{package}.matching")
    model = importlib.import_module(f"{package}.model")
    entries = []
    for rel in LIST_FILES:
        parsed = sources.parse_file(data / rel)
        entries.extend(getattr(parsed, "entries", parsed))
    return matching.MatchIndex.build(entries), model, entries


def _fields(match: Any) -> dict[str, Any]:
    return {name: getattr(match, name) for name in match.__dataclass_fields__}


def _screen(index: Any, party: Any) -> tuple[list[dict[str, Any]], float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        matches = index.screen(party)
    except Exception as error:  # InputError of either package
        if type(error).__name__ != "InputError":
            raise
        matches = []
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return [_fields(m) for m in matches], cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, required=True, help="checkout to compare with")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--batch", action="store_true", help="also screen_many, 1 and 2 workers")
    args = parser.parse_args()

    # Kept to the end: the copied package reads its data files on first use.
    with tempfile.TemporaryDirectory() as tmp:
        _package(args.base, Path(tmp))
        run(args)


def run(args: argparse.Namespace) -> None:
    """Build both indexes, screen, print (``entityscreen_base`` importable)."""
    new, _, entries = _index("entityscreen", args.data)
    old, old_model, _ = _index("entityscreen_base", args.data)
    parties = make_queries(entries, args.queries, args.seed)
    versions = {
        "base": (old, [
            old_model.Party(name=p.name, schema=old_model.Schema(p.schema.value)) for p in parties
        ]),
        "this": (new, parties),
    }
    for index, queries in versions.values():  # warm-up, as bench/speed.py
        for party in queries[:200]:
            _screen(index, party)
    times: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in versions}
    differ = 0
    for i in range(len(parties)):
        order = ["base", "this"] if i % 2 == 0 else ["this", "base"]
        results = {}
        for name in order:
            index, queries = versions[name]
            results[name], cpu, wall = _screen(index, queries[i])
            times[name][0].append(cpu)
            times[name][1].append(wall)
        differ += not same(results["base"], results["this"])
    print(f"{entityscreen.__name__} ({Path(entityscreen.__file__).parent.parent}) against "
          f"{args.base}: {len(parties):,} queries, {differ} with other results")
    compiled = type(importlib.import_module("entityscreen.matching.align").__loader__)
    print(f"  this: {'compiled (mypyc)' if 'Extension' in compiled.__name__ else 'pure Python'}"
          ", base: pure Python")
    for measure, k in (("cpu", 0), ("wall", 1)):
        base, this = times["base"][k], times["this"][k]
        row = []
        for label, f in (("p50", 50), ("p99", 99)):
            b, t = percentile(base, f) * 1000, percentile(this, f) * 1000
            row.append(f"{label} {b:.2f} -> {t:.2f} ms (x{t / b:.2f})")
        total = sum(this) / sum(base)
        print(f"  {measure}: " + ", ".join(row) + f", total x{total:.2f}")
    if args.batch:
        for workers in (1, 2):
            rates = {}
            for name in ("base", "this", "base", "this"):
                index, queries = versions[name]
                start = time.perf_counter()
                index.screen_many(queries, workers=workers)
                rates.setdefault(name, []).append(len(queries) / (time.perf_counter() - start))
            shown = ", ".join(f"{k} " + "/".join(f"{r:,.0f}" for r in v) for k, v in rates.items())
            print(f"  batch, {workers} worker(s), parties/s: {shown}")
        # Parties not screened before (caches cold for them): each round a new set, the
        # same for both versions, which run one after the other, the order alternating.
        for workers in (1, 2):
            rates = {}
            for rnd in range(4):
                fresh = make_queries(entries, args.queries, args.seed + 100 * workers + rnd)
                for name in ("base", "this") if rnd % 2 == 0 else ("this", "base"):
                    index, _ = versions[name]
                    mod = old_model if name == "base" else None
                    queries = fresh if mod is None else [
                        mod.Party(name=p.name, schema=mod.Schema(p.schema.value)) for p in fresh
                    ]
                    start = time.perf_counter()
                    index.screen_many(queries, workers=workers)
                    rates.setdefault(name, []).append(len(queries) / (time.perf_counter() - start))
            shown = ", ".join(f"{k} " + "/".join(f"{r:,.0f}" for r in v) for k, v in rates.items())
            ratio = sorted(t / b for b, t in zip(rates["base"], rates["this"], strict=True))
            print(f"  batch of new parties, {workers} worker(s), parties/s: {shown}; "
                  f"median ratio x{(ratio[1] + ratio[2]) / 2:.2f}")


if __name__ == "__main__":
    main()
