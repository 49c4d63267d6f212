"""The nsfreg set of US restricted-party lists: one JSON file per list plus ``lists.json``.

The set (github.com/phagehunter/nsfreg, ``data/*.json``) converts 13 US lists into one
JSON layout: ``{list_id, source_file, extracted, count, entities: [{name, aliases[],
country, address, status, effective_date, federal_register, notes}]}``. ``lists.json``
beside the files says, per ``list_id``, which official snapshot each list was taken from
("eCFR text as downloaded July 2026", "BIS export of April 14, 2026").

One source per list
    Each file is its own source (``us_nsfreg_el``, ``us_nsfreg_dpl``... see
    :data:`LISTS`), not one ``us_nsfreg`` source: the lists were taken on different days
    (2021-06 to 2026-07) and a snapshot has one ``published`` date, so one source would
    date the 2023 debarment list as July 2026. Each list keeps its code of
    ``exportcontrol/data/lists.yml`` (EL, MEU, DPL, CMIC, ISN, DTC reuse the existing
    codes and so their verdicts; 1260H, 1286, UFLPA, FCC, DTC-ADMIN, WRO and EO14032 are
    new there).

Snapshot date (``published``) and ``published_basis``
    From the list's ``snapshot`` text in ``lists.json`` (:func:`find_published`): a full
    date when it states one; for a month ("July 2026") the set's extraction date when it
    falls in that month (a download "in July 2026" extracted on 2026-07-09 is no later
    than that day), else the first day of the month; for a fiscal year ("FY24") the last
    day of that fiscal year. ``published_basis`` always says which. Without ``lists.json``
    the date is left unknown with a warning (the service then asks for ``--published``).

Entry ids and merging
    ``"{source}:{stable_id(list code, name)}"``. The country is left out on purpose: the
    eCFR prints an entity listed under several countries once per country, with "(See
    alternate addresses under ...)" pointing at the others; those rows are one listing
    and merge into one entry with every country (as the CSL reader does), and an entity
    that gains a country keeps its id. The exception is the Entity List's address-only
    entries ("Address 01", one series per country since 89 FR 51652): their id adds the
    country, since "Address 01" in China and in Turkey are different listings.

Text clean-up (the eCFR text keeps Federal Register wording)
    Aliases are split on ";" and "a.k.a.", lose a leading "and "/"-", a trailing "; and"
    and "a.k.a., the following two aliases:"; an alias that carries addresses
    ("APEX Ltd., 26 General Belov St...; and ...") keeps its name and gives its addresses
    to the entry. A primary name "X (a.k.a. Y" or "X (f.k.a., Y)" becomes X with alias
    Y. Addresses are split on "; and" and "Alt Address:", without "(See alternate
    addresses under ...)" (kept in ``properties["see_also"]``) and without leading
    artifacts ("the following one alias:", "Address:").
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..exportcontrol.federal_register import parse_citations, parse_us_date
from ..model import Address, Entry, Identifier, LegalFacts, Name, NameKind, Schema
from .base import (
    MAX_FIELD_CHARS,
    Parsed,
    clean,
    country_code,
    decode_text,
    merge_entries,
    parse_date,
    read_bytes,
    stable_id,
)

SOURCE_PREFIX = "us_nsfreg"
LISTS_FILE = "lists.json"


@dataclass(frozen=True, slots=True)
class ListSpec:
    """One list of the set.

    Attributes:
        list_id: nsfreg's id (``"bis-entity-list"``).
        code: The list code entries get (:attr:`entityscreen.model.Entry.list`).
        source: The source id.
        file: The file name in the set.
        schema: The schema of its entries unless an entry says otherwise: organisations
            for lists that by law name only companies or institutions, unknown for lists
            that mix persons and companies.
        requirement_in_notes: The ``notes`` field is the license requirement (Entity
            List) rather than a remark.
    """

    list_id: str
    code: str
    source: str
    file: str
    schema: Schema
    requirement_in_notes: bool = False


_ORG, _UNKNOWN = Schema.ORGANIZATION, Schema.UNKNOWN

#: Every list of the set, by nsfreg list id.
LISTS: dict[str, ListSpec] = {
    spec.list_id: spec
    for spec in (
        ListSpec("bis-entity-list", "EL", "us_nsfreg_el", "bis_entity_list.json", _UNKNOWN, True),
        ListSpec("bis-meu", "MEU", "us_nsfreg_meu", "bis_meu.json", _ORG),
        ListSpec("bis-dpl", "DPL", "us_nsfreg_dpl", "bis_dpl.json", _UNKNOWN),
        ListSpec("ofac-nscmic", "CMIC", "us_nsfreg_cmic", "ofac_nscmic.json", _ORG),
        ListSpec("ofac-eo14032", "EO14032", "us_nsfreg_eo14032", "ofac_eo14032_annex.json", _ORG),
        ListSpec("dow-1260h", "1260H", "us_nsfreg_1260h", "dow_1260h.json", _ORG),
        ListSpec("dow-1286", "1286", "us_nsfreg_1286", "dow_1286.json", _ORG),
        ListSpec("dhs-uflpa", "UFLPA", "us_nsfreg_uflpa", "dhs_uflpa.json", _ORG),
        ListSpec("fcc-covered", "FCC", "us_nsfreg_fcc", "fcc_covered.json", _ORG),
        ListSpec(
            "state-debarred-statutory",
            "DTC",
            "us_nsfreg_dtc",
            "state_debarred_statutory.json",
            _UNKNOWN,
        ),
        ListSpec(
            "state-debarred-admin",
            "DTC-ADMIN",
            "us_nsfreg_dtc_admin",
            "state_debarred_admin.json",
            _UNKNOWN,
        ),
        ListSpec(
            "state-nonproliferation",
            "ISN",
            "us_nsfreg_isn",
            "state_nonproliferation.json",
            _UNKNOWN,
        ),
        ListSpec("cbp-wro", "WRO", "us_nsfreg_cbp_wro", "cbp_wro.json", _ORG),
    )
}

_STRING_FIELDS = ("name", "country", "address", "status", "effective_date", "federal_register")

#: Country spellings of the set that the country resolver does not know.
_COUNTRIES = {
    "peoples republic of china": "CN",
    "people’s republic of china": "CN",
    "north korean entity in china": "KP",
    "turkish individual": "TR",
    "turkiye": "TR",
    "u.k.": "GB",
    "uk": "GB",
    "u.a.e.": "AE",
}
#: Country values that name no country ("Fishing Vessels", "Middle East Region").
_NOT_COUNTRIES = {"fishing vessels", "middle east region"}

_MONTH_NAMES = (
    *("january", "february", "march", "april", "may", "june"),
    *("july", "august", "september", "october", "november", "december"),
)
_MONTH = "|".join(m.capitalize() for m in _MONTH_NAMES)
_FULL_DATE = re.compile(rf"\b({_MONTH})\s+(\d{{1,2}}),?\s+(\d{{4}})\b")
_MONTH_YEAR = re.compile(rf"\b({_MONTH})\s+(\d{{4}})\b")
_FISCAL_YEAR = re.compile(r"\bFY\s?(\d{4}|\d{2})\b")


# --- reading the files ----------------------------------------------------------------------


def _load_json(path: Path) -> Any:
    text = decode_text(read_bytes(path), path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(path, f"invalid JSON: {exc.msg}", line=exc.lineno) from None
    except (ValueError, RecursionError) as exc:  # over-long integers, deep nesting
        raise SourceError(path, f"invalid JSON: {type(exc).__name__}") from None


def read_list_file(path: Path) -> tuple[ListSpec, dict[str, Any], list[dict[str, Any]]]:
    """The list's spec, the file's header fields and its entities, type-checked.

    Raises:
        SourceError: Not a JSON object with a known ``list_id`` and an ``entities``
            list; an entity that is not an object, a field of the wrong type, a field
            longer than :data:`~entityscreen.sources.base.MAX_FIELD_CHARS`.
    """
    data = _load_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise SourceError(path, "not an nsfreg list file: no 'entities' list")
    list_id = data.get("list_id")
    spec = LISTS.get(list_id) if isinstance(list_id, str) else None
    if spec is None:
        known = ", ".join(LISTS)
        raise SourceError(path, f"unknown nsfreg list_id {list_id!r}; known: {known}")
    entities: list[dict[str, Any]] = []
    for number, raw in enumerate(data["entities"], 1):
        entities.append(_check_entity(raw, number, path))
    header = {k: v for k, v in data.items() if k != "entities"}
    return spec, header, entities


def _check_entity(raw: Any, number: int, path: Path) -> dict[str, Any]:
    where = f"entity {number}"
    if not isinstance(raw, dict):
        raise SourceError(path, f"{where}: not a JSON object")
    for key in (*_STRING_FIELDS, "notes"):
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            raise SourceError(path, f"{where}: {key!r} is {type(value).__name__}, not text")
        if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            raise SourceError(path, f"{where}: {key!r} is longer than {MAX_FIELD_CHARS} chars")
    aliases = raw.get("aliases")
    if aliases is None:
        aliases = []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise SourceError(path, f"{where}: 'aliases' is not a list of text")
    if sum(len(a) for a in aliases) > MAX_FIELD_CHARS:
        raise SourceError(path, f"{where}: 'aliases' are longer than {MAX_FIELD_CHARS} chars")
    return {**raw, "aliases": aliases}


def read_lists_json(path: Path) -> dict[str, dict[str, Any]]:
    """``lists.json``'s lists by id, plus ``"_generated"`` under the key ``""``.

    Raises:
        SourceError: Not a JSON object with a ``lists`` list of objects with an ``id``.
    """
    data = _load_json(path)
    lists = data.get("lists") if isinstance(data, dict) else None
    if not isinstance(lists, list):
        raise SourceError(path, "not an nsfreg lists.json: no 'lists' list")
    out: dict[str, dict[str, Any]] = {}
    for number, item in enumerate(lists, 1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise SourceError(path, f"list {number}: not an object with an 'id'")
        out[item["id"]] = item
    generated = data.get("generated")
    out[""] = {"generated": generated if isinstance(generated, str) else None}
    return out


# --- the snapshot date ------------------------------------------------------------------------


def find_published(
    snapshot: str, extracted: str | None, entry_dates: list[str]
) -> tuple[str | None, str]:
    """The list's date from its ``snapshot`` text, and how it was found.

    Args:
        snapshot: ``lists.json``'s text, e.g. "BIS export of April 14, 2026".
        extracted: When the set was extracted (ISO), the latest a download can be.
        entry_dates: The entries' own ISO dates, to keep a month's date from falling
            before an entry it contains.

    Returns:
        ``(ISO date or None, basis)``; the basis is one line for ``published_basis``.
    """
    stated = f"stated in lists.json: {snapshot!r}"
    m = _FULL_DATE.search(snapshot)
    if m:
        day = _month_date(m[1], int(m[3]), int(m[2]))
        if day:
            return day.isoformat(), f"{stated} -> {day.isoformat()}"
    m = _MONTH_YEAR.search(snapshot)
    if m:
        first = _month_date(m[1], int(m[2]), 1)
        assert first is not None  # day 1 of a named month always exists
        month = first.isoformat()[:7]
        if extracted and extracted[:7] == month:
            return extracted, f"{stated} -> {extracted} (the set's extraction date, same month)"
        in_month = [d for d in entry_dates if d[:7] == month and len(d) == 10]
        day_text = max(in_month) if in_month else first.isoformat()
        why = "newest entry date of that month" if in_month else "first day of that month"
        return day_text, f"{stated} -> {day_text} ({why})"
    m = _FISCAL_YEAR.search(snapshot)
    if m:
        year = int(m[1]) + (2000 if len(m[1]) == 2 else 0)
        # A fiscal-year list is out by the end of that fiscal year (US FY ends 30 Sept);
        # the end, not the start, so as-of screening never dates a listing too early.
        end = date(year, 9, 30).isoformat()
        return end, f"inferred: lists.json says {snapshot!r}, no date; end of US FY{year} -> {end}"
    return None, f"{stated}: no date in it"


def _month_date(month: str, year: int, day: int) -> date | None:
    try:
        return date(year, _MONTH_NAMES.index(month.lower()) + 1, day)
    except ValueError:
        return None


def entry_date(value: str | None) -> str | None:
    """An ISO date from the set's ``effective_date`` ("2021-08-02", "June 21, 2022")."""
    value = clean(value)
    if not value:
        return None
    parsed = parse_date(value)
    if parsed:
        return parsed
    for pattern in ("%B %d, %Y", "%b %d, %Y", "%d %b %Y"):
        try:
            return datetime.strptime(value, pattern).date().isoformat()
        except ValueError:
            continue
    return None


