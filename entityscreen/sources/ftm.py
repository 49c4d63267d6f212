"""OpenSanctions exports in FollowTheMoney (FtM) JSON lines: entity files and delta files.

Two formats, both with source id ``opensanctions``; the service stores each export as
``opensanctions:{dataset}`` (``Parsed.dataset``: the one list dataset of an entities
file's targets, else "" and the folder's name; always "" for deltas; issue #13):

``ftm-json``
    ``entities.ftm.json``: one entity per line, ``{"id", "schema", "caption",
    "properties": {property: [values]}, "datasets", "referents", "target",
    "first_seen", "last_seen", "last_change"}``.
``ftm-delta``
    ``entities.delta.json``: one operation per line, ``{"op": "ADD" | "MOD" | "DEL",
    "entity": {...}}``; a DEL entity carries only its id. The ``delta.json`` beside the
    versioned folders is an index of versions, not an entity file, and is refused.

Only screening targets become entries: entities with ``"target": true`` or, when the
export has no ``target`` flag, entities of a schema in :data:`~.ftm_schema.TARGET_SCHEMAS`. Other
entities only enrich the targets they point to:

* ``Address`` (named by a target's ``addressEntity``) becomes an :class:`Address`;
* ``Sanction`` (its ``entity`` is the target) adds programs, listing dates and
  authorities and, from the trade.gov CSL dataset, the Entity List's license
  requirement, license review policy and Federal Register citation (its ``reason``,
  ``provisions`` and ``authorityId``, as the OpenSanctions ``us_trade_csl`` crawler
  fills them);
* ``Identification`` and ``Passport`` (their ``holder`` is the target) become
  :class:`Identifier` values.

``Ownership`` entities are read by :func:`iter_ownership`; other links (``Family``,
``Directorship``...) are ignored.

Design choices:

* Entry ids are ``"opensanctions:{FtM id}"`` (stored as ``"opensanctions:{dataset}:{FtM
  id}"``). The list code is the first of the entry's
  datasets in sorted order, skipping OpenSanctions' enrichment (``ext_*``) and
  annotation (``ann_*``) datasets unless there is no other; every dataset is kept in
  ``properties["datasets"]``.
* ``published`` is the version in the name of the folder holding the file
  (``20240527194702-wnk/`` -> ``2024-05-27``, OpenSanctions' artifact layout), else None:
  an entities file states no publication date, and its latest ``last_change`` only
  bounds it from below. ``last_seen`` is not kept: it moves with every export and would
  make every entry look changed.
* Files are read line by line (gzip undone on the fly), so memory grows with the number
  of targets, not with the file; full OpenSanctions exports exceed
  :data:`~.base.MAX_FILE_BYTES`, so that cap does not apply. A line over
  :data:`~.ftm_read.MAX_LINE_BYTES` is refused.
* A delta's entries are built from what the delta file holds: a modified target whose
  sanctions or addresses did not change in that version comes without them, and a
  changed helper entity (a new ``Sanction``) whose target did not change updates
  nothing. DEL ids are passed on whatever their schema; deleting an id that is not an
  entry is a no-op.

Modules: :mod:`.ftm_schema` (the schema and property mapping, value normalisation),
:mod:`.ftm_read` (the streaming line reader), :mod:`.ftm_entries` (entity -> entry); this
one holds the two formats and their sniffing, and re-exports the names callers use
(:func:`iter_ownership` among them).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError
from .base import Parsed
from .ftm_entries import Enrichment
from .ftm_read import (
    BOM,
    DeltaOp,
    FtmEntity,
    iter_delta_ops,
    iter_entities,
    iter_ownership,
)
from .ftm_schema import (
    SOURCE,
    dataset_in_path,
    export_dataset,
    normalize_country,
    parse_percent,
    parse_version_date,
    select_list,
)


def scan_top_keys(text: str) -> set[str]:
    """The top-level keys of the JSON object that starts ``text``, which may be cut short.

    A key counts as soon as it is read, even when its value runs past the end of
    ``text`` (an entity's ``properties`` often does in a 4 KiB head).

    Args:
        text: The start of a line.

    Returns:
        The keys found; empty when ``text`` does not start a JSON object.
    """
    decoder = json.JSONDecoder()
    keys: set[str] = set()
    pos = _skip_space(text, 0)
    if not text.startswith("{", pos):
        return keys
    pos += 1
    while True:
        try:
            key, pos = decoder.raw_decode(text, _skip_space(text, pos))
            pos = _skip_space(text, pos)
            if not isinstance(key, str) or not text.startswith(":", pos):
                return keys
            keys.add(key)
            _, pos = decoder.raw_decode(text, _skip_space(text, pos + 1))
        except (ValueError, RecursionError):
            return keys
        pos = _skip_space(text, pos)
        if not text.startswith(",", pos):
            return keys
        pos += 1


def _skip_space(text: str, pos: int) -> int:
    """The index of the first non-whitespace character at or after ``pos``."""
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


@dataclass(frozen=True)
class FtmFormat:
    """An OpenSanctions FtM JSON-lines format, full or delta (see the module docstring).

    Attributes:
        name: Format name.
        source: Source id; entry ids are ``"{source}:{FtM id}"``.
        description: One line for ``formats`` listings.
        delta: True for the ADD/MOD/DEL delta format.
    """

    name: str
    source: str
    description: str
    delta: bool = False

    def sniff(self, path: Path, head: bytes) -> bool:
        """True when the first line is an FtM entity (for deltas, a delta operation).

        Args:
            path: The file; a directory is never claimed.
            head: The file's first bytes, decompressed.

        Returns:
            Whether the file looks like this format.
        """
        if path.is_dir() or b"\x00" in head:
            return False
        text = head.removeprefix(BOM).decode("utf-8", errors="replace")
        first = next((line for line in text.splitlines() if line.strip()), "")
        wanted = {"op", "entity"} if self.delta else {"id", "schema", "properties"}
        return wanted <= scan_top_keys(first)

    def parse(self, path: Path, options: Mapping[str, str] | None = None) -> Parsed:
        """Parse an entities file or, for the delta format, a delta file.

        Args:
            path: The file, plain or gzipped.
            options: Unused; these formats have none.

        Returns:
            The target entries in file order; for a delta, the ADD/MOD upserts, the DEL
            ids in ``deleted`` and ``delta=True``. Operations on one id apply in file
            order, so an id is never both upserted and deleted.

        Raises:
            SourceError: Any malformed line (see :func:`iter_entities`), a duplicate
                target id in an entities file, or a delta index.
        """
        enrichment = Enrichment()
        targets: dict[str, FtmEntity] = {}
        deleted: dict[str, None] = {}
        # An entities file reads as a delta of ADDs (to an empty list).
        ops = (
            iter_delta_ops(path) if self.delta else (DeltaOp("ADD", e) for e in iter_entities(path))
        )
        for op in ops:
            entity = op.entity
            if op.op == "DEL":
                targets.pop(entity.id, None)
                deleted[entity.id] = None
            elif not entity.is_target:
                enrichment.add_helper(entity)
            elif entity.id in targets and not self.delta:
                first = targets[entity.id].line
                raise SourceError(
                    path,
                    f"duplicate entity id {entity.id} (first on line {first})",
                    line=entity.line,
                )
            else:
                deleted.pop(entity.id, None)
                targets[entity.id] = entity
        entries, warnings = enrichment.build_entries(targets.values())
        # A delta names only what changed (a DEL-only version names nothing): its dataset
        # comes from its folder, so every version of one export lands in one source.
        dataset = "" if self.delta else export_dataset(t.datasets for t in targets.values())
        return Parsed(
            source=self.source,
            format=self.name,
            entries=entries,
            files=(path,),
            published=parse_version_date(path),
            delta=self.delta,
            deleted=tuple(f"{self.source}:{entity_id}" for entity_id in deleted),
            warnings=warnings,
            dataset=dataset,
        )


FTM_JSON = FtmFormat(
    name="ftm-json",
    source=SOURCE,
    description="OpenSanctions FollowTheMoney entities, JSON lines (entities.ftm.json)",
)
FTM_DELTA = FtmFormat(
    name="ftm-delta",
    source=SOURCE,
    description="OpenSanctions FollowTheMoney delta, ADD/MOD/DEL lines (entities.delta.json)",
    delta=True,
)
FORMATS = [FTM_DELTA, FTM_JSON]

__all__ = [
    "FORMATS",
    "FTM_DELTA",
    "FTM_JSON",
    "SOURCE",
    "DeltaOp",
    "Enrichment",
    "FtmEntity",
    "FtmFormat",
    "dataset_in_path",
    "export_dataset",
    "iter_delta_ops",
    "iter_entities",
    "iter_ownership",
    "normalize_country",
    "parse_percent",
    "parse_version_date",
    "scan_top_keys",
    "select_list",
]
