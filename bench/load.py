"""Load test of the HTTP API: requests/s and latency of POST /screen, 1 and 2 workers.

A store with every list of ../shared/data is built in a temporary folder; then for each
worker count, ``entityscreen serve --workers N`` runs on 127.0.0.1 and a bounded client
(``--clients`` threads, each with its own httpx connection, for ``--seconds``) sends one
party per request: listed names with typos and non-listed names, half and half. Prints
requests/s, p50/p99 latency and the error count (any non-200 is an error).

With ``--imports N`` each worker count is run twice, without and then with N list imports
during the timed run (a user's own list, ``custom-csv``, a new version each time, imported
by ``entityscreen lists import`` in another process, as an operator would): the issue #11
figure is the p99 with imports against the p99 without. After the run, the server must
find a name that only the last imported version holds (it answers from current data).

Usage::

    python bench/load.py [--data ../shared/data] [--seconds 20] [--clients 4]
        [--workers 1 2] [--imports 3]
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_DATA, percentile
from parties import invented

from entityscreen.service import Screener


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def typo(name: str, rng: random.Random) -> str:
    if len(name) < 6:
        return name
    i = rng.randrange(1, len(name) - 1)
    return name[:i] + name[i + 1 :]


def run(base: str, key: str, names: list[str], seconds: float, clients: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}) as http:
            while time.perf_counter() < stop:
                body = {"party": {"name": rng.choice(names)}}
                started = time.perf_counter()
                try:
                    ok = http.post("/screen", json=body, timeout=30).status_code == 200
                except httpx.HTTPError:
                    ok = False
                took = time.perf_counter() - started
                with lock:
                    latencies.append(took)
                    errors[0] += 0 if ok else 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": percentile(latencies, 50) * 1000,
        "p99": percentile(latencies, 99) * 1000,
        "errors": errors[0],
    }


def write_version(path: Path, version: int, rng: random.Random) -> str:
    """A user's own list with 200 invented names and one name only this version holds."""
    marker = f"Zorbatronic Version{version} Holdings Ltd"
    rows = [f"{invented(rng)} {invented(rng)} Trading Ltd" for _ in range(200)] + [marker]
    path.write_text("name\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return marker


def importer(
    home: Path, folder: Path, count: int, seconds: float, done: list[str], rng: random.Random
) -> None:
    """Import ``count`` versions of the list, spaced over ``seconds``."""
    start = time.perf_counter()
    for i in range(count):
        wait = start + (i + 0.5) * seconds / (count + 0.5) - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        path = folder / "do_not_deal.csv"
        marker = write_version(path, i + 1, rng)
        proc = subprocess.run(
            [sys.executable, "-m", "entityscreen", "lists", "import", str(path)],
            env={**os.environ, "ENTITYSCREEN_HOME": str(home)},
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise SystemExit(f"import failed: {proc.stderr.strip()[-300:]}")
        done.append(marker)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--imports", type=int, default=0, help="list imports during a second timed run"
    )
    args = parser.parse_args()
    rng = random.Random(5)
    with tempfile.TemporaryDirectory(prefix="es-bench-load-") as tmp:
        home = Path(tmp) / "home"
        with Screener.open(home) as s:
            s.update_lists(mirror=args.data)
            s.matcher()
            key = s.create_key("load", "screener", actor=s.operator)[1]
            listed = [e.primary_name for e in s.store.iter_current_entries()]
        names = [typo(n, rng) for n in rng.sample(listed, 2000)]
        names += [f"{invented(rng)} {invented(rng)} Ltd" for _ in range(2000)]
        for workers in args.workers:
            port = free_port()
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "entityscreen",
                    "serve",
                    "--port",
                    str(port),
                    "--workers",
                    str(workers),
                ],
                env={**os.environ, "ENTITYSCREEN_HOME": str(home)},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            base = f"http://127.0.0.1:{port}"
            try:
                for _ in range(300):
                    try:
                        if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    time.sleep(0.2)
                run(base, key, names, 2.0, args.clients)  # warm every worker up
                r = run(base, key, names, args.seconds, args.clients)
                print(
                    f"{workers} worker(s), {args.clients} clients, {args.seconds:.0f}s: "
                    f"{r['requests']:,.0f} requests, {r['rps']:.1f} req/s, p50 {r['p50']:.1f} ms,"
                    f" p99 {r['p99']:.1f} ms, errors {r['errors']:.0f}"
                )
                if args.imports:
                    done: list[str] = []
                    thread = threading.Thread(
                        target=importer,
                        args=(home, Path(tmp), args.imports, args.seconds, done, rng),
                    )
                    thread.start()
                    with_imports = run(base, key, names, args.seconds, args.clients)
                    thread.join()
                    answer = httpx.post(
                        f"{base}/screen",
                        json={"party": {"name": done[-1]}},
                        headers={"Authorization": f"Bearer {key}"},
                        timeout=60,
                    )
                    # The marker name is only in the last version: found means current data.
                    seen = answer.status_code == 200 and done[-1] in answer.text
                    print(
                        f"  with {len(done)} imports during the run: "
                        f"{with_imports['requests']:,.0f} requests, "
                        f"{with_imports['rps']:.1f} req/s, p50 {with_imports['p50']:.1f} ms, "
                        f"p99 {with_imports['p99']:.1f} ms "
                        f"({with_imports['p99'] / r['p99']:.2f}x the p99 without), "
                        f"errors {with_imports['errors']:.0f}; the last import's name "
                        f"{'found' if seen else 'NOT found'} by the server"
                    )
            finally:
                proc.terminate()
                proc.wait(timeout=30)


if __name__ == "__main__":
    main()
