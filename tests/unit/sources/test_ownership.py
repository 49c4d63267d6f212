"""Ownership files: CSV with id or name columns, FtM Ownership entities, bad rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from entityscreen.errors import SourceError
from entityscreen.model import Ownership
from entityscreen.sources.ownership import name_key, read_ownership


def test_csv_ids_names_shares_and_dates(fixtures: Path) -> None:
    edges = read_ownership(fixtures / "ownership" / "edges.csv")
    assert edges[0] == Ownership(
        owner_id="us_csl:SDN:52291",
        owned_id="ACME-1",
        share=35.0,
        owner_name="RIM, Ryong Nam",
        owned_name="Acme Trading Ltd",
        since="2020-01-01",
    )
    # no owner id: the node is keyed by the owner's name
    assert edges[1].owner_id == name_key("Hangzhou Hikvision Digital Technology Co., Ltd.")
    assert edges[1].share == 25.0
    assert edges[2].share == 60.0 and edges[2].since is None


def test_unknown_share_is_kept_as_none(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text("Owner Name;Owned Name;Percentage\nAlpha;Beta;\n", encoding="utf-8")
    [edge] = read_ownership(path)
    assert edge.share is None and edge.owned_id == "name:beta"


def test_ftm_ownership_entities(fixtures: Path) -> None:
    [edge] = read_ownership(fixtures / "ownership" / "ftm_ownership.json")
    assert (edge.owner_id, edge.owned_id, edge.share) == (
        "opensanctions:NK-owner",
        "opensanctions:NK-asset",
        51.0,
    )
    assert edge.since == "2020-02-01"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("owner_name,owned_name,share\nA,B,abc\n", "is not a number"),
        ("owner_name,owned_name,share\nA,B,150\n", "not a percent"),
        ("owned_name,share\nB,40\n", "owner_id or owner_name"),
        ("owner_name,owned_name\nA,B\n", "needs a share column"),
        ("owner_name,owned_name,share\nA,B,10,extra\n", "expected 3 fields"),
        ("owner_name,owned_name,share,since\nA,B,10,someday\n", "unreadable date"),
        ("owner_name,owned_name,share\n,B,10\n", "names no owner"),
        ("owner_name,owned_name,share\n", "no ownership rows"),
    ],
)
def test_bad_rows_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=message):
        read_ownership(path)


def test_binary_garbage(tmp_path: Path) -> None:
    path = tmp_path / "garbage.csv"
    path.write_bytes(b"\x00\xff\x10" * 100)
    with pytest.raises(SourceError, match="binary data"):
        read_ownership(path)
