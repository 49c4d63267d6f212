"""Shared by the end-to-end tests: a real `entityscreen serve` on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(home: Path) -> Iterator[str]:
    """``entityscreen serve`` on a free port over the store in ``home``; yields its base URL
    once /healthz answers, and stops it afterwards (its output goes to serve.log)."""
    port = free_port()
    log = (home.parent / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "entityscreen", "serve", "--port", str(port)],
        env={**os.environ, "ENTITYSCREEN_HOME": str(home)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"server did not start; see {home.parent / 'serve.log'}")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
