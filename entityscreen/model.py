"""The nouns of restricted-party screening, as plain values with no I/O.

Entries are what the lists publish; parties are what users screen. Both are frozen
dataclasses with ``__slots__``: they sit on the hot path (millions are built during an
import or a batch run), so they stay cheap; pydantic is used only at the API edge.

An :class:`Entry` round-trips through :meth:`Entry.to_dict` / :meth:`Entry.from_dict`;
the store keeps that dict as JSON and versions entries by :meth:`Entry.content_hash`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from typing import Any

from .errors import InputError


class Schema(StrEnum):
    """What kind of party an entry or a query is."""

    ORGANIZATION = "organization"
    PERSON = "person"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, value: str | None) -> Schema:
        """Map the many spellings sources use (``Individual``, ``Entity``, ``Company``...)."""
        if not value:
            return cls.UNKNOWN
        key = value.strip().lower()
        return _SCHEMA_ALIASES.get(key, cls.UNKNOWN)


_SCHEMA_ALIASES: dict[str, Schema] = {
    "organization": Schema.ORGANIZATION,
    "organisation": Schema.ORGANIZATION,
    "entity": Schema.ORGANIZATION,
    "company": Schema.ORGANIZATION,
    "legalentity": Schema.ORGANIZATION,
    "publicbody": Schema.ORGANIZATION,
    "org": Schema.ORGANIZATION,
    "person": Schema.PERSON,
    "individual": Schema.PERSON,
    "vessel": Schema.VESSEL,
    "ship": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
    "airplane": Schema.AIRCRAFT,
    "unknown": Schema.UNKNOWN,
    "thing": Schema.UNKNOWN,
}


class NameKind(StrEnum):
    """How a name relates to its entry."""

    PRIMARY = "primary"
    AKA = "aka"  # also known as
    FKA = "fka"  # formerly known as
    NKA = "nka"  # now known as
    WEAK = "weak"  # low-quality alias (UN "Low", OFAC "weak aka", UK "weak")
    ORIGINAL_SCRIPT = "original_script"


@dataclass(frozen=True, slots=True)
class Name:
    """One name of an entry, as published."""

    value: str
    kind: NameKind = NameKind.PRIMARY


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address; ``country`` is ISO 3166-1 alpha-2 (upper case) when known."""

    full: str
    street: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Identifier:
    """A document or registry number (passport, tax id, IMO number, ...)."""

    type: str
    value: str
    country: str | None = None
    issued: str | None = None
    expires: str | None = None


@dataclass(frozen=True, slots=True)
class LegalFacts:
    """What the listing means, as the publisher states it (raw text; parsing is in exportcontrol).

    Dates are ISO strings (``YYYY-MM-DD``), possibly partial (``YYYY`` / ``YYYY-MM``).
    """

    license_requirement: str | None = None
    license_policy: str | None = None
    federal_register: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    standard_order: str | None = None
    last_update: str | None = None
    action: str | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))


@dataclass(frozen=True, slots=True)
class Entry:
    """One listed party in one snapshot of one source.

    ``id`` is stable across snapshots and unique in the store: ``"{source}:{native id}"``.
    ``list`` is the short code of the list the entry is on (``EL``, ``SDN``, ``DPL``...).
    """

    id: str
    source: str
    list: str
    schema: Schema
    names: tuple[Name, ...]
    addresses: tuple[Address, ...] = ()
    countries: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    birth_dates: tuple[str, ...] = ()
    birth_places: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    legal: LegalFacts = field(default_factory=LegalFacts)
    title: str | None = None
    remarks: str | None = None
    source_url: str | None = None
    linked_to: tuple[str, ...] = ()
    properties: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def primary_name(self) -> str:
        for name in self.names:
            if name.kind is NameKind.PRIMARY:
                return name.value
        return self.names[0].value if self.names else ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with empty fields left out (keeps the store and diffs small)."""
        out: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "list": self.list,
            "schema": self.schema.value,
            "names": [[n.value, n.kind.value] for n in self.names],
        }
        if self.addresses:
            out["addresses"] = [_compact(a) for a in self.addresses]
        if self.identifiers:
            out["identifiers"] = [_compact(i) for i in self.identifiers]
        for key in (
            "countries",
            "birth_dates",
            "birth_places",
            "nationalities",
            "programs",
            "linked_to",
        ):
            value = getattr(self, key)
            if value:
                out[key] = list(value)
        if not self.legal.is_empty():
            out["legal"] = _compact(self.legal)
        for key in ("title", "remarks", "source_url"):
            value = getattr(self, key)
            if value:
                out[key] = value
        if self.properties:
            out["properties"] = {k: list(v) for k, v in sorted(self.properties.items())}
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Entry:
        return cls(
            id=data["id"],
            source=data["source"],
            list=data["list"],
            schema=Schema(data["schema"]),
            names=tuple(Name(v, NameKind(k)) for v, k in data["names"]),
            addresses=tuple(Address(**a) for a in data.get("addresses", ())),
            countries=tuple(data.get("countries", ())),
            identifiers=tuple(Identifier(**i) for i in data.get("identifiers", ())),
            birth_dates=tuple(data.get("birth_dates", ())),
            birth_places=tuple(data.get("birth_places", ())),
            nationalities=tuple(data.get("nationalities", ())),
            programs=tuple(data.get("programs", ())),
            legal=LegalFacts(**data.get("legal", {})),
            title=data.get("title"),
            remarks=data.get("remarks"),
            source_url=data.get("source_url"),
            linked_to=tuple(data.get("linked_to", ())),
            properties={k: tuple(v) for k, v in data.get("properties", {}).items()},
        )

    def canonical_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def content_hash(self) -> str:
        """sha256 of the canonical JSON: two versions of an entry differ iff this differs."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()


