"""Issue #14: ``--algorithm ofac`` on ``screen`` and ``compare``, through the CLI and the
service, on a store of our own CSL fixture (the vessel "DANIEL" is on the SDN list)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from entityscreen.errors import InputError
from entityscreen.model import Party
from entityscreen.service import Screener

from ._cli import run


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, fixtures: Path) -> Path:
    home = tmp_path_factory.mktemp("ofac") / "home"
    code, output = run(home, "lists", "import", str(fixtures / "csl" / "consolidated.csv"))
    assert code == 0, output
    return home


def test_screen_ofac_lists_what_sls_would(home: Path) -> None:
    # One shared word carries a short listed name in SLS (its whole-name Jaro-Winkler);
    # our own algorithm does not alert.
    code, output = run(home, "screen", "DANIEL SMITH", "--algorithm", "ofac", "--json")
    assert code == 0, output
    data = json.loads(output)
    assert data["algorithm"] == "ofac-sls-1"
    assert data["threshold"] == 0.8
    [hit] = data["matches"]
    assert hit["listed_name"] == "DANIEL" and hit["score"] == 0.9
    assert hit["features"]["ofac_score"] == 90.0
    assert hit["explanation"].startswith("OFAC-style score 90: whole name 90")
    code, output = run(home, "screen", "DANIEL SMITH", "--json")
    ours = json.loads(output)
    assert ours["algorithm"].startswith("entityscreen-match")
    assert ours["matches"] == []


def test_screen_ofac_threshold_and_table(home: Path) -> None:
    code, output = run(home, "screen", "DANIEL SMITH", "--algorithm", "ofac", "--threshold", "1")
    assert code == 0, output
    assert "No name match for 'DANIEL SMITH' at threshold 1.00." in output
    code, output = run(home, "screen", "Ryong Nam Rim", "--algorithm", "OFAC")
    assert code == 0, output
    assert "RIM, Ryong Nam" in output and "1.00" in output


def test_unknown_algorithm_is_one_line_and_exit_1(home: Path) -> None:
    for args in (["screen", "DANIEL"], ["compare", "A B", "A C"]):
        code, output = run(home, *args, "--algorithm", "jaro")
        assert code == 1
        assert output.strip().splitlines()[-1] == (
            "error: unknown algorithm 'jaro'; use one of entityscreen, ofac"
        )


def test_compare_ofac_one_pair_and_many(home: Path, tmp_path: Path) -> None:
    code, output = run(home, "compare", "GEORGE BUSH", "HASWANI, George", "--algorithm", "ofac")
    assert code == 0, output
    assert output.startswith("0.500 no match (threshold 0.80)")
    assert "'BUSH' ~ 'HASWANI' 46, under 50: 0" in output
    pairs = tmp_path / "pairs.csv"
    pairs.write_text('name1,name2\nPUTIN,"PUTIN, Vladimir"\nBUSH GEORGE,GEORGIOU\n,x\n')
    out = tmp_path / "scores.csv"
    code, output = run(
        home, "compare", "--pairs", str(pairs), "--out", str(out), "--algorithm", "ofac"
    )
    assert code == 0, output
    lines = out.read_text().splitlines()
    assert lines[1] == 'PUTIN,"PUTIN, Vladimir",1.0000,True,'
    assert lines[2].startswith("BUSH GEORGE,GEORGIOU,0.") and lines[2].endswith(",False,")
    assert lines[3].endswith("name has no letters or digits")


def test_service_checks_the_algorithm_before_reading(home: Path) -> None:
    with Screener.open(home) as screener:
        with pytest.raises(InputError, match="unknown algorithm 'x'"):
            screener.screen(Party(name="DANIEL"), algorithm="x")
        with pytest.raises(InputError, match="threshold must be between 0 and 1"):
            screener.screen(Party(name="DANIEL"), algorithm="ofac", threshold=80)
        result = screener.screen(Party(name="DANIEL SMITH"), algorithm="ofac", threshold=0.95)
        assert result.hits == [] and result.algorithm == "ofac-sls-1"
        assert screener.compare("PUTIN", "PUTIN, Vladimir", algorithm="ofac").score == 1.0


def test_as_of_screens_removed_entries_with_the_ofac_score(
    shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # MUGABE, Robert Gabriel left the SDN list between these two snapshots: screening as
    # of the first date finds him through the index of removed entries, scored OFAC-style.
    home = tmp_path_factory.mktemp("sdnasof_ofac") / "home"
    with Screener.open(home) as screener:
        for folder in ("ofac_sdn_2023-12-28", "ofac_sdn_2024-05-03"):
            result = screener.import_path(
                shared_data / folder / "sdn.csv", source="us_ofac_sdn", partial=True
            )
            assert result.ok, result.message
        party = Party(name="Robert Mugabe")
        then = screener.screen(party, as_of=date(2023, 12, 28), algorithm="ofac")
        [hit] = [h for h in then.hits if h.match.entry_id == "us_ofac_sdn:7480"]
        assert hit.match.score == 1.0 and hit.match.explanation.startswith("OFAC-style")
        assert hit.listing is not None and hit.listing.listed is True
        assert then.algorithm == "ofac-sls-1"
        now = screener.screen(party, algorithm="ofac")
        assert "us_ofac_sdn:7480" not in {h.match.entry_id for h in now.hits}
