"""Screening certificates (issue #14): signed proof that a party was screened, when,
against which list snapshots, with which algorithm and threshold, and what came out.

A certificate is JSON (``format`` :data:`CERT_FORMAT`): the screening's audit record
itself (seq, at, kind, data, prev_hash, hash), the chain head when it was issued, the
snapshots' sources, dates and sha256 as the store holds them, the verdict, the party's
alerts and their decisions (with who made them), the issuer's public key, ``issued_at``
and an Ed25519 signature by the store's key (:mod:`entityscreen.store.signing`) over the
canonical JSON of everything else. :func:`check_certificate` verifies one offline (no
store needed); :meth:`CertificateMixin.verify_certificate` also checks it against a store.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import InputError, NotFoundError
from ..results import ScreeningResult
from ..settings import Settings
from ..store import AuditKind, AuditRecord, SqlStore
from ..store.audit import canonical, record_hash
from ..store.signing import signing_key, verify_signature

CERT_FORMAT = "entityscreen-screening-certificate/1"

#: The fields a certificate must have, and their JSON types.
_FIELDS: dict[str, type | tuple[type, ...]] = {
    "party": dict,
    "screened_at": str,
    "verdict": dict,
    "algorithm": str,
    "threshold": (int, float),
    "snapshots": list,
    "alerts": list,
    "record": dict,
    "chain": dict,
    "issuer": dict,
    "issued_at": str,
    "signature": str,
}


def signed_part(cert: Mapping[str, Any]) -> bytes:
    """What the signature covers: the canonical JSON of every field but ``signature``."""
    return canonical({k: v for k, v in cert.items() if k != "signature"}).encode("utf-8")


@dataclass(frozen=True, slots=True)
class CertificateCheck:
    """The outcome of verifying a certificate: ``ok``, and one line saying what it
    certifies (``summary``) or why it fails (``problem``)."""

    ok: bool
    summary: str
    problem: str | None = None


def _recorded_verdict(data: Mapping[str, Any]) -> dict[str, Any]:
    """The verdict a screening record states. Records made before verdicts were audited
    have none: CLEAR is certain when nothing was found, otherwise it is not recorded."""
    verdict = data.get("verdict")
    if isinstance(verdict, dict):
        return verdict
    # Country Group memberships alone never change a verdict (exportcontrol/verdict.py).
    flags = [f for f in data.get("flags") or [] if f.get("code") != "COUNTRY_GROUP"]
    found = bool(data.get("hits") or data.get("ownership") or flags)
    if not found:
        return {"verdict": "CLEAR", "reason": "no hit, ownership finding or flag", "basis": []}
    return {"verdict": "NOT RECORDED", "reason": "screened before verdicts were audited"}


def _summary(cert: Mapping[str, Any]) -> str:
    record, chain, count = cert["record"], cert["chain"], len(cert["snapshots"])
    return (
        f"{cert['verdict'].get('verdict')}: {cert['party'].get('name')} screened"
        f" {cert['screened_at']} against {count} snapshot{'s' if count != 1 else ''}; record"
        f" {record['seq']} of {chain.get('records')}; signed by {cert['issuer'].get('public_key')}"
    )


def _shape_problem(cert: Any) -> str | None:
    if not isinstance(cert, dict) or cert.get("format") != CERT_FORMAT:
        return f"not a screening certificate (format {CERT_FORMAT} expected)"
    for name, kind in _FIELDS.items():
        value = cert.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            return f"not a screening certificate ({name!r} missing or of the wrong type)"
    record = cert["record"]
    for name, kind in {"seq": int, "at": str, "kind": str, "data": dict}.items():
        if not isinstance(record.get(name), kind):
            return f"not a screening certificate (record {name!r} missing or of the wrong type)"
    for name in ("prev_hash", "hash"):
        if not isinstance(record.get(name), str):
            return f"not a screening certificate (record {name!r} missing or of the wrong type)"
    if not isinstance(cert["issuer"].get("public_key"), str):
        return "not a screening certificate (issuer 'public_key' missing)"
    return None


def _differences(cert: Mapping[str, Any]) -> str | None:
    """Where the certificate's own statements differ from the (hashed) record's data."""
    data = cert["record"]["data"]
    party = data.get("party") or {}
    for key in sorted(set(party) | set(cert["party"])):
        if cert["party"].get(key) != party.get(key):
            return f"the party {key} differs from the screening record's"
    if cert["screened_at"] != cert["record"]["at"]:
        return "screened_at differs from the screening record's time"
    for key in ("algorithm", "threshold", "as_of"):
        if cert.get(key) != data.get(key):
            return f"the {key} differs from the screening record's"
    if cert["verdict"] != _recorded_verdict(data):
        return "the verdict differs from the screening record's"
    recorded = data.get("snapshots") or {}
    stated = {s.get("source"): s for s in cert["snapshots"] if isinstance(s, dict)}
    if set(stated) != set(recorded) or len(stated) != len(cert["snapshots"]):
        return "the list of snapshots differs from the screening record's"
    for source, (snapshot_id, sha256) in sorted(recorded.items()):
        if stated[source].get("id") != snapshot_id:
            return f"snapshot {source}'s id differs from the screening record's"
        if stated[source].get("sha256") != sha256:
            return f"snapshot {source}'s sha256 differs from the screening record's"
    return None


def check_certificate(cert: Any, *, public_key: str | None = None) -> CertificateCheck:
    """Verify a certificate offline: its shape, that its audit record's hash recomputes
    from the record's fields, that what it states agrees with that record, its signature
    against the public key it carries, and (``public_key``, base64) that this is the key
    expected. The first problem is reported, naming the field where it can."""
    problem = _shape_problem(cert)
    if problem is not None:
        return CertificateCheck(False, "", problem)
    record = cert["record"]
    digest = record_hash(
        record["seq"], record["at"], record["kind"], canonical(record["data"]), record["prev_hash"]
    )
    summary = _summary(cert)
    if digest != record["hash"]:
        problem = (
            f"the audit record {record['seq']} was changed: its hash does not recompute"
            " from its fields"
        )
    elif record["kind"] != AuditKind.SCREENING.value:
        problem = f"audit record {record['seq']} is not a screening (kind {record['kind']!r})"
    elif (
        not isinstance(cert["chain"].get("records"), int)
        or record["seq"] > cert["chain"]["records"]
    ):
        problem = "the chain head does not cover the record"
    else:
        try:
            problem = _differences(cert)
        except (AttributeError, TypeError, ValueError):
            problem = "not a screening certificate (its record's data is malformed)"
    if problem is None and not verify_signature(
        cert["issuer"]["public_key"], signed_part(cert), cert["signature"]
    ):
        problem = "the signature does not verify: the certificate was changed after signing"
    if problem is None and public_key is not None and public_key != cert["issuer"]["public_key"]:
        problem = f"signed by another key ({cert['issuer']['public_key']}) than {public_key}"
    return CertificateCheck(problem is None, summary, problem)


def read_certificate(path: Path) -> dict[str, Any]:
    """A certificate from a JSON file or from a PDF that embeds it.

    Raises:
        InputError: Unreadable, not JSON, or a PDF without a certificate (one line).
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the certificate: {exc.strerror}") from None
    if raw.startswith(b"%PDF-"):
        from .certificate_pdf import json_from_pdf

        raw = json_from_pdf(raw, path)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path}: not a certificate file (not JSON: {exc})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: not a certificate file (not a JSON object)")
    return data


