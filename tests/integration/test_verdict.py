"""Issue #14, item 1: one verdict per party, first in the CLI text, in JSON (the API's
shape too), in batch columns and in the web UI, with the lists' dates."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from ._cli import run_raising as run


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, fixtures: Path) -> Path:
    home = tmp_path_factory.mktemp("verdict") / "home"
    assert run(home, "lists", "import", str(fixtures / "csl" / "consolidated.csv"))[0] == 0
    code, out = run(home, "ownership", "import", str(fixtures / "ownership" / "edges.csv"))
    assert code == 0, out
    return home


def test_the_verdict_comes_first_in_the_text(home: Path) -> None:
    code, output = run(home, "screen", "HANGZHOU HIKVISION DIGITAL TECH CO LTD")
    assert code == 0, output
    first, second = output.splitlines()[:2]
    assert first.startswith("LICENSE REQUIRED HANGZHOU HIKVISION DIGITAL TECH CO LTD: Entity List")
    assert second.startswith("against 1 list snapshot(s); the oldest: us_csl")
    code, output = run(home, "screen", "Zzyzx Quiet Bakery Supplies")
    assert output.startswith("CLEAR Zzyzx Quiet Bakery Supplies: no hit")


def test_an_ownership_finding_is_not_no_match(home: Path) -> None:
    """The defect: 'No match' printed above an OFAC 50% / BIS Affiliates finding."""
    code, output = run(home, "screen", "Acme Optics Ltd", "--id", "ACME-2", "--json")
    assert code == 0, output
    data = json.loads(output)
    assert data["matches"] == []
    verdict = data["verdict"]
    assert verdict["verdict"] in ("BLOCKED", "LICENSE REQUIRED")
    assert "owned" in verdict["reason"] and verdict["lists"]
    assert list(data)[:3] == ["query", "as_of", "verdict"]


def test_batch_rows_carry_the_party_verdict(home: Path, tmp_path: Path) -> None:
    parties = tmp_path / "parties.csv"
    parties.write_text(
        "id,name\n1,Hangzhou Hikvision Digital Technology Co Ltd\n2,Zzyzx Quiet Bakery\n",
        encoding="utf-8",
    )
    code, output = run(home, "batch", str(parties), "--out", str(tmp_path / "hits.csv"))
    assert code == 0, output
    rows = list(csv.DictReader(io.StringIO((tmp_path / "hits.csv").read_text("utf-8"))))
    verdicts = {r["row_id"]: r["party_verdict"] for r in rows}
    assert verdicts == {"1": "LICENSE REQUIRED", "2": "CLEAR"}
    assert all(r["party_verdict_reason"] for r in rows)
