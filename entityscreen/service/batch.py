"""Batch screening, written once: :meth:`BatchMixin.screen_batch` is the loop that every
batch path runs (``entityscreen batch``, the API's ``/batch`` jobs and each Dask
partition), as methods of :class:`~entityscreen.service.Screener`.

A batch reads :class:`~entityscreen.batch.io.InputRow` s, screens them in chunks (in
``workers`` forked processes over one shared index, :mod:`entityscreen.batch.executor`),
adds what each hit means, and writes :func:`~entityscreen.results.batch_rows`: one output
row per (row, hit), one per unmatched row and one per bad row, so the output accounts for
every input row.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypedDict, Unpack

from ..batch.executor import screen_chunks
from ..batch.io import (
    OUTPUT_COLUMNS,
    ColumnMap,
    HitWriter,
    InputRow,
    detect_kind,
    party_from_values,
    read_parties,
    read_rows,
)
from ..batch.writers import open_writer
from ..errors import InputError
from ..matching import DEFAULT_THRESHOLD, MatchIndex
from ..model import Party
from ..results import BATCH_EXTRA_COLUMNS, ScreeningResult, batch_rows
from ..settings import Settings
from ._common import check_threshold, pool_size
from .inputs import check_lists, resolve_party
from .view import ListView

if TYPE_CHECKING:
    import pandas as pd

    from ..batch.distributed import DaskReport
    from ..matching import Match
    from . import Screener


class ScreenOptions(TypedDict, total=False):
    """How a batch screens, passed unchanged from :meth:`BatchMixin.screen_file` and
    :meth:`BatchMixin.screen_paths` through :meth:`BatchMixin.screen_batch` to
    :meth:`BatchMixin.screen_rows` (which gives each its default): written once here, so a
    new option cannot be forgotten on one of the paths."""

    threshold: float | None
    limit: int
    lists: Collection[str] | None
    workers: int
    as_of: date | None


@dataclass(slots=True)
class BatchReport:
    """What a batch did so far: input rows read, bad rows skipped, rows with a hit, hits,
    output rows written, and the seconds it took (counted as it runs, so that a caller
    holding it knows how far a failed batch got)."""

    rows: int = 0
    bad: int = 0
    matched: int = 0
    hits: int = 0
    output_rows: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Input rows per second."""
        return self.rows / max(self.seconds, 1e-9)


#: Called after each input row with the row, its result (None for a bad row) and the
#: counts so far: the CLI reports bad rows and progress through it.
RowHook = Callable[[InputRow, ScreeningResult | None, BatchReport], None]


