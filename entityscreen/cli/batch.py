"""``entityscreen batch``: a file of parties, on this machine or on Dask."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from .app import (
    AsOfOption,
    HomeOption,
    ListsOption,
    ThresholdOption,
    err,
    open_screener,
    parse_day,
    split_lists,
)


def batch(
    input_path: Annotated[
        str,
        typer.Argument(metavar="INPUT", help="CSV, .jsonl, .xlsx or .parquet; - = stdin."),
    ],
    out_path: Annotated[
        str, typer.Option("--out", "-o", help="CSV, .jsonl, .xlsx or .parquet; - = stdout.")
    ] = "-",
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
        str | None,
        typer.Option("--input-format", help="csv, jsonl, xlsx or parquet (default: from name)."),
    ] = None,
    output_format: Annotated[
        str | None,
        typer.Option("--output-format", help="csv, jsonl, xlsx or parquet (default: from name)."),
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

    from ..batch.io import ColumnMap, InputRow, detect_kind
    from ..service import BatchReport

    if workers < 1:
        raise InputError("--workers must be at least 1")
    day = parse_day(as_of)
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
        with open_screener(home) as screener:
            done = screener.batch_dask(
                input_path,
                out_path,
                columns=columns,
                threshold=threshold,
                limit=limit,
                workers=workers,
                scheduler=scheduler,
                lists=split_lists(lists),
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
    total = None
    in_kind = input_format or detect_kind(input_path)
    if input_path != "-" and Path(input_path).is_file() and in_kind == "csv":
        with open(input_path, "rb") as fh:
            total = max(sum(1 for _ in fh) - 1, 0)
    show_progress = err.is_terminal and out_path != "-"
    with (
        open_screener(home) as screener,
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

        report = screener.screen_paths(
            input_path,
            out_path,
            input_kind=input_format,
            output_kind=output_format,
            columns=columns,
            threshold=threshold,
            limit=limit,
            lists=split_lists(lists),
            workers=workers,
            as_of=day,
            on_row=on_row,
        )
        progress.update(task, completed=report.rows)
    err.print(
        f"{report.rows:,} rows screened in {report.seconds:.1f}s ({report.rate:,.0f}/s): "
        f"{report.matched:,} with matches ({report.hits:,} hits), {report.bad:,} bad rows "
        "skipped",
        markup=False,
    )
