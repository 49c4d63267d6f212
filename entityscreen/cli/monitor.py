"""The party registry, monitoring and the alert queue: ``ownership``, ``parties``,
``monitor``, ``alerts``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..errors import InputError
from .app import HomeOption, ThresholdOption, build_view, err, open_screener, out, print_json

ownership_app = typer.Typer(help="Ownership edges for the 50% rules (OFAC, BIS Affiliates).")


@ownership_app.callback(invoke_without_command=True)
def ownership_show(ctx: typer.Context, home: HomeOption = None) -> None:
    """Show how many ownership edges are loaded, per import."""
    if ctx.invoked_subcommand is not None:
        return
    with open_screener(home) as screener:
        edges = screener.ownership_graph().edges
    counts: dict[str, int] = {}
    for edge in edges:
        counts[edge.source or "?"] = counts.get(edge.source or "?", 0) + 1
    if not counts:
        out.print("No ownership edges loaded; use 'entityscreen ownership import FILE'.")
        return
    for source, count in sorted(counts.items()):
        out.print(f"{source}: {count:,} edges", markup=False)


@ownership_app.command("import")
def ownership_import(
    path: Annotated[Path, typer.Argument(help="CSV of owner -> owned edges, or FtM JSON lines.")],
    home: HomeOption = None,
    source: Annotated[
        str | None, typer.Option(help="Name of this import (default: the file name).")
    ] = None,
) -> None:
    """Import ownership edges; re-importing the same source replaces its edges."""
    with open_screener(home, create=True) as screener:
        count = screener.import_ownership(path, source=source)
        build_view(screener)  # the lists' index is unchanged: loaded, or built if missing
    out.print(f"imported {count:,} ownership edges from {path}", markup=False)


parties_app = typer.Typer(help="The party registry: your customers, suppliers, end users.")


alerts_app = typer.Typer(help="The alert queue and analysts' decisions.")


@parties_app.callback(invoke_without_command=True)
def parties_show(ctx: typer.Context, home: HomeOption = None) -> None:
    """Show how many parties the registry holds."""
    if ctx.invoked_subcommand is not None:
        return
    with open_screener(home) as screener:
        count = screener.store.party_count()
    out.print(f"{count:,} parties in the registry", markup=False)


@parties_app.command("import")
def parties_import(
    path: Annotated[Path, typer.Argument(help="CSV, XLSX, Parquet or JSON lines file.")],
    home: HomeOption = None,
    id_column: Annotated[str, typer.Option(help="Column with your own party id.")] = "id",
    name_column: Annotated[str, typer.Option(help="Column with the name.")] = "name",
    country_column: Annotated[str, typer.Option(help="Column with the country.")] = "country",
    schema_column: Annotated[str, typer.Option(help="Column with the schema.")] = "schema",
    address_column: Annotated[str, typer.Option(help="Column with the address.")] = "address",
) -> None:
    """Add new parties and update changed ones; what changed is recorded."""
    from ..batch.io import ColumnMap

    columns = ColumnMap(
        id=id_column,
        name=name_column,
        country=country_column,
        schema=schema_column,
        address=address_column,
    )
    with open_screener(home, create=True) as screener:
        result, bad = screener.import_parties(path, columns=columns)
    for row in bad[:20]:
        err.print(f"row {row.number}: {row.error}; skipped", markup=False)
    if len(bad) > 20:
        err.print(f"... and {len(bad) - 20:,} more rows skipped", markup=False)
    out.print(
        f"parties: {len(result.added):,} added, {len(result.changed):,} changed, "
        f"{result.unchanged:,} unchanged, {len(bad):,} rows skipped",
        markup=False,
    )


def monitor(
    home: HomeOption = None,
    threshold: ThresholdOption = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    allow_shrink: Annotated[
        bool,
        typer.Option(
            "--allow-shrink",
            help="Mark alerts delisted even if more than --max-delisted of the queue would "
            "be (refused otherwise: a truncated list looks like that).",
        ),
    ] = False,
    max_delisted: Annotated[
        str | None,
        typer.Option(
            "--max-delisted",
            help="Largest share of the alerts not yet delisted one run may mark delisted, "
            "in percent (default: $ENTITYSCREEN_MAX_DELISTED or 20).",
            metavar="PERCENT",
        ),
    ] = None,
) -> None:
    """Re-screen only what changed since the last run (lists and parties); raise alerts."""
    from ..service.shrink import DelistGuard
    from ..settings import parse_percent

    if workers < 1:
        raise InputError("--workers must be at least 1")
    share = None if max_delisted is None else parse_percent(max_delisted, name="--max-delisted")
    guard = DelistGuard(allow=allow_shrink, max_share=share)
    with open_screener(home) as screener:
        report = screener.monitor(threshold=threshold, workers=workers, guard=guard)
    kind = "full screening (first run)" if report.full else "delta screening"
    out.print(
        f"{kind}: {report.changed_entries:,} changed entries, {report.changed_parties:,} "
        f"changed parties -> {report.screened:,} of {report.parties:,} parties screened in "
        f"{report.seconds:.1f}s; alerts: {len(report.outcome.new):,} new, "
        f"{len(report.outcome.reopened):,} re-opened, {len(report.outcome.delisted):,} delisted",
        markup=False,
    )


@alerts_app.callback(invoke_without_command=True)
def alerts_show(
    ctx: typer.Context,
    home: HomeOption = None,
    status: Annotated[
        str | None, typer.Option(help="open, false-positive, true-match or escalated.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the alert queue."""
    if ctx.invoked_subcommand is not None:
        return
    with open_screener(home) as screener:
        alerts = screener.alerts(status=status)
    if as_json:
        from ..service.serialize import alert_to_dict

        print_json([alert_to_dict(a) for a in alerts])
        return
    if not alerts:
        out.print("No alerts" + (f" with status {status}" if status else "") + ".")
        return
    table = Table(title=f"{len(alerts)} alert(s)")
    for col in ("id", "status", "party", "score", "list", "listed name", "why", "reason"):
        table.add_column(col, overflow="fold")
    for a in alerts:
        table.add_row(
            str(a.id),
            a.status.value,
            a.party_id,
            f"{a.score:.2f}",
            a.list,
            a.listed_name,
            a.explanation,
            a.reason,
        )
    out.print(table)


@alerts_app.command("decide")
def alerts_decide(
    alert_id: Annotated[int, typer.Argument(help="The alert's id.")],
    verdict: Annotated[str, typer.Option(help="false-positive, true-match or escalate.")],
    reason: Annotated[str, typer.Option(help="Why (kept in the audit log).")],
    home: HomeOption = None,
    by: Annotated[
        str | None, typer.Option(help="A note of who decides (default: your OS user name).")
    ] = None,
) -> None:
    """Decide an alert; decisions are never deleted. Recorded as made by the local
    operator (your OS user name: the command line has file access to the store, so that is
    what can be said of who runs it); --by is a note beside it."""
    with open_screener(home) as screener:
        decision = screener.decide(alert_id, verdict, reason=reason, by=by, actor=screener.operator)
    actor = decision.actor.label if decision.actor else "?"
    out.print(
        f"alert {alert_id}: {decision.verdict.value} by {actor} (note: {decision.decided_by})"
        f" at {decision.at}",
        markup=False,
    )
