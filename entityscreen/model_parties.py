"""The parties of screening: what the lists publish and what users screen.

An :class:`Entry` is one listed party as a list publishes it (its :class:`Name`,
:class:`Address`, :class:`Identifier` values and :class:`LegalFacts`); a :class:`Party` is
what a user screens; :class:`Schema` is the kind of either. Both are frozen dataclasses
with ``__slots__``: they sit on the hot path (millions are built during an import or a
batch run), so they stay cheap; pydantic is used only at the API edge.

An :class:`Entry` round-trips through :meth:`Entry.to_dict` / :meth:`Entry.from_dict`;
the store keeps that dict as JSON and versions entries by :meth:`Entry.content_hash`.
Re-exported by :mod:`entityscreen.model`, the one import path for the rest of the package.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any


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


__all__ = [
    "Address",
    "Entry",
    "Identifier",
    "LegalFacts",
    "Name",
    "NameKind",
    "Party",
    "Schema",
]