class BatchMixin:
    """The batch methods of :class:`~entityscreen.service.Screener`."""

    settings: Settings

    # Provided by Screener: declared here for the type checker.
    def view(self) -> ListView:
        raise NotImplementedError

    def matcher(self) -> MatchIndex:
        raise NotImplementedError

    if TYPE_CHECKING:
        # AssessMixin's (service/assess.py), a sibling base of Screener: declared for the
        # type checker only, so that no stub here shadows it whatever the order of bases.
        def _assess(
            self,
            view: ListView,
            party: Party,
            matches: list[Match],
            threshold: float,
            limit: int,
            lists: set[str] | None,
            as_of: date | None,
            *,
            started: float,
        ) -> ScreeningResult: ...

    def _audit_screenings(self, results: list[ScreeningResult]) -> None:
        raise NotImplementedError

    def screen_rows(
        self,
        rows: Iterable[InputRow],
        *,
        threshold: float | None = None,
        limit: int = 10,
        lists: Collection[str] | None = None,
        workers: int = 1,
        chunk_size: int = 200,
        as_of: date | None = None,
        view: ListView | None = None,
    ) -> Iterator[tuple[InputRow, ScreeningResult | None]]:
        """Every input row with its result (None for a bad row), in order.

        Name matching runs in ``workers`` processes; the export-control meaning of each hit
        is added here, from the store (cached per entry). Every row is answered from the
        view of the lists taken when the iteration starts (or ``view``): a batch is one
        answer, even when the lists change while it runs.
        """
        view = view or self.view()
        index = view.matcher()
        cutoff = DEFAULT_THRESHOLD if threshold is None else threshold
        check_threshold(cutoff)
        wanted = check_lists(lists, view)
        pending: list[list[InputRow]] = []

        def chunks() -> Iterator[list[Party]]:
            for chunk in _chunked((_resolved(r) for r in rows), chunk_size):
                pending.append(chunk)
                yield [r.party for r in chunk if r.party is not None]

        results = screen_chunks(
            index, chunks(), workers=workers, threshold=cutoff, limit=pool_size(limit), lists=wanted
        )
        for chunk_matches in results:
            chunk = pending.pop(0)
            it = iter(chunk_matches)
            done: list[tuple[InputRow, ScreeningResult | None]] = []
            for row in chunk:
                if row.party is None:
                    done.append((row, None))
                    continue
                started = time.perf_counter()
                result = self._assess(
                    view, row.party, next(it), cutoff, limit, wanted, as_of, started=started
                )
                done.append((row, result))
            # Recorded before the rows are handed on: what was reported was audited.
            self._audit_screenings([r for _, r in done if r is not None])
            yield from done

    def screen_batch(
        self,
        rows: Iterable[InputRow],
        write: Callable[[Mapping[str, str]], object],
        *,
        view: ListView | None = None,
        on_row: RowHook | None = None,
        report: BatchReport | None = None,
        **options: Unpack[ScreenOptions],
    ) -> BatchReport:
        """The batch loop: screen ``rows`` (:meth:`screen_rows`) and ``write`` their output
        rows (:func:`~entityscreen.results.batch_rows`), counting as it goes.

        Args:
            rows: The input rows, good and bad.
            write: Takes each output row (a writer's ``write``, a list's ``append``).
            on_row: Called after each input row (bad-row messages, progress).
            report: The counts to add to (default: a new one); a caller that keeps it
                knows how many rows were done when the batch fails.
        """
        report = report if report is not None else BatchReport()
        started = time.perf_counter()
        screened = self.screen_rows(rows, view=view, **options)
        for row, result in screened:
            report.rows += 1
            if result is None:
                report.bad += 1
            elif result.hits:
                report.matched += 1
                report.hits += len(result.hits)
            for out in batch_rows(row, result):
                write(out)
                report.output_rows += 1
            if on_row is not None:
                on_row(row, result, report)
            report.seconds = time.perf_counter() - started
        report.seconds = time.perf_counter() - started
        return report

    def screen_file(
        self,
        source: IO[str],
        sink: IO[str],
        *,
        input_kind: str = "csv",
        output_kind: str = "csv",
        columns: ColumnMap | None = None,
        name: str = "input",
        on_row: RowHook | None = None,
        report: BatchReport | None = None,
        **options: Unpack[ScreenOptions],
    ) -> BatchReport:
        """Screen a file of parties (CSV or JSON lines, ``source``) into a file of hits
        (CSV or JSON lines, ``sink``, the format of docs/batch.md): :meth:`screen_batch`
        between :func:`~entityscreen.batch.io.read_parties` and a
        :class:`~entityscreen.batch.io.HitWriter`. ``name`` names the input in messages."""
        rows = read_parties(source, kind=input_kind, columns=columns or ColumnMap(), source=name)
        writer = HitWriter(sink, kind=output_kind, extra_columns=BATCH_EXTRA_COLUMNS)
        report = self.screen_batch(
            rows,
            writer.write,
            on_row=on_row,
            report=report,
            **options,
        )
        writer.flush()
        return report

    def screen_paths(
        self,
        input_path: str,
        out_path: str,
        *,
        input_kind: str | None = None,
        output_kind: str | None = None,
        columns: ColumnMap | None = None,
        on_row: RowHook | None = None,
        report: BatchReport | None = None,
        **options: Unpack[ScreenOptions],
    ) -> BatchReport:
        """Screen a file of parties into a file of hits, each in the format its name says
        (or ``input_kind``/``output_kind``): CSV (delimiter sniffed), JSON lines, XLSX or
        Parquet; "-" is stdin/stdout (CSV or JSON lines). What ``entityscreen batch``
        runs locally."""
        in_kind = input_kind or detect_kind(input_path)
        out_kind = output_kind or detect_kind(out_path)
        rows = read_rows(input_path, kind=in_kind, columns=columns or ColumnMap())
        # Reading starts (and fails on a missing file or column) before the output is
        # created, so a bad input leaves no empty output file behind.
        first = next(rows, None)
        writer = open_writer(out_path, kind=out_kind, extra_columns=BATCH_EXTRA_COLUMNS)
        try:
            report = self.screen_batch(
                itertools.chain([first] if first is not None else [], rows),
                writer.write,
                on_row=on_row,
                report=report,
                **options,
            )
        finally:
            writer.close()
        return report

    def batch_dask(
        self,
        input_path: str,
        out_path: str,
        *,
        columns: ColumnMap,
        threshold: float | None = None,
        limit: int = 10,
        workers: int = 2,
        scheduler: str | None = None,
        lists: Collection[str] | None = None,
        as_of: date | None = None,
    ) -> DaskReport:
        """Batch screening on Dask (:mod:`entityscreen.batch.distributed`): each partition
        runs :meth:`screen_batch` in a worker (:func:`screen_partition`). The index is
        built (or loaded) here first, so every worker only loads it."""
        from ..batch.distributed import run_dask_batch

        if threshold is not None:
            check_threshold(threshold)
        self.matcher()
        options = {
            "settings": self.settings,
            "columns": columns,
            "threshold": threshold,
            "limit": limit,
            "lists": tuple(lists) if lists else None,
            "as_of": as_of,
        }
        return run_dask_batch(
            input_path,
            out_path,
            screen=screen_partition,
            options=options,
            name_column=columns.name,
            output_columns=OUTPUT_COLUMNS + BATCH_EXTRA_COLUMNS,
            workers=workers,
            scheduler=scheduler,
        )