def _compact(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in fields(obj) if getattr(obj, f.name) is not None}


@dataclass(frozen=True, slots=True)
class Party:
    """What a user screens: a name and whatever else they know about the counterparty."""

    name: str
    id: str | None = None
    schema: Schema = Schema.UNKNOWN
    country: str | None = None
    aliases: tuple[str, ...] = ()
    address: str | None = None
    birth_date: str | None = None
    identifiers: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (empty fields left out)."""
        data: dict[str, Any] = {"name": self.name, "schema": self.schema.value}
        for key in ("id", "country", "address", "birth_date"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        for key in ("aliases", "identifiers"):
            if getattr(self, key):
                data[key] = list(getattr(self, key))
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Party:
        return cls(
            name=data["name"],
            id=data.get("id"),
            schema=Schema.parse(data.get("schema")),
            country=data.get("country"),
            aliases=tuple(data.get("aliases", ())),
            address=data.get("address"),
            birth_date=data.get("birth_date"),
            identifiers=tuple(data.get("identifiers", ())),
        )

    def canonical_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def content_hash(self) -> str:
        """sha256 of the canonical JSON: a party's record changed iff this changed."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()


_BIRTH_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
#: Most identifiers one party may give, and the longest one (a 10 kB "passport" is an error).
MAX_IDENTIFIERS = 20
MAX_IDENTIFIER_CHARS = 100


def check_birth_date(value: str | None) -> str | None:
    """A birth date as given by a user: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, a real
    date between 1800 and next year; None when blank.

    Raises:
        InputError: Anything else (one line, naming the value).
    """
    text = (value or "").strip()
    if not text:
        return None
    match = _BIRTH_DATE.fullmatch(text)
    problem = "use YYYY, YYYY-MM or YYYY-MM-DD"
    if match:
        year = int(match.group(1))
        try:
            date(year, int(match.group(2) or 1), int(match.group(3) or 1))
        except ValueError:
            problem = "no such date"
        else:
            if 1800 <= year <= date.today().year + 1:
                return text
            problem = "year out of range"
    raise InputError(f"birth date {text[:40]!r}: {problem}")


def split_identifiers(values: str | Iterable[str] | None) -> tuple[str, ...]:
    """Identifiers as given by a user: one string with ``;`` between numbers, or several
    strings (each may hold ``;``); stripped, blanks and repeats dropped, order kept.

    Raises:
        InputError: More than :data:`MAX_IDENTIFIERS`, or one longer than
            :data:`MAX_IDENTIFIER_CHARS`.
    """
    if values is None:
        return ()
    items = [values] if isinstance(values, str) else list(values)
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise InputError(f"identifier {item!r}: not text")
        for part in item.split(";"):
            value = " ".join(part.split())
            if len(value) > MAX_IDENTIFIER_CHARS:
                raise InputError(
                    f"identifier {value[:20]!r}...: longer than {MAX_IDENTIFIER_CHARS} characters"
                )
            if value and value not in out:
                out.append(value)
    if len(out) > MAX_IDENTIFIERS:
        raise InputError(f"{len(out)} identifiers; at most {MAX_IDENTIFIERS}")
    return tuple(out)


def parse_schema(value: str | Schema | None) -> Schema:
    """A schema as given by a user; blank is unknown.

    Raises:
        InputError: A value that names no schema.
    """
    if isinstance(value, Schema):
        return value
    if value is None or not value.strip():
        return Schema.UNKNOWN
    schema = Schema.parse(value)
    if schema is Schema.UNKNOWN and value.strip().lower() != "unknown":
        raise InputError(
            f"unknown schema {value[:40]!r}; use company, organization, person, vessel or aircraft"
        )
    return schema


