"""Issue #14 item 5: signed screening certificates, issued from the audit log and verified
offline; a changed party name, verdict, snapshot sha256 or any other signed field, another
store's key, or a log rewritten under the certificate, fails with a one-line reason."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from entityscreen.cli import app
from entityscreen.errors import InputError, NotFoundError
from entityscreen.model import party_from_input
from entityscreen.service import Screener
from entityscreen.service.certificate import check_certificate, read_certificate
from entityscreen.service.certificate_pdf import certificate_pdf
from entityscreen.settings import Settings
from entityscreen.store.audit import GENESIS, canonical, record_hash


def run(home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"ENTITYSCREEN_HOME": str(home)})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def run_process(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed command as a user runs it: what stderr shows, and the exit code."""
    return subprocess.run(
        [sys.executable, "-m", "entityscreen", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "ENTITYSCREEN_HOME": str(home)},
        check=False,
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, fixtures: Path) -> Path:
    """CSL imported; party C1 in the registry, monitored, its alert decided by a key."""
    home = tmp_path_factory.mktemp("cert") / "home"
    with Screener.open(home) as s:
        assert s.import_path(fixtures / "csl" / "consolidated.csv").ok
        parties = home.parent / "parties.csv"
        parties.write_text("id,name\nC1,Oriental Engineers\n", encoding="utf-8")
        s.import_parties(parties)
        s.monitor()
        [alert] = s.alerts(status="open")
        key, _ = s.create_key("alice", "analyst", actor=s.operator)
        s.decide(alert.id, "true-match", reason="same company and address", actor=key.actor)
        s.screen(party_from_input("Zzyzx Quiet Bakery Supplies"))
    return home


@pytest.fixture
def screener(home: Path) -> Iterator[Screener]:
    with Screener.open(home) as s:
        yield s


def last_seq(s: Screener) -> int:
    return s.verify_audit().records


def test_a_party_certificate_round_trip(screener: Screener) -> None:
    cert = screener.certificate("party:C1")
    assert cert["party"]["id"] == "C1" and cert["party"]["name"] == "Oriental Engineers"
    assert cert["record"]["kind"] == "screening"
    assert cert["verdict"] == cert["record"]["data"]["verdict"]
    assert cert["verdict"]["verdict"] != "CLEAR"
    [snapshot] = cert["snapshots"]
    assert snapshot["source"] == "us_csl" and len(snapshot["sha256"]) == 64
    assert snapshot["sha256"] == screener.store.get_snapshot(snapshot["id"]).sha256
    assert snapshot["published"] == "2023-07-19"
    [alert] = cert["alerts"]
    [decision] = alert["decisions"]
    assert alert["status"] == "true-match"
    assert decision["verdict"] == "true-match" and decision["actor"]["name"] == "alice"
    check = screener.verify_audit()
    assert cert["chain"] == {"records": check.records, "head": check.head}
    assert cert["issuer"]["public_key"] == screener.audit_head()["public_key"]
    verified = check_certificate(cert)
    assert verified.ok, verified.problem
    assert verified.summary.startswith(
        f"{cert['verdict']['verdict']}: Oriental Engineers screened {cert['screened_at']}"
        f" against 1 snapshot; record {cert['record']['seq']} of {check.records}; signed by "
    )
    assert screener.verify_certificate(cert).ok


def test_a_clear_screening_by_its_record(screener: Screener) -> None:
    seq = last_seq(screener)  # the last record is the bakery's screening
    cert = screener.certificate(str(seq))
    assert cert["party"]["name"] == "Zzyzx Quiet Bakery Supplies"
    assert cert["verdict"]["verdict"] == "CLEAR" and cert["alerts"] == []
    assert screener.certificate(f"record:{seq}")["record"] == cert["record"]
    assert screener.certificate(cert["record"]["hash"])["record"] == cert["record"]
    assert check_certificate(cert).summary.startswith("CLEAR: Zzyzx Quiet Bakery Supplies")


