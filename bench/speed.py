"""Speed of the match index: build, load, single-query latency, batch throughput, scale.

Steps (figures printed with their targets):

1. Load the real lists with ``entityscreen.sources.parse_file`` (CSL 2022, OFAC SDN
   2024-05, OFAC non-SDN, BIS DPL, UN, an OpenSanctions sample): about 31,000 entries.
   If the parsers fail, names are read straight from the CSL CSV instead.
2. Build the index: time and resident memory (RSS). Save it and load it back; in a
   fresh interpreter, time the import, ``MatchIndex.load`` and the first query (what
   ``entityscreen screen NAME`` pays before the CLI's own work).
3. Queries: listed names perturbed (typos, "LAST, First" order, legal forms dropped or
   spelled out, abbreviations, case and punctuation; see ``bench/generate_pairs.py``) and as
   many names that are not listed (random combinations of listed name parts). Each is
   screened alone: latency p50 and p99.
4. Batch: the same parties with ``screen_many(workers=2)`` (forked workers sharing the
   built index copy-on-write): parties per second; then, the honest figure, a fresh set
   of parties (caches cold for them) with 1 and 2 workers.
5. Scale (not with ``--quick``): 1,000,000 synthetic names made of real name parts;
   build time, RSS, latency p50/p99, and growth from the real-list index.

Usage::

    python bench/speed.py [--data ../shared/data] [--queries 5000] [--quick]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_DATA, percentile
from generate_pairs import perturb

from entityscreen.matching import MatchIndex
from entityscreen.model import Entry, Name, NameKind, Party, Schema

LIST_FILES = [
    "us_csl_2022-05/consolidated.csv.gz",
    "ofac_sdn_2024-05-03/sdn.csv",
    "ofac_consolidated_nonsdn/cons_prim.csv",
    "bis_dpl_2023-11/dpl.txt",
    "un_sc_consolidated_2026-02-27/UN_consolidated.xml",
    "opensanctions_ftm_samples/zala/entities.ftm.json",
]
#: The lists read since matching 0.4 (issue #10's readers): the 2026 US lists, the UK
#: and EU lists. ``--lists all`` adds them; the speed figures keep the set above so they
#: compare with earlier releases'.
MORE_LIST_FILES = [
    *(
        f"nsfreg_us_restricted_lists_2026-07/{name}.json"
        for name in (
            "bis_entity_list", "bis_meu", "bis_dpl", "ofac_nscmic", "ofac_eo14032_annex",
            "dow_1260h", "dow_1286", "dhs_uflpa", "fcc_covered", "state_debarred_statutory",
            "state_debarred_admin", "state_nonproliferation", "cbp_wro",
        )
    ),
    "uk_sanctions_list_2026-05_transformed",
    "eu_journal_sanctions_consolidated",
]


def rss_mb() -> float:
    """Current resident set size in MB (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def load_entries(data: Path, *, every_list: bool = False) -> tuple[list[Entry], str]:
    """The real lists' entries, and how they were read (``every_list``: MORE_LIST_FILES too)."""
    try:
        from entityscreen.sources import parse_file

        entries: list[Entry] = []
        for rel in LIST_FILES + (MORE_LIST_FILES if every_list else []):
            parsed = parse_file(data / rel)
            entries.extend(getattr(parsed, "entries", parsed))
        how = "every list of the mirror" if every_list else "the lists of matching 0.3's figures"
        return entries, f"entityscreen.sources.parse_file, {how}"
    except Exception as error:
        print(f"(parsers failed: {type(error).__name__}: {error}; reading the CSL CSV)")
    entries = []
    with gzip.open(data / LIST_FILES[0], "rt", encoding="utf-8") as f:
        for i, row in enumerate(csv.DictReader(f)):
            names = [Name(row["name"])]
            names += [
                Name(a.strip(), NameKind.AKA) for a in row["alt_names"].split(";") if a.strip()
            ]
            schema = Schema.parse(row.get("type") or "")
            entries.append(
                Entry(
                    id=f"csl:{i}",
                    source="csl",
                    list=row["source"][:20],
                    schema=schema,
                    names=tuple(names),
                )
            )
    return entries, "csv module (CSL only)"


def make_queries(entries: list[Entry], n: int, seed: int) -> list[Party]:
    """Half perturbed listed names, half names that are not listed."""
    rng = random.Random(seed)
    parties: list[Party] = []
    parts = [w for e in entries[:20000] for w in re.findall(r"[A-Za-z]{3,}", e.primary_name)]
    for _ in range(n // 2):
        entry = rng.choice(entries)
        name = rng.choice(entry.names).value
        person = entry.schema is Schema.PERSON
        parties.append(Party(name=perturb(name, person, rng), schema=entry.schema))
    for _ in range(n - n // 2):
        words = rng.sample(parts, k=rng.choice([2, 2, 3, 4]))
        parties.append(
            Party(
                name=" ".join(words).title(),
                schema=rng.choice([Schema.PERSON, Schema.ORGANIZATION, Schema.UNKNOWN]),
            )
        )
    rng.shuffle(parties)
    return parties


def latency(index: MatchIndex, parties: list[Party]) -> tuple[float, float, float, int]:
    times: list[float] = []
    hits = 0
    for party in parties:
        start = time.perf_counter()
        try:
            matches = index.screen(party)
        except Exception:
            matches = []
        times.append(time.perf_counter() - start)
        hits += bool(matches)
    return percentile(times, 50) * 1000, percentile(times, 99) * 1000, max(times) * 1000, hits


_START_UP = """
import json, sys, time
start = time.perf_counter()
from entityscreen.matching import MatchIndex
from entityscreen.model import Party, Schema
imported = time.perf_counter()
index = MatchIndex.load(sys.argv[1])
loaded = time.perf_counter()
index.screen(Party(name="Hangzhou Hikvision Digital Technology Co Ltd"))
first = time.perf_counter()
index.screen(Party(name="PUTIN, Vladimir", schema=Schema.PERSON))
second = time.perf_counter()
print(json.dumps({"import": imported - start, "load": loaded - imported,
                  "first": first - loaded, "second": second - first,
                  "total": first - start}))
"""


def start_up(path: Path) -> dict[str, float]:
    """Import, load a saved index and answer a first query in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", _START_UP, str(path)], capture_output=True, text=True, check=True
    )
    figures: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def synthetic_entries(entries: list[Entry], n: int, seed: int) -> list[Entry]:
    """``n`` synthetic single-name entries built from real name parts."""
    rng = random.Random(seed)
    given: list[str] = []
    family: list[str] = []
    org_words: list[str] = []
    for e in entries:
        words = re.findall(r"[A-Za-z][A-Za-z'-]{1,}", e.primary_name)
        if e.schema is Schema.PERSON and len(words) >= 2:
            family.append(words[0])
            given.extend(words[1:])
        elif words:
            org_words.extend(words)
    forms = ["LLC", "Ltd", "Co., Ltd.", "JSC", "GmbH", "S.A.", "Inc.", "OOO", ""]
    out: list[Entry] = []
    for i in range(n):
        if rng.random() < 0.5:
            name = f"{rng.choice(family)}, {rng.choice(given)} {rng.choice(given)}"
            schema = Schema.PERSON
        else:
            words = rng.sample(org_words, k=rng.choice([1, 2, 2, 3]))
            name = " ".join([*words, rng.choice(forms)]).strip()
            schema = Schema.ORGANIZATION
        out.append(
            Entry(id=f"syn:{i}", source="synthetic", list="SYN", schema=schema, names=(Name(name),))
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--queries", type=int, default=5000)
    parser.add_argument("--quick", action="store_true", help="1,000 queries, no 1M run")
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    n_queries = 1000 if args.quick else args.queries

    entries, how = load_entries(args.data)
    names = sum(len(e.names) for e in entries)
    print(f"lists: {len(entries):,} entries, {names:,} names (read with {how})")

    start = time.perf_counter()
    parallel = MatchIndex.build(entries, workers=2)
    build2 = time.perf_counter() - start
    del parallel
    before = rss_mb()
    start = time.perf_counter()
    index = MatchIndex.build(entries)
    build = time.perf_counter() - start
    after = rss_mb()
    print(
        f"build: {build2:.2f} s with 2 worker processes [target <= 10 s]; {build:.2f} s in "
        f"one process (analyses kept); {index.name_count:,} names indexed"
    )
    print(
        f"RSS after build: {after:.0f} MB (index and analyses: +{after - before:.0f} MB)"
        f"   [target <= 1024 MB]"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.pickle"
        start = time.perf_counter()
        index.save(path)
        saved = time.perf_counter() - start
        start = time.perf_counter()
        loaded = MatchIndex.load(path)
        load = time.perf_counter() - start
        size = path.stat().st_size / 1e6
        first = start_up(path)
    print(f"save: {saved:.2f} s, {size:.0f} MB file; load: {load:.3f} s   [target < 0.5 s]")
    print(
        f"start-up in a fresh process: import {first['import']:.2f} s, load "
        f"{first['load']:.2f} s, first query {first['first']:.3f} s (second "
        f"{first['second'] * 1000:.1f} ms); load + first query "
        f"{first['load'] + first['first']:.2f} s, all {first['total']:.2f} s   [target <= 1 s]"
    )

    parties = make_queries(entries, n_queries, args.seed)
    warm = parties[: min(200, len(parties))]
    latency(index, warm)
    p50, p99, worst, hits = latency(index, parties)
    print(
        f"single query over {len(parties):,} queries: p50 {p50:.2f} ms [target <= 1 ms], "
        f"p99 {p99:.2f} ms [target <= 5 ms], max {worst:.1f} ms; "
        f"{hits:,} queries with a match"
    )
    cold50, cold99, _, _ = latency(loaded, parties[:500])
    print(
        f"  after load (analyses computed on first use), first 500 queries: "
        f"p50 {cold50:.2f} ms, p99 {cold99:.2f} ms"
    )

    for workers in (1, 2):
        start = time.perf_counter()
        results = index.screen_many(parties, workers=workers)
        elapsed = time.perf_counter() - start
        assert len(results) == len(parties)
        rate = len(parties) / elapsed
        target = "   [target >= 2,000/s with 2 workers]" if workers == 2 else ""
        print(f"batch, {workers} worker(s): {rate:,.0f} parties/s{target}")
    # The figures above screen parties screened one by one just before: every cache
    # (query analyses, token hits, parts, token comparisons) holds them. Parties not seen
    # before, a fresh set for each run, give the figure a new batch gets.
    for workers in (1, 2):
        fresh = make_queries(entries, n_queries, args.seed + workers)
        start = time.perf_counter()
        results = index.screen_many(fresh, workers=workers)
        rate = len(fresh) / (time.perf_counter() - start)
        print(f"batch of parties not screened before, {workers} worker(s): {rate:,.0f} parties/s")
    print(f"(machine: {os.cpu_count()} cores)")

    if args.quick:
        return
    synthetic = synthetic_entries(entries, args.scale, args.seed)
    del loaded
    before = rss_mb()
    start = time.perf_counter()
    big = MatchIndex.build(synthetic, keep_analyses=False, workers=2)
    big_build = time.perf_counter() - start
    big_rss = rss_mb()
    print(
        f"\nscale: {len(synthetic):,} synthetic names: build {big_build:.1f} s, "
        f"RSS {big_rss:.0f} MB (+{big_rss - before:.0f} MB)"
    )
    queries = make_queries(synthetic, 1000, args.seed + 1)
    latency(big, queries[:200])
    b50, b99, bworst, _ = latency(big, queries)
    print(
        f"scale: p50 {b50:.2f} ms, p99 {b99:.2f} ms [target <= 20 ms], max {bworst:.1f} ms "
        f"over {len(queries):,} queries (analyses cached as used)"
    )
    print(
        f"growth from {index.name_count:,} to {big.name_count:,} names "
        f"(x{big.name_count / index.name_count:.0f}): build x{big_build / build:.1f}, "
        f"p50 x{b50 / p50:.1f}, p99 x{b99 / p99:.1f}"
    )


if __name__ == "__main__":
    main()
