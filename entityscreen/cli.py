"""The ``entityscreen`` command line: a thin Typer layer over :mod:`entityscreen.service`.

Errors the package raises on purpose print as one line on stderr with a non-zero exit
code; nothing prints a traceback unless ENTITYSCREEN_DEBUG=1.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from .errors import EntityScreenError, InputError
from .model import Schema, parse_schema, party_from_input
from .service import (
    DEFAULT_THRESHOLD,
    ImportResult,
    Screener,
    all_formats,
    compare_names,
    diff_dicts,
)
from .service.serialize import (
    alert_to_dict,
    comparison_to_dict,
    diff_to_dict,
    history_to_dict,
    list_status_to_dict,
    reconciliation_to_dict,
    result_to_dict,
)

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


def _build_view(screener: Screener) -> None:
    """Build and persist the match index of the lists as they now are, in the process that
    changed them: the next ``screen`` and a running ``serve`` (which sees the change on
    its next request) then load it in milliseconds instead of building it for seconds."""
    screener.view()


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Answer for a past date (YYYY-MM-DD): was the party listed then?",
        metavar="DATE",
    ),
]


def _as_of(value: str | None, *, option: str = "--as-of") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{option} takes a date as YYYY-MM-DD, got {value!r}") from None


# --- lists -------------------------------------------------------------------------------


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
    with _open(home) as screener:
        rows = screener.list_status()
    if as_json:
        _print_json([list_status_to_dict(r) for r in rows])
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
            err.print(f"[red]FAILED[/red] {r.source}: {r.message}")
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
) -> None:
    """Download the official list files (or read them from --mirror) and store new snapshots."""
    with _open(home) as screener:
        results = screener.update_lists(mirror=mirror, sources=source)
        if any(r.status == "imported" for r in results):
            _build_view(screener)  # once, after every source: not per snapshot stored
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
) -> None:
    """Import one list file; its format is detected when not given."""
    partial = bool(options_partial)
    options = _parse_options(option)
    day = _as_of(published, option="--published")
    with _open(home) as screener:
        result = screener.import_path(
            path, format=format, source=source, options=options, published=day, partial=partial
        )
        if result.status == "imported":
            _build_view(screener)
    if _report_imports([result]):
        raise typer.Exit(1)


@lists_app.command("formats")
def lists_formats() -> None:
    """List the file formats entityscreen reads."""
    table = Table(title="Formats")
    table.add_column("format")
    table.add_column("default source")
    table.add_column("description")
    for fmt in all_formats().values():
        table.add_row(fmt.name, fmt.source, fmt.description)
    out.print(table)


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
        _print_json(diff_to_dict(diff))
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
    with _open(home) as screener:
        rec = screener.reconcile(list_code, sources=source or ())
    left, right = rec.left, rec.right
    if as_json:
        _print_json(reconciliation_to_dict(rec))
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
    with _open(home) as screener:
        hist = screener.history(entry_id)
    if as_json:
        _print_json(history_to_dict(hist))
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
            for f in diff_dicts(previous, data):
                out.print(f"  {f.field}: {_short(f.old)} -> {_short(f.new)}")
        previous = data


# --- screening ---------------------------------------------------------------------------

ThresholdOption = Annotated[
    float | None,
    typer.Option("--threshold", "-t", help="Minimum score 0..1 (default: the calibrated one)."),
]
ListsOption = Annotated[
    str | None, typer.Option("--lists", help="Only these lists, comma-separated: EL,SDN,...")
]
SchemaOption = Annotated[
    str | None, typer.Option("--schema", help="company|organization|person|vessel|aircraft")
]


def _schema(value: str | None) -> Schema:
    return parse_schema(value)


def _lists(value: str | None) -> list[str] | None:
    return [x for x in (v.strip() for v in value.split(",")) if x] if value else None


@app.command("screen")
def screen(
    name: Annotated[str, typer.Argument(help="The name to screen.")],
    home: HomeOption = None,
    country: Annotated[str | None, typer.Option(help="Party's country (ISO code or name).")] = None,
    address: Annotated[
        str | None, typer.Option(help="Party's address (for embargo flags).")
    ] = None,
    party_id: Annotated[
        str | None, typer.Option("--id", help="Party's own id (links it to ownership edges).")
    ] = None,
    birth_date: Annotated[
        str | None,
        typer.Option("--birth-date", help="Party's birth date: YYYY, YYYY-MM or YYYY-MM-DD."),
    ] = None,
    id_numbers: Annotated[
        list[str] | None,
        typer.Option(
            "--id-number", help="Passport, national id, registration or IMO number (repeatable)."
        ),
    ] = None,
    schema: SchemaOption = None,
    lists: ListsOption = None,
    threshold: ThresholdOption = None,
    as_of: AsOfOption = None,
    limit: Annotated[int, typer.Option(help="Most matches shown.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")] = False,
) -> None:
    """Screen one name against every loaded list, with what each hit means.

    A birth date and identifiers, when given, are evidence: agreement with the listed
    entry raises the score, a birth year more than a year apart lowers it.
    """
    party = party_from_input(
        name,
        id=party_id,
        country=country,
        address=address,
        schema=schema,
        birth_date=birth_date,
        identifiers=id_numbers,
    )
    day = _as_of(as_of)
    with _open(home) as screener:
        result = screener.screen(
            party, threshold=threshold, limit=limit, lists=_lists(lists), as_of=day
        )
    if as_json:
        _print_json(result_to_dict(result))
        return
    on = f" on {day.isoformat()}" if day else ""
    if result.hits:
        table = Table(title=f"{len(result.hits)} match(es) for {name!r}{on}")
        for col in ("#", "score", "list", "listed name", "matched name", "why"):
            table.add_column(col, overflow="fold")
        for number, hit in enumerate(result.hits, start=1):
            m = hit.match
            table.add_row(
                str(number),
                f"{m.score:.2f}",
                hit.sources_label,
                m.listed_name,
                m.matched_name,
                m.explanation,
            )
        out.print(table)
        if result.not_shown:
            out.print(
                f"{len(result.hits)} of {result.total} matches shown; {result.not_shown} not "
                "shown (raise --limit to see them)."
            )
        out.print("[bold]What each match means[/bold]")
        for number, hit in enumerate(result.hits, start=1):
            out.print(f"{number}. {hit.legal.verdict}", markup=False)
            if hit.addresses:
                out.print(f"   address: {' | '.join(hit.addresses[:3])}", markup=False)
            for copy in hit.copies:
                for line in copy.differences:
                    out.print(f"   sources disagree: {line}", markup=False)
            for note in hit.notes:
                out.print(f"   note: {note}", markup=False)
            if hit.listing is not None:
                state = {True: "listed", None: "cannot tell"}.get(hit.listing.listed, "")
                out.print(f"   {state}{on}: {hit.listing.evidence}", markup=False)
            for finding in hit.ownership:
                out.print(f"   ownership: {finding.summary}", markup=False)
    else:
        out.print(f"No match for {name!r}{on} at threshold {result.threshold:.2f}.")
    if result.not_listed:
        out.print(f"[bold]Found, but not listed{on}[/bold]")
        for hit in result.not_listed:
            evidence = hit.listing.evidence if hit.listing else ""
            m = hit.match
            out.print(f"- {m.score:.2f} {m.list} {m.listed_name}: {evidence}", markup=False)
    for finding in result.ownership:
        out.print(f"[bold]OWNERSHIP[/bold] {finding.rule_title}: ", end="")
        out.print(finding.summary, markup=False)
        for problem in finding.problems:
            out.print(f"  note: {problem}", markup=False)
    for flag in result.flags:
        out.print(f"[bold]FLAG[/bold] {flag.title}: ", end="")
        out.print(f"{flag.reason} ({'; '.join(flag.citations)})", markup=False)
    for age in result.ages:
        out.print(f"list {age.label}, {age.basis}; {age.age_days:,} days old", markup=False)
    for warning in result.warnings:
        out.print("[bold]STALE[/bold] ", end="")
        out.print(warning, markup=False)


@app.command("compare")
def compare(
    name1: Annotated[str | None, typer.Argument(help="First name.")] = None,
    name2: Annotated[str | None, typer.Argument(help="Second name.")] = None,
    schema: SchemaOption = None,
    pairs: Annotated[
        Path | None, typer.Option(help="CSV with columns name1,name2[,schema] to score.")
    ] = None,
    out_path: Annotated[
        Path | None, typer.Option("--out", help="Where to write scores (CSV; default stdout).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Score one pair of names (or every pair in --pairs) with the screening scorer."""
    if pairs is not None:
        _compare_pairs(pairs, out_path, default_schema=_schema(schema))
        return
    if name1 is None or name2 is None:
        raise InputError("give two names, or --pairs FILE")
    result = compare_names(name1, name2, schema=_schema(schema))
    matched = result.score >= DEFAULT_THRESHOLD
    if as_json:
        _print_json(comparison_to_dict(name1, name2, result, threshold=DEFAULT_THRESHOLD))
        return
    verdict = "MATCH" if matched else "no match"
    out.print(f"{result.score:.3f} {verdict} (threshold {DEFAULT_THRESHOLD:.2f})")
    out.print(result.explanation)


