"""Turning FtM entities into entries: names, addresses, identifiers, legal facts.

:class:`Enrichment` indexes the helper entities of a file (``Address``, ``Sanction``,
``Identification``, ``Passport``) by the target they describe and builds each target's
:class:`~entityscreen.model.Entry` from the target and its helpers. Separate from the
reader (:mod:`.ftm_read`), which knows nothing of entries, and from the formats
(:mod:`entityscreen.sources.ftm`), which decide which entities are targets.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Address, Entry, Identifier, LegalFacts, Name, NameKind, Schema
from .base import clean
from .ftm_read import FtmEntity
from .ftm_schema import (
    COUNTRY_PROPERTIES,
    CSL_DATASET,
    ID_SCHEMAS,
    IDENTIFIER_PROPERTIES,
    NAME_PROPERTIES,
    NATIONALITY_PROPERTIES,
    SOURCE,
    TARGET_SCHEMAS,
    clean_values,
    normalize_countries,
    normalize_date,
    normalize_dates,
    select_list,
)


def _pick_caption(values: list[str], caption: str | None) -> str | None:
    """The caption when it is one of ``values`` (or there are none), else the first value."""
    caption = clean(caption)
    if caption and (caption in values or not values):
        return caption
    return values[0] if values else None


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
    countries = normalize_countries(entity.values("country"))
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
    countries = normalize_countries(entity.values("country"))
    issued, expires = entity.first("startDate"), entity.first("endDate")
    return Identifier(
        type=entity.first("type") or entity.schema,
        value=value,
        country=countries[0] if countries else None,
        issued=normalize_date(issued) if issued else None,
        expires=normalize_date(expires) if expires else None,
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
    starts = normalize_dates(entity.values("createdAt"))
    for sanction in sanctions:
        starts += normalize_dates(sanction.values("listingDate") + sanction.values("startDate"))
    ends = [normalize_dates(s.values("endDate")) for s in sanctions]
    csl = next((s for s in sanctions if CSL_DATASET in s.datasets), None)
    return LegalFacts(
        license_requirement=_join_values(csl, "reason"),
        license_policy=_join_values(csl, "provisions"),
        federal_register=_join_values(csl, "authorityId"),
        start_date=min(starts) if starts else None,
        end_date=max(d for e in ends for d in e) if ends and all(ends) else None,
        last_update=normalize_date(entity.last_change) if entity.last_change else None,
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
        elif entity.schema in ID_SCHEMAS and (ident := build_identification(entity)) is not None:
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
            "authorities": tuple(clean_values(v for s in sanctions for v in s.values("authority"))),
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
                normalize_countries(v for p in COUNTRY_PROPERTIES for v in entity.values(p))
            ),
            identifiers=self.collect_identifiers(entity),
            birth_dates=tuple(normalize_dates(entity.values("birthDate"))),
            birth_places=tuple(entity.values("birthPlace")),
            nationalities=tuple(
                normalize_countries(v for p in NATIONALITY_PROPERTIES for v in entity.values(p))
            ),
            programs=tuple(clean_values(programs)),
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
