"""The Entity List from the eCFR: Supplement No. 4 to 15 CFR part 744, versioner XML.

``https://www.ecfr.gov/api/versioner/v1/full/{date}/title-15.xml?part=744`` gives part
744 as it stood on ``{date}``: a ``<DIV5 N="744" TYPE="PART">`` whose ``DIV9`` "Supplement
No. 4 to Part 744—Entity List" holds the table. The table is read in either markup the
eCFR uses: GPO's ``GPOTABLE`` (``BOXHD``/``CHED`` header, ``ROW``/``ENT`` cells) or the
HTML table the versioner renders it as (``tr``/``th``/``td``). Columns are found by
their headings (Country, Entity, License requirement, License review policy, Federal
Register citation), else taken in that order.

Rows to entities
    A row with a country starts that country; a blank country cell, or one repeating the
    country with "—Continued" (a page break of the printed table), continues the
    previous one. A row with entity text and a license requirement, review policy or
    citation starts an entity; a row without entity text, or with entity text and no
    other cell, continues the current entity (its text, requirement, policy and
    citations are appended). An entity listed under several countries ("(See alternate
    address under Turkey)") is one entry with every country, as in the nsfreg reader.

Entity text
    The cell is split into name, aliases and addresses: "X, a.k.a., the following two
    aliases: —Y; and —Z. <address>" (or "X (a.k.a. Y), <address>"); the name ends at the
    first comma outside parentheses that is not followed by a legal form ("Co., Ltd.").
    "(See alternate address under ...)" goes to ``properties["see_also"]``. The pieces
    are then built into entries by :func:`entityscreen.sources.nsfreg.build_entry`, so
    alias, address and citation clean-up and the entry ids
    (``us_ecfr_el:{stable_id("EL", name)}``, the same hash as ``us_nsfreg_el``) are the
    nsfreg reader's.

Date
    ``published`` is a date attribute of the root (``date``/``DATE``/``amddate``), else an
    ``AMDDATE`` element, else the first ``YYYY-MM-DD`` in the file name (the date of the
    versioner URL, kept in the manifest's file name); ``published_basis`` says which
    when it is not the XML's own.

The XML is parsed with lxml's hardened parser of :mod:`entityscreen.sources.un` (a DTD is
refused; no entity resolution, no network). This reader has been tested on fixtures
written to the documented format only, never on a file fetched from the eCFR.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lxml import etree

from ..errors import SourceError
from ..model import Entry, Schema
from .base import Parsed, clean, parse_date, read_bytes
from .merge import merge_entries
from .nsfreg import ListSpec, build_entry, entry_date, resolve_country
from .un import make_parser, refuse_dtd

SOURCE_ID = "us_ecfr_el"
LIST_CODE = "EL"
SUPPLEMENT = "Supplement No. 4 to Part 744"
SPEC = ListSpec(
    "ecfr-part-744-supp-4", LIST_CODE, SOURCE_ID, "title-15-part-744.xml", Schema.UNKNOWN, True
)

_COLUMNS = ("country", "entity", "requirement", "policy", "citation")
_HEADINGS = {
    "country": "country",
    "entity": "entity",
    "license requirement": "requirement",
    "license review policy": "policy",
    "federal register citation": "citation",
}
_CONTINUED = re.compile(r"\s*[-‐–—]+\s*(?:con\.?|continued)\s*$|\s*\(continued\)\s*$", re.I)
_SEE = re.compile(r"\(\s*See\b[^()]*\)\.?", re.IGNORECASE)
_ALIAS_INTRO = re.compile(
    r",?\s*\(?\s*\b([af])\.k\.a\.?,?\s*the following (?:[\w-]+ )?alias(?:es)?\s*[:.,]?\s*",
    re.IGNORECASE,
)
_DASH = re.compile(r"(?:^|\s)[—–]+\s*|^-\s*|\n\s*-\s*")
#: Words that may follow a comma inside a company name ("Huawei Technologies Co., Ltd.").
_LEGAL_FORM = re.compile(
    r"(?:Ltd|Limited|Inc|Incorporated|LLC|L\.L\.C|LLP|PLC|Co|Corp|Corporation|Company|"
    r"S\.?A|S\.?A\.?S|S\.?L|S\.?R\.?L|Srl|GmbH|AG|A\.?G|B\.?V|N\.?V|JSC|OJSC|CJSC|PJSC|OOO|"
    r"OAO|ZAO|AO|Pvt|Pte|Sdn|Bhd|FZE|FZCO|FZ-LLC|FZC|DMCC|Ltda|Kft|d\.o\.o|Tic|San|A\.?S|"
    r"A\.Ş|LP|L\.P|Group)\b\.?",
)
#: The eCFR's inverted country names, as the nsfreg set spells them (ids of address-only
#: entries include the country text, so both sources must spell it alike).
_COUNTRY_NAMES = {
    "china, people's republic of": "China",
    "china, people’s republic of": "China",
    "korea, democratic people's republic of": "North Korea",
    "korea, democratic people’s republic of": "North Korea",
    "korea, republic of": "South Korea",
}
_DATE_ATTRS = ("date", "amddate", "amendment_date", "as_of")
_ISO_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")
#: The first element of the document (after the XML declaration and comments).
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
_ROOT_TAG = re.compile(rb"<(?:DIV\d|ECFR)\b")


@dataclass
class _Row:
    """One entity as gathered from one or more table rows."""

    line: int
    country: str | None
    entity: list[str] = field(default_factory=list)
    requirement: list[str] = field(default_factory=list)
    policy: list[str] = field(default_factory=list)
    citation: list[str] = field(default_factory=list)
    rows: int = 1


# --- XML ------------------------------------------------------------------------------------


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


_BLOCK = {"p", "li", "fp", "div", "br", "row", "tr", "ent", "td", "th", "psp", "e"}


def cell_text(cell: Any) -> str:
    """The text of a table cell, a newline between its paragraphs, list items and
    ``<br/>`` (the eCFR puts each citation and each alias on its own line)."""
    parts: list[str] = []

    def walk(el: Any) -> None:
        name = _local(el.tag).lower()
        if name in ("p", "li", "fp", "div", "br"):
            parts.append("\n")
        if el.text and name != "br":
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if name in ("p", "li", "fp", "div"):
            parts.append("\n")

    walk(cell)
    lines = (clean(line) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _find_supplement(root: Any) -> Any | None:
    for el in root.iter():
        if not re.fullmatch(r"DIV\d", _local(el.tag)):
            continue
        label = el.get("N") or ""
        head = next((c for c in el if _local(c.tag) == "HEAD"), None)
        head_text = clean("".join(head.itertext())) if head is not None else ""
        if SUPPLEMENT.lower() in f"{label} {head_text}".lower():
            return el
    return None


def _tables(supplement: Any) -> list[tuple[list[str | None], list[tuple[int, list[str]]]]]:
    """Each table of the supplement: its column keys and its data rows (line, cells)."""
    out = []
    for table in supplement.iter():
        name = _local(table.tag)
        if name == "GPOTABLE":
            heads = [cell_text(c) for c in table.iter() if _local(c.tag) == "CHED"]
            raw_rows = [r for r in table.iter() if _local(r.tag) == "ROW"]
            cell_tag: tuple[str, ...] = ("ENT",)
        elif name.lower() == "table":
            raw_rows = [r for r in table.iter() if _local(r.tag).lower() == "tr"]
            heads = []
            if raw_rows and all(_local(c.tag).lower() == "th" for c in raw_rows[0]):
                heads = [cell_text(c) for c in raw_rows[0]]
                raw_rows = raw_rows[1:]
            cell_tag = ("td", "th")
        else:
            continue
        keys = _column_keys(heads)
        rows = [
            (r.sourceline or 0, [cell_text(c) for c in r if _local(c.tag) in cell_tag])
            for r in raw_rows
        ]
        out.append((keys, rows))
    return out


def _column_keys(heads: list[str]) -> list[str | None]:
    if not heads:
        return list(_COLUMNS)
    keys: list[str | None] = []
    for head in heads:
        text = (clean(re.sub(r"\d+$", "", head)) or "").lower().rstrip(" .")
        keys.append(next((v for k, v in _HEADINGS.items() if text.startswith(k)), None))
    return keys


def _read_xml(path: Path) -> Any:
    data = read_bytes(path)
    refuse_dtd(data, path)
    try:
        return etree.fromstring(data, parser=make_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        msg = clean(str(exc.msg or exc)) or "syntax error"
        raise SourceError(path, f"malformed XML: {msg}", line=line) from None
    except ValueError as exc:
        raise SourceError(path, f"malformed XML: {exc}") from None


# --- rows -----------------------------------------------------------------------------------


def country_name(text: str | None) -> str | None:
    """The country as printed, un-inverted ("CHINA, PEOPLE'S REPUBLIC OF" -> "China",
    "MOLDOVA, REPUBLIC OF" -> "REPUBLIC OF MOLDOVA")."""
    text = clean(text)
    if not text:
        return None
    known = _COUNTRY_NAMES.get(text.lower())
    if known:
        return known
    m = re.fullmatch(r"(.+?),\s*(.+\bOF)", text, re.IGNORECASE)
    return f"{m[2]} {m[1]}" if m else text


def gather_rows(rows: list[tuple[int, dict[str, str]]]) -> list[_Row]:
    """Entities from table rows keyed by column (see the module docstring)."""
    out: list[_Row] = []
    country: str | None = None
    for line, cells in rows:
        country_text = clean(cells.get("country"))
        new_country = False
        if country_text:
            continued = _CONTINUED.search(country_text)
            name = clean(_CONTINUED.sub("", country_text)) if continued else country_text
            new_country = not continued and name != country
            country = name
        entity = cells.get("entity") or ""
        others = [cells.get(k) for k in ("requirement", "policy", "citation")]
        if not entity and not any(others):
            continue  # a country heading, or an empty row
        if entity and (any(others) or not out or new_country):
            out.append(_Row(line, country))
        elif not out:
            continue
        else:
            out[-1].rows += 1
        current = out[-1]
        for key, bucket in (
            ("entity", current.entity),
            ("requirement", current.requirement),
            ("policy", current.policy),
            ("citation", current.citation),
        ):
            if cells.get(key):
                bucket.append(cells[key])
    return out


def split_entity(text: str) -> tuple[str, list[str], str | None]:
    """``(name, aliases, address text)`` of an entity cell (see the module docstring)."""
    see = [m[0] for m in _SEE.finditer(text)]
    body = _SEE.sub(" ", text).strip()
    intro = _ALIAS_INTRO.search(body)
    if intro:
        name = body[: intro.start()]
        aliases, address = _split_alias_list(body[intro.end() :])
    else:
        name, address = _split_name(body)
        aliases = []
    address = " ".join(p for p in (address or "", *see) if p) or None
    return clean(name.strip(" ,;")) or "", aliases, address


def _split_alias_list(text: str) -> tuple[list[str], str | None]:
    """The aliases after "the following N aliases:" and the address after them."""
    pieces = [p for p in (clean(p) for p in _DASH.split(text)) if p]
    if not pieces:
        return [], None
    *aliases, last = pieces
    alias, address = _alias_then_address(last)
    return [*aliases, alias], address


def _alias_then_address(text: str) -> tuple[str, str | None]:
    """Split the last alias from the address after it: at the first full stop (not
    after an initial) or newline when what follows ends in a country."""
    for m in re.finditer(r"\n|(?<![\s.][A-Z])(?<!^[A-Z])\.\s+", text):
        rest = clean(text[m.end() :])
        if rest and _ends_in_country(rest):
            return text[: m.start()].strip(), rest
    return text.strip(), None


def _ends_in_country(text: str) -> bool:
    parts = [re.sub(r"^[\d\s.-]+|[\d\s.-]+$", "", p) for p in text.rstrip(" .;").split(",")]
    return any(resolve_country(p) for p in parts[-2:] if p)


def _split_name(text: str) -> tuple[str, str | None]:
    """The name and the address of an entity without an alias list."""
    depth = 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char in ",\n" and depth == 0:
            rest = text[i + 1 :].lstrip()
            if char == "," and (_LEGAL_FORM.match(rest) or not rest):
                continue
            return text[:i], clean(rest) or None
    return text.rstrip(" ."), None


# --- the format ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EcfrXmlFormat:
    """Supplement No. 4 to Part 744 in eCFR versioner XML (see the module docstring)."""

    name: str = "ecfr-xml"
    source: str = SOURCE_ID
    description: str = "eCFR versioner XML of 15 CFR part 744: the Entity List (Supp. No. 4)"

    def sniff(self, path: Path, head: bytes) -> bool:
        """True for eCFR XML whose root is a part-744 ``DIV5`` (or a title holding it)."""
        if path.is_dir():
            return False
        first = _FIRST_ELEMENT.search(head)
        if first is None or not _ROOT_TAG.match(head, first.start()):
            return False
        return bool(re.search(rb'N="744"|Part 744', head, re.IGNORECASE))

    def parse(self, path: Path, options: Mapping[str, str] | None = None) -> Parsed:
        """Parse the part-744 XML into Entity List entries.

        Args:
            path: The XML file.
            options: Unused.

        Returns:
            Merged entries, ``published`` from the XML's date or the file name.

        Raises:
            SourceError: Malformed XML, a DTD, no Supplement No. 4, or no entity table.
        """
        root = _read_xml(path)
        supplement = _find_supplement(root)
        if supplement is None:
            raise SourceError(path, f"no {SUPPLEMENT} (Entity List) in this eCFR XML")
        tables = [t for t in _tables(supplement) if "entity" in t[0]]
        if not tables:
            raise SourceError(path, f"{SUPPLEMENT} has no table with an Entity column")
        keyed: list[tuple[int, dict[str, str]]] = []
        for keys, rows in tables:
            for line, cells in rows:
                keyed.append((line, {k: v for k, v in zip(keys, cells, strict=False) if k}))
        warnings: list[str] = []
        entries: list[Entry] = []
        for row in gather_rows(keyed):
            entry = self._entry(row)
            if entry is None:
                warnings.append(f"line {row.line}: no entity name; skipped")
            else:
                entries.append(entry)
        if not entries:
            raise SourceError(path, f"{SUPPLEMENT} table has no entities")
        published, basis = _published(root, path)
        if published is None:
            warnings.append("no date in the XML or its file name: snapshot date unknown")
        return Parsed(
            SOURCE_ID,
            self.name,
            merge_entries(entries, count_key="ecfr_rows"),
            (path,),
            published=published,
            published_basis=basis,
            warnings=warnings,
        )

    @staticmethod
    def _entry(row: _Row) -> Entry | None:
        name, aliases, address = split_entity("\n".join(row.entity))
        if not name:
            return None
        raw = {
            "name": name,
            "aliases": aliases,
            "country": country_name(row.country),
            "address": address,
            "federal_register": "\n".join(row.citation) or None,
            "notes": clean(" ".join(row.requirement)),
        }
        entry = build_entry(raw, SPEC)
        if entry is None:
            return None
        properties = {k: v for k, v in entry.properties.items() if k != "nsfreg_list"}
        properties["ecfr_rows"] = (str(row.rows),)
        policy = clean(" ".join(row.policy))
        return replace(
            entry,
            legal=replace(entry.legal, license_policy=policy),
            properties=properties,
        )


def _published(root: Any, path: Path) -> tuple[str | None, str | None]:
    for key, value in root.attrib.items():
        if _local(key).lower() in _DATE_ATTRS:
            day = parse_date(value) or entry_date(value)
            if day:
                return day, None
    for el in root.iter():
        if _local(el.tag).upper() == "AMDDATE":
            text = clean("".join(el.itertext()))
            day = entry_date(text) or entry_date((text or "").replace(".", ""))
            if day:
                return day, None
    m = _ISO_IN_NAME.search(path.name)
    if m and parse_date(m[1]):
        return m[1], f"inferred: the date in the file name {path.name!r} (the versioner URL's date)"
    return None, None


ECFR_XML = EcfrXmlFormat()

FORMATS = [ECFR_XML]

__all__ = [
    "ECFR_XML",
    "FORMATS",
    "EcfrXmlFormat",
    "cell_text",
    "country_name",
    "gather_rows",
    "split_entity",
]
