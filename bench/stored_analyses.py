"""A saved index's stored analyses: load time, decode against analyse per name, equality.

Loads a saved index file (``home/index/lists-*.idx``) five times (CPU time, the collector
collected before each), then, over every name, times decoding its stored analysis
(format 7, ``matching/stored.py``) and analysing it again (``analyze_name`` without its
cache), in CPU time, and counts the names whose two analyses differ. With an index of
format 6 or older (a checkout before format 7, through ``PYTHONPATH``) only the load and
the analysis are timed.

Usage::

    PYTHONPATH=CHECKOUT python bench/stored_analyses.py HOME/index/lists-*.idx
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from pathlib import Path

from entityscreen.matching import MatchIndex
from entityscreen.matching.scorer import person_hint
from entityscreen.names import analyze_name


def main() -> None:
    path = Path(sys.argv[1])
    loads = []
    for _ in range(5):
        gc.collect()
        start = time.process_time()
        index = MatchIndex.load(path)
        loads.append(time.process_time() - start)
    print(f"{path}: {path.stat().st_size:,} bytes, {index.name_count:,} names")
    print(f"load CPU: min {min(loads):.3f} s, median {statistics.median(loads):.3f} s")
    texts = list(index.name_texts)
    hints = [person_hint(index.entry_schemas[e]) for e in index.name_entry.tolist()]
    analyse = getattr(analyze_name, "__wrapped__", analyze_name)  # without the lru_cache
    analyse(texts[0], person=hints[0])  # the word lists loaded before the timing
    gc.disable()
    stored = getattr(index, "stored", None)
    decoded = []
    if stored is not None:
        data, _ = stored.buffers()
        start = time.process_time()
        pairs = enumerate(zip(texts, hints, strict=True))
        decoded = [stored.analysis(i, t, h) for i, (t, h) in pairs]
        took = time.process_time() - start
        print(f"stored: {len(data):,} bytes ({len(data) / len(texts):.1f} a name)")
        print(f"decode: {took / len(texts) * 1e6:.2f} us a name")
    start = time.process_time()
    made = [analyse(t, person=h) for t, h in zip(texts, hints, strict=True)]
    took = time.process_time() - start
    print(f"analyse: {took / len(texts) * 1e6:.2f} us a name")
    if decoded:
        differ = sum(a != b for a, b in zip(decoded, made, strict=True))
        print(f"names whose decoded analysis differs: {differ}")


if __name__ == "__main__":
    main()
