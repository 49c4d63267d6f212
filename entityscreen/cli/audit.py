"""``entityscreen audit``: verify the hash-chained audit log, export it for examiners, sign
its head, issue and verify screening certificates."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from .app import HomeOption, err, open_screener, out, parse_day

audit_app = typer.Typer(
    help="The hash-chained audit log: verify it, sign its head, export it for examiners."
)


@audit_app.command("verify")
def audit_verify(
    home: HomeOption = None,
    head: Annotated[
        Path | None,
        typer.Option(
            "--head",
            help="A head file of 'audit head' kept outside the store: the log must extend it.",
            metavar="FILE",
        ),
    ] = None,
) -> None:
    """Check the audit log's hash chain end to end and the alert and decision tables
    against it (and, with --head, that the log still extends that signed head); exit 1
    on the first difference."""
    from ..service.audit import read_head

    pinned = read_head(head) if head is not None else None
    with open_screener(home) as screener:
        check = screener.verify_audit(head=pinned)
    if not check.ok:
        err.print(
            f"audit log BROKEN after {check.records:,} good records: {check.problem}",
            markup=False,
        )
        raise typer.Exit(1)
    extends = ""
    if pinned is not None:
        extends = f"; extends the head signed {pinned['at']} ({pinned['records']:,} records)"
    out.print(
        f"audit log OK: {check.records:,} records, head {check.head}; alert and decision"
        f" state matches the log{extends}",
        markup=False,
    )


@audit_app.command("head")
def audit_head(
    home: HomeOption = None,
    out_path: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write it to FILE (default: stdout).")
    ] = None,
) -> None:
    """Print the audit log's head (record count and last hash), signed with the store's
    key. Keep it outside the store: 'audit verify --head FILE' then detects a log
    rewritten or cut below it."""
    with open_screener(home) as screener:
        head = screener.audit_head()
    text = json.dumps(head, indent=2) + "\n"
    if out_path is None:
        sys.stdout.write(text)
    else:
        try:
            out_path.write_text(text, encoding="utf-8")
        except OSError as exc:
            err.print(f"cannot write {out_path}: {exc}", markup=False)
            raise typer.Exit(1) from None
    err.print(
        f"head of {head['records']:,} records signed; public key {head['public_key']}",
        markup=False,
    )


@audit_app.command("export")
def audit_export(
    out_path: Annotated[str, typer.Option("--out", "-o", help="JSON lines file; - = stdout.")],
    home: HomeOption = None,
    since: Annotated[
        str | None, typer.Option("--from", help="First day (YYYY-MM-DD, UTC).", metavar="DATE")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--to", help="Last day, included.", metavar="DATE")
    ] = None,
) -> None:
    """Write audit records (imports, screenings, ...) as JSON lines, with their hashes."""
    from datetime import timedelta

    first = parse_day(since, option="--from")
    last = parse_day(until, option="--to")
    sink = sys.stdout if out_path == "-" else open(out_path, "w", encoding="utf-8")  # noqa: SIM115
    count = 0
    try:
        with open_screener(home) as screener:
            check = screener.verify_audit()
            end = last + timedelta(days=1) if last else None
            for record in screener.audit_records(since=first, until=end):
                sink.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
                count += 1
    finally:
        if sink is not sys.stdout:
            sink.close()
    state = "chain verified" if check.ok else f"CHAIN BROKEN: {check.problem}"
    err.print(f"{count:,} audit records written; {state}; head {check.head}", markup=False)
    if not check.ok:
        raise typer.Exit(1)


@audit_app.command("certificate")
def audit_certificate(
    target: Annotated[
        str,
        typer.Argument(
            help="A screening's audit record (seq or hash; record:N) or a party id"
            " (party:ID): its latest screening, with its alerts and decisions.",
            metavar="PARTY_OR_RECORD",
        ),
    ],
    home: HomeOption = None,
    out_path: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Write it to FILE: .pdf for a PDF, else JSON (default: stdout)."
        ),
    ] = None,
) -> None:
    """Issue a screening certificate signed with the store's key: what was screened, when,
    against which list snapshots (sha256), with which algorithm and threshold, the verdict,
    the party's alerts and decisions, bound to the audit chain."""
    with open_screener(home) as screener:
        cert = screener.certificate(target)
    if out_path is not None and out_path.suffix.lower() == ".pdf":
        from ..service.certificate_pdf import certificate_pdf

        payload = certificate_pdf(cert)
    else:
        payload = (json.dumps(cert, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if out_path is None:
        sys.stdout.write(payload.decode("utf-8"))
    else:
        try:
            out_path.write_bytes(payload)
        except OSError as exc:
            err.print(f"cannot write {out_path}: {exc.strerror}", markup=False)
            raise typer.Exit(1) from None
    err.print(
        f"certificate of record {cert['record']['seq']} ({cert['verdict'].get('verdict')},"
        f" {cert['party'].get('name')}) signed; public key {cert['issuer']['public_key']}",
        markup=False,
    )


@audit_app.command("verify-certificate")
def audit_verify_certificate(
    path: Annotated[Path, typer.Argument(help="A certificate (.json or .pdf).", metavar="FILE")],
    public_key: Annotated[
        str | None,
        typer.Option(
            "--public-key",
            help="The key expected: a file (signing_key.pub, a head file) or base64.",
            metavar="KEY",
        ),
    ] = None,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            help="Also check against this store: its key, and the record still in its log.",
        ),
    ] = None,
) -> None:
    """Verify a screening certificate offline (signature, record hash, what it states);
    print what it certifies in one line, or exit 1 with the reason."""
    from ..service.certificate import check_certificate, read_certificate, read_public_key

    cert = read_certificate(path)
    expected = read_public_key(public_key) if public_key is not None else None
    if home is not None:
        with open_screener(home) as screener:
            check = screener.verify_certificate(cert, public_key=expected)
    else:
        check = check_certificate(cert, public_key=expected)
    if not check.ok:
        err.print(f"certificate INVALID: {check.problem}", markup=False)
        raise typer.Exit(1)
    pinned = "the expected key" if expected else "its own key (pin one with --public-key)"
    where = f"; in the log of {home}" if home is not None else ""
    out.print(f"{check.summary}; signature OK with {pinned}{where}", markup=False)
