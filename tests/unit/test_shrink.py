"""The shrink guard's decisions (entityscreen.service.shrink, issue #13 item 1)."""

from __future__ import annotations

import pytest

from entityscreen.errors import InputError
from entityscreen.service.shrink import check_import, delisting_refusal
from entityscreen.settings import Settings, parse_percent

CSL = {"EL": 2001, "SDN": 10026, "DPL": 462, "MEU": 71}


def test_an_ordinary_update_passes() -> None:
    assert check_import("us_csl", CSL, {**CSL, "EL": 1990, "SDN": 10100}, limit=0.2) is None
    assert check_import("us_csl", CSL, {**CSL, "FSE": 3}, limit=0.2) is None


def test_a_first_import_is_never_a_shrink_but_an_empty_one_is_refused() -> None:
    assert check_import("us_csl", None, {"EL": 3}, limit=0.2) is None
    empty = check_import("us_bis_dpl", None, {}, limit=0.2)
    assert empty is not None
    assert empty.refusal() == (
        "import refused: us_bis_dpl: the file holds 0 entries (a first import): it would leave "
        "the list empty (a truncated download?); nothing was stored; if this is right, re-run "
        "with --allow-shrink"
    )


def test_emptying_a_list_is_refused_with_the_counts() -> None:
    shrink = check_import("us_csl", CSL, {}, limit=0.2)
    assert shrink is not None
    text = shrink.refusal()
    assert text.startswith("import refused: us_csl 12,560 -> 0 entries (-100.0%); drops sub-lists")
    assert "DPL (462), EL (2,001), MEU (71), SDN (10,026)" in text
    assert "(the current snapshot stays)" in text and text.endswith("re-run with --allow-shrink")
    assert "\n" not in text


def test_the_share_is_a_limit_not_a_trigger() -> None:
    old = {"SDN": 1000}
    assert check_import("s", old, {"SDN": 800}, limit=0.2) is None  # exactly 20%: allowed
    over = check_import("s", old, {"SDN": 799}, limit=0.2)
    assert over is not None and "by more than 20%" in over.refusal()
    assert "-20.1%" in over.describe()
    assert check_import("s", old, {"SDN": 799}, limit=0.5) is None


def test_dropping_a_sub_list_is_refused_even_when_the_total_grows() -> None:
    shrink = check_import("us_csl", CSL, {"SDN": 12600, "DPL": 462, "MEU": 71}, limit=0.2)
    assert shrink is not None
    assert shrink.dropped == {"EL": 2001}
    assert "drops sub-list EL (2,001): it drops whole sub-lists" in shrink.refusal()
    assert shrink.audit() == {
        "allow_shrink": True,
        "shrink": {
            "old_entries": 12560,
            "new_entries": 13133,
            "dropped_lists": {"EL": 2001},
            "limit_percent": 20.0,
        },
    }


def test_an_empty_source_may_stay_empty() -> None:
    assert check_import("custom", {}, {}, limit=0.2) is None


def test_delisting_share() -> None:
    assert delisting_refusal(0, 0, limit=0.2) is None
    assert delisting_refusal(2, 10, limit=0.2) is None
    refusal = delisting_refusal(595, 600, limit=0.2)
    assert refusal is not None
    assert refusal.startswith(
        "monitor refused: this run would mark 595 of 600 alerts delisted (99.2%, over the 20% "
        "limit)"
    )
    assert refusal.endswith("re-run with --allow-shrink")


def test_percent_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_percent("20", name="x") == 0.2
    assert parse_percent(" 5% ", name="x") == 0.05
    for bad in ("abc", "-1", "101", "nan", ""):
        with pytest.raises(InputError, match=r"^x: expected a percentage from 0 to 100"):
            parse_percent(bad, name="x")
    monkeypatch.setenv("ENTITYSCREEN_MAX_SHRINK", "35")
    monkeypatch.setenv("ENTITYSCREEN_MAX_DELISTED", "50%")
    settings = Settings.from_env("/tmp/unused")
    assert (settings.max_shrink, settings.max_delisted) == (0.35, 0.5)
    monkeypatch.setenv("ENTITYSCREEN_MAX_SHRINK", "lots")
    with pytest.raises(InputError, match="ENTITYSCREEN_MAX_SHRINK: expected a percentage"):
        Settings.from_env("/tmp/unused")
    monkeypatch.delenv("ENTITYSCREEN_MAX_SHRINK")
    monkeypatch.delenv("ENTITYSCREEN_MAX_DELISTED")
    assert Settings.from_env("/tmp/unused").max_shrink == 0.2
