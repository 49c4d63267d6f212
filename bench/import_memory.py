"""Memory and time of importing a large custom list (issue #13, item 6).

    python bench/import_memory.py                 # a 40 MB custom CSV
    python bench/import_memory.py --size-mb 200   # or any size

Generates a custom-list CSV (``custom-csv``: id, name, aliases, type, country, address,
date of birth, program, remarks; names from Faker pools, seeded) of about the given
size in a temporary folder, then runs ``entityscreen lists import`` on it in a fresh
process with a fresh home, and prints the wall time, the peak RSS of that process
(``os.wait4``: the child's own ``ru_maxrss``) and the ratio peak / file size. The same
command on a tiny file (10 rows) runs first, in the same run, as the baseline: the
interpreter, the libraries and the matching tables take their own ~100-200 MB whatever
the file; the "above baseline" figure is what the file itself costs. Then the same for
the service's import alone (``Screener.import_path`` in ``python -c``: parse and store,
without the match index the command builds after it), to show the two apart.

Timings and memory vary with the machine and its load: say both when quoting them.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from faker import Faker

COUNTRIES = ("CN", "RU", "IR", "KP", "SY", "AE", "TR", "DE", "US", "HK", "IN", "BY", "VE")
PROGRAMS = ("EXPORT", "SANCTIONS", "INTERNAL", "FRAUD", "KYC")
HEADER = ("id", "name", "aliases", "type", "country", "address", "dob", "program", "remarks")


def command() -> list[str]:
    """The console script installed beside this interpreter, else ``python -m``."""
    script = shutil.which("entityscreen", path=os.path.dirname(sys.executable))
    return [script] if script else [sys.executable, "-m", "entityscreen.cli"]


def write_custom_csv(path: Path, size: int, *, seed: int = 13) -> int:
    """Write a custom list of about ``size`` bytes; returns the number of rows.

    Faker is slow per call, so names come from pools drawn once and combined at random:
    realistic spellings, and a 40 MB file in seconds.
    """
    fake = Faker(["en_US", "de_DE", "ru_RU", "zh_CN", "tr_TR"])
    Faker.seed(seed)
    rng = random.Random(seed)
    firsts = [fake.first_name() for _ in range(3000)]
    lasts = [fake.last_name() for _ in range(3000)]
    companies = [fake.company() for _ in range(3000)]
    streets = [fake.street_address() for _ in range(3000)]
    cities = [fake.city() for _ in range(1000)]
    words = fake.words(nb=2000, unique=False)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        while fh.tell() < size:
            rows += 1
            person = rng.random() < 0.5
            if person:
                name = f"{rng.choice(firsts)} {rng.choice(lasts)}"
                aliases = "; ".join(
                    f"{rng.choice(firsts)} {rng.choice(lasts)}" for _ in range(rng.randint(0, 3))
                )
                dob = f"{rng.randint(1940, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            else:
                name = f"{rng.choice(companies)} {rng.choice(lasts)}"
                aliases = "; ".join(rng.choice(companies) for _ in range(rng.randint(0, 2)))
                dob = ""
            out.writerow(
                (
                    f"R{rows:08d}",
                    name,
                    aliases,
                    "person" if person else "organization",
                    "; ".join(rng.sample(COUNTRIES, rng.randint(1, 2))),
                    f"{rng.choice(streets)}, {rng.choice(cities)}",
                    dob,
                    rng.choice(PROGRAMS),
                    " ".join(rng.choices(words, k=rng.randint(3, 12))),
                )
            )
    return rows


#: The import alone, without the match index the command builds after it.
SERVICE_IMPORT = (
    "import sys; from pathlib import Path; from entityscreen.service import Screener\n"
    "with Screener.open(Path(sys.argv[2])) as s:\n"
    "    r = s.import_path(Path(sys.argv[1]))\n"
    "print(r.message); sys.exit(0 if r.ok else 1)"
)


def run_import(path: Path, home: Path, *, index: bool = True) -> tuple[float, int, str]:
    """Run ``lists import`` in a fresh process (with ``index=False``, the service's import
    alone): (seconds, peak RSS in bytes, first line of its output)."""
    env = dict(os.environ, ENTITYSCREEN_HOME=str(home))
    env.pop("ENTITYSCREEN_STORE", None)
    args = [*command(), "lists", "import", str(path), "--home", str(home)]
    if not index:
        args = [sys.executable, "-c", SERVICE_IMPORT, str(path), str(home)]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        # Run from the home's folder: "python -c" puts its working directory first on
        # sys.path, which must not pick a checkout other than the one PYTHONPATH names.
        proc = subprocess.Popen(
            args, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=home.parent
        )
        # wait4 gives this child's own peak RSS (RUSAGE_CHILDREN would be the max of all).
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        log.seek(0)
        text = log.read().decode("utf-8", errors="replace").strip()
    if proc.returncode != 0:
        sys.exit(f"import of {path} failed ({proc.returncode}):\n{text}")
    kib = usage.ru_maxrss  # KiB on Linux
    return seconds, kib * 1024, text.splitlines()[0] if text else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=40.0, help="file size (default 40)")
    parser.add_argument("--keep", type=Path, help="also copy the generated file here")
    args = parser.parse_args()
    mb = 1024 * 1024
    with tempfile.TemporaryDirectory(prefix="es-import-mem-") as tmp:
        folder = Path(tmp)
        tiny, big = folder / "tiny.csv", folder / "big.csv"
        write_custom_csv(tiny, 1500)  # about 10 rows
        started = time.perf_counter()
        rows = write_custom_csv(big, int(args.size_mb * mb))
        size = big.stat().st_size
        took = time.perf_counter() - started
        print(f"generated {size / mb:.1f} MB, {rows:,} rows in {took:.1f}s")
        if args.keep:
            shutil.copy(big, args.keep)
        for index, what in ((True, "lists import"), (False, "import alone, no index")):
            suffix = "" if index else "-service"
            base_s, base_rss, _ = run_import(tiny, folder / f"tiny{suffix}", index=index)
            secs, rss, line = run_import(big, folder / f"big{suffix}", index=index)
            above = rss - base_rss
            print(f"{what}:  {line}")
            print(
                f"  baseline (tiny file): {base_s:.1f}s, peak RSS {base_rss / mb:.0f} MB\n"
                f"  {size / mb:.1f} MB file: {secs:.1f}s, peak RSS {rss / mb:.0f} MB"
                f" ({rss / size:.1f}x the file), above baseline {above / mb:.0f} MB"
                f" ({above / size:.1f}x the file)"
            )


if __name__ == "__main__":
    main()
