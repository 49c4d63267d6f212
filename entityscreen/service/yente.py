"""Our lists as yente (OpenSanctions' API) shows them: datasets, entities, example queries.

Pure functions over service values, no I/O: the yente-compatible routes (``/match``,
``/entities/{id}``, ``/catalog``, ``/algorithms``, ``/search``; docs/api.md, "yente
compatibility") call these, so an entry has one FollowTheMoney shape wherever it is shown.

Datasets: each of our sources is one yente dataset, under the name OpenSanctions gives the
same publication where there is one (``us_ofac_sdn``, ``us_trade_csl``, ``un_sc_sanctions``,
...); entries imported from an OpenSanctions FtM file keep the datasets they carry. The
collection ``default`` (also ``all``, ``sanctions``) holds every dataset.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..errors import InputError
from ..model import Entry, NameKind, Party, Schema, party_from_input
from .inputs import resolve_country

#: Our source ids -> OpenSanctions' dataset name for the same publication (where one
#: exists; any other source id is used as it is, as it is already a valid dataset name).
SOURCE_DATASETS: dict[str, str] = {
    "us_csl": "us_trade_csl",
    "us_ofac_sdn": "us_ofac_sdn",
    "us_ofac_cons": "us_ofac_cons",
    "us_bis_dpl": "us_bis_denied",
    "un_sc": "un_sc_sanctions",
    "uk_sanctions": "gb_fcdo_sanctions",
    "eu_journal": "eu_journal_sanctions",
}
#: The source whose entries carry their own yente ids and datasets (an OpenSanctions file).
FTM_SOURCE = "opensanctions"
#: A dataset name as OpenSanctions writes them ("eu_fsf", "zala").
_DATASET = re.compile(r"[a-z0-9_]+")
#: Collection names that mean every dataset.
ALL_DATASETS = ("default", "all", "sanctions")
#: List codes of export-control lists (topic ``export.control``); every other list is a
#: sanctions list (topic ``sanction``). FtM entries keep their own topics.
EXPORT_CONTROL_LISTS = frozenset(
    {"EL", "MEU", "UVL", "DPL", "ISN", "DTC", "CAP", "FSE", "PLC", "CMIC", "1260H", "UFLPA"}
)

#: FollowTheMoney schemata a query may name -> ours. Case as FtM spells them; the other
#: FtM schemata are not parties and are refused (yente answers 400 for an unknown one).
FTM_SCHEMATA: dict[str, Schema] = {
    "Thing": Schema.UNKNOWN,
    "LegalEntity": Schema.UNKNOWN,
    "Person": Schema.PERSON,
    "Organization": Schema.ORGANIZATION,
    "Company": Schema.ORGANIZATION,
    "PublicBody": Schema.ORGANIZATION,
    "Vessel": Schema.VESSEL,
    "Airplane": Schema.AIRCRAFT,
}
OUR_SCHEMA_TO_FTM: dict[str, str] = {
    Schema.PERSON: "Person",
    Schema.ORGANIZATION: "Organization",
    Schema.VESSEL: "Vessel",
    Schema.AIRCRAFT: "Airplane",
    Schema.UNKNOWN: "LegalEntity",
}
#: Query properties read as countries (echoed as lower-case ISO codes, as FtM does).
COUNTRY_PROPS = ("country", "jurisdiction", "nationality", "citizenship", "mainCountry")
NAME_PROPS = ("name",)
ALIAS_PROPS = ("alias", "weakAlias", "previousName", "firstName", "lastName")
ID_PROPS = ("idNumber", "registrationNumber", "imoNumber", "passportNumber", "taxNumber",
            "innCode", "ogrnCode", "leiCode", "swiftBic", "mmsi", "callSign")
DATE_PROPS = ("birthDate", "incorporationDate", "deathDate")


def is_ftm_source(source: str) -> bool:
    """Whether a source holds an OpenSanctions export: ``opensanctions:<dataset>`` (one
    source per exported dataset, issue #13), or ``opensanctions`` in stores from before."""
    return source == FTM_SOURCE or source.startswith(FTM_SOURCE + ":")


def dataset_name(source: str) -> str:
    """The yente dataset name of one of our sources (an OpenSanctions export's: its
    dataset, ``opensanctions:zala`` -> ``zala``)."""
    if source.startswith(FTM_SOURCE + ":"):
        return source.split(":", 1)[1]
    return SOURCE_DATASETS.get(source, source)


def entry_datasets(entry: Entry) -> list[str]:
    """The datasets an entry is in: those an OpenSanctions entity carries, else its
    source's."""
    own = [d for d in entry.properties.get("datasets", ()) if d]
    return sorted(set(own)) if own else [dataset_name(entry.source)]


def entry_topics(entry: Entry) -> list[str]:
    """FtM topics of an entry: its own (OpenSanctions), else by its list's kind."""
    own = list(entry.properties.get("topics", ()))
    if own or is_ftm_source(entry.source):
        return own
    return ["export.control" if entry.list.upper() in EXPORT_CONTROL_LISTS else "sanction"]


def yente_id(entry_id: str) -> str:
    """The id yente shows for an entry: an OpenSanctions entity's own id (``NK-...``,
    ``Q7747``); our other entries keep their source prefix, since their numbers are only
    unique within a source (``us_ofac_sdn:12345``)."""
    prefix = FTM_SOURCE + ":"
    if not entry_id.startswith(prefix):
        return entry_id
    rest = entry_id[len(prefix):]
    # ``opensanctions:<dataset>:<id>`` since one source per dataset (issue #13); dataset
    # names are lower-case words, FtM ids are not ("NK-...", "Q7747").
    dataset, sep, own = rest.partition(":")
    return own if sep and _DATASET.fullmatch(dataset) else rest


def candidate_ids(given: str, ftm_sources: Sequence[str] = ()) -> list[str]:
    """The entry ids a yente id may be, in order: as given, then an OpenSanctions id in
    each of ``ftm_sources`` (the OpenSanctions exports loaded), then in a store's single
    ``opensanctions`` source of before."""
    out = [given]
    own = given
    if given.startswith(FTM_SOURCE + ":") and given.count(":") == 1:
        own = given.split(":", 1)[1]  # the prefixed form of before (issue #13)
    if ":" not in own:
        out.extend(f"{source}:{own}" for source in ftm_sources)
        out.append(f"{FTM_SOURCE}:{own}")
    return list(dict.fromkeys(out))


def _id_property(kind: str) -> str:
    key = kind.lower()
    for needle, prop in (("passport", "passportNumber"), ("imo", "imoNumber"),
                         ("tax", "taxNumber"), ("registration", "registrationNumber"),
                         ("swift", "swiftBic"), ("lei", "leiCode")):
        if needle in key:
            return prop
    return "idNumber"


def entry_properties(entry: Entry) -> dict[str, list[str]]:
    """An entry's facts as FollowTheMoney properties (values as strings, FtM's casing)."""
    props: dict[str, list[str]] = {}

    def add(prop: str, values: Iterable[str | None]) -> None:
        for value in values:
            if value and value not in props.setdefault(prop, []):
                props[prop].append(value)
        if not props.get(prop):
            props.pop(prop, None)

    alias_prop = {NameKind.WEAK: "weakAlias", NameKind.FKA: "previousName"}
    for n in entry.names:
        if n.kind in (NameKind.PRIMARY, NameKind.ORIGINAL_SCRIPT):
            add("name", [n.value])
        else:
            add(alias_prop.get(n.kind, "alias"), [n.value])
    add("country", (c.lower() for c in entry.countries))
    add("nationality", (c.lower() for c in entry.nationalities))
    add("address", (a.full for a in entry.addresses))
    add("birthDate", entry.birth_dates)
    add("birthPlace", entry.birth_places)
    for ident in entry.identifiers:
        add(_id_property(ident.type), [ident.value])
    add("programId", entry.programs)
    add("position", [entry.title])
    add("notes", [entry.remarks])
    add("sourceUrl", [entry.source_url])
    add("topics", entry_topics(entry))
    add("gender", entry.properties.get("gender", ()))
    return props


def ftm_time(day: date | str | None) -> str | None:
    """A date as yente writes its timestamps: ``YYYY-MM-DDTHH:MM:SS``, no zone."""
    if day is None:
        return None
    text = day.isoformat() if isinstance(day, date) else str(day)
    if len(text) == 10:
        return text + "T00:00:00"
    return text[:19] if len(text) >= 19 and text[10] == "T" else None


@dataclass(frozen=True, slots=True)
class Seen:
    """When an entry was first and last seen in its source, and last changed."""

    first_seen: str | None = None
    last_seen: str | None = None
    last_change: str | None = None


def entity_dict(
    entry: Entry, *, seen: Seen = Seen(), copies: Sequence[Entry] = ()
) -> dict[str, Any]:
    """yente's EntityResponse of an entry; ``copies`` (the same listing in other sources)
    are merged in as ``referents`` and their datasets."""
    datasets = set(entry_datasets(entry))
    referents = set(entry.properties.get("referents", ()))
    for copy in copies:
        datasets.update(entry_datasets(copy))
        referents.add(yente_id(copy.id))
    referents.discard(yente_id(entry.id))
    return {
        "id": yente_id(entry.id),
        "caption": entry.primary_name,
        "schema": OUR_SCHEMA_TO_FTM.get(entry.schema, "LegalEntity"),
        "properties": entry_properties(entry),
        "datasets": sorted(datasets),
        "referents": sorted(referents),
        # Every entry of a screening list is a listed party: yente's "target".
        "target": True,
        "first_seen": seen.first_seen,
        "last_seen": seen.last_seen,
        "last_change": seen.last_change,
    }


# --- queries ------------------------------------------------------------------------------


def ftm_schema(name: str) -> str:
    """The FtM spelling of a query's schema (``person`` -> ``Person``).

    Raises:
        InputError: No FtM party schema has that name (yente's 400).
    """
    for known in FTM_SCHEMATA:
        if known.lower() == name.strip().lower():
            return known
    raise InputError(
        f"Cannot parse example entity: unknown schema {name[:40]!r};"
        f" use one of {', '.join(FTM_SCHEMATA)}"
    )


def _strings(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    out: list[str] = []
    for v in values:
        if v is None or isinstance(v, dict | list):
            continue
        text = str(v).strip()
        if text and text not in out:
            out.append(text)
    return out


def normalise_example(schema: str, properties: Mapping[str, Any]) -> dict[str, list[str]]:
    """A query's properties as yente echoes them: lists of stripped strings, countries as
    lower-case ISO codes ("Russia" -> "ru"), dates checked.

    Raises:
        InputError: A country or date that is not one (yente drops such values; we say so,
            since a dropped value would silently weaken the screening).
    """
    out: dict[str, list[str]] = {}
    for prop, value in properties.items():
        values = _strings(value)
        if prop in COUNTRY_PROPS:
            values = [str(resolve_country(v)).lower() for v in values]
        elif prop in DATE_PROPS:
            values = [v[:10] for v in values]
        values = list(dict.fromkeys(values))  # "RU" and "ru" are one country
        if values:
            out[prop] = values
    return out


def party_from_example(schema: str, properties: Mapping[str, list[str]], id: str | None
                       ) -> Party:
    """The party a normalised example stands for."""
    names = [v for p in NAME_PROPS for v in properties.get(p, [])]
    aliases = [v for p in ALIAS_PROPS for v in properties.get(p, [])]
    if not names and aliases:
        names, aliases = aliases[:1], aliases[1:]
    if not names:
        raise InputError("Cannot parse example entity: every query needs a 'name' property")
    countries = [v for p in COUNTRY_PROPS for v in properties.get(p, [])]
    birth = properties.get("birthDate", [])
    addresses = properties.get("address", [])
    return party_from_input(
        names[0],
        id=id,
        aliases=names[1:] + aliases,
        schema=FTM_SCHEMATA[schema],
        country=countries[0] if countries else None,
        address=addresses[0] if addresses else None,
        birth_date=birth[0] if birth else None,
        identifiers=[v for p in ID_PROPS for v in properties.get(p, [])],
    )


__all__ = [
    "ALL_DATASETS",
    "FTM_SCHEMATA",
    "FTM_SOURCE",
    "SOURCE_DATASETS",
    "Seen",
    "candidate_ids",
    "dataset_name",
    "entity_dict",
    "entry_datasets",
    "entry_properties",
    "entry_topics",
    "ftm_schema",
    "ftm_time",
    "is_ftm_source",
    "normalise_example",
    "party_from_example",
    "yente_id",
]
