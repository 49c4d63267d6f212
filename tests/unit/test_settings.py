"""Settings from the environment: the list age limits."""

from __future__ import annotations

import pytest

from entityscreen.errors import InputError
from entityscreen.settings import Settings, parse_max_age


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