# --- names and addresses --------------------------------------------------------------------

_AKA = re.compile(r"\s*,?\s*\(?\s*\b([af])\.k\.a\b\.?,?\s*", re.IGNORECASE)
_FOLLOWING = re.compile(
    r",?\s*(?:a\.k\.a\.?,?\s*)?the following \w+ alias(?:es)?\s*[:,]?\s*$", re.IGNORECASE
)
_LEAD_JUNK = re.compile(r"^(?:and\s+|[-‐–—•]\s*)+", re.IGNORECASE)
_SEE = re.compile(r"\(\s*(See\b[^()]*)\)\.?", re.IGNORECASE)
_ADDRESS_PREFIX = re.compile(
    r"^(?:and\s+|and(?=[A-Z#])|a\.k\.a\.?,?\s*|the following \w+ alias(?:es)?\s*[:,]?\s*)+"
    r"|^The following addresses apply to [^:]*:\s*"
    r"|^Addresses for [^:]*:\s*"
    r"|^Address:\s*",
    re.IGNORECASE,
)
_ADDRESS_SPLIT = re.compile(r"\s*;\s*(?:and\s+)?|\s+Alt Address:\s*", re.IGNORECASE)
#: What the eCFR prints among aliases to say what a listing covers ("Nuclear reactors
#: (including power plants), ... and any collocated ammonia plants"): a remark, not a name.
_SCOPE = re.compile(r"\((?:including|excluding)\b|\band any\b", re.IGNORECASE)
#: Where an alias that carries addresses ends: a comma, or a full stop not after an
#: initial ("M.A.G. Tech" keeps its dots).
_NAME_END = re.compile(r",\s+|(?<![\s.][A-Z])(?<!^[A-Z])\.['’]?\s+")


