"""The shrink guard end to end (issue #13 item 1): a truncated list file is refused, the
store untouched, unless ``--allow-shrink``; a monitor run that would delist most of the
alert queue is refused the same way. Small fixtures of our own for the formats, the real
CSL (../shared/data) for the issue's story: the 13-row sample over the full list."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from entityscreen.cli import app
from entityscreen.errors import InputError
from entityscreen.model import AlertStatus, Party
from entityscreen.service import Screener
from entityscreen.store import AuditKind

ENTITYSCREEN = (sys.executable, "-m", "entityscreen")


def cli(home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"ENTITYSCREEN_HOME": str(home)})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def header_only(src: Path, dest: Path) -> Path:
    dest.write_text(src.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    return dest


def empty_un(src: Path, dest: Path) -> Path:
    text = src.read_text(encoding="utf-8")
    text = re.sub(r"<INDIVIDUALS>.*</INDIVIDUALS>", "<INDIVIDUALS/>", text, flags=re.S)
    text = re.sub(r"<ENTITIES>.*</ENTITIES>", "<ENTITIES/>", text, flags=re.S)
    dest.write_text(text, encoding="utf-8")
    return dest


def empty_csl_json(src: Path, dest: Path) -> Path:
    data = json.loads(src.read_text(encoding="utf-8"))
    dest.write_text(json.dumps({**data, "total": 0, "results": []}), encoding="utf-8")
    return dest


TRUNCATED = {
    "csl-csv header only": ("csl/consolidated.csv", header_only),
    "csl-json results []": ("csl/csl_api.json", empty_csl_json),
    "dpl.txt header only": ("dpl/dpl.txt", header_only),
    "un-xml empty lists": ("un/consolidated.xml", empty_un),
}


@pytest.mark.parametrize("case", sorted(TRUNCATED))
def test_a_truncated_file_is_refused_and_the_list_stays(
    case: str, fixtures: Path, tmp_path: Path
) -> None:
    name, truncate = TRUNCATED[case]
    full = fixtures / name
    cut = truncate(full, tmp_path / full.name)
    with Screener.open(tmp_path / "home") as s:
        first = s.import_path(full)
        assert first.status == "imported" and first.snapshot is not None
        held = first.snapshot.entry_count
        result = s.import_path(cut)
        assert result.status == "failed"
        assert result.message.startswith(
            f"import refused: {first.source} {held:,} -> 0 entries (-100.0%)"
        )
        assert "it would leave the list empty" in result.message
        assert result.message.endswith("re-run with --allow-shrink")
        assert [x.id for x in s.snapshots()] == [first.snapshot.id]
        assert [r.kind for r in s.store.audit_records()].count(AuditKind.IMPORT) == 1
        allowed = s.import_path(cut, allow_shrink=True)
        assert allowed.status == "imported" and allowed.snapshot is not None
        assert allowed.snapshot.entry_count == 0
        record = [r for r in s.store.audit_records() if r.kind == AuditKind.IMPORT][-1]
        assert record.data["allow_shrink"] is True
        assert record.data["shrink"]["old_entries"] == held
        assert record.data["shrink"]["new_entries"] == 0


def test_the_csl_without_its_entity_list_rows_is_refused(fixtures: Path, tmp_path: Path) -> None:
    full = fixtures / "csl" / "consolidated.csv"
    rows = list(csv.reader(io.StringIO(full.read_text(encoding="utf-8"))))
    kept = [rows[0]] + [r for r in rows[1:] if "(EL)" not in r[1]]
    assert 0 < len(rows) - len(kept) < len(rows) - 1
    no_el = tmp_path / "consolidated.csv"
    with no_el.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(kept)
    with Screener.open(tmp_path / "home") as s:
        first = s.import_path(full)
        el = first.list_counts["EL"]
        assert s.screen(Party(name="Hangzhou Hikvision Digital Technology")).hits
        # even a limit of 100% does not let a whole sub-list go silently
        result = s.import_path(no_el, max_shrink=1.0)
        assert result.status == "failed"
        assert f"drops sub-list EL ({el:,}): it drops whole sub-lists" in result.message
        assert len(s.snapshots()) == 1
        assert s.screen(Party(name="Hangzhou Hikvision Digital Technology")).hits


def test_first_import_of_an_empty_file(fixtures: Path, tmp_path: Path) -> None:
    cut = header_only(fixtures / "dpl" / "dpl.txt", tmp_path / "dpl.txt")
    home = tmp_path / "home"
    code, out = cli(home, "lists", "import", str(cut))
    assert code == 1
    assert "import refused: us_bis_dpl: the file holds 0 entries (a first import)" in out
    with Screener.open(home) as s:
        assert s.snapshots() == []
    code, out = cli(home, "lists", "import", str(cut), "--allow-shrink")
    assert code == 0 and "imported us_bis_dpl" in out and "0 entries" in out


def test_cli_max_shrink_and_the_setting(fixtures: Path, tmp_path: Path) -> None:
    """The share is the settings' (ENTITYSCREEN_MAX_SHRINK) unless --max-shrink says."""
    dpl = fixtures / "dpl" / "dpl.txt"
    lines = dpl.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(lines) == 8
    # the header and 7 rows, 5 entries (rows of one person are one entry); the first three
    # rows are 3 entries: 2 of 5 lost (40%)
    smaller = tmp_path / "dpl.txt"
    smaller.write_text("".join(lines[:4]), encoding="utf-8")
    home = tmp_path / "home"
    assert cli(home, "lists", "import", str(dpl))[0] == 0
    code, out = cli(home, "lists", "import", str(smaller))
    assert code == 1 and "us_bis_dpl 5 -> 3 entries (-40.0%)" in out
    assert "by more than 20%" in out
    code, out = cli(home, "lists", "import", str(smaller), "--max-shrink", "50")
    assert code == 0 and "imported us_bis_dpl" in out


