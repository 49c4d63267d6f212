"""Issue #13 item 3 on the command line: decisions, key changes and imports record the local
operator (the OS user: the CLI has file access to the store, so that is what can be said
of it); ``--by`` is a note beside it; ``audit export`` shows both."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from entityscreen.cli import app
from entityscreen.model import Actor
from entityscreen.store import SqliteStore
from entityscreen.store.monitoring import AlertCandidate

OLGA = {"kind": "local", "id": None, "name": "olga", "role": None}


def cli(home: Path, *args: str) -> str:
    env = {"ENTITYSCREEN_HOME": str(home), "LOGNAME": "olga", "USER": "olga"}
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_changes_record_the_local_operator(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with SqliteStore.open(home / "store.sqlite") as store:
        store.raise_alerts(
            [AlertCandidate("P1", "t:1", 0.9, "EL", "ACME", "Acme", "", "", "p", "e")],
            at="2026-01-01",
            actor=Actor.local("ops"),
        )
    said = cli(
        home,
        "alerts",
        "decide",
        "1",
        "--verdict",
        "escalate",
        "--reason",
        "check",
        "--by",
        "Chief Compliance Officer",
    )
    assert "escalate by local user olga (note: Chief Compliance Officer)" in said
    cli(home, "keys", "create", "--name", "ci", "--role", "screener")
    cli(home, "keys", "revoke", "1")
    parties = tmp_path / "parties.csv"
    parties.write_text("id,name\nP1,Acme\n", encoding="utf-8")
    cli(home, "parties", "import", str(parties))
    export = tmp_path / "audit.jsonl"
    cli(home, "audit", "export", "--out", str(export))
    records = [json.loads(line) for line in export.read_text().splitlines()]
    by_kind = {(r["kind"], r["data"].get("event")): r["data"] for r in records}
    decision = by_kind[("decision", None)]
    assert decision["actor"] == OLGA and decision["by"] == "Chief Compliance Officer"
    assert by_kind[("key", "created")]["actor"] == OLGA
    assert by_kind[("key", "revoked")] == {
        "event": "revoked",
        "key": 1,
        "name": "ci",
        "role": "screener",
        "actor": OLGA,
    }
    assert by_kind[("party_import", None)]["actor"] == OLGA
    assert "state matches the log" in cli(home, "audit", "verify")