def split_addresses(text: str | None) -> tuple[list[str], list[str]]:
    """The addresses of an ``address`` value, and its "(See ...)" cross references.

    Returns:
        ``(addresses, see_also)``; leading parse artifacts ("the following one alias:",
        "Address:") are dropped, and so are trailing full stops.
    """
    if not text:
        return [], []
    see_also = [clean(m[1]) or "" for m in _SEE.finditer(text)]
    text = _SEE.sub(" ", text)
    out: list[str] = []
    for part in _ADDRESS_SPLIT.split(text):
        part = clean(_ADDRESS_PREFIX.sub("", clean(part) or "", count=1))
        part = clean((part or "").strip(" .,;"))
        if part and part.lower() != "and" and part not in out:
            out.append(part)
    return out, [s.rstrip(".") for s in see_also if s]


def clean_aliases(raw: list[str]) -> tuple[list[Name], list[str], list[str]]:
    """Aliases as published, cleaned (see the module docstring).

    Returns:
        ``(names, addresses found inside aliases, remarks found inside aliases)``.
    """
    names: list[Name] = []
    addresses: list[str] = []
    remarks: list[str] = []
    for text in raw:
        # "'Zvezdochka;'": the closing quote belongs to the name, not after the ";".
        value = re.sub(r";(['’”])", r"\1;", clean(text) or "")
        end = _address_tail(value)
        if end is not None:
            found, _ = split_addresses(value[end[1] :])
            addresses.extend(a for a in found if not a.lower().startswith("any "))
            remarks.extend(a for a in found if a.lower().startswith("any "))
            value = value[: end[0]]
        for piece, kind in _split_alias(value):
            if (piece.startswith("(") and piece.endswith(")")) or _SCOPE.search(piece):
                remarks.append(piece.strip("()"))
            elif piece not in (n.value for n in names):
                names.append(Name(piece, kind))
    return names, addresses, remarks


