"""`batch --executor dask` on a real dask.distributed LocalCluster gives what the local
executor gives, row for row."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from entityscreen.batch.io import ColumnMap
from entityscreen.cli import app
from entityscreen.service import Screener

pd = pytest.importorskip("pandas")

NAMES = [
    "Hangzhou Hikvision Digital Technology Co Ltd",
    "Oriental Engineers",
    "Completely Unlisted Bakery",
    "Dart Aviation",
    "",
    "ROSNEFT TRADE LIMITED",
    "Sinobright Import and Export Company",
    "RIM Ryong Nam",
]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, fixtures: Path) -> Path:
    home = tmp_path_factory.mktemp("dask") / "home"
    result = CliRunner().invoke(
        app,
        ["lists", "import", str(fixtures / "csl" / "consolidated.csv")],
        env={"ENTITYSCREEN_HOME": str(home)},
    )
    assert result.exit_code == 0, result.output
    return home


def key(rows: list[dict[str, str]]) -> list[tuple[str, str, str, str]]:
    return sorted((r["row_id"], r["entry_id"], r["score"], r["status"]) for r in rows)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_dask_matches_local(home: Path, tmp_path: Path) -> None:
    frame = pd.DataFrame({"id": [str(i) for i in range(1, len(NAMES) + 1)], "name": NAMES})
    src = tmp_path / "parties.parquet"
    frame.to_parquet(src)
    csv_src = tmp_path / "parties.csv"
    frame.to_csv(csv_src, index=False)

    local_out = tmp_path / "local.csv"
    result = CliRunner().invoke(
        app,
        ["batch", str(csv_src), "--out", str(local_out)],
        env={"ENTITYSCREEN_HOME": str(home)},
    )
    assert result.exit_code == 0, result.output
    local = list(csv.DictReader(io.StringIO(local_out.read_text(encoding="utf-8"))))

    out = tmp_path / "hits.parquet"
    with Screener.open(home) as screener:
        report = screener.batch_dask(str(src), str(out), columns=ColumnMap(), workers=2)
    assert report.rows == len(NAMES) and report.workers == 2
    dask_rows = pd.read_parquet(out).to_dict("records")
    assert report.output_rows == len(dask_rows) == len(local)
    assert key(dask_rows) == key(local)
    statuses = {r["row_id"]: r["status"] for r in dask_rows}
    assert statuses["5"] == "error" and statuses["3"] == "no_match"
    hik = next(r for r in dask_rows if r["row_id"] == "1" and r["list"] == "EL")
    assert hik["verdict"].startswith("Entity List since 2019-10-09")
    with Screener.open(home) as screener:  # workers wrote their screenings to the audit log
        assert screener.verify_audit().ok
        kinds = [r.kind for r in screener.audit_records()]
    assert kinds.count("screening") == 2 * (len(NAMES) - 1)  # local run + dask run


def test_dask_refuses_stdin_and_bad_columns(home: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["batch", "-", "--out", "x.parquet", "--executor", "dask"],
        env={"ENTITYSCREEN_HOME": str(home)},
    )
    assert "needs an input file" in str(result.exception)
    result = runner.invoke(
        app, ["batch", "in.csv", "--executor", "spark"], env={"ENTITYSCREEN_HOME": str(home)}
    )
    assert "unknown executor" in str(result.exception)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_dask_takes_as_of_and_lists_like_the_local_executor(home: Path, tmp_path: Path) -> None:
    # Hikvision joined the Entity List on 2019-10-09: not a listed hit the day before.
    frame = pd.DataFrame({"id": ["1", "2"], "name": [NAMES[0], "Dart Aviation"]})
    src = tmp_path / "parties.csv"
    frame.to_csv(src, index=False)
    runner = CliRunner()
    outputs = {}
    for executor, day in (("local", "2019-10-08"), ("dask", "2019-10-08"), ("dask", "2019-10-09")):
        out = tmp_path / f"{executor}-{day}.csv"
        result = runner.invoke(
            app,
            [
                *("batch", str(src), "--out", str(out), "--executor", executor),
                *("--workers", "2", "--as-of", day, "--lists", "EL"),
            ],
            env={"ENTITYSCREEN_HOME": str(home)},
        )
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        outputs[executor, day] = list(csv.DictReader(io.StringIO(text)))
    before, after = outputs["dask", "2019-10-08"], outputs["dask", "2019-10-09"]
    assert key(before) == key(outputs["local", "2019-10-08"])
    # Not on the Entity List yet (only its Section 889 flag, a statute of 2018, shows).
    assert [r["entry_id"] for r in before if r["row_id"] == "1"] == [""]
    hik = [r for r in after if r["row_id"] == "1" and r["entry_id"]]
    assert hik and {r["list"] for r in after if r["entry_id"]} == {"EL"}
