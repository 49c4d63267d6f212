"""Country names, demonyms and codes, as lists write them, to ISO 3166 codes.

The table (``data/country_names.json``) is compiled by ``scripts/build_country_names.py``
from the alias data of OpenSanctions' ``countrynames`` (MIT; its copyright notice is in
the file): ~25,000 spellings in many languages and scripts, historical countries and
disputed regions. We ship the compiled table instead of depending on the library, whose
current versions pull PyICU (no wheels: a compiler and ICU headers on every install).
Names are compared in their own script first (:func:`native_key`), then after
:func:`normalize`, which uses anyascii (a wheel we already depend on) where the library
used ICU; the table was compiled with the same two functions.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

from anyascii import anyascii

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """The comparison form of a country name: Latin letters and digits, lower case,
    words separated by one space ("Côte d’Ivoire" -> "cote d ivoire")."""
    latin = anyascii(unicodedata.normalize("NFKC", text)).casefold()
    return _NOT_ALNUM.sub(" ", latin).strip()


def native_key(text: str) -> str | None:
    """The comparison form of a name that is not in Latin letters, in its own script
    ("عمان" stays "عمان"), or None for a name in Latin letters. Looked up before the
    transliteration, which can make two names read alike ("عمان" and "MN")."""
    folded = "".join(
        c if unicodedata.category(c)[0] in "LMN" else " "  # letters, marks, digits
        for c in unicodedata.normalize("NFKC", text).casefold()
    )
    folded = _SPACES.sub(" ", folded).strip()
    if not folded or all("LATIN" in unicodedata.name(c, "") for c in folded if c.isalpha()):
        return None
    return folded


@cache
def _table() -> tuple[frozenset[str], dict[str, str]]:
    raw = resources.files("entityscreen.sources").joinpath("data/country_names.json").read_bytes()
    data = json.loads(raw)
    return frozenset(data["codes"]), dict(data["names"])


@lru_cache(maxsize=4096)
def to_code(value: str) -> str | None:
    """The code for a country name or code, as the table has it: ISO 3166-1 alpha-2
    ("CN"), a subdivision ("CN-BJ", "UA-CRI") or a former country ("SUHH", "YUCS");
    None when unknown or when the name names no one country ("Africa", "unknown")."""
    codes, names = _table()
    upper = value.upper().strip()
    if upper in codes:
        return upper
    native = native_key(value)
    if native and (code := names.get(native)):
        return code
    key = normalize(value)
    return names.get(key) if key else None
