"""The ``entityscreen`` command line: a thin Typer layer over :mod:`entityscreen.service`.

Errors the package raises on purpose print as one line on stderr with a non-zero exit
code; nothing prints a traceback unless ENTITYSCREEN_DEBUG=1.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from .errors import EntityScreenError, InputError
from .service import ImportResult, Screener
from .store.sqlite import SnapshotDiff

app = typer.Typer(
    name="entityscreen",
    help="Restricted-party screening against the Entity List, SDN and their peers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
lists_app = typer.Typer(help="Load, inspect and compare the restricted-party lists.")
app.add_typer(lists_app, name="lists")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home",
        help="Store folder (default: $ENTITYSCREEN_HOME or the user data dir).",
        envvar="ENTITYSCREEN_HOME",
        show_envvar=False,
    ),
]


def _open(home: Path | None) -> Screener:
    return Screener.open(home)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


# --- lists -------------------------------------------------------------------------------


@lists_app.callback(invoke_without_command=True)
def lists_show(
    ctx: typer.Context,
    home: HomeOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show what is loaded: source, list, snapshot date, entries, sha256."""
    if ctx.invoked_subcommand is not None:
        return
    with _open(home) as screener:
        rows = screener.list_status()
    if as_json:
        _print_json(
            [
                {
                    "source": r.source,
                    "list": r.list,
                    "entries": r.entries,
                    "snapshot": r.snapshot.id,
                    "fetched_at": r.snapshot.fetched_at,
                    "published": r.snapshot.published,
                    "sha256": r.snapshot.sha256,
                    "origin": r.snapshot.origin,
                }
                for r in rows
            ]
        )
        return
    if not rows:
        out.print("No lists loaded. Run 'entityscreen lists update' (or --mirror DIR).")
        return
    table = Table(title="Loaded lists")
    for col in ("source", "list", "snapshot", "date", "entries", "sha256"):
        table.add_column(col, justify="right" if col in ("entries", "snapshot") else "left")
    for r in rows:
        date = r.snapshot.published or r.snapshot.fetched_at[:10]
        table.add_row(
            r.source, r.list, str(r.snapshot.id), date, f"{r.entries:,}", r.snapshot.sha256[:16]
        )
    out.print(table)


def _report_imports(results: list[ImportResult]) -> int:
    failed = 0
    for r in results:
        if r.status == "failed":
            failed += 1
            err.print(f"[red]FAILED[/red] {r.source}: {r.message}")
            continue
        counts = ", ".join(f"{k} {v:,}" for k, v in r.list_counts.items())
        word = "imported" if r.status == "imported" else "unchanged"
        out.print(f"{word} {r.source} from {r.origin}: {r.message} ({counts}) in {r.seconds:.1f}s")
        if r.warnings:
            out.print(f"  {len(r.warnings)} rows skipped, e.g. {r.warnings[0]}")
    return failed


@lists_app.command("update")
def lists_update(
    home: HomeOption = None,
    mirror: Annotated[
        Path | None,
        typer.Option(help="Import from this local folder instead of downloading (air-gapped)."),
    ] = None,
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Only this source (repeatable).")
    ] = None,
) -> None:
    """Download the official list files (or read them from --mirror) and store new snapshots."""
    with _open(home) as screener:
        results = screener.update_lists(mirror=mirror, sources=source)
    if _report_imports(results):
        raise typer.Exit(1)


def _parse_options(values: list[str] | None) -> dict[str, str]:
    options: dict[str, str] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--option expects KEY=VALUE, got {item!r}")
        options[key.strip()] = value.strip()
    return options


@lists_app.command("import")
def lists_import(
    path: Annotated[Path, typer.Argument(help="A list file, or a folder of a multi-file set.")],
    home: HomeOption = None,
    format: Annotated[
        str | None, typer.Option("--format", help="Format name (see 'lists formats').")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Store under this source id.")] = None,
    option: Annotated[
        list[str] | None,
        typer.Option(
            "--option", "-o", help="Format option KEY=VALUE, e.g. map.name='Company Name'."
        ),
    ] = None,
) -> None:
    """Import one list file; its format is detected when not given."""
    options = _parse_options(option)
    with _open(home) as screener:
        result = screener.import_path(path, format=format, source=source, options=options)
    if _report_imports([result]):
        raise typer.Exit(1)


@lists_app.command("formats")
def lists_formats() -> None:
    """List the file formats entityscreen reads."""
    from .sources import all_formats

    table = Table(title="Formats")
    table.add_column("format")
    table.add_column("default source")
    table.add_column("description")
    for fmt in all_formats().values():
        table.add_row(fmt.name, fmt.source, fmt.description)
    out.print(table)


def _diff_json(diff: SnapshotDiff) -> dict[str, Any]:
    def snap(s: Any) -> Any:
        return (
            None
            if s is None
            else {"id": s.id, "published": s.published, "fetched_at": s.fetched_at}
        )

    return {
        "source": diff.source,
        "from": snap(diff.old),
        "to": snap(diff.new),
        "counts": {
            "added": len(diff.added),
            "removed": len(diff.removed),
            "changed": len(diff.changed),
        },
        "added": [{"id": a.entry_id, "name": a.primary_name, "list": a.list} for a in diff.added],
        "removed": [
            {"id": a.entry_id, "name": a.primary_name, "list": a.list} for a in diff.removed
        ],
        "changed": [
            {
                "id": c.entry_id,
                "name": c.primary_name,
                "list": c.list,
                "changes": [{"field": f.field, "old": f.old, "new": f.new} for f in c.changes],
            }
            for c in diff.changed
        ],
    }


def _short(value: Any, width: int = 70) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= width else text[: width - 1] + "…"


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
    with _open(home) as screener:
        diff = screener.diff(source, from_snapshot=from_, to_snapshot=to)
    if as_json:
        _print_json(_diff_json(diff))
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
                out.print(f"      {f.field}: {_short(f.old)} -> {_short(f.new)}")
        if len(diff.changed) > limit:
            out.print(f"  … and {len(diff.changed) - limit:,} more (use --json for all)")


@lists_app.command("history")
def lists_history(
    entry_id: Annotated[str, typer.Argument(help="Entry id, e.g. us_ofac_sdn:36.")],
    home: HomeOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every version of one entry across the snapshots of its source."""
    with _open(home) as screener:
        hist = screener.history(entry_id)
    if as_json:
        _print_json(
            {
                "entry_id": hist.entry_id,
                "versions": [
                    {
                        "content_hash": v.content_hash,
                        "snapshots": [s.id for s in v.snapshots],
                        "entry": v.entry.to_dict(),
                    }
                    for v in hist.versions
                ],
                "timeline": [
                    {
                        "snapshot": s.id,
                        "published": s.published,
                        "fetched_at": s.fetched_at,
                        "version": h,
                    }
                    for s, h in hist.timeline
                ],
            }
        )
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
            from .store import diff_dicts

            for f in diff_dicts(previous, data):
                out.print(f"  {f.field}: {_short(f.old)} -> {_short(f.new)}")
        previous = data


def main() -> None:
    """Console entry point: run the app, turning our errors into one-line messages."""
    # Typer handles usage errors itself (standalone mode) and lets everything else through.
    try:
        app()
    except EntityScreenError as exc:
        err.print(f"error: {exc}", markup=False)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted", markup=False)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # last resort: one line, never a traceback for users
        if os.environ.get("ENTITYSCREEN_DEBUG"):
            raise
        err.print(f"internal error: {type(exc).__name__}: {exc}", markup=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
