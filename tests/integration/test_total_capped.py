"""When the matcher's pool of name matches is full, the hit count is a lower bound and
every front end says so ("30 or more"), instead of presenting the pool as the total."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from entityscreen.model import Party
from entityscreen.service import Screener

from ._cli import run

# One country each: one name in one country is one listing (copies are merged).
COUNTRIES = [
    *("AE", "AF", "AL", "AM", "AO", "AR", "AT", "AU", "AZ", "BA", "BD", "BE", "BG", "BH", "BO"),
    *("BR", "BY", "CA", "CH", "CL", "CN", "CO", "CU", "CZ", "DE", "DK", "DZ", "EC", "EG", "ES"),
    *("FI", "FR", "GB", "GE", "GR", "HK", "HR", "HU", "ID", "IE", "IL", "IN", "IQ", "IR", "IT"),
]
HEADER = ("id", "name", "aliases", "type", "country", "address", "dob", "program", "remarks")


def _import(home: Path, tmp: Path, copies: int) -> None:
    path = tmp / f"namesakes-{copies}.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(copies):
            # One name, many listed parties (namesakes in many countries): all match alike.
            name = "Orvath Kestrel Holdings"
            w.writerow([f"N{i}", name, "", "entity", COUNTRIES[i], "", "", "X", ""])
    code, output = run(home, "lists", "import", str(path), "--format", "custom-csv")
    assert code == 0, output


@pytest.mark.parametrize(("copies", "capped"), [(45, True), (12, False)])
def test_a_full_pool_is_said_to_be_a_lower_bound(tmp_path: Path, copies: int, capped: bool) -> None:
    home = tmp_path / "home"
    _import(home, tmp_path, copies)
    with Screener.open(home) as s:
        result = s.screen(Party(name="Orvath Kestrel Holdings"), limit=2)
    assert len(result.hits) == 2
    assert result.total_capped is capped
    data = result.to_dict()
    assert data["total_is_lower_bound"] is capped
    if capped:
        # the pool for limit 2 is 30 name matches: 45 exist, 30 were counted
        assert result.total == 30 and result.not_shown == 28
    else:
        assert result.total == copies and result.not_shown == copies - 2
    code, output = run(home, "screen", "Orvath Kestrel Holdings", "--limit", "2")
    assert code == 0, output
    more = " or more" if capped else ""
    assert f"2 of {result.total}{more} matches shown; {result.not_shown}{more} not shown" in output
    code, output = run(home, "screen", "Orvath Kestrel Holdings", "--limit", "2", "--json")
    assert json.loads(output)["total_is_lower_bound"] is capped
