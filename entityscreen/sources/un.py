"""The UN Security Council Consolidated List (XML).

``<CONSOLIDATED_LIST dateGenerated=...>`` holds ``<INDIVIDUALS>`` and ``<ENTITIES>``.
Individuals' names are split into FIRST_NAME..FOURTH_NAME; aliases carry a QUALITY
(``Good``/``Low`` for individuals, ``a.k.a.``/``f.k.a.`` for entities); native-script
names are in NAME_ORIGINAL_SCRIPT. Multi-valued fields wrap each value in ``<VALUE>``.

The file comes from the network, so it is parsed defensively: a document type
declaration (the vehicle of XXE and entity-expansion bombs) is refused outright, and
lxml runs with entity resolution, DTD loading, network access and huge trees disabled.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from ..errors import SourceError
from ..model import Address, Entry, Identifier, LegalFacts, Name, NameKind, Schema
from .base import Parsed, clean, country_code, parse_date, read_bytes
from .ofac import collect_countries, format_address_text, normalize_date

SOURCE_ID = "un_sc"
LIST_CODE = "UN"

#: Alias QUALITY values and the name kind they give; other values read as AKA.
ALIAS_QUALITIES: dict[str, NameKind] = {
    "good": NameKind.AKA,
    "a.k.a.": NameKind.AKA,
    "low": NameKind.WEAK,
    "f.k.a.": NameKind.FKA,
    "n.k.a.": NameKind.NKA,
}

_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
_ADDRESS_PARTS = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")
_PLACE_PARTS = ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")

#: A DOCTYPE or an entity declaration before the root element.
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
#: The first start tag of an element (not ``<?`` or ``<!``): the prolog ends there.
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_:]")
_DTD_REFUSED = "XML declares entities/DTD; refused (XXE / entity expansion)"


def make_parser() -> Any:
    """A hardened lxml parser: no entity resolution, DTD loading, network or huge trees."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def refuse_dtd(data: bytes, path: Path) -> None:
    """Refuse a document whose prolog has a DOCTYPE or entity declaration.

    NUL bytes are dropped before the scan so UTF-16/32 documents are checked too.

    Args:
        data: The raw document.
        path: The file, for the error message.

    Raises:
        SourceError: The prolog declares a DTD or entities.
    """
    head = data[: 1 << 20].replace(b"\x00", b"")
    m = _FIRST_ELEMENT.search(head)
    prolog = head[: m.start()] if m else head
    if any(marker in prolog.upper() for marker in _DTD_MARKERS):
        raise SourceError(path, _DTD_REFUSED)


def load_document(path: Path) -> Any:
    """Read and parse ``path`` safely; return the root element, namespaces stripped.

    Args:
        path: The XML file (gzip allowed).

    Returns:
        The root element.

    Raises:
        SourceError: A DTD or entity declaration, malformed XML, or no XML root.
    """
    data = read_bytes(path)
    refuse_dtd(data, path)
    try:
        root = etree.fromstring(data, make_parser())
    except etree.XMLSyntaxError as exc:
        raise SourceError(path, f"malformed XML: {exc.msg}", line=exc.lineno) from None
    except etree.LxmlError as exc:
        raise SourceError(path, f"unreadable XML: {exc}") from None
    if root is None:
        raise SourceError(path, "no XML document")
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise SourceError(path, _DTD_REFUSED)
    for el in root.iter(tag=etree.Element):
        if el.tag.startswith("{"):
            el.tag = etree.QName(el).localname
    return root


def read_text(el: Any, path: str) -> str | None:
    """The cleaned text at ``path`` below ``el``, None when absent or blank."""
    return clean(el.findtext(path))


def read_values(el: Any, path: str) -> list[str]:
    """The cleaned, non-blank texts of every element at ``path`` below ``el``."""
    return [v for v in (clean(c.text) for c in el.findall(path)) if v]


def join_parts(el: Any, tags: Iterable[str]) -> str | None:
    """The non-blank texts of the child elements ``tags``, joined with ", "."""
    return format_address_text(read_text(el, t) for t in tags)


def collect_names(el: Any, alias_tag: str, primary: str) -> tuple[Name, ...]:
    """The primary name, original-script names and aliases of one record.

    Args:
        el: The INDIVIDUAL or ENTITY element.
        alias_tag: ``INDIVIDUAL_ALIAS`` or ``ENTITY_ALIAS``.
        primary: The primary name.

    Returns:
        The names, primary first, without exact duplicates.
    """
    names = [Name(primary)]
    names += [Name(v, NameKind.ORIGINAL_SCRIPT) for v in read_values(el, "NAME_ORIGINAL_SCRIPT")]
    for alias in el.findall(alias_tag):
        value = read_text(alias, "ALIAS_NAME")
        if value:
            quality = (read_text(alias, "QUALITY") or "").lower()
            names.append(Name(value, ALIAS_QUALITIES.get(quality, NameKind.AKA)))
    return tuple(dict.fromkeys(names))


