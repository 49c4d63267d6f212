"""The `lists` commands end to end on the two real OFAC SDN snapshots.

`lists diff` must agree with an independent set comparison of ent_nums computed here
straight from the CSV files, and show changed fields for a changed entry.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from entityscreen.cli import app


def _ent_nums(path: Path) -> dict[str, list[str]]:
    text = path.read_bytes().decode("cp1252").rstrip("\x1a\r\n")
    return {row[0]: row for row in csv.reader(text.splitlines()) if row}


@pytest.fixture(scope="module")
def sdn_home(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home loaded from a mirror holding just the two dated SDN copies."""
    root = tmp_path_factory.mktemp("sdn")
    mirror = root / "mirror"
    for name in ("ofac_sdn_2023-12-28", "ofac_sdn_2024-05-03"):
        (mirror / name).mkdir(parents=True)
        for f in (shared_data / name).iterdir():
            (mirror / name / f.name).symlink_to(f)
    home = root / "home"
    result = CliRunner().invoke(
        app,
        ["lists", "update", "--mirror", str(mirror), "--source", "us_ofac_sdn"],
        env={"ENTITYSCREEN_HOME": str(home)},
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("imported us_ofac_sdn") == 2
    return home


def run(home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"ENTITYSCREEN_HOME": str(home)})
    return result.exit_code, result.output


def test_lists_shows_current_snapshot(sdn_home: Path) -> None:
    code, output = run(sdn_home, "lists", "--json")
    assert code == 0
    rows = json.loads(output)
    assert [(r["source"], r["list"], r["entries"]) for r in rows] == [("us_ofac_sdn", "SDN", 14965)]
    assert len(rows[0]["sha256"]) == 64
    code, output = run(sdn_home, "lists")
    assert code == 0 and "us_ofac_sdn" in output and "14,965" in output


def test_diff_matches_independent_set_comparison(sdn_home: Path, shared_data: Path) -> None:
    old = _ent_nums(shared_data / "ofac_sdn_2023-12-28" / "sdn.csv")
    new = _ent_nums(shared_data / "ofac_sdn_2024-05-03" / "sdn.csv")
    added, removed = new.keys() - old.keys(), old.keys() - new.keys()
    assert added and removed
    code, output = run(sdn_home, "lists", "diff", "us_ofac_sdn", "--json")
    assert code == 0
    diff = json.loads(output)
    assert {a["id"] for a in diff["added"]} == {f"us_ofac_sdn:{n}" for n in added}
    assert {a["id"] for a in diff["removed"]} == {f"us_ofac_sdn:{n}" for n in removed}
    # Entries whose primary row changed must show up as changed with that field named.
    row_changed = {n for n in old.keys() & new.keys() if old[n][1] != new[n][1]}
    changed = {c["id"]: c for c in diff["changed"]}
    for n in row_changed:
        fields = {f["field"] for f in changed[f"us_ofac_sdn:{n}"]["changes"]}
        assert "names" in fields
    # Table output names the counts.
    code, output = run(sdn_home, "lists", "diff", "us_ofac_sdn")
    assert code == 0
    assert f"{len(added):,} added, {len(removed):,} removed" in output


def test_history_of_a_removed_entry(sdn_home: Path, shared_data: Path) -> None:
    old = _ent_nums(shared_data / "ofac_sdn_2023-12-28" / "sdn.csv")
    new = _ent_nums(shared_data / "ofac_sdn_2024-05-03" / "sdn.csv")
    gone = sorted(old.keys() - new.keys(), key=int)[0]
    code, output = run(sdn_home, "lists", "history", f"us_ofac_sdn:{gone}", "--json")
    assert code == 0
    hist = json.loads(output)
    assert [t["version"] is not None for t in hist["timeline"]] == [True, False]
    assert len(hist["versions"]) == 1


def test_errors_are_one_line_with_nonzero_exit(tmp_path: Path) -> None:
    env = {**os.environ, "ENTITYSCREEN_HOME": str(tmp_path / "home")}
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(os.urandom(4096))
    cases = [
        ["lists", "import", str(garbage)],
        ["lists", "import", str(tmp_path / "missing.csv")],
        ["lists", "diff", "nosuchsource"],
        ["lists", "history", "nosuch:entry"],
        ["lists", "update", "--mirror", str(tmp_path / "nodir")],
    ]
    for args in cases:
        proc = subprocess.run(
            [sys.executable, "-m", "entityscreen", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode != 0, args
        assert "Traceback" not in proc.stderr, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_a_failed_import_names_the_file_not_a_question_mark(tmp_path: Path) -> None:
    # Issue #13, item 8: an unreadable file printed "FAILED ?: ...".
    bad = tmp_path / "bad.csv"
    bad.write_text("garbage,x\n1,2\n", encoding="utf-8")
    env = {**os.environ, "ENTITYSCREEN_HOME": str(tmp_path / "home")}
    proc = subprocess.run(
        [sys.executable, "-m", "entityscreen", "lists", "import", str(bad)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0
    assert "?" not in proc.stderr.split(":", 1)[0]
    assert proc.stderr.startswith(f"FAILED: {bad}: format not recognised"), proc.stderr
