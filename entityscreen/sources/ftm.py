"""OpenSanctions exports in FollowTheMoney (FtM) JSON lines: entity files and delta files.

Two formats, both with source id ``opensanctions``:

``ftm-json``
    ``entities.ftm.json``: one entity per line, ``{"id", "schema", "caption",
    "properties": {property: [values]}, "datasets", "referents", "target",
    "first_seen", "last_seen", "last_change"}``.
``ftm-delta``
    ``entities.delta.json``: one operation per line, ``{"op": "ADD" | "MOD" | "DEL",
    "entity": {...}}``; a DEL entity carries only its id. The ``delta.json`` beside the
    versioned folders is an index of versions, not an entity file, and is refused.

Only screening targets become entries: entities with ``"target": true`` or, when the
export has no ``target`` flag, entities of a schema in :data:`TARGET_SCHEMAS`. Other
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

* Entry ids are ``"opensanctions:{FtM id}"``. The list code is the first of the entry's
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
  :data:`MAX_LINE_BYTES` is refused.
* A delta's entries are built from what the delta file holds: a modified target whose
  sanctions or addresses did not change in that version comes without them, and a
  changed helper entity (a new ``Sanction``) whose target did not change updates
  nothing. DEL ids are passed on whatever their schema; deleting an id that is not an
  entry is a no-op.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from ..errors import SourceError
from ..model import Address, Entry, Identifier, LegalFacts, Name, NameKind, Schema
from .base import Parsed, clean, parse_date

SOURCE = "opensanctions"
#: Longest line accepted; real entities stay far below 1 MB.
MAX_LINE_BYTES = 16 * 1024 * 1024

#: Schemas whose entities are screening targets when the export has no ``target`` flag.
TARGET_SCHEMAS: dict[str, Schema] = {
    "Person": Schema.PERSON,
    "Organization": Schema.ORGANIZATION,
    "Company": Schema.ORGANIZATION,
    "LegalEntity": Schema.ORGANIZATION,
    "PublicBody": Schema.ORGANIZATION,
    "Vessel": Schema.VESSEL,
    "Airplane": Schema.AIRCRAFT,
}

#: Name properties besides ``name`` (whose values are the primary name and a.k.a.s).
NAME_PROPERTIES: tuple[tuple[str, NameKind], ...] = (
    ("alias", NameKind.AKA),
    ("previousName", NameKind.FKA),
    ("weakAlias", NameKind.WEAK),
    ("abbreviation", NameKind.WEAK),  # "CST", "ZALA": short, so weak
)

#: Identifier properties: property -> (identifier type, implied country). Types follow
#: the OFAC / CSL spelling where there is one.
IDENTIFIER_PROPERTIES: dict[str, tuple[str, str | None]] = {
    "registrationNumber": ("Registration Number", None),
    "taxNumber": ("Tax ID No.", None),
    "vatCode": ("V.A.T. Number", None),
    "innCode": ("INN", "RU"),
    "ogrnCode": ("OGRN", "RU"),
    "okpoCode": ("OKPO", None),
    "leiCode": ("LEI", None),
    "swiftBic": ("SWIFT/BIC", None),
    "idNumber": ("National ID No.", None),
    "passportNumber": ("Passport", None),
    "imoNumber": ("IMO", None),
    "mmsi": ("MMSI", None),
    "callSign": ("Call Sign", None),
    "uniqueEntityId": ("SAM UEI", None),
}

#: Country properties; all go to ``Entry.countries``, these to ``Entry.nationalities``.
NATIONALITY_PROPERTIES = ("nationality", "citizenship")
COUNTRY_PROPERTIES = ("country", *NATIONALITY_PROPERTIES, "jurisdiction")

#: The trade.gov CSL dataset, whose Sanction entities carry the Entity List's facts.
CSL_DATASET = "us_trade_csl"
#: Dataset name prefixes of enrichments and annotations, which are not lists.
AUXILIARY_DATASET_PREFIXES = ("ext_", "ann_")

DELTA_OPS = frozenset({"ADD", "MOD", "DEL"})
_VERSION_DIR = re.compile(r"^(\d{4})(\d{2})(\d{2})\d{6}(?:-[0-9a-z]+)?$")
_GZIP_MAGIC = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"
_INDEX_MAX_BYTES = 1024 * 1024
_ID_SCHEMAS = frozenset({"Identification", "Passport"})


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FtmEntity:
    """One FtM entity as read from a line, checked for shape.

    Attributes:
        id: The FtM id.
        schema: The FtM schema name (``Person``, ``Sanction``...); empty for a DEL.
        properties: Property name -> values.
        caption: The display name OpenSanctions picked.
        datasets: The datasets the entity is in.
        referents: The source ids merged into it.
        target: The ``target`` flag; None when the export has none.
        last_change: When the entity last changed (ISO timestamp).
        line: Its line number in the file.
    """

    id: str
    schema: str
    properties: Mapping[str, list[str]]
    caption: str | None = None
    datasets: tuple[str, ...] = ()
    referents: tuple[str, ...] = ()
    target: bool | None = None
    last_change: str | None = None
    line: int = 0

    def values(self, prop: str) -> list[str]:
        """The cleaned, distinct values of ``prop`` (empty when absent)."""
        return _clean_values(self.properties.get(prop, ()))

    def first(self, prop: str) -> str | None:
        """The first cleaned value of ``prop``, or None."""
        return next(iter(self.values(prop)), None)

    @property
    def is_target(self) -> bool:
        """True when the entity is a screening target (see the module docstring)."""
        return self.target if self.target is not None else self.schema in TARGET_SCHEMAS


@dataclass(frozen=True, slots=True)
class DeltaOp:
    """One line of a delta file.

    Attributes:
        op: ``ADD``, ``MOD`` or ``DEL``.
        entity: The entity it applies to (only its id for a DEL).
    """

    op: str
    entity: FtmEntity


def iter_entities(path: Path) -> Iterator[FtmEntity]:
    """Yield the entities of an ``entities.ftm.json`` file.

    Args:
        path: The file, plain or gzipped.

    Yields:
        Each entity, in file order.

    Raises:
        SourceError: Unreadable, empty or binary file; a line over
            :data:`MAX_LINE_BYTES`, not UTF-8 JSON, not an entity, or a delta operation;
            a delta index.
    """
    for line, obj in _iter_json_lines(path):
        if "op" in obj and "entity" in obj:
            raise SourceError(path, "a delta operation: import the file as ftm-delta", line=line)
        yield _read_entity(obj, path, line)


def iter_delta_ops(path: Path) -> Iterator[DeltaOp]:
    """Yield the operations of an ``entities.delta.json`` file.

    Args:
        path: The file, plain or gzipped.

    Yields:
        Each operation, in file order.

    Raises:
        SourceError: As :func:`iter_entities`, and for an operation other than ADD, MOD
            and DEL.
    """
    for line, obj in _iter_json_lines(path):
        yield _read_op(obj, path, line)


@contextmanager
def _open_binary(path: Path) -> Iterator[io.BufferedIOBase]:
    """Open ``path`` for reading, un-gzipping on the fly; SourceError when unreadable."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise SourceError(path, f"cannot read file: {exc.strerror or exc}") from None
    with fh:
        if fh.peek(2)[:2] == _GZIP_MAGIC:
            with gzip.GzipFile(fileobj=fh) as gz:
                yield gz
        else:
            yield fh


