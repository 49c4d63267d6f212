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
def live_server(
    home: Path, *args: str, env: dict[str, str] | None = None, log_name: str = "serve.log"
) -> Iterator[str]:
    """``entityscreen serve`` on a free port over the store in ``home`` (with more ``args``
    and ``env``); yields its base URL once /healthz answers, and stops it afterwards (its
    output goes to ``log_name`` beside ``home``)."""
    port = free_port()
    log = (home.parent / log_name).open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "entityscreen", "serve", "--port", str(port), *args],
        env={**os.environ, "ENTITYSCREEN_HOME": str(home), **(env or {})},
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
            raise RuntimeError(f"server did not start; see {home.parent / log_name}")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
