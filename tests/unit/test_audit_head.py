"""Issue #13 item 4: a signed head kept outside the store pins the audit log.

Re-chaining the whole log with correct hashes, or cutting its tail and fixing audit_head,
verified OK before (the chain alone cannot tell); ``verify_audit(head=...)`` and
``audit verify --head FILE`` fail on both, and pass on a log that grew past the head.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from entityscreen.cli import app
from entityscreen.service import Screener
from entityscreen.settings import Settings
from entityscreen.store import AuditKind
from entityscreen.store.audit import GENESIS, canonical, record_hash


@pytest.fixture
def screener(tmp_path: Path) -> Iterator[Screener]:
    s = Screener.open(settings=Settings(home=tmp_path / "home"))
    for i in range(6):
        s.store.audit(AuditKind.SCREENING, {"party": f"p{i}"}, at=f"2026-01-0{i + 1}")
    yield s
    s.close()


def rewrite(path: Path, keep: int | None = None, change: bool = False) -> None:
    """What someone with write access can do: rewrite records (``change``: a party name
    in each) or keep only the first ``keep``, with every hash and the head recomputed."""
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    rows = conn.execute("SELECT seq, at, kind, data FROM audit_log ORDER BY seq").fetchall()
    rows = rows[:keep] if keep is not None else rows
    conn.execute("DELETE FROM audit_log")
    prev = GENESIS
    for seq, at, kind, data in rows:
        text = canonical({**json.loads(data), "party": "x"}) if change else data
        digest = record_hash(seq, at, kind, text, prev)
        conn.execute(
            "INSERT INTO audit_log(seq, at, kind, data, prev_hash, hash) VALUES (?,?,?,?,?,?)",
            (seq, at, kind, text, prev, digest),
        )
        prev = digest
    conn.execute("UPDATE audit_head SET records = ?, head = ?", (len(rows), prev))
    conn.commit()
    conn.close()


def test_the_head_is_signed_and_the_key_kept_private(screener: Screener) -> None:
    head = screener.audit_head()
    assert head["records"] == 6 and head["head"] == screener.verify_audit().head
    home = screener.settings.home
    mode = stat.S_IMODE(os.stat(home / "signing_key.pem").st_mode)
    assert mode == 0o600
    assert (home / "signing_key.pub").read_text().strip() == head["public_key"]
    assert screener.audit_head()["public_key"] == head["public_key"]  # the same key
    assert screener.verify_audit(head=head).ok


def test_a_grown_log_still_extends_the_head(screener: Screener) -> None:
    head = screener.audit_head()
    screener.store.audit(AuditKind.SCREENING, {"party": "later"}, at="2026-02-01")
    check = screener.verify_audit(head=head)
    assert check.ok and check.records == 7


def test_a_rechained_log_fails_against_the_head(screener: Screener) -> None:
    head = screener.audit_head()
    rewrite(Path(screener.store.where), change=True)
    assert screener.verify_audit().ok  # the chain alone cannot tell (as before)
    check = screener.verify_audit(head=head)
    assert not check.ok
    assert check.problem == (
        "record 6 is not the signed head (hash differs): the log was rewritten (re-chained)"
        " at or before it"
    )


def test_a_cut_log_fails_against_the_head(screener: Screener) -> None:
    head = screener.audit_head()
    rewrite(Path(screener.store.where), keep=4)
    assert screener.verify_audit().ok  # the chain alone cannot tell (as before)
    check = screener.verify_audit(head=head)
    assert not check.ok
    assert check.problem == (
        "the log has 4 records but the signed head pins 6: records were cut off the end"
    )


def test_a_changed_head_file_or_another_key_fails(screener: Screener, tmp_path: Path) -> None:
    head = screener.audit_head()
    check = screener.verify_audit(head={**head, "records": 5})
    assert not check.ok and "signature does not verify" in (check.problem or "")
    with Screener.open(settings=Settings(home=tmp_path / "other")) as other:
        foreign = other.audit_head()  # an empty log, signed by another store's key
    check = screener.verify_audit(head=foreign)
    assert not check.ok and "signed by another key" in (check.problem or "")


def test_cli_head_and_verify_head(screener: Screener, tmp_path: Path) -> None:
    home = screener.settings.home
    env = {"ENTITYSCREEN_HOME": str(home)}
    head_file = tmp_path / "head.json"
    made = CliRunner().invoke(app, ["audit", "head", "--out", str(head_file)], env=env)
    assert made.exit_code == 0, made.output
    assert json.loads(head_file.read_text())["records"] == 6
    ok = CliRunner().invoke(app, ["audit", "verify", "--head", str(head_file)], env=env)
    assert ok.exit_code == 0 and "extends the head signed" in ok.output
    rewrite(Path(screener.store.where), keep=5)
    assert CliRunner().invoke(app, ["audit", "verify"], env=env).exit_code == 0
    cut = CliRunner().invoke(app, ["audit", "verify", "--head", str(head_file)], env=env)
    assert cut.exit_code == 1 and "records were cut off the end" in cut.output


def test_cli_a_bad_head_file_is_one_line_and_exit_1(screener: Screener, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "entityscreen-audit-head/1", "records": "six"}')
    result = subprocess.run(
        [sys.executable, "-m", "entityscreen", "audit", "verify", "--head", str(bad)],
        capture_output=True,
        text=True,
        env={**os.environ, "ENTITYSCREEN_HOME": str(screener.settings.home)},
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: {bad}: not an audit head file ('records' missing or not int)"
    )
