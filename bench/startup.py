"""Start-up time of the command line (issue #11): median of 5 wall times of
``entityscreen --help`` and of ``entityscreen screen NAME`` against a home with lists loaded.

    # load every list once (what scripts/run.sh does), into a home of its own:
    ENTITYSCREEN_HOME=/tmp/es-home entityscreen lists update --mirror ../shared/data
    python bench/startup.py --home /tmp/es-home

Each run is a fresh process, as a user or a shell script starts it; the first ``screen``
also builds or loads the match index, so one untimed warm-up run of each command comes
first. Timings vary with the machine and its load: say both when quoting them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

NAME = "Hangzhou Hikvision Digital Technology Co., Ltd."


def command() -> list[str]:
    """The console script installed beside this interpreter, else ``python -m``."""
    script = shutil.which("entityscreen", path=os.path.dirname(sys.executable))
    return [script] if script else [sys.executable, "-m", "entityscreen.cli"]


def wall(args: list[str], env: dict[str, str], runs: int) -> list[float]:
    subprocess.run(args, env=env, check=True, capture_output=True)  # warm-up, untimed
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True, help="store with every list loaded")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--name", default=NAME)
    args = parser.parse_args()
    env = {**os.environ, "ENTITYSCREEN_HOME": args.home}
    base = command()
    print(f"{' '.join(base)}; load average {os.getloadavg()[0]:.2f}; {os.cpu_count()} cores")
    for label, argv in (("--help", ["--help"]), ("screen", ["screen", args.name])):
        times = wall([*base, *argv], env, args.runs)
        shown = " ".join(f"{t:.2f}" for t in times)
        print(f"{label:8} median {statistics.median(times):.3f} s  (runs: {shown})")


if __name__ == "__main__":
    main()
