"""Settings from the environment: the list age limits, and where the store is."""

from __future__ import annotations

from pathlib import Path

import pytest

from entityscreen.errors import InputError
from entityscreen.settings import Settings, parse_max_age, parse_store_url


def test_parse_max_age() -> None:
    assert parse_max_age("") == (7, {})
    assert parse_max_age("14") == (14, {})
    assert parse_max_age("14, un=30,DPL=2") == (14, {"UN": 30, "DPL": 2})
    assert parse_max_age("UN=30") == (7, {"UN": 30})


@pytest.mark.parametrize("text", ["seven", "7,UN=", "=3", "7,UN=x", "-1"])
def test_bad_max_age_is_one_line(text: str) -> None:
    with pytest.raises(InputError, match="ENTITYSCREEN_MAX_AGE_DAYS: expected days"):
        parse_max_age(text)


def test_from_env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.setenv("ENTITYSCREEN_MAX_AGE_DAYS", "10,UN=45")
    settings = Settings.from_env(str(tmp_path))
    assert (settings.max_age_days, dict(settings.max_age_by_list)) == (10, {"UN": 45})
    monkeypatch.delenv("ENTITYSCREEN_MAX_AGE_DAYS")
    assert Settings.from_env(str(tmp_path)).max_age_days == 7


def test_store_urls_are_read_in_one_place(tmp_path: Path) -> None:
    pg = parse_store_url("postgresql://es:pw@db/es")
    assert pg.postgres and pg.path is None and pg.url == "postgresql://es:pw@db/es"
    assert parse_store_url("postgres://db/es").postgres
    lite = parse_store_url(f"sqlite:///{tmp_path}/store.sqlite")
    assert not lite.postgres and lite.path == tmp_path / "store.sqlite"
    with pytest.raises(InputError, match="unknown store 'mysql://x'"):
        parse_store_url("mysql://x")
    base = Settings(home=tmp_path / "default")
    # serve --store: a SQLite file or folder becomes the home; PostgreSQL keeps the home.
    assert base.with_store(f"sqlite:///{tmp_path}/a/store.sqlite").home == tmp_path / "a"
    assert base.with_store(f"sqlite:///{tmp_path}/b").home == tmp_path / "b"
    on_pg = base.with_store("postgresql://db/es")
    assert (on_pg.home, on_pg.store_url) == (base.home, "postgresql://db/es")
    assert base.with_store(None) is base


def test_session_hours(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    from entityscreen.settings import parse_session_hours

    assert Settings.from_env(str(tmp_path)).session_hours == 12.0
    monkeypatch.setenv("ENTITYSCREEN_SESSION_HOURS", "0.5")
    assert Settings.from_env(str(tmp_path)).session_hours == 0.5
    for bad in ("", "soon", "0", "-1", "nan", "inf"):
        with pytest.raises(InputError, match="ENTITYSCREEN_SESSION_HOURS: expected hours"):
            parse_session_hours(bad)
