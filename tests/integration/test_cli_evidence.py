"""Birth date and identifiers as evidence through the CLI (`screen --birth-date --id-number`,
and `batch` columns), on the real UN list.

The UN entry GBi.003 "CRANHA DANFA" is listed with the birth date 1957-03-05 and the
passport AAIN29392. The query "Cranha Dunfa" (one letter off) keeps the name score below
1, so what the evidence does to it shows.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.integration.test_cli_screen import run

UN_FILE = "un_sc_consolidated_2026-02-27/UN_consolidated.xml"
ENTRY = "un_sc:GBi.003"
QUERY = "Cranha Dunfa"


@pytest.fixture(scope="module")
def un_home(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    home = tmp_path_factory.mktemp("un") / "home"
    code, output = run(home, "lists", "import", str(shared_data / UN_FILE))
    assert code == 0, output
    return home


def hit(home: Path, *extra: str) -> dict[str, Any]:
    code, output = run(
        home, "screen", QUERY, "--lists", "UN", "--threshold", "0.3", "--json", *extra
    )
    assert code == 0, output
    [match] = [m for m in json.loads(output)["matches"] if m["entry_id"] == ENTRY]
    return match  # type: ignore[no-any-return]


def test_the_listed_birth_year_raises_the_score_and_says_so(un_home: Path) -> None:
    plain = hit(un_home)
    assert plain["score"] < 1.0 and "birth" not in plain["explanation"]
    agreed = hit(un_home, "--birth-date", "1957")
    assert agreed["score"] > plain["score"]
    assert "birth year agrees" in agreed["explanation"]
    exact = hit(un_home, "--birth-date", "1957-03-05")
    assert exact["score"] > plain["score"] and "birth date agrees" in exact["explanation"]


def test_a_birth_year_30_years_off_lowers_the_score_and_says_so(un_home: Path) -> None:
    plain = hit(un_home)
    other = hit(un_home, "--birth-date", "1927-06")
    assert other["score"] < plain["score"]
    assert "born 1927, listed 1957 (lowered)" in other["explanation"]


def test_a_listed_identifier_raises_the_score(un_home: Path) -> None:
    plain = hit(un_home)
    both = hit(un_home, "--id-number", "X-00001", "--id-number", "AAIN 29392")
    assert both["score"] > plain["score"]
    assert "identifier AAIN29392 agrees" in both["explanation"]
    unlisted = hit(un_home, "--id-number", "ZZ9999999")
    assert unlisted["score"] == plain["score"] and "identifier" not in unlisted["explanation"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--birth-date", "5 March 1957"], "birth date '5 March 1957': use YYYY, YYYY-MM"),
        (["--birth-date", "1957-02-30"], "birth date '1957-02-30': no such date"),
        (["--id-number", "9" * 200], "longer than 100 characters"),
    ],
)
def test_bad_evidence_is_a_one_line_error(un_home: Path, args: list[str], message: str) -> None:
    code, output = run(un_home, "screen", QUERY, *args)
    assert code != 0
    assert message in output and "Traceback" not in output


def test_batch_reads_birth_date_and_id_number_columns(un_home: Path, tmp_path: Path) -> None:
    src = tmp_path / "parties.csv"
    src.write_text(
        "id,name,birth_date,id_number\n"
        f"plain,{QUERY},,\n"
        f"same,{QUERY},1957,\n"
        f"other,{QUERY},1927,\n"
        f"passport,{QUERY},,X-00001;AAIN29392\n"
        f"bad,{QUERY},57,\n",
        encoding="utf-8",
    )
    out = tmp_path / "hits.csv"
    code, output = run(
        un_home, "batch", str(src), "--out", str(out), "--lists", "UN", "--threshold", "0.3"
    )
    assert code == 0, output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    by_id = {r["row_id"]: r for r in rows if r["entry_id"] == ENTRY}
    scores = {k: float(r["score"]) for k, r in by_id.items()}
    assert scores["same"] > scores["plain"] > scores["other"]
    assert scores["passport"] > scores["plain"]
    assert "birth year agrees" in by_id["same"]["explanation"]
    assert "identifier AAIN29392 agrees" in by_id["passport"]["explanation"]
    [bad] = [r for r in rows if r["row_id"] == "bad"]
    assert bad["status"] == "error" and "birth date '57'" in bad["error"]

    jsonl = tmp_path / "parties.jsonl"
    jsonl.write_text(
        json.dumps(
            {"id": "j", "name": QUERY, "birth_date": "1957-03-05", "id_number": ["AAIN29392"]}
        )
        + "\n",
        encoding="utf-8",
    )
    code, output = run(
        un_home, "batch", str(jsonl), "--out", "-", "--output-format", "jsonl", "--lists", "UN"
    )
    assert code == 0, output
    [row] = [json.loads(line) for line in io.StringIO(output) if line.startswith("{")]
    assert row["entry_id"] == ENTRY
    assert "birth date agrees" in row["explanation"] and "identifier" in row["explanation"]
