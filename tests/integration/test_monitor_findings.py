"""Issue #12, item 5: monitoring alerts on ownership findings and flags like on name
matches, and an ownership import re-screens the parties it may change.

A small store from our CSL fixture (RIM, Ryong Nam on the SDN list; Hikvision on the
Entity List); owners given by entry id, so that the test is about monitoring, not about
resolving owner names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from entityscreen.model import Alert, AlertStatus
from entityscreen.service import Screener

from ._cli import run_raising as run

PARTIES = """id,name,country
NS-1,Northern Star Trading Co,
Z-1,Zzyzx Quiet Bakery Supplies,US
EZ-1,EZVIZ Inc.,
CN-1,Quiet Lamp Manufacturing Co,CN
"""



def owners(path: Path, share: int) -> Path:
    path.write_text(
        "owner_id,owner_name,owned_id,owned_name,share\n"
        f'us_csl:SDN:52291,"RIM, Ryong Nam",NS-1,Northern Star Trading Co,{share}\n',
        encoding="utf-8",
    )
    return path


def alerts(home: Path) -> dict[tuple[str, str], Alert]:
    with Screener.open(home) as s:
        return {(a.party_id, a.entry_id): a for a in s.alerts()}


@pytest.fixture()
def home(tmp_path: Path, fixtures: Path) -> Path:
    home = tmp_path / "home"
    assert run(home, "lists", "import", str(fixtures / "csl" / "consolidated.csv"))[0] == 0
    (tmp_path / "parties.csv").write_text(PARTIES, encoding="utf-8")
    assert run(home, "parties", "import", str(tmp_path / "parties.csv"))[0] == 0
    return home


def test_flags_and_ownership_findings_alert_once_and_ownership_imports_rescreen(
    home: Path, tmp_path: Path
) -> None:
    code, out = run(home, "monitor")
    assert code == 0 and "4 of 4 parties screened" in out, out
    first = alerts(home)
    # A Section 889 affiliate known by name alerts with no name match on any list.
    assert ("EZ-1", "flag:NDAA889:affiliate:hikvision:ezviz") in first
    # Country Group D:5 alone (a party in China) informs, it does not alert.
    assert not [k for k in first if k[0] in ("CN-1", "Z-1", "NS-1")]

    # Owners arrive: NS-1 is 60% owned by an SDN. The next run re-screens NS-1 (and
    # nothing else) and raises the OFAC 50% alert.
    assert run(home, "ownership", "import", str(owners(tmp_path / "owners.csv", 60)))[0] == 0
    code, out = run(home, "monitor")
    assert code == 0 and "1 of 4 parties screened" in out, out
    second = alerts(home)
    owned = second[("NS-1", "ownership:ofac_50")]
    assert owned.status is AlertStatus.OPEN and owned.list == "OWNERSHIP"
    assert "60%" in owned.explanation
    # The NPWMD SDN counts for the BIS Affiliates rule too (in force again since
    # 2026-11-10): one alert per rule.
    assert set(second) - set(first) == {
        ("NS-1", "ownership:ofac_50"),
        ("NS-1", "ownership:bis_affiliates"),
    }

    # Nothing changed: nothing screened, nothing raised.
    code, out = run(home, "monitor")
    assert "0 of 4 parties screened" in out and "0 new, 0 re-opened" in out, out

    # Decided; the same edges imported again re-screen NS-1 but do not re-alert ...
    code, out = run(
        home, "alerts", "decide", str(owned.id), "--verdict", "true-match",
        "--reason", "owner confirmed", "--by", "analyst1",
    )
    assert code == 0, out
    assert run(home, "ownership", "import", str(owners(tmp_path / "owners.csv", 60)))[0] == 0
    code, out = run(home, "monitor")
    assert "1 of 4 parties screened" in out and "0 new, 0 re-opened" in out, out
    # ... while a changed share re-opens the decided alert, saying why.
    assert run(home, "ownership", "import", str(owners(tmp_path / "owners.csv", 75)))[0] == 0
    code, out = run(home, "monitor")
    assert "0 new, 1 re-opened" in out, out  # the OFAC one; the BIS one was left open
    reopened = alerts(home)[("NS-1", "ownership:ofac_50")]
    assert reopened.status is AlertStatus.OPEN
    assert reopened.reason.startswith("re-opened because: finding changed")
    with Screener.open(home) as s:
        assert s.verify_audit().ok