#: Screeners of a Dask worker process by home and store URL (opened on first use).
_WORKER_SCREENERS: dict[tuple[Path, str | None], Screener] = {}


def screen_partition(
    frame: pd.DataFrame,
    *,
    settings: Settings,
    columns: ColumnMap,
    threshold: float | None,
    limit: int,
    lists: tuple[str, ...] | None = None,
    as_of: date | None = None,
    partition_info: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Screen one Dask partition in a worker (:meth:`BatchMixin.screen_batch`); one output
    row per (input row, hit) or per unmatched or bad row. Rows without an id are numbered
    ``PARTITION-ROW``.

    The worker opens the store and loads the persisted index once, on its first partition,
    and reuses both for every later one.
    """
    import pandas as pd

    from . import Screener

    key = (settings.home, settings.store_url)
    screener = _WORKER_SCREENERS.get(key)
    if screener is None:
        screener = _WORKER_SCREENERS[key] = Screener.open(settings=settings)
        screener.matcher()
    part = (partition_info or {}).get("number", 0)
    rows: list[InputRow] = []
    for number, values in enumerate(frame.to_dict("records"), start=1):
        row = party_from_values(values, number, columns)
        if not row.explicit_id:
            row = InputRow(row.number, f"{part}-{number}", row.party, row.error, False)
        rows.append(row)
    out: list[Mapping[str, str]] = []
    screener.screen_batch(
        rows, out.append, threshold=threshold, limit=limit, lists=lists, as_of=as_of
    )
    names = list(OUTPUT_COLUMNS + BATCH_EXTRA_COLUMNS)
    return pd.DataFrame(out, columns=names).fillna("").astype(str)


def _chunked(rows: Iterable[InputRow], size: int) -> Iterator[list[InputRow]]:
    chunk: list[InputRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _resolved(row: InputRow) -> InputRow:
    """The row with its party's country as an ISO code; a row whose country names no
    country becomes a bad row saying so (the batch goes on)."""
    if row.party is None:
        return row
    try:
        return replace(row, party=resolve_party(row.party))
    except InputError as exc:
        return replace(row, party=None, error=str(exc))


__all__ = ["BatchMixin", "BatchReport", "RowHook", "ScreenOptions", "screen_partition"]