def _address_tail(value: str) -> tuple[int, int] | None:
    """Where the name ends and the addresses start in an alias that carries addresses.

    An alias carries addresses when it has a digit or a "(See ...)" and, after its first
    comma or full stop, either "; and" or a country in one of the last two comma-separated parts
    ("Alexander Pikhtin, Pr. Yuria Gagarina 2, St. Petersburg, Russia 196105").
    """
    if not re.search(r"\d|\(See\b", value, re.IGNORECASE):
        return None
    end = _NAME_END.search(value)
    if end is None:
        return None
    tail = value[end.end() :]
    if re.search(r";\s*and\b", tail):
        return end.start(), end.end()
    parts = [re.sub(r"[\d\s.]+$|^[\d\s.]+", "", p) for p in _SEE.sub("", tail).split(",")]
    if any(resolve_country(p) for p in parts[-2:] if p):
        return end.start(), end.end()
    return None


def _split_alias(value: str) -> list[tuple[str, NameKind]]:
    out: list[tuple[str, NameKind]] = []
    for chunk in re.split(r"\s*;\s*", value):
        joined_and = bool(re.match(r"and\s", chunk, re.IGNORECASE))
        chunk = _FOLLOWING.sub("", chunk)
        parts = _AKA.split(chunk)
        # re.split with one group: [text, kind letter, text, kind letter, text...]
        kinds = [NameKind.AKA] + [
            NameKind.FKA if k.lower() == "f" else NameKind.AKA for k in parts[1::2]
        ]
        for piece, kind in zip(parts[::2], kinds, strict=True):
            piece = _tidy(piece)
            if not piece:
                continue
            if joined_and and out and " " not in piece and not piece.isupper():
                # "Xinjiang Leon Telecom; and Technology": a name cut at its own "and".
                out[-1] = (f"{out[-1][0]} and {piece}", out[-1][1])
                continue
            out.append((piece, kind))
            joined_and = False
    return out


