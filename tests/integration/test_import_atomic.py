"""Imports are atomic: a broken file after a good one, or an import killed midway, leaves
the previous state untouched; re-importing identical bytes is a no-op that says so."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from entityscreen.service import Screener
from entityscreen.settings import Settings


def _state(home: Path) -> list[tuple[int, str, str, int]]:
    with Screener.open(settings=Settings(home=home)) as s:
        assert s.store.integrity_check() == "ok"
        return [(x.id, x.source, x.sha256, x.entry_count) for x in s.snapshots()]


def test_reimport_identical_bytes_is_a_noop(shared_data: Path, tmp_path: Path) -> None:
    dpl = shared_data / "bis_dpl_2023-11" / "dpl.txt"
    with Screener.open(settings=Settings(home=tmp_path)) as s:
        first = s.import_path(dpl)
        assert first.status == "imported", first.message
        second = s.import_path(dpl)
        assert second.status == "unchanged"
        assert f"identical to snapshot {first.snapshot.id}" in second.message  # type: ignore[union-attr]
        assert len(s.snapshots()) == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("truncated.csv", None),  # filled in below from the real file
        ("garbage.bin", b"\x00\xff\xfe" * 5000),
        ("wrong_columns.csv", b"foo,bar,baz\n1,2,3\n"),
        ("bomb.xml", None),
    ],
)
def test_broken_file_after_good_leaves_store_unchanged(
    shared_data: Path, tmp_path: Path, name: str, content: bytes | None
) -> None:
    home = tmp_path / "home"
    good = shared_data / "us_csl_2022-05" / "consolidated.csv.gz"
    bad = tmp_path / name
    if name == "truncated.csv":
        raw = gzip.decompress(good.read_bytes())
        bad.write_bytes(raw[: len(raw) // 3] + b'"unterminated')
    elif name == "bomb.xml":  # billion laughs: 10^9 expansions if entities were expanded
        entities = '<!ENTITY lol0 "lol">' + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
        )
        bad.write_text(
            f'<?xml version="1.0"?><!DOCTYPE CONSOLIDATED_LIST [{entities}]>'
            "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&lol9;</FIRST_NAME>"
            "</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"
        )
    else:
        assert content is not None
        bad.write_bytes(content)
    with Screener.open(settings=Settings(home=home)) as s:
        assert s.import_path(good).status == "imported"
    before = _state(home)
    fmt = "csl-csv" if name == "truncated.csv" else None
    with Screener.open(settings=Settings(home=home)) as s:
        result = s.import_path(bad, format=fmt, source="us_csl")
    assert result.status == "failed"
    assert name in result.message and "\n" not in result.message
    assert _state(home) == before


def test_import_killed_midway_leaves_previous_state(shared_data: Path, tmp_path: Path) -> None:
    """Kill a real `entityscreen lists import` process while it writes (detected by the
    store's write-ahead log growing), several times; every time, the store must hold
    exactly its previous snapshots or the complete new one, and pass integrity_check."""
    home = tmp_path / "home"
    dpl = shared_data / "bis_dpl_2023-11" / "dpl.txt"
    big = shared_data / "us_csl_2022-05" / "consolidated.csv.gz"
    with Screener.open(settings=Settings(home=home)) as s:
        assert s.import_path(dpl).status == "imported"
    before = _state(home)
    wal = home / "store.sqlite-wal"
    env = {**os.environ, "ENTITYSCREEN_HOME": str(home)}
    killed_during_write = 0
    for _attempt in range(3):
        base = wal.stat().st_size if wal.exists() else 0
        proc = subprocess.Popen(
            [sys.executable, "-m", "entityscreen.cli", "lists", "import", str(big)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            size = wal.stat().st_size if wal.exists() else 0
            if size > base + 64 * 1024:
                os.kill(proc.pid, signal.SIGKILL)
                killed_during_write += 1
                break
            time.sleep(0.002)
        proc.wait(timeout=60)
        after = _state(home)
        if proc.returncode == 0:  # it finished before we caught it: state must be complete
            assert after[: len(before)] == before
            assert after[-1][1] == "us_csl"
            break
        assert after == before, "a killed import changed the store"
    assert killed_during_write >= 1