def _iter_json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line number, object)`` for each non-blank line; see :func:`iter_entities`."""
    seen = False
    number = 0
    with _open_binary(path) as fh:
        while True:
            number += 1
            try:
                raw = fh.readline(MAX_LINE_BYTES + 1)
            except (OSError, EOFError, zlib.error) as exc:
                raise SourceError(path, f"corrupt or truncated data ({exc})", line=number) from None
            if not raw:
                break
            if len(raw) > MAX_LINE_BYTES:
                raise SourceError(path, f"line longer than {MAX_LINE_BYTES} bytes", line=number)
            if number == 1:
                raw = raw.removeprefix(_BOM)
            if raw.strip():
                yield number, _decode_line(raw, path, number, first=not seen)
                seen = True
    if not seen:
        raise SourceError(path, "file is empty")


def _decode_line(raw: bytes, path: Path, number: int, *, first: bool) -> dict[str, Any]:
    """One line as a JSON object; on the first line, a delta index gets its own error."""
    if b"\x00" in raw:
        raise SourceError(path, "binary data (NUL bytes), not FtM JSON lines", line=number)
    try:
        obj = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SourceError(path, "not UTF-8 text, not FtM JSON lines", line=number) from None
    except (ValueError, RecursionError):
        if first and _is_delta_index(path):
            _raise_delta_index(path)
        raise SourceError(path, "malformed JSON", line=number) from None
    if not isinstance(obj, dict):
        raise SourceError(path, "not a JSON object", line=number)
    if first and "versions" in obj and "id" not in obj and "op" not in obj:
        _raise_delta_index(path)
    return obj


def _is_delta_index(path: Path) -> bool:
    """True when ``path`` is a small JSON document with ``versions`` (``delta.json``)."""
    try:
        if path.stat().st_size > _INDEX_MAX_BYTES:
            return False
        with _open_binary(path) as fh:
            obj = json.loads(fh.read(_INDEX_MAX_BYTES).decode("utf-8"))
    except (OSError, EOFError, zlib.error, ValueError, RecursionError):
        return False
    return isinstance(obj, dict) and "versions" in obj


def _raise_delta_index(path: Path) -> NoReturn:
    """Refuse an OpenSanctions delta index."""
    raise SourceError(path, "this is a delta index, import the entities.delta.json files")


def _read_op(obj: Mapping[str, Any], path: Path, line: int) -> DeltaOp:
    """Check one delta operation's shape and wrap it; SourceError when malformed."""
    op, entity = obj.get("op"), obj.get("entity")
    if op is None and "schema" in obj:
        raise SourceError(path, "an entity, not a delta operation: import as ftm-json", line=line)
    if op not in DELTA_OPS:
        raise SourceError(path, f"unknown delta op {op!r}; expected ADD, MOD or DEL", line=line)
    if not isinstance(entity, dict):
        raise SourceError(path, f"{op} without an entity object", line=line)
    return DeltaOp(op, _read_entity(entity, path, line, id_only=op == "DEL"))


