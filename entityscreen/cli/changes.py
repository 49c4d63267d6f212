"""``entityscreen lists diff|reconcile|history``: how the lists changed, snapshot to
snapshot and source to source."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from .app import HomeOption, open_screener, out, print_json, short
from .lists import lists_app


@lists_app.command("diff")
def lists_diff(
    source: Annotated[str, typer.Argument(help="Source id, e.g. us_ofac_sdn.")],
    home: HomeOption = None,
    from_: Annotated[
        int | None, typer.Option("--from", help="Older snapshot id (default: the one before --to).")
    ] = None,
    to: Annotated[
        int | None, typer.Option("--to", help="Newer snapshot id (default: latest).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    limit: Annotated[int, typer.Option(help="Rows shown per section (table output).")] = 20,
) -> None:
    """Added, removed and changed entries between two snapshots, field by field."""
    with open_screener(home) as screener:
        diff = screener.diff(source, from_snapshot=from_, to_snapshot=to)
    if as_json:
        from ..service.serialize import diff_to_dict

        print_json(diff_to_dict(diff))
        return
    old = f"snapshot {diff.old.id}" if diff.old else "nothing"
    out.print(
        f"{diff.source}: {old} -> snapshot {diff.new.id}: "
        f"{len(diff.added):,} added, {len(diff.removed):,} removed, {len(diff.changed):,} changed"
    )
    for title, items in (("Added", diff.added), ("Removed", diff.removed)):
        if items:
            out.print(f"\n[bold]{title}[/bold]")
            for a in items[:limit]:
                out.print(f"  {a.list:5} {a.entry_id}  {a.primary_name}")
            if len(items) > limit:
                out.print(f"  … and {len(items) - limit:,} more (use --json for all)")
    if diff.changed:
        out.print("\n[bold]Changed[/bold]")
        for c in diff.changed[:limit]:
            out.print(f"  {c.list:5} {c.entry_id}  {c.primary_name}")
            for f in c.changes:
                out.print(f"      {f.field}: {short(f.old)} -> {short(f.new)}")
        if len(diff.changed) > limit:
            out.print(f"  … and {len(diff.changed) - limit:,} more (use --json for all)")


@lists_app.command("reconcile")
def lists_reconcile(
    list_code: Annotated[str, typer.Argument(help="List code: EL, SDN, DPL, ...")],
    home: HomeOption = None,
    source: Annotated[
        list[str] | None,
        typer.Option("--source", help="One of the two sources to compare (give both)."),
    ] = None,
    limit: Annotated[int, typer.Option(help="Rows shown per section (table output).")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (every entry).")] = False,
) -> None:
    """Compare two sources of one list: listings only in one, and differing dates,
    citations or license text."""
    with open_screener(home) as screener:
        rec = screener.reconcile(list_code, sources=source or ())
    left, right = rec.left, rec.right
    if as_json:
        from ..service.serialize import reconciliation_to_dict

        print_json(reconciliation_to_dict(rec))
        return
    counts = rec.counts()
    out.print(f"{rec.code}: {left.label()} -> {right.label()} (newer)", markup=False)
    out.print(
        f"  {counts['removed']:,} only in {left.source} (removed, or never in {right.source})"
    )
    out.print(f"  {counts['added']:,} only in {right.source} (added)")
    out.print(f"  {counts['same_listing']:,} in both, {counts['differing']:,} differing")
    sections = (
        (f"Only in {left.source}", [f"{e.id}  {e.primary_name}" for e in rec.only_left]),
        (f"Only in {right.source}", [f"{e.id}  {e.primary_name}" for e in rec.only_right]),
        (
            "Differing",
            [
                f"{p.right.primary_name}: "
                + "; ".join(d.describe(left.source, right.source) for d in p.differences)
                for p in rec.differing
            ],
        ),
    )
    for title, lines in sections:
        if lines:
            out.print(f"[bold]{title}[/bold]")
            for line in lines[:limit]:
                out.print(f"  {line}", markup=False)
            if len(lines) > limit:
                out.print(f"  … and {len(lines) - limit:,} more (use --json for all)")


@lists_app.command("history")
def lists_history(
    entry_id: Annotated[str, typer.Argument(help="Entry id, e.g. us_ofac_sdn:36.")],
    home: HomeOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every version of one entry across the snapshots of its source."""
    with open_screener(home) as screener:
        hist = screener.history(entry_id)
    if as_json:
        from ..service.serialize import history_to_dict

        print_json(history_to_dict(hist))
        return
    out.print(f"[bold]{hist.entry_id}[/bold]: {len(hist.versions)} version(s)")
    table = Table()
    for col in ("snapshot", "date", "present", "version"):
        table.add_column(col)
    for snap, chash in hist.timeline:
        date = snap.published or snap.fetched_at[:10]
        table.add_row(str(snap.id), date, "yes" if chash else "no", (chash or "")[:12])
    out.print(table)
    previous: dict[str, Any] | None = None
    for v in hist.versions:
        data = v.entry.to_dict()
        out.print(f"\nversion {v.content_hash[:12]} in snapshots {[s.id for s in v.snapshots]}")
        if previous is None:
            out.print(f"  names: {'; '.join(n.value for n in v.entry.names)}")
        else:
            from ..service import diff_dicts

            for f in diff_dicts(previous, data):
                out.print(f"  {f.field}: {short(f.old)} -> {short(f.new)}")
        previous = data
