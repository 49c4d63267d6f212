"""`screen`, `compare`, `batch` and `ownership` end to end through the CLI and the service.

A small store is loaded from our own CSL fixture (Hikvision on the Entity List, an NPWMD
SDN, ...); the as-of tests on real data load the CSL 2022 and both SDN snapshots.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from entityscreen.errors import InputError
from entityscreen.model import Party
from entityscreen.service import Screener

from ._cli import run


@pytest.fixture(scope="module")
def fx_home(tmp_path_factory: pytest.TempPathFactory, fixtures: Path) -> Path:
    home = tmp_path_factory.mktemp("fx") / "home"
    code, output = run(home, "lists", "import", str(fixtures / "csl" / "consolidated.csv"))
    assert code == 0, output
    return home


def test_screen_table_shows_hit_verdict_and_flag(fx_home: Path) -> None:
    code, output = run(fx_home, "screen", "HANGZHOU HIKVISION DIGITAL TECH CO LTD")
    assert code == 0, output
    assert "Hangzhou Hikvision" in output
    assert "Entity List since 2019-10-09 (84 FR 54002)" in output
    assert "presumption of denial" in output
    assert "Section 889 covered company" in output


def test_screen_json_has_legal_facts(fx_home: Path) -> None:
    code, output = run(fx_home, "screen", "Hikvision", "--json")
    assert code == 0, output
    data = json.loads(output)
    [hit] = [m for m in data["matches"] if m["list"] == "EL"]
    assert hit["score"] == 1.0
    legal = hit["legal"]
    assert legal["first_listed"] == "2019-10-09" and legal["first_listed_basis"] == "start date"
    assert [(c["volume"], c["page"]) for c in legal["citations"]] == [(84, 54002), (85, 44159)]
    assert legal["requirement"] == "all_items_subject_to_ear"
    assert legal["policy"] == "mixed"
    assert [p["kind"] for p in legal["policy_parts"]][-1] == "presumption_of_denial"
    assert hit["verdict"].startswith("Entity List since 2019-10-09 (84 FR 54002)")
    assert data["as_of"] is None and data["algorithm"] and data["snapshots"]
    # Hikvision's listed address is in China: Country Group D:5, read from the entry.
    assert {f["code"] for f in data["flags"]} == {"NDAA889", "COUNTRY_GROUP"}
    [d5] = [f for f in data["flags"] if f["code"] == "COUNTRY_GROUP"]
    assert d5["id"] == "country_group_d5:CN" and d5["basis"] == "listed address"
    assert "Hangzhou Hikvision" in d5["reason"] and d5["verified"] is False


def test_screen_flags_destinations_of_party_address_and_listed_entry(fx_home: Path) -> None:
    """Issue #12: flags read the party's country, the country its address names and the
    listed entry's own address, not only the country the user typed."""
    code, output = run(
        fx_home, "screen", "Blue Harbour Shipping", "--address", "Tverskaya 7, Moscow, Russia",
        "--json",
    )
    assert code == 0, output
    flags = {f["id"]: f for f in json.loads(output)["flags"]}
    assert flags["ru_by_746_8:RU"]["basis"] == "address"
    assert "license requirement" in flags["ru_by_746_8:RU"]["applies"][0]
    assert "country_group_d5:RU" in flags
    code, output = run(fx_home, "screen", "Blue Harbour Shipping", "--country", "Belarus", "--json")
    flags = {f["id"]: f for f in json.loads(output)["flags"]}
    assert flags["ru_by_746_8:BY"]["basis"] == "country"
    # Before the Belarus rule took effect (2022-03-02), no 746.8 flag.
    code, output = run(
        fx_home, "screen", "Blue Harbour Shipping", "--country", "BY", "--as-of", "2022-03-01",
        "--json",
    )
    assert "ru_by_746_8:BY" not in {f["id"] for f in json.loads(output)["flags"]}
    # No country given: the listed entity's address in China still tells.
    code, output = run(fx_home, "screen", "Hikvision", "--json")
    flags = {f["id"]: f for f in json.loads(output)["flags"]}
    assert flags["country_group_d5:CN"]["basis"] == "listed address"
    # An ordinary party with no destination gets no country flag.
    code, output = run(fx_home, "screen", "Blue Harbour Shipping", "--country", "NO", "--json")
    assert json.loads(output)["flags"] == []


def test_screen_flags_section_889_affiliates_known_by_name(fx_home: Path) -> None:
    """Issue #12: subsidiaries and affiliates with no ownership data (EZVIZ, Lorex)."""
    for name, company in [("EZVIZ Inc.", "Hikvision"), ("Lorex Technology Inc", "Dahua")]:
        code, output = run(fx_home, "screen", name, "--json")
        assert code == 0, output
        [flag] = [f for f in json.loads(output)["flags"] if f["code"] == "NDAA889"]
        assert flag["basis"] == "name" and company in flag["title"]
        assert flag["verified"] is False