def read_public_key(value: str) -> str:
    """``--public-key``: a file holding the key (``signing_key.pub`` or a head file) or the
    key itself (base64 of the 32 raw bytes). Not a certificate's own ``issuer``: pinning
    the key a file carries to that same file would prove nothing."""
    path = Path(value)
    if len(value) < 200 and path.is_file():
        try:
            text = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read the public key: {exc}") from None
        if text.startswith("{"):
            try:
                text = json.loads(text).get("public_key") or ""
            except (ValueError, AttributeError):
                text = ""
            if not isinstance(text, str) or not text:
                raise InputError(
                    f"{path}: holds no public_key (signing_key.pub or a head file expected)"
                )
        value = text
    if len(value) != 44 or not value.endswith("="):
        raise InputError(f"{value[:60]!r} is not an Ed25519 public key (base64 of 32 bytes)")
    return value


class CertificateMixin:
    """The certificate methods of :class:`~entityscreen.service.Screener`."""

    store: SqlStore
    settings: Settings
    _clock: Callable[[], datetime]

    def _certified_record(self, target: str) -> AuditRecord:
        """``record:N``, ``party:ID``, a record hash, or a bare seq or party id."""
        target = target.strip()
        kind, _, value = target.partition(":")
        if kind not in ("record", "party") or not value:
            kind, value = "", target
        record = None
        if kind in ("", "record") and value.isascii() and value.isdigit() and len(value) < 19:
            record = self.store.audit_record(seq=int(value))
        elif kind in ("", "record") and len(value) == 64:
            record = self.store.audit_record(digest=value.lower())
        if kind == "record":
            if record is None:
                raise NotFoundError(f"no audit record {value}")
            return record
        screening = self.store.latest_screening(value) if value else None
        if kind == "party":
            if screening is None:
                raise NotFoundError(f"no screening of party {value!r} in the audit log")
            return screening
        # A bare number may be a record and a party id both: refuse to guess.
        if record is not None and screening is not None:
            raise InputError(
                f"{value!r} is both audit record {record.seq} and a party id: say"
                f" record:{value} or party:{value}"
            )
        found = record or screening
        if found is None:
            raise NotFoundError(f"no audit record or screened party {value!r}")
        return found

    def screening_record(self, result: ScreeningResult) -> int | None:
        """The seq of the audit record of a screening this service made (the web UI links
        its certificate), None when the log holds none."""
        return self.store.audit_seq_of(AuditKind.SCREENING, result.audit_record())

    def certificate(self, target: str) -> dict[str, Any]:
        """A signed certificate of a screening: ``target`` is an audit record (its seq or
        hash, or ``record:N``) of a screening, or a party id (``party:ID``) whose latest
        screening it certifies, with the party's alerts and their decisions.

        Raises:
            NotFoundError: No such record or party screening.
            InputError: Not a screening record; the audit log does not verify (a
                certificate vouches for the chain it cites).
        """
        record = self._certified_record(target)
        if record.kind != AuditKind.SCREENING.value:
            raise InputError(f"audit record {record.seq} is not a screening (kind {record.kind!r})")
        check = self.store.verify_audit()
        if not check.ok:
            raise InputError(f"the audit log does not verify, no certificate: {check.problem}")
        data = record.data
        party = dict(data.get("party") or {})
        key = signing_key(self.settings.home)
        assert key is not None  # created when missing
        cert: dict[str, Any] = {
            "format": CERT_FORMAT,
            "party": party,
            "screened_at": record.at,
            "verdict": _recorded_verdict(data),
            "algorithm": data.get("algorithm"),
            "threshold": data.get("threshold"),
            "as_of": data.get("as_of"),
            "snapshots": self._snapshots_of(data),
            "hits": data.get("hits") or [],
            "alerts": self._alerts_of(party.get("id")),
            "record": record.to_dict(),
            "chain": {"records": check.records, "head": check.head},
            "issuer": {"public_key": key.public_key},
            "issued_at": self._clock().isoformat(timespec="seconds"),
        }
        cert["signature"] = key.sign(signed_part(cert))
        return cert

    def _snapshots_of(self, data: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The record's snapshots as the store holds them (source, dates, sha256)."""
        found = []
        for source, (snapshot_id, sha256) in sorted((data.get("snapshots") or {}).items()):
            item: dict[str, Any] = {"source": source, "id": snapshot_id, "sha256": sha256}
            try:
                snap = self.store.get_snapshot(int(snapshot_id))
            except NotFoundError:
                snap = None
            if snap is not None and snap.sha256 != sha256:
                raise InputError(
                    f"snapshot {snapshot_id} ({source}) in the store has another sha256 than"
                    " the screening record: the store's snapshots were changed"
                )
            dated = (data.get("snapshot_dates") or {}).get(source) or {}
            item["published"] = snap.published if snap else dated.get("date")
            item["date_basis"] = dated.get("basis")
            item["imported_at"] = snap.fetched_at if snap else None
            item["entries"] = snap.entry_count if snap else None
            found.append(item)
        return found

    def _alerts_of(self, party_id: str | None) -> list[dict[str, Any]]:
        """The party's alerts and every decision on them, with who made it."""
        if not party_id:
            return []
        found = []
        for alert in self.store.alerts():
            if alert.party_id != party_id:
                continue
            decisions = [
                {
                    "id": d.id,
                    "verdict": d.verdict.value,
                    "reason": d.reason,
                    "at": d.at,
                    "decided_by": d.decided_by,
                    "actor": d.actor.to_dict() if d.actor else None,
                }
                for d in self.store.decisions(alert.id)
            ]
            found.append(
                {
                    "id": alert.id,
                    "entry_id": alert.entry_id,
                    "listed_name": alert.listed_name,
                    "list": alert.list,
                    "score": round(alert.score, 4),
                    "status": alert.status.value,
                    "reason": alert.reason,
                    "created_at": alert.created_at,
                    "decisions": decisions,
                }
            )
        return found

    def verify_certificate(self, cert: Any, *, public_key: str | None = None) -> CertificateCheck:
        """:func:`check_certificate`, then against this store: signed by its key (unless
        ``public_key`` names the one expected), the record still in the log at its seq
        with its hash, and the log still extending the head the certificate cites."""
        own = signing_key(self.settings.home, create=False)
        expected = public_key or (own.public_key if own else None)
        check = check_certificate(cert, public_key=expected)
        if not check.ok:
            return check
        if expected is None:
            return CertificateCheck(False, check.summary, "this store has no signing key")
        record, chain = cert["record"], cert["chain"]
        stored = self.store.audit_record(seq=record["seq"])
        if stored is None or stored.hash != record["hash"]:
            problem = f"audit record {record['seq']} in this store is not the certified one"
            return CertificateCheck(False, check.summary, problem)
        head = self.store.verify_audit(pinned=(int(chain["records"]), str(chain["head"])))
        if not head.ok:
            problem = f"the store's log no longer extends the certificate's head: {head.problem}"
            return CertificateCheck(False, check.summary, problem)
        return check


__all__ = [
    "CERT_FORMAT",
    "CertificateCheck",
    "CertificateMixin",
    "check_certificate",
    "read_certificate",
    "read_public_key",
    "signed_part",
]