def test_the_environment_sets_the_share(fixtures: Path, tmp_path: Path) -> None:
    dpl = fixtures / "dpl" / "dpl.txt"
    smaller = tmp_path / "dpl.txt"
    smaller.write_text("".join(dpl.read_text("utf-8").splitlines(True)[:4]), encoding="utf-8")
    home = tmp_path / "home"
    env = {"ENTITYSCREEN_HOME": str(home), "ENTITYSCREEN_MAX_SHRINK": "50"}
    runner = CliRunner()
    assert runner.invoke(app, ["lists", "import", str(dpl)], env=env).exit_code == 0
    result = runner.invoke(app, ["lists", "import", str(smaller)], env=env)
    assert result.exit_code == 0, result.output


def test_a_bad_max_shrink_is_one_line_and_non_zero(fixtures: Path, tmp_path: Path) -> None:
    proc = subprocess.run(
        [*ENTITYSCREEN, "lists", "import", str(fixtures / "dpl" / "dpl.txt"), "--max-shrink", "x"],
        env={**os.environ, "ENTITYSCREEN_HOME": str(tmp_path / "home")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        "error: --max-shrink: expected a percentage from 0 to 100, e.g. '20', got 'x'"
    )


def test_a_truncated_mirror_is_refused(fixtures: Path, tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    (mirror / "2026-01-01").mkdir(parents=True)
    (mirror / "2026-01-01" / "dpl.txt").write_bytes((fixtures / "dpl" / "dpl.txt").read_bytes())
    home = tmp_path / "home"
    code, out = cli(home, "lists", "update", "--mirror", str(mirror), "--source", "us_bis_dpl")
    assert code == 0 and "imported us_bis_dpl" in out
    (mirror / "2026-02-01").mkdir()
    header_only(fixtures / "dpl" / "dpl.txt", mirror / "2026-02-01" / "dpl.txt")
    code, out = cli(home, "lists", "update", "--mirror", str(mirror), "--source", "us_bis_dpl")
    assert code == 1
    assert "FAILED us_bis_dpl: import refused: us_bis_dpl 5 -> 0 entries" in out
    with Screener.open(home) as s:
        assert [x.entry_count for x in s.snapshots("us_bis_dpl")] == [5]
    code, out = cli(
        home, "lists", "update", "--mirror", str(mirror), "--source", "us_bis_dpl", "--allow-shrink"
    )
    assert code == 0
    with Screener.open(home) as s:
        assert [x.entry_count for x in s.snapshots("us_bis_dpl")] == [5, 0]


# --- the story on the real CSL -----------------------------------------------------


def test_the_csl_sample_over_the_full_csl(shared_data: Path, tmp_path: Path) -> None:
    """The 13-row CSL sample imported over the full CSL is refused; forced through with
    --allow-shrink, the next monitor run refuses to delist the alert queue."""
    full = shared_data / "us_csl_2022-05" / "consolidated.csv.gz"
    sample = shared_data / "us_csl_samples" / "consolidated.csv"
    home = tmp_path / "home"
    with Screener.open(home) as s:
        first = s.import_path(full)
        assert first.status == "imported" and first.snapshot is not None
        count = first.snapshot.entry_count
        el = [e for e in s.store.iter_entries(first.snapshot.id) if e.list == "EL"]
    parties = tmp_path / "parties.csv"
    chosen = [e for e in el if len(e.primary_name.split()) >= 3][:40]
    parties.write_text(
        "id,name\n" + "".join(f'P{i},"{e.primary_name}"\n' for i, e in enumerate(chosen)),
        encoding="utf-8",
    )
    assert cli(home, "parties", "import", str(parties))[0] == 0
    code, out = cli(home, "monitor")
    assert code == 0, out
    with Screener.open(home) as s:
        queue = [a for a in s.alerts() if a.status is not AlertStatus.DELISTED]
    assert len(queue) >= 40

    code, out = cli(home, "lists", "import", str(sample))
    assert code == 1
    assert f"import refused: us_csl {count:,} -> 13 entries (-99.9%)" in out
    with Screener.open(home) as s:
        assert len(s.snapshots("us_csl")) == 1
        assert s.screen(Party(name=chosen[0].primary_name)).hits

    code, out = cli(home, "lists", "import", str(sample), "--allow-shrink")
    assert code == 0, out
    with Screener.open(home) as s:
        before = [(a.id, a.status, a.updated_at) for a in s.alerts()]
        gone = {e.id for e in s.store.iter_entries(first.snapshot.id)} - {
            e.id for e in s.store.iter_entries(s.snapshots("us_csl")[-1].id)
        }
    delisting = sum(1 for a in queue if a.entry_id in gone)
    assert delisting > 0.2 * len(queue)
    proc = subprocess.run(
        [*ENTITYSCREEN, "monitor"],
        env={**os.environ, "ENTITYSCREEN_HOME": str(home)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().startswith(
        f"error: monitor refused: this run would mark {delisting:,} of {len(queue):,} alerts"
    )
    assert len(proc.stderr.strip().splitlines()) == 1
    with Screener.open(home) as s:
        assert [(a.id, a.status, a.updated_at) for a in s.alerts()] == before
    with pytest.raises(InputError, match=r"^--max-delisted: expected a percentage from 0 to 100"):
        cli(home, "monitor", "--max-delisted", "lots")
    code, out = cli(home, "monitor", "--allow-shrink")
    assert code == 0 and f"{delisting:,} delisted" in out, out
    with Screener.open(home) as s:
        runs = [r for r in s.store.audit_records() if r.kind == AuditKind.MONITOR]
        assert runs[-1].data["allow_shrink"] is True
        assert runs[-1].data["delisted"] == delisting