def test_screen_as_of_uses_the_entry_dates(fx_home: Path) -> None:
    code, output = run(fx_home, "screen", "Hikvision", "--as-of", "2019-10-08", "--json")
    assert code == 0, output
    before = json.loads(output)
    assert not [m for m in before["matches"] if m["list"] == "EL"]
    [gone] = before["not_listed_on_date"]
    assert gone["listed_on_date"]["listed"] is False
    assert "start date 2019-10-09" in gone["listed_on_date"]["evidence"]
    code, output = run(fx_home, "screen", "Hikvision", "--as-of", "2019-10-09", "--json")
    after = json.loads(output)
    [hit] = [m for m in after["matches"] if m["list"] == "EL"]
    assert hit["listed_on_date"]["listed"] is True
    assert hit["listed_on_date"]["basis"] == "entry_dates"


def test_screen_embargo_flag_from_address(fx_home: Path) -> None:
    code, output = run(
        fx_home, "screen", "Blue Harbour Shipping", "--address", "12 Lenina St, Sevastopol"
    )
    assert code == 0, output
    # No name match, but the embargoed region decides the verdict (issue #14).
    assert output.startswith("LICENSE REQUIRED Blue Harbour Shipping: Embargoed destination")
    assert "No name match" in output
    assert "FLAG" in output and "Crimea" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["screen", ""], "no name"),
        (["screen", "x" * 20_000], "at most 10,000 are accepted"),
        (["screen", "Acme", "--as-of", "yesterday"], "--as-of takes a date"),
        (["screen", "Acme", "--threshold", "1.5"], "threshold must be between 0 and 1"),
        (["screen", "Acme", "--schema", "planet"], "unknown schema"),
    ],
)
def test_screen_bad_input_is_one_line(fx_home: Path, args: list[str], message: str) -> None:
    code, output = run(fx_home, *args)
    assert code != 0
    assert message in output
    assert "Traceback" not in output


def test_compare_one_pair_and_many(fx_home: Path, tmp_path: Path) -> None:
    code, output = run(fx_home, "compare", "SIS DOO", "SIS d.o.o.", "--json")
    assert code == 0, output
    assert json.loads(output)["match"] is True
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "name1,name2,schema\nEMMA LLC,Emma Daniels,\n11420 CORP.,BELLETECH CORP,organization\n"
        'GUANGZHOU HAIGE COMM GRP,"Guangzhou Haige Communication Group Co., Ltd.",\n',
        encoding="utf-8",
    )
    out = tmp_path / "scores.csv"
    code, output = run(fx_home, "compare", "--pairs", str(pairs), "--out", str(out))
    assert code == 0, output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["match"] for r in rows] == ["False", "False", "True"]
    assert all(0.0 <= float(r["score"]) <= 1.0 for r in rows)


def test_huge_and_control_only_names_are_refused(fx_home: Path) -> None:
    with Screener.open(fx_home) as screener:
        for name in ("x" * 10_000_000, "\x00\x01\u200b"):
            with pytest.raises(InputError):
                screener.screen(Party(name=name))