def _compare_pairs(path: Path, out_path: Path | None, *, default_schema: Schema) -> None:
    import csv

    if not path.is_file():
        raise InputError(f"{path}: no such file")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        if "name1" not in header or "name2" not in header:
            raise InputError(f"{path}: needs columns name1,name2 (found: {', '.join(header)})")
        rows = list(reader)
    sink = out_path.open("w", encoding="utf-8", newline="") if out_path else sys.stdout
    try:
        writer = csv.DictWriter(sink, fieldnames=[*header, "score", "match", "error"])
        writer.writeheader()
        for number, row in enumerate(rows, start=1):
            schema = _schema(row.get("schema")) if row.get("schema") else default_schema
            try:
                result = compare_names(row["name1"] or "", row["name2"] or "", schema=schema)
            except InputError as exc:
                err.print(f"row {number}: {exc}", markup=False)
                writer.writerow({**row, "error": str(exc)})
                continue
            writer.writerow(
                {**row, "score": f"{result.score:.4f}", "match": result.score >= DEFAULT_THRESHOLD}
            )
    finally:
        if out_path:
            sink.close()


@app.command("batch")
def batch(
    input_path: Annotated[str, typer.Argument(metavar="INPUT", help="CSV or .jsonl; - = stdin.")],
    out_path: Annotated[str, typer.Option("--out", "-o", help="CSV or .jsonl; - = stdout.")] = "-",
    home: HomeOption = None,
    id_column: Annotated[str, typer.Option(help="Input column with the row id.")] = "id",
    name_column: Annotated[str, typer.Option(help="Input column with the name.")] = "name",
    country_column: Annotated[str, typer.Option(help="Input column with the country.")] = "country",
    schema_column: Annotated[str, typer.Option(help="Input column with the schema.")] = "schema",
    birth_date_column: Annotated[
        str, typer.Option(help="Input column with the birth date (YYYY[-MM[-DD]]).")
    ] = "birth_date",
    id_number_column: Annotated[
        str, typer.Option(help="Input column with id numbers, ';' between several.")
    ] = "id_number",
    lists: ListsOption = None,
    threshold: ThresholdOption = None,
    limit: Annotated[int, typer.Option(help="Most matches per input row.")] = 10,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    as_of: AsOfOption = None,
    input_format: Annotated[
        str | None, typer.Option("--input-format", help="csv or jsonl (default: from name).")
    ] = None,
    output_format: Annotated[
        str | None, typer.Option("--output-format", help="csv or jsonl (default: from name).")
    ] = None,
    executor: Annotated[
        str,
        typer.Option(help="local (forked processes) or dask (dask.distributed partitions)."),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address (default: a local cluster of --workers)."),
    ] = None,
) -> None:
    """Screen every row of a file; one output row per (row, match), and one per unmatched row.

    With --executor dask the input may be Parquet, CSV or JSON lines and the output
    Parquet (a folder of part files) or CSV; --as-of and --lists are not supported there.
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from .batch.io import ColumnMap, InputRow, detect_kind, open_input
    from .service import BatchReport

    if workers < 1:
        raise InputError("--workers must be at least 1")
    day = _as_of(as_of)
    columns = ColumnMap(
        id=id_column,
        name=name_column,
        country=country_column,
        schema=schema_column,
        birth_date=birth_date_column,
        id_number=id_number_column,
    )
    if executor == "dask":
        if "-" in (input_path, out_path):
            raise InputError("--executor dask needs an input file and --out FILE")
        with _open(home) as screener:
            done = screener.batch_dask(
                input_path,
                out_path,
                columns=columns,
                threshold=threshold,
                limit=limit,
                workers=workers,
                scheduler=scheduler,
                lists=_lists(lists),
                as_of=day,
            )
        err.print(
            f"{done.rows:,} rows screened on {done.workers} Dask worker(s) in "
            f"{done.seconds:.1f}s ({done.rate:,.0f}/s); {done.output_rows:,} output rows",
            markup=False,
        )
        return
    if executor != "local":
        raise InputError(f"unknown executor {executor!r}; use local or dask")
    in_kind = input_format or detect_kind(input_path)
    out_kind = output_format or detect_kind(out_path)
    for kind in (in_kind, out_kind):
        if kind not in ("csv", "jsonl"):
            raise InputError(f"unknown format {kind!r}; use csv or jsonl")
    total = None
    if input_path != "-" and Path(input_path).is_file() and in_kind == "csv":
        with open(input_path, "rb") as fh:
            total = max(sum(1 for _ in fh) - 1, 0)
    fh_in = open_input(input_path)
    sink = (
        sys.stdout if out_path == "-" else open(out_path, "w", encoding="utf-8", newline="")  # noqa: SIM115
    )
    show_progress = err.is_terminal and out_path != "-"
    try:
        with (
            _open(home) as screener,
            Progress(
                TextColumn("screening"),
                BarColumn(),
                TextColumn("{task.completed:,}/{task.total} rows {task.fields[rate]:,.0f}/s"),
                TimeRemainingColumn(),
                console=err,
                disable=not show_progress,
            ) as progress,
        ):
            task = progress.add_task("batch", total=total, rate=0.0)

            def on_row(row: InputRow, result: object, report: BatchReport) -> None:
                if result is None:
                    err.print(f"row {row.number}: {row.error}; skipped", markup=False)
                if report.rows % 200 == 0:
                    progress.update(task, completed=report.rows, rate=report.rate)

            report = screener.screen_file(
                fh_in,
                sink,
                input_kind=in_kind,
                output_kind=out_kind,
                columns=columns,
                name=input_path,
                threshold=threshold,
                limit=limit,
                lists=_lists(lists),
                workers=workers,
                as_of=day,
                on_row=on_row,
            )
            progress.update(task, completed=report.rows)
    finally:
        fh_in.close()
        if sink is not sys.stdout:
            sink.close()
    err.print(
        f"{report.rows:,} rows screened in {report.seconds:.1f}s ({report.rate:,.0f}/s): "
        f"{report.matched:,} with matches ({report.hits:,} hits), {report.bad:,} bad rows "
        "skipped",
        markup=False,
    )


# --- ownership ---------------------------------------------------------------------------

ownership_app = typer.Typer(help="Ownership edges for the 50% rules (OFAC, BIS Affiliates).")
app.add_typer(ownership_app, name="ownership")


@ownership_app.callback(invoke_without_command=True)
def ownership_show(ctx: typer.Context, home: HomeOption = None) -> None:
    """Show how many ownership edges are loaded, per import."""
    if ctx.invoked_subcommand is not None:
        return
    with _open(home) as screener:
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
    with _open(home) as screener:
        count = screener.import_ownership(path, source=source)
        _build_view(screener)  # the lists' index is unchanged: loaded, or built if missing
    out.print(f"imported {count:,} ownership edges from {path}", markup=False)


# --- monitoring --------------------------------------------------------------------------

parties_app = typer.Typer(help="The party registry: your customers, suppliers, end users.")
app.add_typer(parties_app, name="parties")
alerts_app = typer.Typer(help="The alert queue and analysts' decisions.")
app.add_typer(alerts_app, name="alerts")


@parties_app.callback(invoke_without_command=True)
def parties_show(ctx: typer.Context, home: HomeOption = None) -> None:
    """Show how many parties the registry holds."""
    if ctx.invoked_subcommand is not None:
        return
    with _open(home) as screener:
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
    from .batch.io import ColumnMap

    columns = ColumnMap(
        id=id_column,
        name=name_column,
        country=country_column,
        schema=schema_column,
        address=address_column,
    )
    with _open(home) as screener:
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


@app.command("monitor")
def monitor(
    home: HomeOption = None,
    threshold: ThresholdOption = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Re-screen only what changed since the last run (lists and parties); raise alerts."""
    if workers < 1:
        raise InputError("--workers must be at least 1")
    with _open(home) as screener:
        report = screener.monitor(threshold=threshold, workers=workers)
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
    with _open(home) as screener:
        alerts = screener.alerts(status=status)
    if as_json:
        _print_json([alert_to_dict(a) for a in alerts])
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
    by: Annotated[str | None, typer.Option(help="Who decides (default: $USER).")] = None,
) -> None:
    """Decide an alert; decisions are never deleted."""
    who = by or os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"
    with _open(home) as screener:
        decision = screener.decide(alert_id, verdict, reason=reason, by=who)
    out.print(
        f"alert {alert_id}: {decision.verdict.value} by {decision.decided_by} at {decision.at}",
        markup=False,
    )


