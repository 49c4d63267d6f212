"""Batch screening on Dask (dask.distributed): the same batch code over partitions.

Each partition of the input (Parquet, CSV or JSON lines, read by ``dask.dataframe``) is
screened by :meth:`entityscreen.service.Screener.screen_rows` in a worker process, and
turned into output rows by :func:`entityscreen.results.batch_rows`: exactly what
``entityscreen batch`` does in one process. Every worker opens the store once and loads
the persisted match index once (:func:`_worker_screener`), then reuses both for all the
partitions it is given; nothing is rebuilt per partition and no home-made cluster code
is involved.

The store must be reachable from the workers at the same path (one machine, or a shared
file system); each worker writes its screenings to the store's audit log (SQLite
serialises the writers).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from .io import OUTPUT_COLUMNS, ColumnMap, InputRow, party_from_values

if TYPE_CHECKING:
    import pandas as pd

    from ..service import Screener

#: Target partition size: big enough to amortise task overhead, small enough for memory.
ROWS_PER_PARTITION = 20_000

#: Screeners by store folder, one per worker process (opened on first use).
_SCREENERS: dict[str, Screener] = {}


@dataclass(frozen=True, slots=True)
class DaskReport:
    """What a Dask batch run did: input rows, output rows, workers, seconds."""

    rows: int
    output_rows: int
    workers: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


def _worker_screener(home: str) -> Screener:
    from ..service import Screener

    screener = _SCREENERS.get(home)
    if screener is None:
        screener = _SCREENERS[home] = Screener.open(Path(home))
        screener.matcher()  # loaded once per worker, from the persisted index
    return screener


def screen_partition(
    frame: pd.DataFrame,
    *,
    home: str,
    columns: ColumnMap,
    threshold: float | None,
    limit: int,
    lists: tuple[str, ...] | None = None,
    as_of: date | None = None,
    partition_info: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Screen one partition; one output row per (input row, hit) or per unmatched row."""
    import pandas as pd

    from ..results import BATCH_EXTRA_COLUMNS, batch_rows

    part = (partition_info or {}).get("number", 0)
    screener = _worker_screener(home)
    rows: list[InputRow] = []
    for number, values in enumerate(frame.to_dict("records"), start=1):
        row = party_from_values(values, number, columns)
        if not row.explicit_id:
            row = InputRow(row.number, f"{part}-{number}", row.party, row.error, False)
        rows.append(row)
    out: list[dict[str, str]] = []
    for row, result in screener.screen_rows(
        rows, threshold=threshold, limit=limit, lists=lists, as_of=as_of
    ):
        out.extend(batch_rows(row, result))
    names = list(OUTPUT_COLUMNS + BATCH_EXTRA_COLUMNS)
    return pd.DataFrame(out, columns=names).fillna("").astype(str)


def read_frame(path: str, *, blocksize: str = "16MB") -> Any:
    """The input as a Dask dataframe of strings (Parquet, CSV, JSON lines)."""
    import dask.dataframe as dd

    lower = path.lower()
    try:
        if lower.endswith((".parquet", ".pq")) or Path(path).is_dir():
            return dd.read_parquet(path)
        if lower.endswith((".jsonl", ".ndjson")):
            return dd.read_json(path, lines=True, blocksize=blocksize, dtype=str)
        return dd.read_csv(path, dtype=str, blocksize=blocksize, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read input ({exc})") from None


def run_dask_batch(
    input_path: str,
    out_path: str,
    *,
    home: Path,
    columns: ColumnMap,
    threshold: float | None = None,
    limit: int = 10,
    workers: int = 2,
    scheduler: str | None = None,
    lists: tuple[str, ...] | None = None,
    as_of: date | None = None,
) -> DaskReport:
    """Screen ``input_path`` on a Dask cluster and write ``out_path``.

    Args:
        input_path: Parquet file or folder, CSV or JSON lines.
        out_path: ``*.parquet`` (a folder of part files, as Dask writes it) or ``*.csv``
            (one file).
        home: The store folder; its index must be built (the caller opens it first).
        columns: Input column names.
        threshold: Score threshold.
        limit: Most hits per row.
        workers: Local worker processes when no ``scheduler`` is given.
        scheduler: Address of a running Dask scheduler (``tcp://host:8786``).
        lists: Screen against these lists only (codes such as ``EL``, ``SDN``).
        as_of: Screen as of this date (see ``Screener.screen``).
    """
    import pandas as pd
    from distributed import Client, LocalCluster

    from ..results import BATCH_EXTRA_COLUMNS

    if not Path(input_path).exists():
        raise InputError(f"{input_path}: no such file")
    started = time.perf_counter()
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    try:
        frame = read_frame(input_path)
        if columns.name not in frame.columns:
            found = ", ".join(map(str, frame.columns))
            raise InputError(f"{input_path}: no {columns.name!r} column (columns: {found})")
        rows = int(frame.map_partitions(len).sum().compute())
        # Enough partitions to keep every worker busy (a single-row-group Parquet file is
        # one partition), and small enough to bound a worker's memory.
        wanted = max(2 * len(client.scheduler_info()["workers"]), -(-rows // ROWS_PER_PARTITION))
        if frame.npartitions < wanted:
            frame = frame.repartition(npartitions=wanted)
        meta = pd.DataFrame({c: pd.Series(dtype=str) for c in OUTPUT_COLUMNS + BATCH_EXTRA_COLUMNS})
        hits = frame.map_partitions(
            screen_partition,
            home=str(home),
            columns=columns,
            threshold=threshold,
            limit=limit,
            lists=lists,
            as_of=as_of,
            meta=meta,
        )
        if out_path.lower().endswith(".csv"):
            hits.to_csv(out_path, single_file=True, index=False)
        else:
            hits.to_parquet(out_path, write_index=False)
        written = _count_output(out_path)
        used = len(client.scheduler_info()["workers"])
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return DaskReport(rows, written, used, time.perf_counter() - started)


def _count_output(out_path: str) -> int:
    if out_path.lower().endswith(".csv"):
        with open(out_path, encoding="utf-8") as fh:
            return max(0, sum(1 for _ in fh) - 1)
    import pyarrow.parquet as pq

    return int(pq.ParquetDataset(out_path).read(columns=["row_id"]).num_rows)


__all__ = ["DaskReport", "read_frame", "run_dask_batch", "screen_partition"]
