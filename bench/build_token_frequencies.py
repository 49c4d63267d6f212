"""Build ``entityscreen/names/data/token_frequencies.tsv`` from the real lists.

The file gives, for each token seen in at least two distinct listed names, the number of
distinct names it occurs in (its document frequency). The matcher turns it into rarity
weights (IDF) when no index is at hand (``compare_names``) and blends it with the index's
own counts when one is (``MatchIndex``).

Names are read with the csv/json modules straight from the shared data folder (no parser
of ``entityscreen.sources`` needed), de-duplicated after normalisation, and analysed with
``entityscreen.names.analyze_name``; a token counts once per name.

Sources (paths relative to ``--data``):
    us_csl_2022-05/consolidated.csv.gz      name, alt_names
    ofac_sdn_2023-12-28/sdn.csv, alt.csv    SDN_Name, alt_name
    ofac_consolidated_nonsdn/cons_prim.csv, cons_alt.csv
    uk_sanctions_list_2026-05_transformed/subject_names.csv   full_name
    eu_journal_sanctions_consolidated/*.csv name, alias, previousName
    nsfreg_us_restricted_lists_2026-07/bis_entity_list.json   name, aliases

Usage::

    python bench/build_token_frequencies.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from entityscreen.errors import InputError
from entityscreen.names import TokenKind, analyze_name

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "entityscreen" / "names" / "data" / "token_frequencies.tsv"

csv.field_size_limit(sys.maxsize)


def _csl(data: Path) -> Iterator[tuple[str, bool]]:
    with gzip.open(data / "us_csl_2022-05" / "consolidated.csv.gz", "rt", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            person = (row.get("type") or "").lower() == "individual"
            yield row["name"], person
            for alt in (row.get("alt_names") or "").split(";"):
                alt = alt.strip()
                if alt.lower().startswith("and "):
                    alt = alt[4:]
                if alt:
                    yield alt, person


def _ofac(data: Path) -> Iterator[tuple[str, bool]]:
    pairs = [
        ("ofac_sdn_2023-12-28", "sdn.csv", "alt.csv"),
        ("ofac_consolidated_nonsdn", "cons_prim.csv", "cons_alt.csv"),
    ]
    for folder, prim, alt in pairs:
        people: set[str] = set()
        with open(data / folder / prim, encoding="latin-1") as f:
            for row in csv.reader(f):
                if len(row) < 3:
                    continue
                person = row[2].strip().lower() == "individual"
                if person:
                    people.add(row[0])
                yield row[1], person
        with open(data / folder / alt, encoding="latin-1") as f:
            for row in csv.reader(f):
                if len(row) >= 4:
                    yield row[3], row[0] in people


def _uk(data: Path) -> Iterator[tuple[str, bool]]:
    path = data / "uk_sanctions_list_2026-05_transformed" / "subject_names.csv"
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            person = not row.get("name_6") or bool(row.get("name_1"))
            yield row["full_name"], person


def _eu(data: Path) -> Iterator[tuple[str, bool]]:
    for path in sorted((data / "eu_journal_sanctions_consolidated").glob("*.csv")):
        with open(path, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                person = (row.get("schema") or "").lower() == "person"
                for column in ("name", "alias", "previousName"):
                    for value in (row.get(column) or "").split(";"):
                        if value.strip():
                            yield value.strip(), person


def _bis(data: Path) -> Iterator[tuple[str, bool]]:
    path = data / "nsfreg_us_restricted_lists_2026-07" / "bis_entity_list.json"
    for entity in json.loads(path.read_text(encoding="utf-8"))["entities"]:
        yield entity["name"], False
        for alias in entity.get("aliases") or ():
            yield alias, False


def iter_listed_names(data: Path) -> Iterator[tuple[str, bool]]:
    """Every listed name of the shared lists, with a person flag (duplicates included).

    Args:
        data: The shared data folder.

    Yields:
        ``(name, is_person)`` pairs.
    """
    for reader in (_csl, _ofac, _uk, _eu, _bis):
        yield from reader(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    seen: set[str] = set()
    counts: Counter[str] = Counter()
    for name, person in iter_listed_names(args.data):
        try:
            analysis = analyze_name(name, person=person)
        except InputError:
            continue
        if analysis.normalized in seen:
            continue
        seen.add(analysis.normalized)
        tokens = {
            t.text
            for form in analysis.forms
            for t in form.tokens
            if t.kind in (TokenKind.WORD, TokenKind.LEGAL, TokenKind.INITIAL)
        }
        counts.update(tokens)
    lines = [f"# distinct listed names\t{len(seen)}"]
    lines += [
        f"{token}\t{n}"
        for token, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))
        if n >= 2
    ]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(seen)} distinct names, {len(lines) - 1} tokens written to {args.out}")


if __name__ == "__main__":
    main()