# --- HTTP API and keys ------------------------------------------------------------------

keys_app = typer.Typer(help="API keys of the HTTP API (stored hashed).")
app.add_typer(keys_app, name="keys")


@keys_app.callback(invoke_without_command=True)
def keys_show(ctx: typer.Context, home: HomeOption = None) -> None:
    """List the API keys (never the keys themselves)."""
    if ctx.invoked_subcommand is not None:
        return
    with _open(home) as screener:
        keys = screener.keys()
    for k in keys:
        state = f"revoked {k.revoked_at}" if k.revoked_at else "active"
        out.print(f"{k.id}\t{k.role}\t{k.name}\tcreated {k.created_at}\t{state}", markup=False)
    if not keys:
        out.print("No API keys; create one with 'entityscreen keys create --name N --role R'.")


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option(help="Who or what uses the key.")],
    role: Annotated[str, typer.Option(help="screener or analyst.")] = "screener",
    home: HomeOption = None,
) -> None:
    """Create an API key; it is printed once and stored only as a hash."""
    with _open(home) as screener:
        record, key = screener.create_key(name, role)
    err.print(
        f"key {record.id} ({record.role}, {record.name}); keep it now, it is not shown again:"
    )
    sys.stdout.write(key + "\n")


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[int, typer.Argument(help="The key's id (see 'entityscreen keys').")],
    home: HomeOption = None,
) -> None:
    """Revoke an API key."""
    with _open(home) as screener:
        record = screener.revoke_key(key_id)
    out.print(f"key {record.id} ({record.name}) revoked at {record.revoked_at}", markup=False)


