"""Same results, faster: screen fixed queries, dump every match, time the query loop.

Builds the index of ``bench/speed.py``'s lists (in one process, analyses kept), makes its
queries (same seed) and screens them one by one (``screen``), after 200 of them as a
warm-up. ``--dump FILE`` writes every field of every match and every candidate name scored
(``MatchIndex.scored``: entry, name, unrounded scores) as JSON lines; ``--compare FILE``
checks this code's results against such a dump (another checkout's) and fails on any
difference (floats to 1e-9). Timings: wall and CPU time (``time.process_time``) of the
loop and the collector's share. ``--profile``: cProfile of the loop; ``--sample``: CPU-time
samples (SIGPROF) by function and line; ``--slowest N``: the N slowest queries;
``--batch``: ``screen_many`` with 1 and 2 workers (CPU of every process, page faults of
the forked ones), checked equal to the single queries.

Usage::

    python bench/speed_check.py [--queries 1000] [--dump A.jsonl | --compare A.jsonl]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import math
import pstats
import resource
import signal
import sys
import time
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_DATA
from speed import load_entries, make_queries

from entityscreen.errors import InputError
from entityscreen.matching import MatchIndex
from entityscreen.matching.features import DEFAULT_THRESHOLD
from entityscreen.matching.pool import wait_workers
from entityscreen.model import Party


def run(index: MatchIndex, parties: list[Party]) -> list[list[dict[str, Any]]]:
    out: list[list[dict[str, Any]]] = []
    for party in parties:
        try:
            matches = index.screen(party)
        except InputError:
            matches = []
        out.append([m.to_dict() if hasattr(m, "to_dict") else _fields(m) for m in matches])
    return out


def candidates(index: MatchIndex, parties: list[Party]) -> list[list[list[Any]]]:
    """Every candidate name scored for each party (``MatchIndex.scored``), unrounded."""
    out: list[list[list[Any]]] = []
    for party in parties:
        try:
            rows = [
                [e, n, r.score, r.name_score, r.outcome.raw, r.query.name]
                for e, n, r in index.scored(party, threshold=DEFAULT_THRESHOLD)
            ]
        except InputError:
            rows = []
        out.append(rows)
    return out


def print_samples(samples: Counter[tuple[str, ...]]) -> None:
    """Inclusive and self shares by function, and self shares by line."""
    total = sum(samples.values()) or 1
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    lines: Counter[str] = Counter()
    for stack, n in samples.items():
        lines[stack[0]] += n
        own[stack[0].rsplit(":", 1)[0]] += n
        for name in {f.rsplit(":", 1)[0] for f in stack}:
            inclusive[name] += n
    for title, table, k in (("inclusive", inclusive, 40), ("self", own, 30), ("line", lines, 30)):
        print(f"-- {title} ({total} samples)")
        for name, n in table.most_common(k):
            print(f"{n / total * 100:5.1f}%  {name}")


def _fields(match: object) -> dict[str, Any]:
    slots = getattr(match, "__dataclass_fields__", None) or getattr(match, "__slots__", ())
    return {name: getattr(match, name) for name in slots}


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return (
            isinstance(a, int | float)
            and isinstance(b, int | float)
            and math.isclose(a, b, rel_tol=0, abs_tol=1e-9)
        )
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--compare", type=Path)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--slowest", type=int, default=0, help="show the N slowest queries")
    parser.add_argument("--sample", action="store_true", help="CPU-time samples of the loop")
    parser.add_argument("--batch", action="store_true", help="also time screen_many (2 workers)")
    args = parser.parse_args()

    entries, _ = load_entries(args.data)
    index = MatchIndex.build(entries)
    parties = make_queries(entries, args.queries, args.seed)
    run(index, parties[:200])  # warm-up, as bench/speed.py
    collector: dict[int, list[float]] = {0: [0, 0.0], 1: [0, 0.0], 2: [0, 0.0]}
    started = [0.0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.process_time()
        else:
            collector[info["generation"]][0] += 1
            collector[info["generation"]][1] += time.process_time() - started[0]

    gc.callbacks.append(on_gc)
    wall, cpu = time.perf_counter(), time.process_time()
    samples: Counter[tuple[str, ...]] = Counter()
    if args.sample:
        # CPU-time sampling (SIGPROF): unlike cProfile it adds no cost per call, and unlike
        # wall-clock samplers it does not count the time other processes hold the core.
        def on_prof(signum: int, frame: FrameType | None) -> None:
            stack = []
            while frame is not None:
                code = frame.f_code
                stack.append(f"{Path(code.co_filename).stem}.{code.co_name}:{frame.f_lineno}")
                frame = frame.f_back
            samples[tuple(stack)] += 1

        signal.signal(signal.SIGPROF, on_prof)
        signal.setitimer(signal.ITIMER_PROF, 0.0005, 0.0005)
    if args.profile:
        profiler = cProfile.Profile()
        results = profiler.runcall(run, index, parties)
    else:
        results = run(index, parties)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    gc.callbacks.remove(on_gc)
    if args.sample:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        print_samples(samples)
    print(
        "collector (generation: collections, cpu s): "
        + ", ".join(f"{g}: {n}, {t:.3f}" for g, (n, t) in collector.items())
    )
    print(
        f"{len(parties)} queries: wall {wall:.3f} s, cpu {cpu:.3f} s "
        f"({cpu / len(parties) * 1000:.3f} ms cpu a query)"
    )
    if args.profile:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    if args.slowest:
        timed = []
        for party in parties:
            start = time.process_time()
            try:
                count = sum(1 for _ in index.scored(party, threshold=DEFAULT_THRESHOLD))
            except InputError:
                count = 0
            timed.append((time.process_time() - start, count, party))
        timed.sort(key=lambda t: -t[0])
        for cpu_time, count, party in timed[: args.slowest]:
            print(f"{cpu_time * 1000:7.2f} ms cpu, {count:3d} names scored: {party}")
    if args.batch:
        for workers in (1, 2):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start, cpu = time.perf_counter(), time.process_time()
            batch = index.screen_many(parties, workers=workers)
            rate = len(parties) / (time.perf_counter() - start)
            cpu = time.process_time() - cpu
            wait_workers()  # a worker is reaped after its results are read (pool.py)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            forked = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            print(
                f"batch, {workers} worker(s): {rate:,.0f} parties/s; cpu {cpu:.2f} s here, "
                f"{forked:.2f} s in forked processes, {(cpu + forked) / len(parties) * 1000:.2f}"
                f" ms a party (system time in forked: {after.ru_stime - before.ru_stime:.2f} s,"
                f" page faults {after.ru_minflt - before.ru_minflt:,})"
            )
            rows = [[_fields(m) for m in ms] for ms in batch]
            assert same(json.loads(json.dumps(rows)), json.loads(json.dumps(results))), "batch"
    scored = candidates(index, parties)
    rows = json.loads(json.dumps([[r, c] for r, c in zip(results, scored, strict=True)]))
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row) + "\n")
    if args.compare:
        with args.compare.open(encoding="utf-8") as f:
            reference = [json.loads(line) for line in f]
        assert len(reference) == len(rows)
        bad = [i for i, (a, b) in enumerate(zip(reference, rows, strict=True)) if not same(a, b)]
        matches = sum(len(r[0]) for r in rows)
        scored_names = sum(len(r[1]) for r in rows)
        print(
            f"compared {len(rows)} queries, {matches} matches, {scored_names} names scored:"
            f" {len(bad)} queries differ"
        )
        for i in bad[:5]:
            print(parties[i].name, reference[i], rows[i], sep="\n  ")
        if bad:
            sys.exit(1)


if __name__ == "__main__":
    main()