def party_from_input(
    name: str,
    *,
    id: str | None = None,
    schema: str | Schema | None = None,
    country: str | None = None,
    address: str | None = None,
    aliases: Iterable[str] = (),
    birth_date: str | None = None,
    identifiers: str | Iterable[str] | None = None,
    strict: bool = True,
) -> Party:
    """The one conversion of user input (CLI options, API fields, UI form, batch rows, yente
    queries) into a :class:`Party`: values stripped, blanks to None, schema, birth date and
    identifiers checked (:func:`parse_schema`, :func:`check_birth_date`,
    :func:`split_identifiers`).

    Args:
        strict: True (what a person typed: CLI, API, the web form): a schema that names no
            kind of party is an error. False (a column of a batch or registry file, where
            other tools write kinds of their own): it is read as unknown, as
            :meth:`Schema.parse` reads the lists' own spellings.

    Raises:
        InputError: The first invalid value, in one line.
    """
    if not name or not name.strip():
        raise InputError("party has no name")

    def text(value: str | None) -> str | None:
        return value.strip() or None if value else None

    return Party(
        name=name.strip(),
        id=text(id),
        schema=parse_schema(schema) if strict else _lenient_schema(schema),
        country=text(country),
        address=text(address),
        aliases=tuple(a.strip() for a in aliases if a and a.strip()),
        birth_date=check_birth_date(birth_date),
        identifiers=split_identifiers(identifiers),
    )


def _lenient_schema(value: str | Schema | None) -> Schema:
    return value if isinstance(value, Schema) else Schema.parse(value)


class AlertStatus(StrEnum):
    """Where an alert stands: open, or the verdict of its latest decision."""

    OPEN = "open"
    FALSE_POSITIVE = "false-positive"
    TRUE_MATCH = "true-match"
    ESCALATED = "escalated"
    #: The entry left its list (a removal in a newer snapshot): no longer a listed party;
    #: kept, with its decisions, for the record. Re-opened if the entry is listed again.
    DELISTED = "delisted"


class Verdict(StrEnum):
    """An analyst's decision on an alert."""

    FALSE_POSITIVE = "false-positive"
    TRUE_MATCH = "true-match"
    ESCALATE = "escalate"

    @property
    def status(self) -> AlertStatus:
        return {
            Verdict.FALSE_POSITIVE: AlertStatus.FALSE_POSITIVE,
            Verdict.TRUE_MATCH: AlertStatus.TRUE_MATCH,
            Verdict.ESCALATE: AlertStatus.ESCALATED,
        }[self]


@dataclass(frozen=True, slots=True)
class Alert:
    """A (party, entry) match that calls for an analyst; one per pair, ever.

    ``party_hash`` and ``entry_hash`` are the content hashes of the party record and of
    the entry version it was raised (or last re-opened) on: a decision holds until either
    changes. ``reason`` says why it is open ("new match", "re-opened because: ...").
    """

    id: int
    party_id: str
    entry_id: str
    status: AlertStatus
    score: float
    list: str
    listed_name: str
    matched_name: str
    explanation: str
    verdict: str
    party_hash: str
    entry_hash: str
    reason: str
    created_at: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class Decision:
    """An analyst's verdict on an alert: who, when, why, on which versions. Never deleted."""

    id: int
    alert_id: int
    verdict: Verdict
    reason: str
    decided_by: str
    at: str
    party_hash: str
    entry_hash: str


@dataclass(frozen=True, slots=True)
class Ownership:
    """``owner_id`` holds ``share`` percent (0-100) of ``owned_id``.

    Ids are entry ids ("us_ofac_sdn:12345", "opensanctions:NK-...") or any id the user's
    file gives; names are for display and for resolving an owner to a listed entry.
    ``share`` is None when unknown; ``since`` is an ISO date or None; ``source`` names the
    import the edge came from.
    """

    owner_id: str
    owned_id: str
    share: float | None
    owner_name: str | None = None
    owned_name: str | None = None
    since: str | None = None
    source: str | None = None


def ownership_key(name: str) -> str:
    """The ownership node id of a party known only by name: ``"name:acme holdings ltd"``."""
    return "name:" + " ".join(name.casefold().split())


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One import of one source."""

    id: int
    source: str
    fetched_at: str
    sha256: str
    entry_count: int
    published: str | None = None
    origin: str | None = None
    format: str | None = None
    #: How ``published`` was found when the file does not state it (inferred from the
    #: data, given by the user, read from the file name); None when the file states it.
    published_basis: str | None = None


__all__ = [
    "Address",
    "Alert",
    "AlertStatus",
    "Decision",
    "Entry",
    "Identifier",
    "LegalFacts",
    "Name",
    "NameKind",
    "Ownership",
    "Party",
    "Schema",
    "Snapshot",
    "Verdict",
    "check_birth_date",
    "ownership_key",
    "parse_schema",
    "party_from_input",
    "split_identifiers",
]
