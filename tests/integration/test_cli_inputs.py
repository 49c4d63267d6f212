"""Issue #14, item 2: strict, forgiving inputs. Country names and codes alike, unknown
list codes refused, batch in CSV (delimiter sniffed), JSON lines, XLSX and Parquet, one
line for binary input, and no store created by a typo in --home."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from entityscreen.cli import app
from entityscreen.errors import EntityScreenError
from entityscreen.model import Party
from entityscreen.service import Screener

from ._cli import run


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, fixtures: Path) -> Path:
    home = tmp_path_factory.mktemp("inputs") / "home"
    code, output = run(home, "lists", "import", str(fixtures / "csl" / "consolidated.csv"))
    assert code == 0, output
    return home


def test_country_names_count_like_codes(home: Path) -> None:
    scores = {}
    for country in ("CN", "China", "china", "People's Republic of China", "中国"):
        code, output = run(home, "screen", "Hangzhou Hikvision", "--country", country, "--json")
        assert code == 0, output
        [hit] = [m for m in json.loads(output)["matches"] if m["list"] == "EL"]
        scores[country] = hit["score"]
    assert len(set(scores.values())) == 1, scores
    with Screener.open(home) as s:
        [result] = s.screen_many([Party(name="Hikvision", country="U.S.A.")])
    assert result.party.country == "US"


def test_unknown_country_and_list_code_are_errors_naming_what_is_valid(home: Path) -> None:
    code, output = run(home, "screen", "Hikvision", "--country", "Narnia")
    assert code == 1 and "unknown country 'Narnia'" in output and "ISO 3166" in output
    code, output = run(home, "screen", "Hikvision", "--lists", "SND")
    assert code == 1 and "unknown list code SND" in output and "EL" in output and "SDN" in output
    code, output = run(home, "screen", "Hikvision", "--lists", "el,sdn")
    assert code == 0, output


def test_a_home_that_does_not_exist_is_an_error_not_a_new_store(tmp_path: Path) -> None:
    typo = tmp_path / "typo"
    for args in (["screen", "Acme"], ["lists"], ["alerts"], ["audit", "verify"]):
        result = CliRunner().invoke(app, [*args, "--home", str(typo)])
        assert isinstance(result.exception, EntityScreenError), args
        assert "no store at" in str(result.exception)
        assert not typo.exists(), args


def test_batch_reads_semicolon_csv_and_writes_typed_xlsx_and_parquet(
    home: Path, tmp_path: Path
) -> None:
    import pyarrow.parquet as pq
    from openpyxl import load_workbook

    parties = tmp_path / "parties.csv"
    parties.write_text(
        "id;name;country\n1;Hangzhou Hikvision Digital Technology Co., Ltd.;China\n"
        "2;Zzyzx Quiet Bakery Supplies;US\n3;Nobody;Narnia\n",
        encoding="utf-8",
    )
    xlsx = tmp_path / "hits.xlsx"
    code, output = run(home, "batch", str(parties), "--out", str(xlsx))
    assert code == 0, output
    assert "row 3: unknown country 'Narnia'" in output
    book = load_workbook(xlsx, read_only=True)
    try:
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()
    header = list(rows[0])
    by_id: dict[object, list[dict[object, object]]] = {}
    for r in rows[1:]:
        by_id.setdefault(r[header.index("row_id")], []).append(dict(zip(header, r, strict=False)))
    hik = [r for r in by_id["1"] if r["list"] == "EL"]
    # A number, not text (Excel reads 1.0 back as the integer 1).
    assert hik and isinstance(hik[0]["score"], int | float) and hik[0]["score"] > 0.9
    assert by_id["2"][0]["status"] == "no_match"
    assert by_id["3"][0]["status"] == "error"

    parquet = tmp_path / "hits.parquet"
    code, output = run(home, "batch", str(xlsx.with_name("in.xlsx")), "--out", str(parquet))
    assert code == 1 and "no such file" in output
    # XLSX in (the file just written has a name column: input_name), Parquet out.
    code, output = run(
        home, "batch", str(xlsx), "--name-column", "input_name", "--id-column", "row_id",
        "--out", str(parquet),
    )
    assert code == 0, output
    table = pq.read_table(parquet)
    assert str(table.schema.field("score").type) == "double"
    assert "Hangzhou Hikvision" in " ".join(str(v) for v in table.column("listed_name").to_pylist())


def test_binary_input_is_one_line_without_garbage(home: Path, tmp_path: Path) -> None:
    blob = tmp_path / "parties.csv"
    blob.write_bytes(bytes(range(256)) * 40)
    code, output = run(home, "batch", str(blob), "--out", str(tmp_path / "out.csv"))
    assert code == 1 and "not a text file (binary data)" in output
    assert "\x00" not in output and "\ufffd" not in output
    assert not (tmp_path / "out.csv").exists()


def test_an_unknown_output_format_is_refused(home: Path, tmp_path: Path, fixtures: Path) -> None:
    parties = tmp_path / "p.csv"
    parties.write_text("name\nAcme\n", encoding="utf-8")
    code, output = run(home, "batch", str(parties), "--output-format", "pdf")
    assert code == 1 and "unknown output format 'pdf'" in output and "parquet" in output
    code, output = run(home, "batch", str(parties), "--out", "-", "--output-format", "xlsx")
    assert code == 1 and "needs a file" in output
