"""Clean-up of the nsfreg set's text: names, aliases, addresses and countries.

The eCFR text the set is taken from keeps Federal Register wording: aliases run into
addresses, "a.k.a." sits inside primary names, addresses carry "(See alternate addresses
under ...)" and parse artifacts. :func:`split_primary`, :func:`clean_aliases` and
:func:`split_addresses` undo that (the rules are in the "Text clean-up" section of
:mod:`entityscreen.sources.nsfreg`); :func:`resolve_country` reads the set's country
spellings.

Separate from :mod:`entityscreen.sources.nsfreg` (building entries and the format)
because it works on single text values only, with its own patterns, and is the largest
single job of the reader.
"""

from __future__ import annotations

import re

from ..model import Name, NameKind
from .base import clean, country_code

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


def resolve_country(value: str | None) -> str | None:
    """ISO-2 code of the set's country text, or None."""
    text = clean(value)
    if not text or text.lower() in _NOT_COUNTRIES:
        return None
    local = _COUNTRIES.get(text.lower())
    if local:
        return local
    return country_code(text) or country_code(re.sub(r"\s*\([^)]*\)", "", text))


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


__all__ = ["clean_aliases", "resolve_country", "split_addresses", "split_primary"]