def collect_addresses(el: Any, tag: str) -> tuple[Address, ...]:
    """The addresses of one record; a NOTE ("as of June 2016") is appended to ``full``."""
    out = []
    for item in el.findall(tag):
        parts = (read_text(item, t) for t in _ADDRESS_PARTS)
        full = format_address_text(parts, read_text(item, "NOTE"))
        if not full:
            continue
        out.append(
            Address(
                full=full,
                street=read_text(item, "STREET"),
                city=read_text(item, "CITY"),
                state=read_text(item, "STATE_PROVINCE"),
                postal_code=read_text(item, "ZIP_CODE"),
                country=country_code(read_text(item, "COUNTRY")),
            )
        )
    return tuple(dict.fromkeys(out))


def format_birth_date(el: Any) -> str | None:
    """One INDIVIDUAL_DATE_OF_BIRTH as text, spelled as :func:`normalize_date` does.

    An ISO date, ``"circa 1960"`` for an approximate year, ``"1953 to 1958"`` for a range;
    a NOTE such as ``"July 1961"`` is used only when it is a date.

    Args:
        el: The INDIVIDUAL_DATE_OF_BIRTH element.

    Returns:
        The date text, or None when the element gives no date.
    """
    kind = (read_text(el, "TYPE_OF_DATE") or "").upper()
    start, end = read_text(el, "FROM_YEAR"), read_text(el, "TO_YEAR")
    if start and end:
        return f"{start} to {end}"
    raw = read_text(el, "DATE") or read_text(el, "YEAR")
    value = normalize_date(raw) if raw else parse_date(read_text(el, "NOTE"))
    if value and kind == "APPROXIMATELY":
        return f"circa {value}"
    return value


def collect_birth_facts(el: Any) -> tuple[list[str], list[str]]:
    """Dates and places of birth, including those given on aliases.

    Args:
        el: The INDIVIDUAL element.

    Returns:
        ``(birth_dates, birth_places)``, without duplicates.
    """
    dates = [d for d in map(format_birth_date, el.findall("INDIVIDUAL_DATE_OF_BIRTH")) if d]
    places = [
        p
        for p in (
            join_parts(item, _PLACE_PARTS) for item in el.findall("INDIVIDUAL_PLACE_OF_BIRTH")
        )
        if p
    ]
    for alias in el.findall("INDIVIDUAL_ALIAS"):
        date = normalize_date(read_text(alias, "DATE_OF_BIRTH"))
        if date:
            dates.append(date)
        place = join_parts(alias, ("CITY_OF_BIRTH", "COUNTRY_OF_BIRTH"))
        if place:
            places.append(place)
    return list(dict.fromkeys(dates)), list(dict.fromkeys(places))


def collect_documents(el: Any) -> tuple[tuple[Identifier, ...], list[str]]:
    """INDIVIDUAL_DOCUMENT elements as identifiers, plus notes of documents with no number.

    The specific TYPE_OF_DOCUMENT2 ("Italian Fiscal Code") is preferred over the generic
    TYPE_OF_DOCUMENT ("National Identification Number").

    Args:
        el: The INDIVIDUAL element.

    Returns:
        ``(identifiers, notes)``.
    """
    identifiers, notes = [], []
    for doc in el.findall("INDIVIDUAL_DOCUMENT"):
        number = read_text(doc, "NUMBER")
        doc_type = read_text(doc, "TYPE_OF_DOCUMENT2") or read_text(doc, "TYPE_OF_DOCUMENT")
        if not number:
            note = read_text(doc, "NOTE")
            if note:
                notes.append(f"{doc_type}: {note}" if doc_type else note)
            continue
        issuer = read_text(doc, "ISSUING_COUNTRY") or read_text(doc, "COUNTRY_OF_ISSUE")
        identifiers.append(
            Identifier(
                type=(doc_type or "Document").rstrip(": "),
                value=number,
                country=country_code(issuer),
                issued=normalize_date(read_text(doc, "DATE_OF_ISSUE")),
            )
        )
    return tuple(dict.fromkeys(identifiers)), notes


def read_legal_facts(el: Any) -> LegalFacts:
    """Listing date and latest update of one record."""
    updates = [d for d in (parse_date(v) for v in read_values(el, "LAST_DAY_UPDATED/VALUE")) if d]
    return LegalFacts(
        start_date=normalize_date(read_text(el, "LISTED_ON")),
        last_update=max(updates) if updates else None,
    )


