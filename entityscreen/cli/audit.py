"""``entityscreen audit``: verify the hash-chained audit log, export it for examiners."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from .app import HomeOption, err, open_screener, out, parse_day

audit_app = typer.Typer(help="The hash-chained audit log: verify it, export it for examiners.")


@audit_app.command("verify")
def audit_verify(home: HomeOption = None) -> None:
    """Check the audit log's hash chain end to end; exit 1 if any record was changed."""
    with open_screener(home) as screener:
        check = screener.verify_audit()
    if not check.ok:
        err.print(f"audit log BROKEN after {check.records:,} good records: {check.problem}")
        raise typer.Exit(1)
    out.print(f"audit log OK: {check.records:,} records, head {check.head}", markup=False)


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
