"""One batch loop (issue #11): ``entityscreen batch``, the API's ``/batch`` jobs and
``Screener.screen_file`` all run ``Screener.screen_batch``, so the same input gives the
same output file, byte for byte, and the same counts.

Real components: the CSL fixture in the SQLite store, the Typer app, the FastAPI app.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from entityscreen.api import create_app
from entityscreen.cli import app as cli_app
from entityscreen.service import BatchReport, Screener

PARTIES = (
    "id,name,country\n"
    "1,Hangzhou Hikvision Digital Technology Co Ltd,CN\n"
    "2,Completely Unlisted Bakery,FR\n"
    "3,,DE\n"
    "4,Oriental Engineers,\n"
    "5,Dart Aviation,\n"
)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, fixtures: Path) -> Path:
    home = tmp_path_factory.mktemp("one-batch") / "home"
    with Screener.open(home) as s:
        assert s.import_path(fixtures / "csl" / "consolidated.csv").ok
        s.matcher()
    return home


def test_cli_api_and_service_write_the_same_file(home: Path, tmp_path: Path) -> None:
    source = tmp_path / "parties.csv"
    source.write_text(PARTIES, encoding="utf-8")
    out = tmp_path / "hits.csv"
    cli = CliRunner().invoke(
        cli_app, ["batch", str(source), "--out", str(out)], env={"ENTITYSCREEN_HOME": str(home)}
    )
    assert cli.exit_code == 0, cli.output
    from_cli = out.read_bytes().decode("utf-8")

    with Screener.open(home) as s:
        key = s.create_key("bob", "screener", actor=s.operator)[1]
        seen: list[tuple[int, bool]] = []
        sink = io.StringIO(newline="")
        report = s.screen_file(
            io.StringIO(PARTIES, newline=""),
            sink,
            on_row=lambda row, result, counts: seen.append((counts.rows, result is None)),
        )
    assert sink.getvalue() == from_cli

    with TestClient(create_app(home)) as client:
        headers = {"Authorization": f"Bearer {key}"}
        job = client.post(
            "/batch", content=PARTIES, headers={**headers, "content-type": "text/csv"}
        )
        assert job.status_code == 202, job.text
        for _ in range(200):
            status = client.get(f"/batch/{job.json()['id']}", headers=headers).json()
            if status["status"] in ("done", "failed"):
                break
            time.sleep(0.05)
        assert status["status"] == "done", status
        from_api = client.get(status["download"], headers=headers).text
    assert from_api == from_cli

    # The counts every caller reports come from the one loop.
    assert isinstance(report, BatchReport)
    assert (report.rows, report.bad) == (5, 1) and report.matched >= 2
    assert report.output_rows == len(from_cli.splitlines()) - 1 == status["output_rows"]
    assert status["rows"] == report.rows
    assert seen == [(1, False), (2, False), (3, True), (4, False), (5, False)]
    assert (
        f"{report.rows:,} rows screened in" in cli.stderr
        and f"{report.matched:,} with matches ({report.hits:,} hits), 1 bad rows skipped"
        in cli.stderr
    )
    assert "row 3: no name in column 'name'; skipped" in cli.stderr