def _tidy(piece: str) -> str:
    piece = clean(_LEAD_JUNK.sub("", piece.strip())) or ""
    piece = piece.strip(" ,;")
    if piece.endswith(";'"):
        piece = piece[:-2] + "'"
    if piece.endswith(")") and piece.count(")") > piece.count("("):
        piece = piece[:-1].rstrip()
    if piece.startswith("(") and piece.count("(") > piece.count(")"):
        piece = piece[1:].lstrip()
    piece = piece.strip('“”"').strip() if piece.count("“") + piece.count("”") == 2 else piece
    return piece if re.search(r"\w", piece) and piece.lower() != "and" else ""


def split_primary(name: str, address: str | None) -> tuple[str, list[Name], str | None, list[str]]:
    """The primary name without the aliases and cross references printed inside it.

    ``"Rosneft (a.k.a. Open Joint-Stock Company Rosneft Oil Company"`` gives "Rosneft"
    and an alias; ``"Sabanican Company (a.k.a."`` takes its alias from the start of the
    address (``"Sabanican Pad Co.), Unit #23, ..."``), which loses it.

    Returns:
        ``(primary, aliases, address, see_also)``.
    """
    see_also = [clean(m[1]) or "" for m in _SEE.finditer(name)]
    name = clean(_SEE.sub(" ", name)) or name
    m = _AKA.search(name)
    if not m or m.start() == 0:
        return name, [], address, see_also
    primary = _tidy(name[: m.start()]) or name
    rest = name[m.end() :]
    kind = NameKind.FKA if m[1].lower() == "f" else NameKind.AKA
    if not clean(rest) and address and ")" in address.split(",", 1)[0] + ",":
        alias_text, _, address = address.partition(")")
        rest = alias_text
        address = address.lstrip(" ,.")
    aliases = [Name(_tidy(p), kind) for p in (rest,) if _tidy(p)]
    return primary, aliases, address, see_also


# --- entries ---------------------------------------------------------------------------------

_ADDRESS_ENTRY = re.compile(r"^Address \d+$")
_DOB = re.compile(r"Date of birth:\s*([^;|]+)", re.IGNORECASE)
_EXPIRES = re.compile(r"Expires:\s*(\d{4}-\d{2}-\d{2})")
_DENIAL = re.compile(r"Type of denial:\s*(Standard|Non-Standard)", re.IGNORECASE)
_ISN_EXPIRED = re.compile(r"Expired(?:\s+on)?\s+(\d{1,2}/\d{1,2}/\d{2,4})", re.IGNORECASE)
_ISN_AUTHORITY = re.compile(r"Authority:\s*([^;|]+)")
_CMIC_PROGRAM = re.compile(r"Program:\s*([A-Z0-9-]+)")
_USCC = re.compile(r"USCC:\s*([0-9A-Z]{18})(?:\s*\(([^)]*)\))?")


def resolve_country(value: str | None) -> str | None:
    """ISO-2 code of the set's country text, or None."""
    text = clean(value)
    if not text or text.lower() in _NOT_COUNTRIES:
        return None
    local = _COUNTRIES.get(text.lower())
    if local:
        return local
    return country_code(text) or country_code(re.sub(r"\s*\([^)]*\)", "", text))


def federal_register_text(value: str | None) -> str | None:
    """The citations as one ``"; "``-joined value (the eCFR puts one per line)."""
    if not value:
        return None
    lines = [clean(line.strip().rstrip(".")) for line in value.splitlines()]
    return "; ".join(line for line in lines if line) or None


