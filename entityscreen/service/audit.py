"""The audit log, as methods of :class:`~entityscreen.service.Screener`: verify it (the
chain, the alert and decision state it records, a signed head kept outside the store),
export it, and sign its head.

A signed head is JSON: ``{format, records, head, at, public_key, signature}``, the
signature the store's Ed25519 key's (:mod:`entityscreen.store.signing`) over the canonical
JSON of the other fields. ``verify_audit(head=...)`` checks the signature, that the store's
own key made it, and that the log still holds that hash as that record: a log re-chained
or cut below the head fails, a log grown past it passes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..settings import Settings
from ..store import AuditCheck, AuditRecord, SqlStore
from ..store.audit import canonical
from ..store.signing import signing_key, verify_signature
from .certificate import CertificateMixin

HEAD_FORMAT = "entityscreen-audit-head/1"


def _signed_part(head: Mapping[str, Any]) -> bytes:
    return canonical({k: v for k, v in head.items() if k != "signature"}).encode("utf-8")


def read_head(path: Path) -> dict[str, Any]:
    """A head file written by ``audit head``.

    Raises:
        InputError: Unreadable, not JSON or not a head file (one line, naming the file).
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path}: cannot read the head file: {exc}") from None
    fields = {"records": int, "head": str, "at": str, "public_key": str, "signature": str}
    if not isinstance(data, dict) or data.get("format") != HEAD_FORMAT:
        raise InputError(f"{path}: not an audit head file (format {HEAD_FORMAT} expected)")
    for name, kind in fields.items():
        if not isinstance(data.get(name), kind) or isinstance(data.get(name), bool):
            raise InputError(
                f"{path}: not an audit head file ({name!r} missing or not {kind.__name__})"
            )
    return data


# Certificates are audit methods too; a base of their own keeps each module to one job.
class AuditMixin(CertificateMixin):
    """The audit methods of :class:`~entityscreen.service.Screener` (screening
    certificates: :class:`~entityscreen.service.certificate.CertificateMixin`)."""

    store: SqlStore
    settings: Settings
    _clock: Callable[[], datetime]

    def verify_audit(self, *, head: Mapping[str, Any] | None = None) -> AuditCheck:
        """Check the chain end to end and the alert and decision tables against it; with
        ``head`` (:func:`read_head`), also that the log still extends that signed head."""
        if head is None:
            return self.store.verify_audit()
        if not verify_signature(head["public_key"], _signed_part(head), head["signature"]):
            check = self.store.verify_audit()
            problem = "the head file's signature does not verify: the file was changed"
            return AuditCheck(False, check.records, check.head, problem)
        own = signing_key(self.settings.home, create=False)
        if own is None or own.public_key != head["public_key"]:
            check = self.store.verify_audit()
            problem = (
                "the head file was signed by another key than this store's"
                f" ({self.settings.home}): the key or the head file was replaced"
            )
            return AuditCheck(False, check.records, check.head, problem)
        return self.store.verify_audit(pinned=(int(head["records"]), str(head["head"])))

    def audit_head(self) -> dict[str, Any]:
        """The chain head, signed with the store's key (created on first use). Refused
        when the log does not verify: a signed head vouches for what it pins."""
        check = self.store.verify_audit()
        if not check.ok:
            raise InputError(f"the audit log does not verify, no head signed: {check.problem}")
        key = signing_key(self.settings.home)
        assert key is not None  # created when missing
        head: dict[str, Any] = {
            "format": HEAD_FORMAT,
            "records": check.records,
            "head": check.head,
            "at": self._clock().isoformat(timespec="seconds"),
            "public_key": key.public_key,
        }
        head["signature"] = key.sign(_signed_part(head))
        return head

    def audit_records(
        self, *, since: date | None = None, until: date | None = None
    ) -> Iterator[AuditRecord]:
        """Audit records with ``since <= day < until`` (UTC dates; either may be open)."""
        return self.store.audit_records(
            since=since.isoformat() if since else None,
            until=until.isoformat() if until else None,
        )


__all__ = ["HEAD_FORMAT", "AuditMixin", "read_head"]
