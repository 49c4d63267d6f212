"""The little of DB-API the store's SQL needs, so one body of SQL serves SQLite and
PostgreSQL: ``execute`` (``?`` placeholders, a cursor with ``fetchone``/``fetchall``/
iteration/``rowcount``) and ``executemany``.

SQLite's ``sqlite3.Connection`` is that already; :class:`~entityscreen.store.postgres.PgConnection`
adapts psycopg to it. The SQL is written in the common subset of both (``ON CONFLICT``,
``RETURNING``, ``CAST``), and the schema's few SQLite-only words are translated for
PostgreSQL in :mod:`entityscreen.store.postgres`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol


class Cursor(Protocol):
    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    # Parameters typed loosely: sqlite3's own stubs accept wider types than a Sequence.
    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...

    def executemany(self, sql: str, parameters: Any, /) -> Any: ...

    def close(self) -> None: ...


__all__ = ["Connection", "Cursor"]
