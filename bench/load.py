"""Load test of the HTTP API: requests/s and latency of POST /screen, 1 and 2 workers.

A store with every list of ../shared/data is built in a temporary folder; then for each
worker count, ``entityscreen serve --workers N`` runs on 127.0.0.1 and a bounded client
(``--clients`` threads, each with its own httpx connection, for ``--seconds``) sends one
party per request: listed names with typos and non-listed names, half and half. Prints
requests/s, p50/p99 latency and the error count (any non-200 is an error).

Usage::

    python bench/load.py [--data ../shared/data] [--seconds 20] [--clients 4]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    rng = random.Random(5)
    with tempfile.TemporaryDirectory(prefix="es-bench-load-") as tmp:
        home = Path(tmp) / "home"
        with Screener.open(home) as s:
            s.update_lists(mirror=args.data)
            s.matcher()
            key = s.create_key("load", "screener")[1]
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
            finally:
                proc.terminate()
                proc.wait(timeout=30)


if __name__ == "__main__":
    main()
