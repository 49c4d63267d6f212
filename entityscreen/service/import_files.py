"""What an import does to a parsed file before the store sees it: the size limit, the
snapshot's date and how it was found, and re-homing entries under another source id.
Pure functions of the service's list imports (:mod:`entityscreen.service.lists`)."""

from __future__ import annotations

import contextlib
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..exportcontrol.freshness import IMPORT_DAY

if TYPE_CHECKING:
    from ..sources import Parsed


def check_size(path: Path, limit_mb: int) -> None:
    """Refuse, before reading it, a file (or a folder's files) over the import limit."""
    files = [p for p in path.iterdir() if p.is_file()] if path.is_dir() else [path]
    size = sum(p.stat().st_size for p in files)
    if size > limit_mb * 2**20:
        raise InputError(
            f"{path}: {size / 2**20:,.0f} MB, more than the import limit of {limit_mb:,} MB"
            " (ENTITYSCREEN_MAX_IMPORT_MB); split the list or raise the limit"
        )


_PATH_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")


def date_parsed(parsed: Parsed, path: Path, given: date | None, *, today: date) -> Parsed:
    """``parsed`` with its snapshot date and how it was found, in this order: the date the
    file states; the date the user gave (``--published``); a date in the file's or its
    folder's name; the date the reader inferred from the data, unless it is after
    ``today`` (a typo in the data); else none, and the basis says that the import day
    stands in. A date the user gives or the mirror's name carries is a statement about
    this copy, so it wins over an inference from its rows."""
    if parsed.published is not None and parsed.published_basis is None:
        return parsed
    if given is not None:
        return replace(
            parsed, published=given.isoformat(), published_basis="given by the user (--published)"
        )
    in_path = _date_in_path(path)
    if in_path is not None:
        return replace(
            parsed,
            published=in_path.isoformat(),
            published_basis=f"from the file's name ({path.parent.name}/{path.name})",
        )
    if parsed.published is not None and parsed.published[:10] <= today.isoformat():
        return parsed
    if parsed.published is not None:
        return replace(
            parsed,
            published=None,
            published_basis=f"{IMPORT_DAY} (the date inferred from the data, "
            f"{parsed.published}, is in the future)",
        )
    return replace(parsed, published_basis=IMPORT_DAY)


def _date_in_path(path: Path) -> date | None:
    """A full date in the file's own name or its folder's name, if exactly one is there."""
    found = set()
    for part in (path.name, path.parent.name):
        for m in _PATH_DATE.finditer(part):
            with contextlib.suppress(ValueError):
                found.add(date(int(m[1]), int(m[2]), int(m[3])))
    return found.pop() if len(found) == 1 else None


def rename_source(parsed: Parsed, source: str) -> Parsed:
    """Re-home parsed entries under another source id (manifest ids, custom lists)."""
    if parsed.source == source:
        return parsed
    prefix = parsed.source + ":"

    def rename(entry_id: str) -> str:
        native = entry_id[len(prefix) :] if entry_id.startswith(prefix) else entry_id
        return f"{source}:{native}"

    from ..sources.spool import MappedEntries

    # Lazily: a spooled parse stays on disk (issue #13).
    entries = MappedEntries(parsed.entries, lambda e: replace(e, id=rename(e.id), source=source))
    return replace(
        parsed,
        source=source,
        entries=entries,
        deleted=tuple(rename(d) for d in parsed.deleted),
    )



__all__ = ["check_size", "date_parsed", "rename_source"]
