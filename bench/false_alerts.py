"""False alerts on an invented customer base: how many names that are on no list alert.

Builds the index over every list of ../shared/data (as ``bench/speed.py`` does), screens
``--parties`` invented parties (``bench/parties.py``: names made of syllables, 60%
companies with a trade word and a legal form, 40% persons; none is a listed name) and
prints the share with a match at ``DEFAULT_THRESHOLD``, by schema, with examples. Every
such alert is an analyst's wasted review, so this is the precision side of screening on
names unlike the evaluation sets' pairs.

Usage::

    python bench/false_alerts.py [--data ../shared/data] [--parties 3000] [--seed 11]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_DATA
from parties import invented_party
from speed import load_entries

from entityscreen.matching import DEFAULT_THRESHOLD, MatchIndex
from entityscreen.model import Party, Schema


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--parties", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--examples", type=int, default=10)
    args = parser.parse_args()
    entries, described = load_entries(args.data)
    index = MatchIndex.build(entries)
    rng = random.Random(args.seed)
    total: Counter[str] = Counter()
    alerted: Counter[str] = Counter()
    examples: list[str] = []
    for _ in range(args.parties):
        name, schema = invented_party(rng)
        total[schema] += 1
        matches = [
            m
            for m in index.screen(Party(name=name, schema=Schema(schema)))
            if m.score >= DEFAULT_THRESHOLD
        ]
        if matches:
            alerted[schema] += 1
            if len(examples) < args.examples:
                best = matches[0]
                examples.append(f"  {best.score:.3f} {name!r} -> {best.matched_name!r}")
    print(f"lists: {described}")
    for schema in sorted(total):
        share = alerted[schema] / total[schema]
        print(f"{schema}: {alerted[schema]}/{total[schema]} invented names alert ({share:.1%})")
    all_alerted, all_total = sum(alerted.values()), sum(total.values())
    print(f"all: {all_alerted}/{all_total} ({all_alerted / all_total:.1%}) at {DEFAULT_THRESHOLD}")
    print("examples:")
    print("\n".join(examples))


if __name__ == "__main__":
    main()