def test_main_prints_one_line_for_bad_input(fx_home: Path) -> None:
    """The console script itself: one line on stderr, exit 1, no traceback."""
    proc = subprocess.run(
        [sys.executable, "-m", "entityscreen", "screen", "\x01\x02\x7f"],
        env={**os.environ, "ENTITYSCREEN_HOME": str(fx_home)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1
    assert "Traceback" not in proc.stderr


def test_compare_pairs_wrong_columns(fx_home: Path, tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("a,b\nx,y\n", encoding="utf-8")
    code, output = run(fx_home, "compare", "--pairs", str(pairs))
    assert code != 0 and "needs columns name1,name2" in output


def test_batch_accounts_for_every_row(fx_home: Path, tmp_path: Path) -> None:
    src = tmp_path / "parties.csv"
    src.write_text(
        "id,name,country\n"
        "1,Hangzhou Hikvision Digital Technology Co Ltd,CN\n"
        "2,Completely Unlisted Bakery,FR\n"
        "3,\n"
        "4,Oriental Engineers,PK\n",
        encoding="utf-8",
    )
    out = tmp_path / "hits.csv"
    code, output = run(fx_home, "batch", str(src), "--out", str(out), "--as-of", "2020-01-01")
    assert code == 0, output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith(
        "row_id,input_name,score,entry_id,listed_name,matched_name,list,source"
    )
    assert {r["row_id"] for r in rows} == {"1", "2", "3", "4"}
    by_id = {r["row_id"]: r for r in rows if r["list"] == "EL"}
    assert by_id["1"]["listed_on_date"] == "yes"
    assert by_id["1"]["first_listed"] == "2019-10-09"
    assert "84 FR 54002" in by_id["1"]["federal_register"]
    assert "Section 889" in by_id["1"]["flags"]
    assert by_id["4"]["license_requirement"]
    status = {r["row_id"]: r["status"] for r in rows}
    assert status["2"] == "no_match" and status["3"] == "error"
    assert "row 3" in output


def test_batch_jsonl_stdin_to_stdout(fx_home: Path) -> None:
    parties = '{"id": "a", "name": "Hikvision"}\n{"id": "b", "name": "Nobody Special GmbH"}\n'
    code, output = run(
        fx_home,
        "batch",
        "-",
        "--input-format",
        "jsonl",
        "--output-format",
        "jsonl",
        stdin=parties,
    )
    assert code == 0, output
    rows = [json.loads(line) for line in io.StringIO(output) if line.startswith("{")]
    assert {r["row_id"] for r in rows} == {"a", "b"}


# --- ownership ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def owned_home(tmp_path_factory: pytest.TempPathFactory, fixtures: Path) -> Path:
    home = tmp_path_factory.mktemp("own") / "home"
    assert run(home, "lists", "import", str(fixtures / "csl" / "consolidated.csv"))[0] == 0
    code, output = run(home, "ownership", "import", str(fixtures / "ownership" / "edges.csv"))
    assert code == 0, output
    assert "imported 3 ownership edges" in output
    return home


def test_ownership_match_with_path_and_rule_window(owned_home: Path) -> None:
    code, output = run(owned_home, "screen", "Acme Trading Ltd", "--as-of", "2026-11-10")
    assert code == 0, output
    assert "OWNERSHIP" in output and "BIS Affiliates rule" in output
    assert "owned 60%" in output and "35%" in output and "25%" in output
    assert "applies" in output
    code, output = run(owned_home, "screen", "Acme Trading Ltd", "--as-of", "2026-01-01", "--json")
    [finding] = json.loads(output)["ownership"]
    assert finding["rule"] == "bis_affiliates"
    assert finding["total"] == 60.0 and finding["applies"] is False
    assert "suspended" in finding["rule_status"]


def test_ownership_is_indirect_and_found_by_id(owned_home: Path) -> None:
    with Screener.open(owned_home) as screener:
        result = screener.screen(
            Party(name="Some Other Name", id="ACME-2"), as_of=date(2026, 12, 1)
        )
    [finding] = result.ownership
    assert finding.applies and finding.total == 60.0
    [path] = finding.paths
    assert path.owner_id == "ACME-1" and path.via  # counts through its own listed owners


def test_ownership_import_errors_leave_edges(owned_home: Path, fixtures: Path) -> None:
    for name, message in (("bad_share.csv", "is not a number"), ("no_owner.csv", "owner_id")):
        code, output = run(owned_home, "ownership", "import", str(fixtures / "ownership" / name))
        assert code != 0 and message in output and "Traceback" not in output
    code, output = run(owned_home, "ownership")
    assert "edges.csv: 3 edges" in output


# --- as-of on real data ------------------------------------------------------------------


@pytest.fixture(scope="module")
def sdn_screener(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Screener]:
    home = tmp_path_factory.mktemp("sdnasof") / "home"
    with Screener.open(home) as screener:
        for folder in ("ofac_sdn_2023-12-28", "ofac_sdn_2024-05-03"):
            # the 2024 file comes without add.csv/alt.csv: a partial snapshot (issue #10)
            result = screener.import_path(
                shared_data / folder / "sdn.csv", source="us_ofac_sdn", partial=True
            )
            assert result.ok, result.message
            assert result.snapshot is not None and result.snapshot.published == folder[-10:]
        yield screener


def test_removed_sdn_entry_is_listed_only_before_removal(
    sdn_screener: Screener, shared_data: Path
) -> None:
    later = (shared_data / "ofac_sdn_2024-05-03" / "sdn.csv").read_text(encoding="cp1252")
    assert "MUGABE, Robert Gabriel" not in later  # removed between the two snapshots
    party = Party(name="Robert Gabriel Mugabe")
    first = sdn_screener.screen(party, as_of=date(2023, 12, 28))
    [hit] = [h for h in first.hits if h.match.entry_id == "us_ofac_sdn:7480"]
    assert hit.listing is not None and hit.listing.listed is True
    second = sdn_screener.screen(party, as_of=date(2024, 5, 3))
    assert "us_ofac_sdn:7480" not in {h.match.entry_id for h in second.hits}
    [gone] = [h for h in second.not_listed if h.match.entry_id == "us_ofac_sdn:7480"]
    assert gone.listing is not None and gone.listing.basis == "snapshots"
    assert "absent from" in gone.listing.evidence
    now = sdn_screener.screen(party)
    assert "us_ofac_sdn:7480" not in {h.match.entry_id for h in now.hits}


def test_every_listed_name_finds_its_own_entry_at_one(fx_home: Path) -> None:
    """Each name (primary and aliases) of every entry in the store, screened as a party."""
    with Screener.open(fx_home) as screener:
        entries = list(screener.store.iter_current_entries())
        checked = 0
        for entry in entries:
            for name in entry.names:
                result = screener.screen(Party(name=name.value), limit=50, threshold=0.0)
                scores = {h.match.entry_id: h.match.score for h in result.hits}
                scores.update({h.match.entry_id: h.match.score for h in result.not_listed})
                assert scores.get(entry.id) == 1.0, (entry.id, name.value)
                checked += 1
    assert checked >= len(entries) > 10


def test_audit_records_imports_and_screenings(tmp_path: Path, fixtures: Path) -> None:
    home = tmp_path / "home"
    assert run(home, "lists", "import", str(fixtures / "csl" / "consolidated.csv"))[0] == 0
    assert run(home, "screen", "Hikvision")[0] == 0
    src = tmp_path / "p.csv"
    src.write_text("id,name\n1,Oriental Engineers\n2,Nobody Inc\n", encoding="utf-8")
    assert run(home, "batch", str(src), "--out", str(tmp_path / "h.csv"))[0] == 0
    code, output = run(home, "audit", "verify")
    assert code == 0 and "audit log OK: 4 records" in output
    export = tmp_path / "audit.jsonl"
    code, output = run(home, "audit", "export", "--out", str(export), "--from", "2000-01-01")
    assert code == 0, output
    records = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
    assert [r["kind"] for r in records] == ["import", "screening", "screening", "screening"]
    first_screen = records[1]["data"]
    assert first_screen["party"]["name"] == "Hikvision"
    assert any(h["list"] == "EL" for h in first_screen["hits"])
    assert first_screen["algorithm"] and first_screen["snapshots"]["us_csl"][0] == 1
    conn = sqlite3.connect(home / "store.sqlite")
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET data = replace(data, 'Hikvision', 'Hik') WHERE seq = 2")
    conn.commit()
    conn.close()
    code, output = run(home, "audit", "verify")
    assert code == 1 and "record 2 was edited" in output


def test_as_of_ownership_counts_only_owners_listed_that_day(tmp_path: Path, fixtures: Path) -> None:
    # An Entity List owner added on 2025-10-15 holds 60% of a company since 2020. The BIS
    # Affiliates rule is in force from 2025-09-29: the company is caught from the 15th on,
    # not before (its owner was not listed yet), although the edge is older than both.
    header = (fixtures / "csl" / "consolidated.csv").read_text(encoding="utf-8").splitlines()[0]
    columns = header.split(",")
    row = dict.fromkeys(columns, "")
    row.update(
        {
            "_id": "own-el-1",
            "source": "Entity List (EL) - Bureau of Industry and Security",
            "name": "Quorvane Photonics Holding Co., Ltd.",
            "type": "Entity",
            "start_date": "2025-10-15",
            "federal_register_notice": "90 FR 99999",
            "license_requirement": "For all items subject to the EAR.",
            "license_policy": "Presumption of denial.",
        }
    )
    lists = tmp_path / "csl_2025.csv"
    with lists.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerow(row)
    edges = tmp_path / "edges.csv"
    edges.write_text(
        "owner_id,owner_name,owned_id,owned_name,share,since\n"
        ",Quorvane Photonics Holding Co. Ltd.,ZX-1,Zentrix Lens Works GmbH,60,2020-01-01\n",
        encoding="utf-8",
    )
    home = tmp_path / "home"
    assert run(home, "lists", "import", str(lists))[0] == 0
    assert run(home, "ownership", "import", str(edges))[0] == 0
    with Screener.open(home) as screener:
        party = Party(name="Zentrix Lens Works GmbH", id="ZX-1")
        before = screener.screen(party, as_of=date(2025, 10, 1))
        after = screener.screen(party, as_of=date(2025, 10, 20))
    assert not [f for f in before.ownership if f.applies]
    [finding] = [f for f in after.ownership if f.applies]
    assert finding.rule_id == "bis_affiliates" and finding.total == 60.0


def test_country_group_alone_does_not_call_for_an_analyst(fx_home: Path) -> None:
    """D:5 holds China: a party there with no match is shown the flag but does not
    alert; Russia (15 CFR 746.8, a license for every CCL item) does."""
    with Screener.open(fx_home) as screener:
        china = screener.screen(Party(name="Blue Harbour Shipping", country="China"))
        russia = screener.screen(Party(name="Blue Harbour Shipping", country="Russia"))
    assert [f.id for f in china.flags] == ["country_group_d5:CN"] and not china.alerts
    assert "ru_by_746_8:RU" in {f.id for f in russia.flags} and russia.alerts
