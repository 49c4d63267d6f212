"""Issue #12, item 1: "legal form and country agreeing" — an owners file may state the
owner's country (``owner_country``); an owner resolved by name must then agree with the
listed entry's country, and an unknown country is a one-line error."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from entityscreen.errors import EntityScreenError
from entityscreen.model import Party
from entityscreen.service import Screener

HIKVISION = "Hangzhou Hikvision Digital Technology Co., Ltd."


def owners(path: Path, country: str) -> Path:
    path.write_text(
        "owner_name,owner_country,owned_id,owned_name,share\n"
        f'"{HIKVISION}",{country},AC-1,Acme Optics Trading Ltd,60\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture()
def home(tmp_path: Path, fixtures: Path) -> Path:
    home = tmp_path / "home"
    with Screener.open(home) as s:
        assert s.import_path(fixtures / "csl" / "consolidated.csv").ok
    return home


def findings(home: Path) -> set[str]:
    with Screener.open(home) as s:
        party = Party(name="Acme Optics Trading Ltd", id="AC-1")
        result = s.screen(party, as_of=date(2026, 12, 3))
    return {f.rule_id for f in result.ownership if f.applies}


def test_an_owner_in_the_listed_country_resolves(home: Path, tmp_path: Path) -> None:
    with Screener.open(home) as s:
        s.import_ownership(owners(tmp_path / "o.csv", "China"))
        [edge] = s.store.ownership()
    assert edge.owner_country == "CN"
    assert "bis_affiliates" in findings(home)


def test_an_owner_in_another_country_is_not_the_listing(home: Path, tmp_path: Path) -> None:
    """A Hikvision of the same name registered in Germany is another company."""
    with Screener.open(home) as s:
        s.import_ownership(owners(tmp_path / "o.csv", "DE"))
    assert findings(home) == set()


def test_an_unknown_owner_country_is_one_line(home: Path, tmp_path: Path) -> None:
    refused = pytest.raises(EntityScreenError, match="unknown owner country 'Narnia'")
    with Screener.open(home) as s, refused:
        s.import_ownership(owners(tmp_path / "o.csv", "Narnia"))