@dataclass(frozen=True)
class _Kind:
    """How one of the two record kinds is read."""

    schema: Schema
    alias_tag: str
    address_tag: str
    name_parts: tuple[str, ...]


_INDIVIDUAL = _Kind(Schema.PERSON, "INDIVIDUAL_ALIAS", "INDIVIDUAL_ADDRESS", _NAME_PARTS)
_ENTITY = _Kind(Schema.ORGANIZATION, "ENTITY_ALIAS", "ENTITY_ADDRESS", ("FIRST_NAME",))


def build_entry(el: Any, kind: _Kind) -> Entry | None:
    """The entry for one INDIVIDUAL or ENTITY element; None when it has no name or id.

    Args:
        el: The element.
        kind: :data:`_INDIVIDUAL` or :data:`_ENTITY`.

    Returns:
        The entry, or None.
    """
    name = " ".join(v for v in (read_text(el, t) for t in kind.name_parts) if v)
    ref = read_text(el, "REFERENCE_NUMBER") or read_text(el, "DATAID")
    if not name or not ref:
        return None
    addresses = collect_addresses(el, kind.address_tag)
    nationalities = tuple(
        dict.fromkeys(c for c in map(country_code, read_values(el, "NATIONALITY/VALUE")) if c)
    )
    birth_dates, birth_places = collect_birth_facts(el)
    identifiers, document_notes = collect_documents(el)
    properties: dict[str, tuple[str, ...]] = {}
    for key, values in (
        ("gender", read_values(el, "GENDER")),
        ("designation", read_values(el, "DESIGNATION/VALUE")),
        ("document_notes", document_notes),
    ):
        if values:
            properties[key] = tuple(values)
    titles = read_values(el, "TITLE/VALUE")
    return Entry(
        id=f"{SOURCE_ID}:{ref}",
        source=SOURCE_ID,
        list=LIST_CODE,
        schema=kind.schema,
        names=collect_names(el, kind.alias_tag, name),
        addresses=addresses,
        countries=collect_countries(addresses, nationalities),
        identifiers=identifiers,
        birth_dates=tuple(birth_dates),
        birth_places=tuple(birth_places),
        nationalities=nationalities,
        programs=tuple(read_values(el, "UN_LIST_TYPE")),
        legal=read_legal_facts(el),
        title="; ".join(titles) or None,
        remarks=read_text(el, "COMMENTS1"),
        properties=properties,
    )


@dataclass(frozen=True)
class UnXmlFormat:
    """The UN Security Council Consolidated List XML."""

    name: str = "un-xml"
    source: str = SOURCE_ID
    description: str = "UN Security Council Consolidated List (XML)"

    def sniff(self, path: Path, head: bytes) -> bool:
        """True when the head names the ``CONSOLIDATED_LIST`` root element."""
        return b"<CONSOLIDATED_LIST" in head

    def parse(self, path: Path, options: Mapping[str, str] | None = None) -> Parsed:
        """Parse the list.

        Args:
            path: The XML file.
            options: Unused; this format has none.

        Returns:
            Individuals then entities in file order, published = the dateGenerated date.

        Raises:
            SourceError: Unsafe or malformed XML, or not a consolidated list.
        """
        root = load_document(path)
        if root.tag != "CONSOLIDATED_LIST":
            raise SourceError(path, f"root element is <{root.tag}>, not <CONSOLIDATED_LIST>")
        entries: list[Entry] = []
        warnings: list[str] = []
        seen: set[str] = set()
        for xpath, kind in (("INDIVIDUALS/INDIVIDUAL", _INDIVIDUAL), ("ENTITIES/ENTITY", _ENTITY)):
            for el in root.findall(xpath):
                entry = build_entry(el, kind)
                where = f"line {el.sourceline}"
                if entry is None:
                    warnings.append(f"{where}: {el.tag} without a name or reference; skipped")
                elif entry.id in seen:
                    warnings.append(f"{where}: duplicate {entry.id}; skipped")
                else:
                    seen.add(entry.id)
                    entries.append(entry)
        return Parsed(
            source=self.source,
            format=self.name,
            entries=entries,
            files=(path,),
            published=parse_date(root.get("dateGenerated")),
            warnings=warnings,
        )


UN_XML = UnXmlFormat()

FORMATS = [UN_XML]

__all__ = [
    "ALIAS_QUALITIES",
    "FORMATS",
    "LIST_CODE",
    "SOURCE_ID",
    "UN_XML",
    "UnXmlFormat",
    "build_entry",
    "load_document",
    "make_parser",
    "refuse_dtd",
]
