"""Batch screening on Dask (dask.distributed): the cluster, the partitions, the output.

:func:`run_dask_batch` reads the input (Parquet, CSV or JSON lines, with
``dask.dataframe``), splits it into enough partitions to keep every worker busy, maps
each through the ``screen`` function it is given and writes the output. The service gives
:func:`entityscreen.service.batch.screen_partition`, which runs the loop every batch
runs (``Screener.screen_batch``) in the worker: this module only moves data, so it
depends on nothing above ``batch`` (issue #11: no batch <-> service cycle). No home-made
cluster code is involved.

The store must be reachable from the workers at the same path (one machine, or a shared
file system); each worker writes its screenings to the store's audit log (SQLite
serialises the writers).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError

if TYPE_CHECKING:
    import pandas as pd

#: Target partition size: big enough to amortise task overhead, small enough for memory.
ROWS_PER_PARTITION = 20_000


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
    screen: Callable[..., pd.DataFrame],
    options: Mapping[str, Any],
    name_column: str,
    output_columns: tuple[str, ...],
    workers: int = 2,
    scheduler: str | None = None,
) -> DaskReport:
    """Screen ``input_path`` on a Dask cluster and write ``out_path``.

    Args:
        input_path: Parquet file or folder, CSV or JSON lines.
        out_path: ``*.parquet`` (a folder of part files, as Dask writes it) or ``*.csv``
            (one file).
        screen: Turns one partition (a pandas frame of strings) into its output rows;
            called in the workers as ``screen(frame, partition_info=..., **options)``, so
            it and ``options`` must pickle.
        options: Keyword arguments of ``screen``.
        name_column: The input column that must be there.
        output_columns: The columns of ``screen``'s frames, in order.
        workers: Local worker processes when no ``scheduler`` is given.
        scheduler: Address of a running Dask scheduler (``tcp://host:8786``).
    """
    import pandas as pd
    from distributed import Client, LocalCluster

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
        if name_column not in frame.columns:
            found = ", ".join(map(str, frame.columns))
            raise InputError(f"{input_path}: no {name_column!r} column (columns: {found})")
        rows = int(frame.map_partitions(len).sum().compute())
        # Enough partitions to keep every worker busy (a single-row-group Parquet file is
        # one partition), and small enough to bound a worker's memory.
        wanted = max(2 * len(client.scheduler_info()["workers"]), -(-rows // ROWS_PER_PARTITION))
        if frame.npartitions < wanted:
            frame = frame.repartition(npartitions=wanted)
        meta = pd.DataFrame({c: pd.Series(dtype=str) for c in output_columns})
        hits = frame.map_partitions(screen, meta=meta, **options)
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


__all__ = ["DaskReport", "read_frame", "run_dask_batch"]