def build_entry(raw: Mapping[str, Any], spec: ListSpec) -> Entry | None:
    """One entity of the set as an entry, not yet merged; None when it has no name.

    Args:
        raw: The entity, type-checked by :func:`read_list_file`.
        spec: Its list.

    Returns:
        The entry.
    """
    name_text = clean(raw.get("name"))
    if not name_text:
        return None
    primary, inline_aliases, address_text, see_also = split_primary(name_text, raw.get("address"))
    aliases, alias_addresses, alias_remarks = clean_aliases(raw["aliases"])
    addresses, address_see_also = split_addresses(address_text)
    country_text = clean(raw.get("country"))
    country = resolve_country(country_text)
    notes = clean(raw.get("notes"))
    schema = spec.schema
    if (notes and _DOB.search(notes)) or (country_text or "").lower().endswith("individual"):
        schema = Schema.PERSON
    elif primary.lower().startswith("fishing vessel"):
        schema = Schema.VESSEL
    address_only = spec.code == "EL" and bool(_ADDRESS_ENTRY.match(primary))
    id_parts = (spec.code, primary, country_text) if address_only else (spec.code, primary)
    names: dict[str, Name] = {primary: Name(primary)}
    for alias in (*inline_aliases, *aliases):
        names.setdefault(alias.value, alias)
    properties: dict[str, tuple[str, ...]] = {"nsfreg_list": (spec.list_id,)}
    if see_also or address_see_also:
        properties["see_also"] = tuple(dict.fromkeys((*see_also, *address_see_also)))
    if country_text and not country:
        properties["country_raw"] = (country_text,)
    if address_only:
        properties["listed_address"] = ("the listing is this address, not a named party",)
    fr_text = federal_register_text(raw.get("federal_register"))
    start = entry_date(raw.get("effective_date"))
    if start is None:
        earliest = parse_citations(fr_text).earliest_date()
        start = earliest.isoformat() if earliest else None
    remarks = [notes] if notes and not spec.requirement_in_notes else []
    remarks.extend(alias_remarks)
    return Entry(
        id=f"{spec.source}:{stable_id(*id_parts)}",
        source=spec.source,
        list=spec.code,
        schema=schema,
        names=tuple(names.values()),
        addresses=tuple(
            Address(full=a, country=country) for a in dict.fromkeys((*addresses, *alias_addresses))
        ),
        countries=(country,) if country else (),
        identifiers=_identifiers(notes),
        birth_dates=_birth_dates(notes),
        programs=_programs(spec, notes),
        legal=LegalFacts(
            license_requirement=notes if spec.requirement_in_notes else None,
            federal_register=fr_text,
            start_date=start,
            end_date=_end_date(spec, notes),
            standard_order=_standard_order(notes),
            action=clean(raw.get("status")),
        ),
        remarks="; ".join(remarks) or None,
        properties=properties,
    )


def _birth_dates(notes: str | None) -> tuple[str, ...]:
    m = _DOB.search(notes or "")
    if not m:
        return ()
    parsed = parse_date(m[1].replace(",", " "))
    return (parsed,) if parsed else ()


def _identifiers(notes: str | None) -> tuple[Identifier, ...]:
    return tuple(
        Identifier("USCC", m[1], country=resolve_country(m[2])) for m in _USCC.finditer(notes or "")
    )


def _programs(spec: ListSpec, notes: str | None) -> tuple[str, ...]:
    if spec.code == "CMIC":
        return tuple(dict.fromkeys(_CMIC_PROGRAM.findall(notes or "")))
    if spec.code == "ISN":
        return tuple(dict.fromkeys(clean(a) or "" for a in _ISN_AUTHORITY.findall(notes or "")))
    return ()


def _end_date(spec: ListSpec, notes: str | None) -> str | None:
    """DPL: "Expires: 2026-10-27"; ISN: the latest expiry when every measure has one."""
    if not notes:
        return None
    if spec.code == "DPL":
        m = _EXPIRES.search(notes)
        return m[1] if m else None
    if spec.code == "ISN":
        ends = []
        for measure in notes.split(" | "):
            m = _ISN_EXPIRED.search(measure)
            when = parse_us_date(m[1], volume=None)[0] if m else None
            if when is None:
                return None  # a measure without an expiry is still in force
            ends.append(when)
        return max(ends).isoformat() if ends else None
    return None


def _standard_order(notes: str | None) -> str | None:
    m = _DENIAL.search(notes or "")
    if not m:
        return None
    return "Y" if m[1].lower() == "standard" else "N"


