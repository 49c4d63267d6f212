"""``entityscreen lists``: load and inspect the lists (show, update, import, formats)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from ..errors import InputError

if TYPE_CHECKING:
    from ..service import ImportResult

from .app import HomeOption, build_view, err, open_screener, out, parse_day, print_json

lists_app = typer.Typer(help="Load, inspect and compare the restricted-party lists.")

AllowShrinkOption = Annotated[
    bool,
    typer.Option(
        "--allow-shrink",
        help="Store the list even if it empties a source, shrinks it by more than "
        "--max-shrink or drops a whole sub-list (refused otherwise; recorded in the audit log).",
    ),
]
MaxShrinkOption = Annotated[
    str | None,
    typer.Option(
        "--max-shrink",
        help="Largest share of a list an import may remove, in percent "
        "(default: $ENTITYSCREEN_MAX_SHRINK or 20).",
        metavar="PERCENT",
    ),
]


def max_shrink(value: str | None) -> float | None:
    from ..settings import parse_percent

    return None if value is None else parse_percent(value, name="--max-shrink")


@lists_app.callback(invoke_without_command=True)
def lists_show(
    ctx: typer.Context,
    home: HomeOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show what is loaded: source, list, snapshot, its date and how it was found, its age,
    entries, sha256."""
    if ctx.invoked_subcommand is not None:
        return
    with open_screener(home) as screener:
        rows = screener.list_status()
    if as_json:
        from ..service.serialize import list_status_to_dict

        print_json([list_status_to_dict(r) for r in rows])
        return
    if not rows:
        out.print("No lists loaded. Run 'entityscreen lists update' (or --mirror DIR).")
        return
    table = Table(title="Loaded lists")
    # The date, age and count are never cut ("2026-07-…" on an 80-column terminal); the
    # sha256 prefix is left out on a narrow one (it is in --json).
    with_sha = out.width >= 100
    columns = ("source", "list", "snapshot", "date", "age", "entries")
    for col in (*columns, "sha256") if with_sha else columns:
        right = col in ("entries", "snapshot", "age")
        table.add_column(
            col,
            justify="right" if right else "left",
            no_wrap=col not in ("source", "list"),
            overflow="fold",
        )
    dated: dict[int, str] = {}
    for r in rows:
        date, age = r.snapshot.published or r.snapshot.fetched_at[:10], ""
        if r.age is not None:
            date = r.age.date.isoformat()
            age = f"{r.age.age_days:,} d" + (" STALE" if r.age.stale else "")
            dated[r.snapshot.id] = f"{r.source} snapshot {r.snapshot.id}: {date}, {r.age.basis}"
        row = (r.source, r.list, str(r.snapshot.id), date, age, f"{r.entries:,}")
        table.add_row(*row, *((r.snapshot.sha256[:16],) if with_sha else ()))
    out.print(table)
    # How each date was found, once per snapshot (too long for a column).
    for line in dated.values():
        out.print(line, markup=False)


def _report_imports(results: list[ImportResult]) -> int:
    failed = 0
    for r in results:
        if r.status == "failed":
            failed += 1
            # Name what failed: the source when known, else the file, which the message
            # of an unreadable file already starts with ("FAILED ?:" said nothing).
            what = r.source or ("" if r.message.startswith(r.origin) else r.origin)
            label = f" {what}" if what else ""
            # As text, not markup: a message may hold brackets ("row [3]").
            err.print(Text.assemble(("FAILED", "red"), f"{label}: {r.message}"))
            continue
        if r.status == "skipped":
            out.print(f"skipped {r.source} (optional in a mirror): {r.message}", markup=False)
            continue
        counts = ", ".join(f"{k} {v:,}" for k, v in r.list_counts.items())
        word = "imported" if r.status == "imported" else "unchanged"
        out.print(f"{word} {r.source} from {r.origin}: {r.message} ({counts}) in {r.seconds:.1f}s")
        notes = [w for w in r.warnings if w.startswith(("partial snapshot:", "incomplete set:"))]
        rows = [w for w in r.warnings if w not in notes]
        for note in notes:
            out.print(f"  note: {note}", markup=False)
        if rows:
            out.print(f"  {len(rows)} rows skipped, e.g. {rows[0]}")
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
    allow_shrink: AllowShrinkOption = False,
    max_shrink_percent: MaxShrinkOption = None,
) -> None:
    """Download the official list files (or read them from --mirror) and store new snapshots."""
    limit = max_shrink(max_shrink_percent)
    with open_screener(home, create=True) as screener:
        results = screener.update_lists(
            mirror=mirror, sources=source, allow_shrink=allow_shrink, max_shrink=limit
        )
        if any(r.status == "imported" for r in results):
            build_view(screener)  # once, after every source: not per snapshot stored
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
    published: Annotated[
        str | None,
        typer.Option(
            help="Publication date YYYY-MM-DD, when the file states none (as-of screening "
            "dates a snapshot by it).",
            metavar="DATE",
        ),
    ] = None,
    options_partial: Annotated[
        bool,
        typer.Option(
            "--partial",
            help="Store an incomplete OFAC set (sdn.csv without add.csv/alt.csv) as a partial "
            "snapshot that keeps the previous aliases and addresses.",
        ),
    ] = False,
    allow_shrink: AllowShrinkOption = False,
    max_shrink_percent: MaxShrinkOption = None,
) -> None:
    """Import one list file; its format is detected when not given."""
    partial = bool(options_partial)
    options = _parse_options(option)
    day = parse_day(published, option="--published")
    limit = max_shrink(max_shrink_percent)
    with open_screener(home, create=True) as screener:
        result = screener.import_path(
            path,
            format=format,
            source=source,
            options=options,
            published=day,
            partial=partial,
            allow_shrink=allow_shrink,
            max_shrink=limit,
        )
        if result.status == "imported":
            build_view(screener)
    if _report_imports([result]):
        raise typer.Exit(1)


@lists_app.command("formats")
def lists_formats() -> None:
    """List the file formats entityscreen reads."""
    table = Table(title="Formats")
    table.add_column("format")
    table.add_column("default source")
    table.add_column("description")
    from ..service import all_formats

    for fmt in all_formats().values():
        table.add_row(fmt.name, fmt.source, fmt.description)
    out.print(table)