def change(cert: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``cert`` with the field at ``path`` (dotted; digits index lists) set."""
    copy = json.loads(json.dumps(cert))
    *parents, last = path.split(".")
    target: Any = copy
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[int(last) if last.isdigit() else last] = value
    return copy


def test_a_changed_field_fails_naming_it(screener: Screener) -> None:
    cert = screener.certificate("party:C1")
    sha = cert["snapshots"][0]["sha256"]
    cases = {
        "party.name": ("Oriental Engineerz", "the party name differs from the screening record's"),
        "verdict.verdict": ("CLEAR", "the verdict differs from the screening record's"),
        "snapshots.0.sha256": (
            "0" + sha[1:],
            "snapshot us_csl's sha256 differs from the screening record's",
        ),
        "threshold": (0.99, "the threshold differs from the screening record's"),
        "record.data.party.name": (
            "Oriental Engineerz",
            f"the audit record {cert['record']['seq']} was changed: its hash does not"
            " recompute from its fields",
        ),
        "alerts.0.decisions.0.verdict": (
            "false-positive",
            "the signature does not verify: the certificate was changed after signing",
        ),
        "issued_at": (
            "2020-01-01T00:00:00+00:00",
            "the signature does not verify: the certificate was changed after signing",
        ),
    }
    for path, (value, problem) in cases.items():
        check = check_certificate(change(cert, path, value))
        assert not check.ok and check.problem == problem, path


def test_another_stores_key_fails(screener: Screener, tmp_path: Path) -> None:
    cert = screener.certificate("party:C1")
    with Screener.open(settings=Settings(home=tmp_path / "other")) as other:
        foreign = other.audit_head()["public_key"]
    check = check_certificate(cert, public_key=foreign)
    assert not check.ok
    assert check.problem == f"signed by another key ({cert['issuer']['public_key']}) than {foreign}"
    assert check_certificate(cert, public_key=cert["issuer"]["public_key"]).ok


def test_not_a_screening_or_unknown_target_is_refused(screener: Screener) -> None:
    with pytest.raises(InputError, match=r"^audit record 1 is not a screening \(kind 'import'\)$"):
        screener.certificate("1")
    with pytest.raises(NotFoundError, match="no audit record 99999"):
        screener.certificate("record:99999")
    with pytest.raises(NotFoundError, match="no screening of party 'NOPE'"):
        screener.certificate("party:NOPE")
    for odd in ("²", "record:²"):  # digits to str.isdigit, not to int(): was a ValueError
        with pytest.raises(NotFoundError):
            screener.certificate(odd)
    assert not check_certificate({"format": "x"}).ok
    assert check_certificate([1, 2]).problem == (
        "not a screening certificate (format entityscreen-screening-certificate/1 expected)"
    )


def test_a_bare_number_that_is_also_a_party_id_is_ambiguous(tmp_path: Path, fixtures: Path) -> None:
    with Screener.open(settings=Settings(home=tmp_path / "h")) as s:
        assert s.import_path(fixtures / "csl" / "consolidated.csv").ok
        s.screen(party_from_input("Someone", id="2"))  # record 2 is this screening
        with pytest.raises(InputError, match="say record:2 or party:2"):
            s.certificate("2")
        assert s.certificate("party:2")["record"]["seq"] == 2


def rechain(path: Path) -> None:
    """What someone with write access can do: change a party name in every screening
    record and recompute every hash and the head."""
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    rows = conn.execute("SELECT seq, at, kind, data FROM audit_log ORDER BY seq").fetchall()
    conn.execute("DELETE FROM audit_log")
    prev = GENESIS
    for seq, at, kind, data in rows:
        text = data.replace("Oriental Engineers", "Someone Else")
        digest = record_hash(seq, at, kind, text, prev)
        conn.execute(
            "INSERT INTO audit_log(seq, at, kind, data, prev_hash, hash) VALUES (?,?,?,?,?,?)",
            (seq, at, kind, text, prev, digest),
        )
        prev = digest
    conn.execute("UPDATE audit_head SET records = ?, head = ?", (len(rows), prev))
    conn.commit()
    conn.close()


def test_a_store_rewritten_under_the_certificate_fails(tmp_path: Path, fixtures: Path) -> None:
    home = tmp_path / "h"
    with Screener.open(settings=Settings(home=home)) as s:
        assert s.import_path(fixtures / "csl" / "consolidated.csv").ok
        s.screen(party_from_input("Oriental Engineers", id="C9"))
        cert = s.certificate("party:C9")
        assert s.verify_certificate(cert).ok
        where = Path(s.store.where)
    rechain(where)
    with Screener.open(settings=Settings(home=home)) as s:
        assert s.verify_audit().ok  # the chain alone cannot tell
        check = s.verify_certificate(cert)
    assert check_certificate(cert).ok  # offline, the certificate itself is intact
    assert not check.ok
    seq = cert["record"]["seq"]
    assert check.problem == f"audit record {seq} in this store is not the certified one"


def test_cli_round_trip_json_and_pdf(home: Path, tmp_path: Path) -> None:
    cert_json, cert_pdf = tmp_path / "cert.json", tmp_path / "cert.pdf"
    code, output = run(home, "audit", "certificate", "party:C1", "--out", str(cert_json))
    assert code == 0, output
    code, output = run(home, "audit", "certificate", "party:C1", "--out", str(cert_pdf))
    assert code == 0, output
    assert cert_pdf.read_bytes().startswith(b"%PDF-")
    assert read_certificate(cert_pdf)["record"] == read_certificate(cert_json)["record"]
    for path in (cert_json, cert_pdf):
        code, output = run(home, "audit", "verify-certificate", str(path))
        assert code == 0, output
        assert ": Oriental Engineers screened " in output and "signature OK" in output
        code, output = run(
            home, "audit", "verify-certificate", str(path), "--public-key",
            str(home / "signing_key.pub"), "--home", str(home),
        )  # fmt: skip
        assert code == 0 and "the expected key; in the log of" in output, output
    head = tmp_path / "head.json"  # a head file kept outside the store pins the key too
    assert run(home, "audit", "head", "--out", str(head))[0] == 0
    args = ["verify-certificate", str(cert_json), "--public-key", str(head)]
    code, output = run(home, "audit", *args)
    assert code == 0 and "signature OK with the expected key" in output, output
    # A PDF whose attached certificate was changed fails like the JSON.
    tampered = tmp_path / "tampered.pdf"
    data = read_certificate(cert_json)
    tampered.write_bytes(certificate_pdf(change(data, "verdict.verdict", "CLEAR")))
    code, output = run(home, "audit", "verify-certificate", str(tampered))
    assert code == 1 and "the verdict differs from the screening record's" in output


def test_cli_failures_are_one_line(home: Path, tmp_path: Path) -> None:
    cert = tmp_path / "cert.json"
    assert run(home, "audit", "certificate", "party:C1", "--out", str(cert))[0] == 0
    data = json.loads(cert.read_text())
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(change(data, "party.name", "Oriental Engineerz")))
    other = tmp_path / "other.pub"
    with Screener.open(settings=Settings(home=tmp_path / "other")) as s:
        other.write_text(s.audit_head()["public_key"] + "\n")
    not_pdf = tmp_path / "x.pdf"
    not_pdf.write_bytes(b"%PDF-1.4 nothing")
    cases = [
        (["verify-certificate", str(bad)], "certificate INVALID: the party name differs"
         " from the screening record's"),
        (["verify-certificate", str(cert), "--public-key", str(other)],
         "certificate INVALID: signed by another key"),
        (["verify-certificate", str(tmp_path / "none.json")],
         f"error: {tmp_path / 'none.json'}: cannot read the certificate"),
        (["verify-certificate", str(not_pdf)], f"error: {not_pdf}: not a readable PDF"),
        (["verify-certificate", str(cert), "--public-key", "nokey"],
         "error: 'nokey' is not an Ed25519 public key"),
        (["verify-certificate", str(cert), "--public-key", str(cert)],
         f"error: {cert}: holds no public_key"),
        (["certificate", "1"], "error: audit record 1 is not a screening (kind 'import')"),
        (["certificate", "party:NOPE"], "error: no screening of party 'NOPE' in the audit log"),
    ]  # fmt: skip
    for args, start in cases:
        result = run_process(home, "audit", *args)
        assert result.returncode == 1, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(start), (args, result.stderr)


def test_a_record_without_a_verdict_states_clear_only_when_nothing_was_found(
    tmp_path: Path,
) -> None:
    """Screenings audited before the verdict was: CLEAR when the record shows no hit,
    ownership finding or alerting flag, else 'NOT RECORDED' (never a guess)."""
    from entityscreen.store import AuditKind

    with Screener.open(settings=Settings(home=tmp_path / "h")) as s:
        base = {"party": {"name": "Old Co", "id": None}, "snapshots": {}, "threshold": 0.7}
        base |= {"algorithm": "a", "as_of": None, "hits": [], "ownership": []}
        s.store.audit(AuditKind.SCREENING, {**base, "flags": [{"code": "COUNTRY_GROUP"}]}, at="t")
        s.store.audit(AuditKind.SCREENING, {**base, "hits": [{"entry_id": "x"}]}, at="t")
        assert s.certificate("1")["verdict"]["verdict"] == "CLEAR"
        old = s.certificate("2")
        assert old["verdict"]["verdict"] == "NOT RECORDED"
        assert check_certificate(old).ok


def test_the_record_text_is_what_is_hashed() -> None:
    """The certificate recomputes the record's hash from its JSON-decoded data: the
    store's canonical text must be reproduced exactly (floats, non-ASCII names)."""
    data = {"party": {"name": "Шахед Авиа"}, "threshold": 0.7, "hits": [{"score": 0.9926}]}
    text = canonical(data)
    assert canonical(json.loads(json.dumps(data, ensure_ascii=False, indent=2))) == text


@pytest.mark.skipif(
    not os.environ.get("ENTITYSCREEN_TEST_PG"), reason="set ENTITYSCREEN_TEST_PG to a DSN"
)
def test_certificates_on_postgresql(tmp_path: Path, fixtures: Path) -> None:
    """The record look-ups (by seq, hash, party id, data) are plain SQL on both stores."""
    import psycopg

    dsn = os.environ["ENTITYSCREEN_TEST_PG"]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
    with Screener.open(settings=Settings(home=tmp_path / "home", store_url=dsn)) as s:
        assert s.import_path(fixtures / "csl" / "consolidated.csv").ok
        result = s.screen(party_from_input("Oriental Engineers", id="C9"))
        seq = s.screening_record(result)
        cert = s.certificate("party:C9")
        assert cert["record"]["seq"] == seq == 2
        assert s.certificate(cert["record"]["hash"])["record"] == cert["record"]
        assert s.verify_certificate(cert).ok and check_certificate(cert).ok