def _read_entity(
    obj: Mapping[str, Any], path: Path, line: int, *, id_only: bool = False
) -> FtmEntity:
    """Check one entity's shape and wrap it; ``id_only`` accepts a DEL's bare id."""
    entity_id = obj.get("id")
    if not isinstance(entity_id, str) or not entity_id.strip():
        raise SourceError(path, "entity without an id", line=line)
    schema = obj.get("schema", "")
    if not isinstance(schema, str) or not (schema or id_only):
        raise SourceError(path, f"entity {entity_id} without a schema", line=line)
    properties = obj.get("properties", {})
    if not isinstance(properties, dict):
        raise SourceError(path, f"entity {entity_id}: properties is not an object", line=line)
    for prop, values in properties.items():
        _check_strings(values, path, line, f"entity {entity_id}: property {prop}")
    target = obj.get("target")
    if target is not None and not isinstance(target, bool):
        raise SourceError(path, f"entity {entity_id}: target is not true or false", line=line)
    caption, last_change = obj.get("caption"), obj.get("last_change")
    return FtmEntity(
        id=entity_id,
        schema=schema,
        properties=properties,
        caption=caption if isinstance(caption, str) else None,
        datasets=_check_strings(obj.get("datasets", []), path, line, "datasets"),
        referents=_check_strings(obj.get("referents", []), path, line, "referents"),
        target=target,
        last_change=last_change if isinstance(last_change, str) else None,
        line=line,
    )