# --- the format ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NsfregJsonFormat:
    """One list file of the nsfreg set (see the module docstring).

    Attributes:
        name: Format name.
        source: What ``lists formats`` shows; each file gets its list's own source.
        description: One line for ``formats`` listings.
    """

    name: str = "nsfreg-json"
    source: str = f"{SOURCE_PREFIX}_*"
    description: str = "nsfreg JSON set of 13 US lists (Entity List from the eCFR text, ...)"

    def sniff(self, path: Path, head: bytes) -> bool:
        """True for a JSON object with nsfreg's ``list_id``/``source_file``/``entities``,
        or a folder holding ``lists.json`` and exactly one list file of the set."""
        if path.is_dir():
            return _folder_list_file(path) is not None
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
        return text.startswith("{") and all(
            f'"{key}"' in text for key in ("list_id", "source_file", "entities")
        )

    def parse(self, path: Path, options: Mapping[str, str] | None = None) -> Parsed:
        """Parse one list file (or a folder with one list file and ``lists.json``).

        Args:
            path: The list file, or a folder as downloaded by ``lists update``.
            options: Unused; this format has none.

        Returns:
            Merged entries in file order, under the list's source; ``published`` and
            ``published_basis`` from ``lists.json`` beside the file.

        Raises:
            SourceError: A malformed list file or ``lists.json``, naming the file.
        """
        if path.is_dir():
            found = _folder_list_file(path)
            if found is None:
                raise SourceError(path, "no single nsfreg list file with lists.json here")
            path = found
        spec, header, raw_entities = read_list_file(path)
        warnings: list[str] = []
        rows: list[Entry] = []
        for number, raw in enumerate(raw_entities, 1):
            entry = build_entry(raw, spec)
            if entry is None:
                warnings.append(f"entity {number}: no name; skipped")
            else:
                rows.append(entry)
        count = header.get("count")
        if isinstance(count, int) and count != len(raw_entities):
            warnings.append(f"'count' says {count}, the file holds {len(raw_entities)} entities")
        published, basis = self._published(path, spec, header, rows, warnings)
        entries = merge_entries(rows, count_key="nsfreg_rows")
        source_url = None
        lists_path = path.parent / LISTS_FILE
        if lists_path.is_file():
            url = read_lists_json(lists_path).get(spec.list_id, {}).get("official_url")
            source_url = url if isinstance(url, str) else None
        if source_url:
            entries = [replace(e, source_url=source_url) for e in entries]
        return Parsed(
            spec.source,
            self.name,
            entries,
            (path,),
            published=published,
            published_basis=basis,
            warnings=warnings,
        )

    @staticmethod
    def _published(
        path: Path,
        spec: ListSpec,
        header: Mapping[str, Any],
        rows: list[Entry],
        warnings: list[str],
    ) -> tuple[str | None, str | None]:
        lists_path = path.parent / LISTS_FILE
        if not lists_path.is_file():
            warnings.append(f"no {LISTS_FILE} beside the file: snapshot date unknown")
            return None, None
        meta = read_lists_json(lists_path)
        snapshot = meta.get(spec.list_id, {}).get("snapshot")
        if not isinstance(snapshot, str) or not snapshot.strip():
            warnings.append(f"{LISTS_FILE} states no snapshot for {spec.list_id}")
            return None, None
        extracted = header.get("extracted")
        extracted = extracted if isinstance(extracted, str) else meta[""]["generated"]
        dates = [e.legal.start_date for e in rows if e.legal.start_date]
        return find_published(clean(snapshot) or "", parse_date(extracted), dates)


def _folder_list_file(folder: Path) -> Path | None:
    """The one list file of the set in ``folder`` (beside ``lists.json``), if exactly one."""
    if not (folder / LISTS_FILE).is_file():
        return None
    found = [folder / spec.file for spec in LISTS.values() if (folder / spec.file).is_file()]
    return found[0] if len(found) == 1 else None


NSFREG_JSON = NsfregJsonFormat()

FORMATS = [NSFREG_JSON]

__all__ = [
    "FORMATS",
    "LISTS",
    "NSFREG_JSON",
    "ListSpec",
    "NsfregJsonFormat",
    "build_entry",
    "clean_aliases",
    "entry_date",
    "find_published",
    "read_list_file",
    "read_lists_json",
    "resolve_country",
    "split_addresses",
    "split_primary",
]
