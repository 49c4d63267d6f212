"""The memory a custom-list import takes and the import size limit (issue #13, item 6),
and a UN list saved as UTF-16 (item 8), on generated files and the real UN list."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

from entityscreen.service import Screener
from entityscreen.settings import Settings


def _custom_csv(path: Path, rows: int) -> None:
    """A custom list of ``rows`` distinct invented parties (deterministic)."""
    first = ["Ivan", "Maria", "Chen", "Ahmad", "Olga", "Pedro", "Yusuf", "Hana", "Karl", "Aiko"]
    last = ["Petrov", "Garcia", "Wei", "Karimi", "Smirnova", "Silva", "Demir", "Novak", "Ito"]
    with path.open("w", encoding="utf-8") as fh:
        fh.write("id,name,aliases,type,country,address,dob,program,remarks\n")
        for i in range(rows):
            a, b = first[i % 10], last[(i // 10) % 9]
            fh.write(
                f"R{i:07d},{a} {b} {i},{b} {a} {i}; {a[0]}. {b} {i},person,"
                f"{['RU', 'CN', 'IR', 'DE'][i % 4]},{i} Main Street Springfield,"
                f"19{50 + i % 50}-0{1 + i % 9}-1{i % 10},EXPORT,note {i} about this party\n"
            )


def test_custom_import_memory_stays_under_five_times_the_file(tmp_path: Path) -> None:
    # Issue #13, item 6: a 40 MB custom list took 1.3 GB (about 30x its size). Parsing
    # and storing now stream; the Python heap's peak during an import (a stable
    # measure, unlike the RSS) stays a small multiple of the file (about 1x, was 13x).
    path = tmp_path / "big.csv"
    _custom_csv(path, 16_000)
    size = path.stat().st_size
    assert size > 1_500_000
    screener = Screener.open(settings=Settings(home=tmp_path / "home"))
    warm = tmp_path / "warm.csv"
    _custom_csv(warm, 20)
    assert screener.import_path(warm).ok  # tables loaded once, not counted
    gc.collect()
    tracemalloc.start()
    try:
        result = screener.import_path(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        screener.close()
    assert result.status == "imported", result.message
    assert result.snapshot is not None and result.snapshot.entry_count == 16_000
    assert peak < 5 * size, f"peak {peak:,} bytes for a {size:,}-byte file"


def test_a_file_over_the_import_limit_is_refused_before_reading(tmp_path: Path) -> None:
    # Issue #13, item 6: a documented limit, refused with one line, the store untouched.
    path = tmp_path / "big.csv"
    _custom_csv(path, 12_000)
    assert path.stat().st_size > 1 << 20
    home = tmp_path / "home"
    env = {**os.environ, "ENTITYSCREEN_HOME": str(home), "ENTITYSCREEN_MAX_IMPORT_MB": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "entityscreen", "lists", "import", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "more than the import limit of 1 MB (ENTITYSCREEN_MAX_IMPORT_MB)" in proc.stderr
    with Screener.open(settings=Settings(home=home)) as screener:
        assert screener.snapshots() == []
        # Under the limit, the same file is imported.
        limited = Settings(home=home, max_import_mb=2)
    with Screener.open(settings=limited) as screener:
        assert screener.import_path(path).status == "imported"


def test_a_bad_import_limit_setting_is_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "ENTITYSCREEN_HOME": str(tmp_path), "ENTITYSCREEN_MAX_IMPORT_MB": "1GB"}
    proc = subprocess.run(
        [sys.executable, "-m", "entityscreen", "lists", "import", str(tmp_path / "x.csv")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert "ENTITYSCREEN_MAX_IMPORT_MB: expected megabytes" in proc.stderr


def test_a_utf16_un_list_is_detected_and_imported(tmp_path: Path, shared_data: Path) -> None:
    # Issue #13, item 8: the UN list saved as UTF-16 was "format not recognised".
    original = shared_data / "un_sc_consolidated_2026-02-27" / "UN_consolidated.xml"
    text = original.read_bytes().decode("utf-8")
    head, sep, rest = text.partition("?>")
    declaration = head.replace('encoding="UTF-8"', 'encoding="UTF-16"') if sep else ""
    wide = tmp_path / "UN_consolidated.xml"
    wide.write_bytes((declaration + sep + rest if sep else text).encode("utf-16"))
    home = tmp_path / "home"
    with Screener.open(settings=Settings(home=home)) as screener:
        result = screener.import_path(wide)
        assert result.status == "imported", result.message
        assert result.source == "un_sc"
        assert result.snapshot is not None
        with Screener.open(settings=Settings(home=tmp_path / "home8")) as plain:
            expected = plain.import_path(original)
        assert expected.snapshot is not None
        assert result.snapshot.entry_count == expected.snapshot.entry_count == 1003
        assert result.snapshot.published == expected.snapshot.published
