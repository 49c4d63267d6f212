"""A screening certificate as PDF: the same content for people, with the signed JSON
embedded as the attachment ``certificate.json``, which is what ``verify-certificate``
reads back (the printed text is not what is verified).

fpdf2 writes it, pypdf reads the attachment back (docs/dependencies.md). The PDF's core
fonts are Latin-1: other characters are printed transliterated (anyascii); the embedded
JSON keeps them exactly.
"""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

from anyascii import anyascii

from ..errors import InputError

ATTACHMENT = "certificate.json"


def _latin1(text: object) -> str:
    value = str(text)
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        value = "".join(c if ord(c) < 256 else anyascii(c) for c in value)
    return value


def _lines(cert: dict[str, Any]) -> list[tuple[str, str]]:
    """(heading or "", text) lines of the printed certificate."""
    party, verdict, record, chain = cert["party"], cert["verdict"], cert["record"], cert["chain"]
    lines: list[tuple[str, str]] = [
        ("h", f"{verdict.get('verdict')}: {party.get('name')}"),
        ("", f"Reason: {verdict.get('reason', '')}"),
        ("", f"Party id: {party.get('id') or '-'}; country: {party.get('country') or '-'}"),
        ("", f"Screened at {cert['screened_at']} (as of {cert.get('as_of') or 'that day'})"),
        ("", f"Algorithm {cert['algorithm']}, threshold {cert['threshold']}"),
        ("h", f"Against {len(cert['snapshots'])} list snapshots"),
    ]
    for s in cert["snapshots"]:
        lines.append(
            (
                "",
                f"{s.get('source')} #{s.get('id')}, dated {s.get('published') or '?'}"
                f" ({s.get('date_basis') or 'stated'}), sha256 {s.get('sha256')}",
            )
        )
    lines.append(("h", f"Hits ({len(cert.get('hits') or [])})"))
    for h in cert.get("hits") or []:
        lines.append(("", f"{h.get('list')} {h.get('entry_id')} score {h.get('score')}"))
    lines.append(("h", f"Alerts and decisions ({len(cert['alerts'])})"))
    for a in cert["alerts"]:
        lines.append(("", f"Alert {a['id']}: {a['listed_name']} ({a['list']}), {a['status']}"))
        for d in a["decisions"]:
            who = (d.get("actor") or {}).get("name") or d.get("decided_by")
            lines.append(("", f"   {d['at']} {d['verdict']} by {who}: {d['reason']}"))
    lines += [
        ("h", "Audit chain"),
        ("", f"Record {record['seq']} of {chain['records']}; record hash {record['hash']}"),
        ("", f"Chain head at issue: {chain['head']}"),
        ("h", "Signature"),
        ("", f"Issued {cert['issued_at']}; Ed25519 key {cert['issuer']['public_key']}"),
        ("", f"Signature {cert['signature']}"),
        (
            "",
            f"The signed certificate is attached to this PDF as {ATTACHMENT}; check it with"
            " 'entityscreen audit verify-certificate FILE'.",
        ),
    ]
    return lines


def certificate_pdf(cert: dict[str, Any]) -> bytes:
    """The PDF of a signed certificate, with its JSON attached."""
    from fpdf import FPDF
    from fpdf.enums import WrapMode

    pdf = FPDF()
    pdf.set_title("Screening certificate")
    pdf.set_creator("entityscreen")
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.cell(0, 10, "Screening certificate", new_x="LMARGIN", new_y="NEXT")
    for kind, text in _lines(cert):
        pdf.set_font("Helvetica", style="B" if kind else "", size=12 if kind else 9)
        if kind:
            pdf.ln(2)
        # wrapmode CHAR: hashes and keys are long words with no space to break at.
        pdf.multi_cell(0, 5, _latin1(text), new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
    payload = json.dumps(cert, ensure_ascii=False, indent=2).encode("utf-8")
    pdf.embed_file(
        bytes=payload,
        basename=ATTACHMENT,
        mime_type="application/json",
        desc="signed screening certificate",
    )
    return bytes(pdf.output())


def json_from_pdf(raw: bytes, path: Path) -> bytes:
    """The attached certificate JSON of a PDF.

    Raises:
        InputError: Not a readable PDF, or no certificate attached (one line).
    """
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    # pypdf logs what it repairs ("EOF marker not found") to stderr: the one line we
    # print says what matters, so its warnings are held back while it reads.
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        attached = PdfReader(io.BytesIO(raw)).attachments.get(ATTACHMENT)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"{path}: not a readable PDF certificate ({exc})") from None
    finally:
        log.setLevel(level)
    if not attached:
        raise InputError(f"{path}: the PDF has no {ATTACHMENT} attached: not a certificate")
    return bytes(attached[0])


__all__ = ["ATTACHMENT", "certificate_pdf", "json_from_pdf"]