@app.command("serve")
def serve(
    home: HomeOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Server processes.")] = 1,
    store: Annotated[
        str | None,
        typer.Option(
            help="sqlite:///PATH (a store folder or its store.sqlite) or postgresql://USER:"
            "PASSWORD@HOST/DB (also $ENTITYSCREEN_STORE); default: the SQLite store in --home."
        ),
    ] = None,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs) and the analyst web UI (/ui)."""
    from functools import partial

    import uvicorn

    from .api.app import create_app
    from .settings import Settings

    if workers < 1:
        raise InputError("--workers must be at least 1")
    settings = Settings.from_env(home).with_store(store)
    with Screener.open(settings=settings) as screener:  # fail here, in one line, if unusable
        screener.matcher()
    # The app gets its settings as an argument, not through os.environ: a picklable
    # factory, so that uvicorn's --workers processes (spawned) rebuild it with them.
    config = uvicorn.Config(
        partial(create_app, settings),
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
    server = uvicorn.Server(config)
    if workers == 1:
        server.run()
        return
    # uvicorn's own supervisor, with a listening socket we bind ourselves: the one it binds
    # for --workers N has proto 0, so asyncio leaves Nagle on for accepted connections and
    # every keep-alive request waits ~40 ms for a delayed ACK (uvicorn issue #3149).
    import socket

    from uvicorn.supervisors import Multiprocess

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    Multiprocess(config, sockets=[sock]).run()


# --- audit -------------------------------------------------------------------------------

audit_app = typer.Typer(help="The hash-chained audit log: verify it, export it for examiners.")
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify(home: HomeOption = None) -> None:
    """Check the audit log's hash chain end to end; exit 1 if any record was changed."""
    with _open(home) as screener:
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

    first = _as_of(since, option="--from")
    last = _as_of(until, option="--to")
    sink = sys.stdout if out_path == "-" else open(out_path, "w", encoding="utf-8")  # noqa: SIM115
    count = 0
    try:
        with _open(home) as screener:
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