def _check_strings(value: Any, path: Path, line: int, what: str) -> tuple[str, ...]:
    """``value`` as a tuple when it is a list of strings; SourceError naming ``what``."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SourceError(path, f"{what} is not a list of strings", line=line)
    return tuple(value)


# --- values -------------------------------------------------------------------------------


def _clean_values(values: Iterable[str | None]) -> list[str]:
    """Whitespace-collapsed non-blank values, first occurrence of each, in order."""
    return list(dict.fromkeys(c for c in map(clean, values) if c))


def normalize_country(value: str) -> str | None:
    """An FtM country code as ISO 3166-1 alpha-2.

    FtM codes are lower-case ISO (``"by"``) plus a few of its own for historical or
    disputed places (``"suhh"``, ``"ge-ab"``) and ``"zz"`` for "global"; those are
    dropped, not guessed.

    Args:
        value: The FtM code.

    Returns:
        The upper-case two-letter code, or None.
    """
    code = value.strip()
    if len(code) == 2 and code.isascii() and code.isalpha() and code.lower() != "zz":
        return code.upper()
    return None


def _normalize_countries(values: Iterable[str]) -> list[str]:
    """The ISO codes of FtM country values (see :func:`normalize_country`), distinct."""
    return _clean_values(normalize_country(v) for v in values)


def _normalize_date(value: str) -> str:
    """An FtM date or timestamp as an ISO date; as published when it does not parse."""
    return parse_date(value) or value


def _normalize_dates(values: Iterable[str]) -> list[str]:
    """The ISO dates of cleaned FtM date values, distinct."""
    return _clean_values(_normalize_date(v) for v in values)


def select_list(datasets: Iterable[str]) -> str:
    """The list code of an entry: its first list dataset in sorted order.

    Args:
        datasets: The entity's datasets.

    Returns:
        The first dataset that is not an enrichment or annotation (or, when all are,
        the first of them); ``"opensanctions"`` when there is none.
    """
    names = sorted(set(datasets))
    lists = [d for d in names if not d.startswith(AUXILIARY_DATASET_PREFIXES)]
    return (lists or names or [SOURCE])[0]


def parse_version_date(path: Path) -> str | None:
    """The publication date in an OpenSanctions version folder name.

    Args:
        path: A file inside a folder such as ``20240527194702-wnk``.

    Returns:
        ``"2024-05-27"``, or None when the folder is not named after a version.
    """
    m = _VERSION_DIR.match(path.parent.name)
    return parse_date(f"{m.group(1)}-{m.group(2)}-{m.group(3)}") if m else None


def parse_percent(value: str | None) -> float | None:
    """A share percentage as a float (``"49"``, ``"50.5"``, ``"51%"``, ``"12,5"``).

    Args:
        value: An FtM ``percentage`` value.

    Returns:
        The percentage, or None when absent or not a number from 0 to 100.
    """
    if not value:
        return None
    try:
        percent = float(value.rstrip("%").strip().replace(",", "."))
    except ValueError:
        return None
    return percent if 0.0 <= percent <= 100.0 else None


def _pick_caption(values: list[str], caption: str | None) -> str | None:
    """The caption when it is one of ``values`` (or there are none), else the first value."""
    caption = clean(caption)
    if caption and (caption in values or not values):
        return caption
    return values[0] if values else None


# --- building entries ---------------------------------------------------------------------


def build_address(entity: FtmEntity) -> Address | None:
    """An :class:`Address` from an FtM ``Address`` entity.

    Args:
        entity: The Address entity.

    Returns:
        The address, its ``full`` text being the caption when that is one of the entity's
        ``full`` values, else the first of them; None when it has no text.
    """
    full = _pick_caption(entity.values("full"), entity.caption)
    if not full:
        return None
    countries = _normalize_countries(entity.values("country"))
    return Address(
        full=full,
        street=entity.first("street"),
        city=entity.first("city"),
        state=entity.first("region") or entity.first("state"),
        postal_code=entity.first("postalCode"),
        country=countries[0] if countries else None,
    )


def build_identification(entity: FtmEntity) -> Identifier | None:
    """An :class:`Identifier` from an FtM ``Identification`` or ``Passport`` entity.

    Args:
        entity: The identification entity.

    Returns:
        The identifier, or None when it has no number (OpenSanctions emits number-less
        passports).
    """
    value = entity.first("number") or entity.first("passportNumber")
    if not value:
        return None
    countries = _normalize_countries(entity.values("country"))
    issued, expires = entity.first("startDate"), entity.first("endDate")
    return Identifier(
        type=entity.first("type") or entity.schema,
        value=value,
        country=countries[0] if countries else None,
        issued=_normalize_date(issued) if issued else None,
        expires=_normalize_date(expires) if expires else None,
    )


def build_names(entity: FtmEntity) -> tuple[Name, ...]:
    """The names of a target.

    Args:
        entity: The target entity.

    Returns:
        The primary name first (the caption when it is one of the ``name`` values, else
        the first of them, else the caption), then the other ``name`` values as a.k.a.s,
        then the :data:`NAME_PROPERTIES`; each text once.
    """
    names = entity.values("name")
    out: dict[str, Name] = {}
    primary = _pick_caption(names, entity.caption)
    if primary:
        out[primary] = Name(primary, NameKind.PRIMARY)
    for value in names:
        out.setdefault(value, Name(value, NameKind.AKA))
    for prop, kind in NAME_PROPERTIES:
        for value in entity.values(prop):
            out.setdefault(value, Name(value, kind))
    return tuple(out.values())


def build_legal(entity: FtmEntity, sanctions: list[FtmEntity]) -> LegalFacts:
    """The legal facts of a target from its own dates and its Sanction entities.

    ``start_date`` is the earliest of the entity's ``createdAt`` and the sanctions'
    ``listingDate`` and ``startDate``. ``end_date`` is the latest sanction ``endDate``,
    and only when every sanction has one (a single open sanction keeps the party
    listed). ``last_update`` is the date of ``last_change``. The license requirement,
    license policy and Federal Register citation come from the first trade.gov CSL
    sanction.

    Args:
        entity: The target entity.
        sanctions: Its Sanction entities.

    Returns:
        The legal facts.
    """
    starts = _normalize_dates(entity.values("createdAt"))
    for sanction in sanctions:
        starts += _normalize_dates(sanction.values("listingDate") + sanction.values("startDate"))
    ends = [_normalize_dates(s.values("endDate")) for s in sanctions]
    csl = next((s for s in sanctions if CSL_DATASET in s.datasets), None)
    return LegalFacts(
        license_requirement=_join_values(csl, "reason"),
        license_policy=_join_values(csl, "provisions"),
        federal_register=_join_values(csl, "authorityId"),
        start_date=min(starts) if starts else None,
        end_date=max(d for e in ends for d in e) if ends and all(ends) else None,
        last_update=_normalize_date(entity.last_change) if entity.last_change else None,
    )


def _join_values(entity: FtmEntity | None, prop: str) -> str | None:
    """The values of ``prop`` joined with ``"; "``; None when there are none."""
    if entity is None:
        return None
    return "; ".join(entity.values(prop)) or None


@dataclass
class Enrichment:
    """The helper entities of one file, indexed by the target they describe.

    Attributes:
        addresses: Addresses by the id of their Address entity.
        sanctions: Sanction entities by the id of the entity they sanction.
        identifications: Identifiers by the id of their holder.
    """

    addresses: dict[str, Address] = field(default_factory=dict)
    sanctions: defaultdict[str, list[FtmEntity]] = field(default_factory=lambda: defaultdict(list))
    identifications: defaultdict[str, list[Identifier]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add_helper(self, entity: FtmEntity) -> None:
        """Index a non-target entity when it can enrich a target; ignore it otherwise.

        Args:
            entity: A non-target entity.
        """
        if entity.schema == "Sanction":
            for target_id in entity.values("entity"):
                self.sanctions[target_id].append(entity)
        elif entity.schema == "Address" and (address := build_address(entity)) is not None:
            self.addresses[entity.id] = address
        elif entity.schema in _ID_SCHEMAS and (ident := build_identification(entity)) is not None:
            for holder in entity.values("holder"):
                self.identifications[holder].append(ident)

    def build_entry(self, entity: FtmEntity) -> Entry | None:
        """The entry of a target entity, enriched with the indexed helpers.

        Args:
            entity: A target entity.

        Returns:
            The entry, or None when the entity has no name at all.
        """
        names = build_names(entity)
        if not names:
            return None
        sanctions = self.sanctions.get(entity.id, [])
        programs = entity.values("programId")
        for prop in ("programId", "program"):
            programs += [v for s in sanctions for v in s.values(prop)]
        properties = {
            "datasets": tuple(sorted(set(entity.datasets))),
            "referents": tuple(sorted(set(entity.referents))),
            "topics": tuple(sorted(entity.values("topics"))),
            "gender": tuple(entity.values("gender")),
            "authorities": tuple(
                _clean_values(v for s in sanctions for v in s.values("authority"))
            ),
        }
        source_urls = entity.values("sourceUrl") + [
            u for s in sanctions for u in s.values("sourceUrl")
        ]
        return Entry(
            id=f"{SOURCE}:{entity.id}",
            source=SOURCE,
            list=select_list(entity.datasets),
            schema=TARGET_SCHEMAS.get(entity.schema, Schema.UNKNOWN),
            names=names,
            addresses=self.collect_addresses(entity),
            countries=tuple(
                _normalize_countries(v for p in COUNTRY_PROPERTIES for v in entity.values(p))
            ),
            identifiers=self.collect_identifiers(entity),
            birth_dates=tuple(_normalize_dates(entity.values("birthDate"))),
            birth_places=tuple(entity.values("birthPlace")),
            nationalities=tuple(
                _normalize_countries(v for p in NATIONALITY_PROPERTIES for v in entity.values(p))
            ),
            programs=tuple(_clean_values(programs)),
            legal=build_legal(entity, sanctions),
            title="; ".join(entity.values("position")) or None,
            remarks="\n".join(entity.values("notes")) or None,
            source_url=source_urls[0] if source_urls else None,
            properties={k: v for k, v in properties.items() if v},
        )

    def collect_addresses(self, entity: FtmEntity) -> tuple[Address, ...]:
        """A target's addresses: its Address entities, then its plain ``address`` texts.

        Args:
            entity: The target entity.

        Returns:
            The addresses, each text once (compared case-insensitively); Address entities
            missing from the file are skipped.
        """
        found = [self.addresses[r] for r in entity.values("addressEntity") if r in self.addresses]
        found += [Address(full=text) for text in entity.values("address")]
        out: dict[str, Address] = {}
        for address in found:
            out.setdefault(address.full.casefold(), address)
        return tuple(out.values())

    def collect_identifiers(self, entity: FtmEntity) -> tuple[Identifier, ...]:
        """A target's identifiers: its :data:`IDENTIFIER_PROPERTIES`, then its identifications.

        Args:
            entity: The target entity.

        Returns:
            The identifiers, each once.
        """
        found = [
            Identifier(type=id_type, value=value, country=country)
            for prop, (id_type, country) in IDENTIFIER_PROPERTIES.items()
            for value in entity.values(prop)
        ]
        found += self.identifications.get(entity.id, [])
        return tuple(dict.fromkeys(found))

    def build_entries(self, targets: Iterable[FtmEntity]) -> tuple[list[Entry], list[str]]:
        """The entries of ``targets``, and a warning for each one without a name.

        Args:
            targets: Target entities, in output order.

        Returns:
            The entries and the warnings.
        """
        entries: list[Entry] = []
        warnings: list[str] = []
        for target in targets:
            entry = self.build_entry(target)
            if entry is None:
                warnings.append(f"line {target.line}: entity {target.id} has no name; skipped")
            else:
                entries.append(entry)
        return entries, warnings


# --- the formats --------------------------------------------------------------------------


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
        text = head.removeprefix(_BOM).decode("utf-8", errors="replace")
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
        return Parsed(
            source=self.source,
            format=self.name,
            entries=entries,
            files=(path,),
            published=parse_version_date(path),
            delta=self.delta,
            deleted=tuple(f"{self.source}:{entity_id}" for entity_id in deleted),
            warnings=warnings,
        )


def iter_ownership(path: Path) -> Iterator[tuple[str, str, float | None, str | None]]:
    """Yield the ownership edges of an FtM entities or delta file.

    Ended ownerships (with an ``endDate``) are included: the tuple has no end date.

    Args:
        path: An ``entities.ftm.json`` or ``entities.delta.json`` file (of a delta, the
            ADD and MOD operations are read).

    Yields:
        ``(owner id, asset id, percent, start date)``: ids as entry ids
        (``"opensanctions:{FtM id}"``), the percent from 0 to 100 or None, the start
        date ISO or None. An Ownership with several owners or assets yields each pair.

    Raises:
        SourceError: Any malformed line (see :func:`iter_entities`).
    """
    for line, obj in _iter_json_lines(path):
        op = (
            _read_op(obj, path, line)
            if "op" in obj
            else DeltaOp("ADD", _read_entity(obj, path, line))
        )
        entity = op.entity
        if op.op == "DEL" or entity.schema != "Ownership":
            continue
        percent = parse_percent(entity.first("percentage"))
        start = entity.first("startDate")
        for owner in entity.values("owner"):
            for asset in entity.values("asset"):
                yield (
                    f"{SOURCE}:{owner}",
                    f"{SOURCE}:{asset}",
                    percent,
                    _normalize_date(start) if start else None,
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
    "DeltaOp",
    "Enrichment",
    "FtmEntity",
    "FtmFormat",
    "iter_delta_ops",
    "iter_entities",
    "iter_ownership",
]
