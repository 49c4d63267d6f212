"""Synthetic customer bases for the monitoring and Dask benchmarks.

Invented company and person names made of syllables (not of listed names, so most do not
match, as in a real registry), plus 1% real listed names so that alerts exist.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from entityscreen.service import Screener

SYLLABLES = [
    "ka",
    "lo",
    "ver",
    "tan",
    "mi",
    "sen",
    "dor",
    "el",
    "an",
    "ri",
    "vo",
    "ne",
    "sa",
    "bel",
    "mar",
    "tis",
    "kor",
    "lin",
    "ost",
    "fen",
    "ga",
    "ru",
    "hal",
    "wen",
    "dri",
    "zu",
    "pe",
    "cor",
    "nal",
    "vis",
    "tor",
    "ma",
    "li",
    "ber",
    "os",
    "un",
    "ke",
    "ra",
    "ti",
]
TRADES = [
    "Trading",
    "Logistics",
    "Foods",
    "Textiles",
    "Plastics",
    "Software",
    "Dental",
    "Bakery",
    "Farms",
    "Motors",
    "Consulting",
    "Printing",
    "Furniture",
    "Packaging",
    "Optics",
    "Marine",
    "Tools",
    "Pharma",
    "Energy",
    "Metals",
]
FORMS = ("Ltd", "LLC", "GmbH", "Inc.", "S.A.", "B.V.", "Co., Ltd.", "AB", "Oy", "")


def invented(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3)))).title()


def invented_party(rng: random.Random) -> tuple[str, str]:
    """One invented party: ``(name, schema)``, a company (60%) or a person."""
    if rng.random() < 0.6:
        return f"{invented(rng)} {rng.choice(TRADES)} {rng.choice(FORMS)}".strip(), "organization"
    return f"{invented(rng)} {invented(rng)}", "person"


def write_parties(screener: Screener, path: Path, n: int, seed: int) -> None:
    """A customer base: invented company and person names (made of syllables, not of
    listed names, so most do not match, as in a real registry) and 1% real SDN names."""
    entries = list(screener.store.iter_current_entries())
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "schema"])
        for i in range(n - n // 100):
            name, schema = invented_party(rng)
            writer.writerow([f"P{i:07d}", name, schema])
        for j, e in enumerate(rng.sample(entries, n // 100)):
            writer.writerow([f"R{j:07d}", e.primary_name, e.schema.value])
