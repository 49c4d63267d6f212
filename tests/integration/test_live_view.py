"""A Screener that stays open (the API's, a worker's) answers from the store's data as it
now is (issue #11): a list import or an ownership import done through another Screener,
as another process would, shows in its next answer, without a restart; and one answer is
read from one view of the lists, even when an import commits while it is being written.

Real components throughout: small CSL files in the published layout
(:mod:`tests.integration._snapshots`), the SQLite store, the matcher, the FastAPI app.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from entityscreen.api import create_app
from entityscreen.batch.io import InputRow
from entityscreen.cli import app as cli_app
from entityscreen.model import Party
from entityscreen.results import ScreeningResult
from entityscreen.service import Screener
from entityscreen.service.view import lists_key

from ._snapshots import (
    BOREALIS,
    FIRST,
    HARBOURLINE,
    QUILLFEATHER,
    QUILLFEATHER_ID,
    SECOND,
    THIRD,
    ZENITH,
    ZENITH_ID,
    write_csl,
    write_ownership,
)

#: The snapshots' publication dates, and a day after the second.
DAY1, DAY2, DAY3 = date(2024, 1, 10), date(2024, 3, 1), date(2024, 6, 3)
AFTER_SECOND = date(2024, 4, 1)


def import_snapshot(home: Path, rows: tuple[dict[str, str], ...], day: date) -> int:
    """Import a snapshot through a Screener of its own, as another process would.

    The second snapshot drops the Entity List (Borealis is its one row) on purpose: the
    shrink guard would refuse that, so these imports allow it (issue #13)."""
    with Screener.open(home) as other:
        path = write_csl(home.parent / day.isoformat(), rows)
        result = other.import_path(path, published=day, allow_shrink=True)
        assert result.status == "imported" and result.snapshot is not None, result.message
        other.view()  # the importing process saves the new index, as `lists import` does
        return result.snapshot.id


def import_ownership(home: Path, share: float) -> None:
    with Screener.open(home) as other:
        path = write_ownership(home.parent / f"ownership-{share:g}.csv", share)
        assert other.import_ownership(path, source="registry") == 1


def hit_ids(result: ScreeningResult) -> list[str]:
    return [h.match.entry_id for h in result.hits]


def programs(result: ScreeningResult, entry_id: str) -> tuple[str, ...]:
    [hit] = [h for h in result.hits if h.match.entry_id == entry_id]
    return hit.legal.programs


@pytest.fixture
def opened(home: Path) -> Iterator[Screener]:
    """A Screener over a home holding the first snapshot, open for the whole test."""
    first = import_snapshot(home, FIRST, DAY1)
    with Screener.open(home) as screener:
        assert [s.id for s in screener.screen(Party(name=ZENITH)).snapshots] == [first]
        yield screener


def test_open_screener_answers_from_a_snapshot_imported_elsewhere(
    opened: Screener, home: Path
) -> None:
    a = opened
    before = a.screen(Party(name=ZENITH))
    assert programs(before, ZENITH_ID) == ("IRAN",)
    assert "programs: IRAN)" in before.hits[0].legal.verdict
    [borealis] = hit_ids(a.screen(Party(name=BOREALIS)))
    # Borealis's presence in the snapshots, cached by an as-of answer before the import.
    assert hit_ids(a.screen(Party(name=BOREALIS), as_of=AFTER_SECOND)) == [borealis]
    assert not a.screen(Party(name=QUILLFEATHER)).hits

    second = import_snapshot(home, SECOND, DAY2)

    after = a.screen(Party(name=ZENITH))
    assert [s.id for s in after.snapshots] == [second]
    assert after.hits[0].snapshot == (second, DAY2.isoformat())
    assert programs(after, ZENITH_ID) == ("IRAN", "SDGT")
    assert "programs: IRAN, SDGT)" in after.hits[0].legal.verdict
    assert a.entry(ZENITH_ID).programs == ("IRAN", "SDGT")
    # The removed entry is no longer a current hit, and on a date after its removal it is
    # reported as not listed then (the presence cache followed the snapshots).
    assert borealis not in hit_ids(a.screen(Party(name=BOREALIS)))
    dated = a.screen(Party(name=BOREALIS), as_of=AFTER_SECOND)
    assert not dated.hits
    [gone] = dated.not_listed
    assert gone.match.entry_id == borealis and gone.listing is not None
    assert gone.listing.listed is False
    assert "absent from 2024-03-01" in gone.listing.evidence
    # ... and before its removal it was listed.
    assert hit_ids(a.screen(Party(name=BOREALIS), as_of=date(2024, 2, 1))) == [borealis]
    assert hit_ids(a.screen(Party(name=QUILLFEATHER))) == [QUILLFEATHER_ID]
    assert {(r.list, r.entries, r.snapshot.id) for r in a.list_status()} == {("SDN", 2, second)}


def test_two_imports_in_a_row_are_each_seen(opened: Screener, home: Path) -> None:
    a = opened
    first_view = a.view()
    second = import_snapshot(home, SECOND, DAY2)
    assert programs(a.screen(Party(name=ZENITH)), ZENITH_ID) == ("IRAN", "SDGT")
    second_view = a.view()
    assert second_view is not first_view
    assert [s.id for s in second_view.snapshots] == [second]
    assert not a.screen(Party(name=BOREALIS)).hits

    third = import_snapshot(home, THIRD, DAY3)
    result = a.screen(Party(name=ZENITH))
    assert [s.id for s in result.snapshots] == [third]
    assert programs(result, ZENITH_ID) == ("SDGT",)
    assert len(a.screen(Party(name=BOREALIS)).hits) == 1  # listed again
    assert a.view() is not second_view and a.view() is a.view()  # no rebuild per request
    assert a.view().index_key == lists_key(a.store.current_snapshots())


def test_open_screener_sees_an_ownership_import(opened: Screener, home: Path) -> None:
    a = opened
    party = Party(name=HARBOURLINE)
    assert a.screen(party).ownership == ()
    assert a.ownership_graph().edges == []
    lists_view = a.view()

    import_ownership(home, 60)
    [finding] = a.screen(party).ownership
    assert finding.rule_id == "ofac_50" and finding.total == 60.0
    assert finding.reaches_threshold and finding.listed_codes == {"SDN"}
    assert [e["owner_id"] for e in a.ownership_around("HL-1")] == [ZENITH_ID]
    # Only the ownership changed: the new view shares the index instead of reloading it.
    assert a.view() is not lists_view and a.view().index is lists_view.index

    # The same file's edges replaced by a smaller share: seen too, no finding now.
    import_ownership(home, 30)
    assert a.screen(party).ownership == ()
    assert [e.share for e in a.ownership_graph().edges] == [30.0]


def test_an_answer_never_mixes_two_views(opened: Screener, home: Path) -> None:
    """An import that commits while an answer is being written does not leak into it: what
    the answer reads lazily (here an entry not read before) comes from its own view."""
    a = opened
    view = a.view()
    first = [s.id for s in view.snapshots]
    import_snapshot(home, SECOND, DAY2)
    old = a.screen(Party(name=ZENITH), view=view)
    assert [s.id for s in old.snapshots] == first
    assert programs(old, ZENITH_ID) == ("IRAN",)
    assert view.entry(ZENITH_ID).programs == ("IRAN",)
    # A batch is one answer: rows after an import are still screened against the lists
    # it started with.
    rows = [InputRow(n, str(n), Party(name=ZENITH)) for n in (1, 2)]
    batch = a.screen_rows(iter(rows), chunk_size=1)
    _, row1 = next(batch)
    import_snapshot(home, THIRD, DAY3)
    _, row2 = next(batch)
    assert row1 is not None and row2 is not None
    assert [s.id for s in row1.snapshots] == [s.id for s in row2.snapshots]
    assert programs(row1, ZENITH_ID) == programs(row2, ZENITH_ID) == ("IRAN", "SDGT")
    # The next answer is the newest data.
    assert programs(a.screen(Party(name=ZENITH)), ZENITH_ID) == ("SDGT",)


def test_an_answer_arriving_during_a_build_uses_the_last_view(opened: Screener, home: Path) -> None:
    a = opened
    view = a.view()
    import_snapshot(home, SECOND, DAY2)
    with a._view_lock:  # as while another thread builds the next view
        assert a.view() is view
        assert programs(a.screen(Party(name=ZENITH)), ZENITH_ID) == ("IRAN",)
    assert programs(a.screen(Party(name=ZENITH)), ZENITH_ID) == ("IRAN", "SDGT")


def test_served_api_sees_imports_done_elsewhere(home: Path) -> None:
    import_snapshot(home, FIRST, DAY1)
    with Screener.open(home) as s:
        _, key = s.create_key("bob", "screener", actor=s.operator)
    headers = {"Authorization": f"Bearer {key}"}

    def screen(name: str) -> dict[str, Any]:
        response = client.post("/screen", json={"party": {"name": name}}, headers=headers)
        assert response.status_code == 200, response.text
        [result] = response.json()["results"]
        return cast(dict[str, Any], result)

    def snapshot_ids(result: dict[str, Any]) -> list[int]:
        return [s["id"] for s in result["snapshots"]]

    def zenith_programs(result: dict[str, Any]) -> list[str]:
        [match] = [m for m in result["matches"] if m["entry_id"] == ZENITH_ID]
        return cast(list[str], match["legal"]["programs"])

    with TestClient(create_app(home)) as client:
        assert zenith_programs(screen(ZENITH)) == ["IRAN"]
        assert screen(HARBOURLINE)["ownership"] == []
        assert screen(BOREALIS)["matches"]

        second = import_snapshot(home, SECOND, DAY2)
        result = screen(ZENITH)
        assert snapshot_ids(result) == [second]
        assert zenith_programs(result) == ["IRAN", "SDGT"]
        assert screen(BOREALIS)["matches"] == []
        assert [m["entry_id"] for m in screen(QUILLFEATHER)["matches"]] == [QUILLFEATHER_ID]
        entity = client.get(f"/entities/{ZENITH_ID}", headers=headers).json()
        assert entity["entry"]["programs"] == ["IRAN", "SDGT"]
        lists = client.get("/lists", headers=headers).json()
        assert {(r["list"], r["snapshot"]) for r in lists} == {("SDN", second)}
        query = {"q": {"schema": "Company", "properties": {"name": [ZENITH]}}}
        matched = client.post("/match/SDN", json={"queries": query}, headers=headers).json()
        [entity_match] = matched["responses"]["q"]["results"]
        assert entity_match["properties"]["programId"] == ["IRAN", "SDGT"]

        import_ownership(home, 60)
        [finding] = screen(HARBOURLINE)["ownership"]
        assert finding["rule"] == "ofac_50" and finding["total"] == 60.0

        third = import_snapshot(home, THIRD, DAY3)
        result = screen(ZENITH)
        assert snapshot_ids(result) == [third]
        assert zenith_programs(result) == ["SDGT"]
        assert client.get("/readyz").json() == {"status": "ready", "snapshots": 1}


def test_cli_imports_leave_the_index_built(home: Path) -> None:
    """`lists import`, `lists update` and `ownership import` persist the index of the lists
    as they leave them: no later `screen` or API request builds it."""
    runner = CliRunner()
    env = {"ENTITYSCREEN_HOME": str(home)}
    folder = home / "index"

    def indexes() -> list[str]:
        return sorted(p.name for p in folder.glob("lists-*.idx"))

    def expected() -> list[str]:
        with Screener.open(home) as s:
            return [f"lists-{lists_key(s.store.current_snapshots())}.idx"]

    path = write_csl(home.parent / "first", FIRST)
    result = runner.invoke(cli_app, ["lists", "import", str(path)], env=env)
    assert result.exit_code == 0, result.output
    assert indexes() == expected()

    mirror = home.parent / "mirror"
    write_csl(mirror / "csl", SECOND)
    result = runner.invoke(
        cli_app,
        # SECOND drops the Entity List row: allowed past the shrink guard (issue #13)
        ["lists", "update", "--mirror", str(mirror), "--source", "us_csl", "--allow-shrink"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    assert "imported us_csl" in result.output
    assert indexes() == expected()

    for idx in folder.glob("lists-*.idx"):
        idx.unlink()
    own = write_ownership(home.parent / "own.csv", 60)
    result = runner.invoke(cli_app, ["ownership", "import", str(own)], env=env)
    assert result.exit_code == 0, result.output
    assert indexes() == expected()


def test_a_server_waits_for_the_importer_to_save_the_index(opened: Screener, home: Path) -> None:
    """A server (``defer_view_builds``) keeps answering from its last view while the
    importing process has not saved the new index, instead of building it on a request's
    time; once the index is saved, the next answer uses it."""
    a = opened
    a.defer_view_builds = True
    before = a.view()
    with Screener.open(home) as other:
        path = write_csl(home.parent / "deferred", SECOND)  # drops the EL row: allowed
        result = other.import_path(path, published=DAY2, allow_shrink=True)
        assert result.status == "imported" and result.snapshot is not None
        # Not saved yet: the server's answers stay on the complete view it has.
        assert a.view() is before
        assert programs(a.screen(Party(name=ZENITH)), ZENITH_ID) == ("IRAN",)
        other.view()  # the importer saves the index (as `lists import` does)
    after = a.view()
    assert after is not before
    assert [s.id for s in after.snapshots] == [result.snapshot.id]
    assert programs(a.screen(Party(name=ZENITH)), ZENITH_ID) == ("IRAN", "SDGT")


def test_a_batch_after_an_import_reports_and_audits_the_new_lists(
    opened: Screener, home: Path
) -> None:
    """The lists' part of each batch row and audit record is rendered once per view: a
    new list version is rendered anew, never answered from the old one's text."""
    from entityscreen.results import batch_rows
    from entityscreen.store.audit import canonical

    a = opened

    def batch() -> tuple[list[ScreeningResult], list[dict[str, str]]]:
        rows = [InputRow(n, f"R{n}", Party(name=ZENITH)) for n in (1, 2)]
        done = [(row, r) for row, r in a.screen_rows(iter(rows)) if r is not None]
        return [r for _, r in done], [o for row, r in done for o in batch_rows(row, r)]

    first, first_rows = batch()
    second_id = import_snapshot(home, SECOND, DAY2)
    second, second_rows = batch()
    for result in (*first, *second):
        assert result.audit_text() == canonical(result.audit_record())
    logged = [r.data for r in a.store.audit_records() if r.kind == "screening"][-4:]
    assert logged == [r.audit_record() for r in (*first, *second)]
    assert [d["snapshots"]["us_csl"][0] for d in logged[2:]] == [second_id, second_id]
    assert logged[0]["snapshots"] != logged[2]["snapshots"]
    assert logged[0]["snapshot_dates"]["us_csl"]["date"] == DAY1.isoformat()
    assert logged[2]["snapshot_dates"]["us_csl"]["date"] == DAY2.isoformat()
    assert f"snapshot {second_id} of {DAY2.isoformat()}" in second_rows[0]["list_dates"]
    assert first_rows[0]["list_dates"] != second_rows[0]["list_dates"]
    assert first_rows[0]["list_dates"] == first_rows[1]["list_dates"]
